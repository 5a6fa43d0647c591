// The packed SGEMM's loops around the microkernel (Goto & van de Geijn 2008, "Anatomy of high-performance
// matrix multiplication": k blocks sized for L1, column blocks for L2), packing helpers and the work split.
#include "gemm.hpp"

#include <algorithm>

#include "epilogue.hpp"
#include "microkernel.hpp"
#if defined(NETC_GEMM_AVX512)
#include "microkernel_avx512.hpp"
#elif defined(NETC_GEMM_AVX2)
#include "microkernel_avx2.hpp"
#else
#include "microkernel_generic.hpp"
#endif

namespace netc::rt::detail {
namespace {

constexpr Index kKBlock = kDepthBlock;
/// Columns per block: kKBlock x kColumnBlock floats of B (512 KiB) stay in L2 while the rows go by.
constexpr int kColumnBlock = 512;

template <int... R>
void dispatch(int rows, const MicroTile& tile, const MicroEpilogue& epilogue, std::integer_sequence<int, R...>) {
  using Kernel = void (*)(const MicroTile&, const MicroEpilogue&);
  static constexpr Kernel kKernels[] = {&micro_tile_rows<R + 1>...};
  kKernels[rows - 1](tile, epilogue);
}

/// A rows whose stride is a multiple of 2 KiB map the microkernel's rows onto the same few L1 sets (8-way):
/// such slices are copied to a buffer with a padded stride first.
constexpr Index kAliasingStride = 512;
constexpr Index kCopyStride = kKBlock + 16;

/// Copies rows x kc floats of A (row stride lda) into buffer rows of kCopyStride floats.
void copy_slice(const float* a, Index lda, int rows, Index kc, float* buffer) {
  for (int r = 0; r < rows; ++r) std::copy(a + r * lda, a + r * lda + kc, buffer + r * kCopyStride);
}

/// Whether the microkernel applies the activation itself; sigmoid and tanh are applied after the store.
bool in_kernel(Activation a) { return a == Activation::Linear || a == Activation::Relu || a == Activation::LeakyRelu; }

}  // namespace

void micro_tile(int rows, const MicroTile& tile, const MicroEpilogue& epilogue) {
  dispatch(rows, tile, epilogue, std::make_integer_sequence<int, kGemmRows>{});
}

PackedMatrix packed_unfilled(int rows, int cols) {
  PackedMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.panel_width = kGemmCols;
  m.depth_block = kDepthBlock;
  m.data.resize(std::size_t(m.panels()) * rows * kGemmCols);
  const int used = cols - (m.panels() - 1) * kGemmCols;  // columns of the last panel
  if (m.panels() > 0 && used < kGemmCols)
    for (int k0 = 0; k0 < rows; k0 += kDepthBlock) {
      float* panel = m.data.data() + (m.panel(k0, m.panels() - 1) - m.data.data());
      for (int k = 0; k < std::min(kDepthBlock, rows - k0); ++k) std::fill(panel + k * kGemmCols + used, panel + (k + 1) * kGemmCols, 0.f);
    }
  return m;
}

// Whole rows of kGemmCols at a time, so the loop vectorises: the padding columns are zeros and stay zeros.
void scale_columns(PackedMatrix& m, const double* scale) {
  for (int p = 0; p < m.panels(); ++p) {
    double s[kGemmCols] = {};
    std::copy(scale + p * kGemmCols, scale + std::min(m.cols, (p + 1) * kGemmCols), s);
    for (int k0 = 0; k0 < m.rows; k0 += kDepthBlock) {
      float* panel = m.data.data() + (m.panel(k0, p) - m.data.data());
      for (int k = 0; k < std::min(kDepthBlock, m.rows - k0); ++k)
        for (int j = 0; j < kGemmCols; ++j) panel[k * kGemmCols + j] = float(panel[k * kGemmCols + j] * s[j]);
    }
  }
}

// C[i][n] = epilogue(bias[n] + residual[i][n] + sum_k A[i][k] B[k][n]), k summed in order in blocks of kKBlock.
void gemm(GemmA a, PackedView b, int panel_begin, int panel_end, GemmC c) {
  const Index depth = b.rows;
  const int block_panels = std::max(1, kColumnBlock / kGemmCols);
  const bool post = !in_kernel(c.epilogue.activation);
  const bool copy = a.stride % kAliasingStride == 0;
  alignas(64) float buffer[kGemmRows * kCopyStride];  // 15 KiB of stack with AVX-512
  for (int jc = panel_begin; jc < panel_end; jc += block_panels) {
    const int jc_end = std::min(panel_end, jc + block_panels);
    for (Index pc = 0; pc == 0 || pc < depth; pc += kKBlock) {
      const Index kc = std::min(kKBlock, depth - pc);
      const bool last = pc + kc >= depth;
      const Activation act = last && !post ? c.epilogue.activation : Activation::Linear;
      for (Index i = 0; i < a.rows; i += kGemmRows) {
        const int rows = int(std::min<Index>(kGemmRows, a.rows - i));
        const float* slice = a.data + i * a.stride + pc;
        if (copy) copy_slice(slice, a.stride, rows, kc, buffer);
        for (int p = jc; p < jc_end; ++p) {
          const int col = p * kGemmCols;
          const MicroTile tile{copy ? buffer : slice, copy ? kCopyStride : a.stride, b.panel(int(pc), p),
                               c.data + i * c.stride + col, c.stride, kc, std::min(kGemmCols, b.cols - col)};
          const float* residual = c.residual ? c.residual + i * c.residual_stride + col : nullptr;
          micro_tile(rows, tile,
                     {c.bias ? c.bias + col : nullptr, residual, c.residual_stride, pc > 0 || c.accumulate, act, c.epilogue.alpha});
          if (last && post)
            for (int r = 0; r < rows; ++r) activate_span(tile.c + r * c.stride, tile.c + r * c.stride, tile.cols, c.epilogue);
        }
      }
    }
  }
}

Index even_block(Index total, Index most, int threads) {
  Index blocks = (total + most - 1) / most;
  if (blocks >= threads) blocks = (blocks + threads - 1) / threads * threads;
  return std::max<Index>(1, (total + blocks - 1) / std::max<Index>(1, blocks));
}

WorkSplit split_work(Index blocks, int panels, int threads) {
  const double even = double(blocks) / threads;
  int chunks = 1;
  while (threads > 1 && chunks < panels) {
    const Index items = blocks * chunks;
    const double per_thread = double((items + threads - 1) / threads) / chunks;  // in blocks
    if (per_thread <= 1.15 * even) break;
    ++chunks;
  }
  return {blocks, panels, chunks};
}

}  // namespace netc::rt::detail
