// The packed SGEMM under conv2d and dense: C[M, N] = epilogue(A[M, K] x B[K, N] + bias) with row-major A and C
// (rows are NHWC positions, or Winograd tiles) and B packed once at load into microkernel panels; and the
// split of a kernel's work over the workspace's threads along rows (blocks) and column panels, never along K.
#pragma once

#include <algorithm>

#include "isa.hpp"
#include "netc/runtime.hpp"

namespace netc::rt::detail {

/// Rows per depth block of a packed matrix (and k per microkernel call): a kGemmRows x kDepthBlock slice of A
/// (14 KiB with AVX-512) stays in L1 while the B panels stream past it.
constexpr int kDepthBlock = 256;

/// A K x N packed matrix with room for its panels of kGemmCols columns, for the caller to fill: the columns
/// past N (the last panel's padding) are zeros, the others uninitialised.
PackedMatrix packed_unfilled(int rows, int cols);

/// Element (k, n) of a packed matrix.
inline const float& packed_at(const PackedMatrix& m, int k, int n) {
  const int k0 = k / kDepthBlock * kDepthBlock, depth = std::min(kDepthBlock, m.rows - k0);
  return m.data[(std::size_t(k0) * m.panels() + std::size_t(n / kGemmCols) * depth + (k - k0)) * kGemmCols +
                n % kGemmCols];
}
inline float& packed_at(PackedMatrix& m, int k, int n) {
  return const_cast<float&>(packed_at(static_cast<const PackedMatrix&>(m), k, n));
}

/// Fills panel p of m with element(k, n) for its columns n. Sources are read along k for each column, 64
/// rows at a time, so that column-major sources (PyTorch's) and the panel both stay in cache.
template <class Element>
void pack_panel(PackedMatrix& m, int p, Element element) {
  constexpr int kRowBlock = 64;  // divides kDepthBlock
  for (int k0 = 0; k0 < m.rows; k0 += kRowBlock) {
    float* dst = &packed_at(m, k0, p * kGemmCols);
    for (int j = 0; j < kGemmCols && p * kGemmCols + j < m.cols; ++j)
      for (int k = k0; k < m.rows && k < k0 + kRowBlock; ++k) dst[(k - k0) * kGemmCols + j] = element(k, p * kGemmCols + j);
  }
}

/// Packs the K x N matrix element(k, n) into panels of kGemmCols columns (zero-padded).
template <class Element>
PackedMatrix pack_matrix(int rows, int cols, Element element) {
  PackedMatrix m = packed_unfilled(rows, cols);
  for (int p = 0; p < m.panels(); ++p) pack_panel(m, p, element);
  return m;
}

/// Multiplies column n of a packed matrix by scale[n] (folding a per-output-channel factor in).
void scale_columns(PackedMatrix& m, const double* scale);

/// Read-only packed panels for the GEMM's B: a PackedMatrix's, or panels made in scratch memory (the
/// Winograd path's transformed weights). Same layout as PackedMatrix, with kGemmCols and kDepthBlock.
struct PackedView {
  const float* data;
  int rows, cols, panels;
  PackedView(const float* d, int r, int c, int p) : data(d), rows(r), cols(c), panels(p) {}
  PackedView(const PackedMatrix& m) : data(m.data.data()), rows(m.rows), cols(m.cols), panels(m.panels()) {}  // NOLINT
  const float* panel(int k0, int p) const {
    const int depth = std::min(kDepthBlock, rows - k0);
    return data + (std::size_t(k0) * panels + std::size_t(p) * depth) * kGemmCols;
  }
};

/// A: rows x K floats, row i at data + i * stride (K = the packed matrix's rows).
struct GemmA {
  const float* data;
  Index stride;
  Index rows;
};
/// C: row i at data + i * stride; bias (nullptr: none) and the residual's row i (nullptr: none; it may be C
/// itself) are added and the epilogue applied to each result.
struct GemmC {
  float* data;
  Index stride;
  const float* bias;
  Epilogue epilogue;
  const float* residual = nullptr;
  Index residual_stride = 0;
  bool accumulate = false;  // C += A x B (bias, residual and epilogue then belong to an earlier call)
};

/// C[:, columns of panels [panel_begin, panel_end)] = epilogue(A x B + bias + residual), blocked for the caches: the
/// k loop is cut into fixed blocks (the same whatever the thread count, so results are too), and each
/// microkernel call sums its k block onto C in order.
void gemm(GemmA a, PackedView b, int panel_begin, int panel_end, GemmC c);

/// A kernel's work: `blocks` blocks of rows (each prepared once per thread that takes a part of it, e.g. an
/// im2col gather), each cut into `chunks` ranges of the `panels` column panels.
struct WorkSplit {
  Index blocks;
  int panels, chunks;
  int panel_begin(int chunk) const { return int(Index{panels} * chunk / chunks); }
};

/// Items per block when `total` items (rows, tiles) are cut into blocks of at most `most`: blocks of equal
/// size (within one), as many as needed, rounded up to a multiple of the thread count when there are at
/// least as many blocks as threads, so that blocks split evenly; fewer blocks go to split_work's columns.
Index even_block(Index total, Index most, int threads);

/// The fewest column chunks that spread blocks x chunks items over `threads` threads within 15% of even.
WorkSplit split_work(Index blocks, int panels, int threads);

/// Runs the split's items in order, block-major, contiguous ranges of them per thread: prepare(block, thread)
/// when a thread starts on a block, then compute(block, panel_begin, panel_end, thread) for each chunk.
template <class Prepare, class Compute>
void run_split(Workspace& ws, const WorkSplit& split, Prepare&& prepare, Compute&& compute) {
  ws.parallel_for(split.blocks * split.chunks, [&](Index begin, Index end, int thread) {
    Index prepared = -1;
    for (Index item = begin; item < end; ++item) {
      const Index block = item / split.chunks;
      const int chunk = int(item % split.chunks);
      if (block != prepared) prepare(block, thread);
      prepared = block;
      compute(block, split.panel_begin(chunk), split.panel_begin(chunk + 1), thread);
    }
  });
}

}  // namespace netc::rt::detail
