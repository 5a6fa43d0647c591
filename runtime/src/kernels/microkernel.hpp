// The GEMM microkernel's interface: one tile of R <= kGemmRows rows by one panel of kGemmCols columns, summed
// over a block of k; the ISA's implementation is included at the end (AVX-512, AVX2 + FMA, or portable).
#pragma once

#include "isa.hpp"

namespace netc::rt::NETC_ISA {

/// One microkernel call: C[R][cols] (+)= A[R][kc] x B[kc][kGemmCols] (cols <= kGemmCols are stored).
struct MicroTile {
  const float* a;  // row r, element k at a[r * lda + k]
  Index lda;
  const float* b;  // kc rows of kGemmCols floats, 64-byte aligned
  float* c;        // row r at c + r * ldc
  Index ldc;
  Index kc;
  int cols;
  /// A's k steps as `segments` runs of kc / segments, each a_segment_stride floats after the one before.
  int segments = 1;
  Index a_segment_stride = 0;
  /// Memory the GEMM reads next (B's next panel), prefetched a piece per k step while this tile computes:
  /// prefetch + k * prefetch_step for k < kc; nullptr: none. A hint: the portable kernel ignores it.
  const float* prefetch = nullptr;
  Index prefetch_step = 0;
};

/// How a tile starts and ends: from C (accumulate), or from the bias (nullptr: zeros) plus the residual
/// (nullptr: none; read before C is written, so it may be C itself); at the last k block relu or leaky relu
/// is applied before the store (other activations are the caller's, after the store).
struct MicroEpilogue {
  const float* bias;      // cols floats
  const float* residual;  // row r at residual + r * residual_stride
  Index residual_stride;
  bool accumulate;
  Activation activation;  // Linear, Relu or LeakyRelu
  float alpha;
};

/// Computes one tile; rows is 1..kGemmRows.
void micro_tile(int rows, const MicroTile& tile, const MicroEpilogue& epilogue);

}  // namespace netc::rt::NETC_ISA
