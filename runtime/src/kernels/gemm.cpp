// The packed SGEMM's loops around the microkernel (Goto & van de Geijn 2008, "Anatomy of high-performance
// matrix multiplication": k blocks sized for L1, column blocks for L2), the activation span and scale_columns.
#include "gemm.hpp"

#include <algorithm>
#include <utility>

#include "microkernel.hpp"
#if defined(NETC_ISA_AVX512)
#include "microkernel_avx512.hpp"
#elif defined(NETC_ISA_AVX2)
#include "microkernel_avx2.hpp"
#else
#include "microkernel_generic.hpp"
#endif

namespace netc::rt::NETC_ISA {
namespace {

constexpr Index kKBlock = kDepthBlock;

/// Panels per column block: kKBlock x the block's columns of B fill half of this CPU's L2 (the rest holds the
/// rows of A and C going by), between 1 and 64 panels: 16 of 32 columns with a 1 MiB L2, 8 of 16 with 256 KiB.
/// The k loop is the same whatever the block, so results do not depend on it.
int column_block_panels() {
  static const int panels = [] {
    const std::size_t columns = detail::cache_sizes().l2 / 2 / (std::size_t(kKBlock) * sizeof(float));
    return int(std::min<std::size_t>(64, std::max<std::size_t>(1, columns / kGemmCols)));
  }();
  return panels;
}

/// The microkernel for `rows` rows, in its form for a plain or a segmented A.
template <int... R>
void dispatch(int rows, const MicroTile& tile, const MicroEpilogue& epilogue, std::integer_sequence<int, R...>) {
  using Kernel = void (*)(const MicroTile&, const MicroEpilogue&);
  static constexpr Kernel kPlain[] = {&micro_tile_rows<R + 1, false>...};
  static constexpr Kernel kSegmented[] = {&micro_tile_rows<R + 1, true>...};
  (tile.segments == 1 ? kPlain : kSegmented)[rows - 1](tile, epilogue);
}

/// A rows whose stride is a multiple of 2 KiB map the microkernel's rows onto the same few L1 sets (8-way):
/// such slices are copied to a buffer with a padded stride first.
constexpr Index kAliasingStride = 512;
constexpr Index kCopyStride = kKBlock + 16;
/// The most rows a GEMM may have for its panel-major order: a 7x7 map's 49 rows (4 row tiles with AVX-512, 9
/// with AVX2), whose A fits in L2 beside a panel in L1.
constexpr int kSkinnyRows = 56;

/// The row tiles of a GEMM of `rows` rows: as few as kGemmRows allows, their heights at most one apart, so
/// that no tile is left with a row or two: a 1-row tile waits on its 2 accumulators' FMA latency at a fifth of
/// the core's rate (49 rows with AVX2 as 4 x 6 + 5 x 5, not 8 x 6 + 1; 16 as 8 + 8 with AVX-512, not 14 + 2).
struct RowTiles {
  Index rows, count;
  explicit RowTiles(Index r) : rows(r), count((r + kGemmRows - 1) / kGemmRows) {}
  /// The first row of tile t < count, and rows for t = count.
  Index begin(Index t) const { return t * rows / count; }
  int height(Index t) const { return int(begin(t + 1) - begin(t)); }
};

/// Copies rows x kc floats of A (row stride lda) into buffer rows of kCopyStride floats.
void copy_slice(const float* a, Index lda, int rows, Index kc, float* buffer) {
  for (int r = 0; r < rows; ++r) copy_floats(a + r * lda, kc, buffer + r * kCopyStride);
}

}  // namespace

PanelRef next_panel(PackedView b, Index pc, int p, int jc, int jc_end, int panel_end) {
  const auto at = [&](Index k0, int panel) {
    return PanelRef{panel_at(b, int(k0), panel), min_of<Index>(kKBlock, b.rows - k0)};
  };
  if (p + 1 < jc_end) return at(pc, p + 1);
  if (pc + kKBlock < b.rows) return at(pc + kKBlock, jc);
  if (jc_end < panel_end) return at(0, jc_end);
  return {nullptr, 0};
}

void micro_tile(int rows, const MicroTile& tile, const MicroEpilogue& epilogue) {
  dispatch(rows, tile, epilogue, std::make_integer_sequence<int, kGemmRows>{});
}

// Whole rows of kGemmCols at a time, so the loop vectorises: the padding columns are zeros and stay zeros.
void scale_columns(PackedSpan m, const double* scale) {
  for (int p = 0; p < m.panels; ++p) {
    double s[kGemmCols] = {};
    for (int j = 0; j < kGemmCols && p * kGemmCols + j < m.cols; ++j) s[j] = scale[p * kGemmCols + j];
    for (int k0 = 0; k0 < m.rows; k0 += kDepthBlock) {
      float* panel = panel_at(m, k0, p);
      for (int k = 0; k < min_of(kDepthBlock, m.rows - k0); ++k)
        for (int j = 0; j < kGemmCols; ++j) panel[k * kGemmCols + j] = float(panel[k * kGemmCols + j] * s[j]);
    }
  }
}

// relu max(0, x), leaky relu x > 0 ? x : alpha * x, relu6, hard sigmoid and hard swish, written so that NaN
// stays NaN (comparisons with NaN are false); sigmoid, tanh, swish and gelu (transcendental.cpp) are the same
// code on every instruction set.
void activate_span(const float* in, float* out, Index count, Epilogue epilogue) {
  const float alpha = epilogue.alpha;
  switch (epilogue.activation) {
    case Activation::Linear:
      if (out != in) copy_floats(in, count, out);
      return;
    case Activation::Relu:
      for (Index i = 0; i < count; ++i) out[i] = in[i] < 0.f ? 0.f : in[i];
      return;
    case Activation::LeakyRelu:
      for (Index i = 0; i < count; ++i) out[i] = in[i] < 0.f ? in[i] * alpha : in[i];
      return;
    case Activation::Relu6:
      for (Index i = 0; i < count; ++i) out[i] = relu6(in[i]);
      return;
    case Activation::HardSigmoid:
      for (Index i = 0; i < count; ++i) out[i] = relu6(in[i] + 3.f) / 6.f;
      return;
    case Activation::HardSwish:
      for (Index i = 0; i < count; ++i) out[i] = in[i] * relu6(in[i] + 3.f) / 6.f;
      return;
    case Activation::Sigmoid:
    case Activation::Tanh:
    case Activation::Swish:
    case Activation::Gelu: detail::transcendental(in, out, count, epilogue.activation); return;
  }
}

// C[i][n] = epilogue(bias[n] + residual[i][n] + sum_k A[i][k] B[k][n]), k summed in order in blocks of kKBlock.
// Per column block and k block: row tile by row tile, each against every panel of the block (B's block stays
// in L2 and the tile's A slice in L1); with at most kSkinnyRows rows (a 7x7 map's 49), panel by
// panel instead, each against every row tile while it is in L1, each tile prefetching its share of the next
// panel: B, read from memory once either way, then streams evenly through the pass instead of stalling each
// panel's first tile (ResNet50's stage-5 layers, weights from memory, 1 thread, AMD EPYC Zen 5-class:
// 157 -> 187 GFLOP/s).
void gemm(GemmA a, PackedView b, int panel_begin, int panel_end, GemmC c) {
  const Index depth = b.rows;
  const int block_panels = column_block_panels();
  const bool post = !in_kernel(c.epilogue.activation);
  const bool copy = a.segments == 1 && a.stride % kAliasingStride == 0;  // segmented A: one k block, in place
  const bool skinny = a.rows <= kSkinnyRows;
  const RowTiles row_tiles(a.rows);
  alignas(64) float buffer[kSkinnyRows * kCopyStride];  // 60 KiB of stack
  const Index lda = copy ? kCopyStride : a.stride;
  for (int jc = panel_begin; jc < panel_end; jc += block_panels) {
    const int jc_end = min_of(panel_end, jc + block_panels);
    for (Index pc = 0; pc == 0 || pc < depth; pc += kKBlock) {
      const Index kc = min_of(kKBlock, depth - pc);
      const bool last = pc + kc >= depth;
      const Activation act = last && !post ? c.epilogue.activation : Activation::Linear;
      // Rows [i, i + rows) of C x panel p, from the k block of A's rows at `slice`, lda floats apart.
      const auto tile = [&](Index i, int rows, int p, const float* slice, const float* prefetch = nullptr, Index step = 0) {
        const int col = p * kGemmCols;
        const MicroTile t{slice, lda, panel_at(b, int(pc), p), c.data + i * c.stride + col, c.stride, kc,
                          min_of(kGemmCols, b.cols - col), a.segments, a.segment_stride, prefetch, step};
        const float* residual = c.residual ? c.residual + i * c.residual_stride + col : nullptr;
        micro_tile(rows, t,
                   {c.bias ? c.bias + col : nullptr, residual, c.residual_stride, pc > 0 || c.accumulate, act, c.epilogue.alpha});
        if (last && post)
          for (int r = 0; r < rows; ++r) activate_span(t.c + r * c.stride, t.c + r * c.stride, t.cols, c.epilogue);
      };
      if (skinny) {
        if (copy) copy_slice(a.data + pc, a.stride, int(a.rows), kc, buffer);
        const float* rows = copy ? buffer : a.data + pc;
        const Index tiles = max_of<Index>(1, row_tiles.count);
        for (int p = jc; p < jc_end; ++p) {
          // B's next panel in this loop's order, a share per row tile: B streams from memory once, so it is
          // fetched while this panel computes instead of stalling the next panel's first tile.
          const PanelRef next = next_panel(b, pc, p, jc, jc_end, panel_end);
          const Index share = (next.depth * kGemmCols + tiles - 1) / tiles, step = kc > 0 ? (share + kc - 1) / kc : 0;
          for (Index t = 0; t < row_tiles.count; ++t) {
            const Index i = row_tiles.begin(t);
            tile(i, row_tiles.height(t), p, rows + i * lda, next.data ? next.data + t * share : nullptr, step);
          }
        }
        continue;
      }
      for (Index t = 0; t < row_tiles.count; ++t) {
        const Index i = row_tiles.begin(t);
        const int height = row_tiles.height(t);
        const float* slice = a.data + i * a.stride + pc;
        if (copy) copy_slice(slice, a.stride, height, kc, buffer);
        for (int p = jc; p < jc_end; ++p) tile(i, height, p, copy ? buffer : slice);
      }
    }
  }
}

}  // namespace netc::rt::NETC_ISA
