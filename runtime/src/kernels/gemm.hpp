// The packed SGEMM under conv2d and dense: C[M, N] = epilogue(A[M, K] x B[K, N] + bias) with row-major A and C
// (rows are NHWC positions, or Winograd tiles) and B packed once at load into microkernel panels; the
// activation that kernels end with; and the split of a kernel's work over the workspace's threads along rows
// (blocks) and column panels, never along K.
#pragma once

#include "isa.hpp"

namespace netc::rt::NETC_ISA {

/// C[:, columns of panels [panel_begin, panel_end)] = epilogue(A x B + bias + residual), blocked for the caches: the
/// k loop is cut into fixed blocks (the same whatever the thread count, so results are too), and each
/// microkernel call sums its k block onto C in order.
void gemm(GemmA a, PackedView b, int panel_begin, int panel_end, GemmC c);

/// One panel of a packed matrix: its first float and its depth (rows of kGemmCols floats).
struct PanelRef {
  const float* data;
  Index depth;
};

/// The panel that gemm's panel-major order (a GEMM of few row tiles) reads after panel p of the k block at row
/// pc, in the column block of panels [jc, jc_end) of [.., panel_end): the block's next panel, else its first
/// in the next k block, else the next column block's first; {nullptr, 0} after the last. Prefetched meanwhile.
PanelRef next_panel(PackedView b, Index pc, int p, int jc, int jc_end, int panel_end);

/// Whether the GEMM microkernel (and the Winograd output transform) applies the activation to its registers
/// before the store: the cheap ones (linear, relu, leaky relu, relu6); the rest run over the stored values.
constexpr bool in_kernel(Activation a) {
  return a == Activation::Linear || a == Activation::Relu || a == Activation::LeakyRelu || a == Activation::Relu6;
}

/// out[i] = activation(in[i]) for count floats; out may equal in (not partially overlap it). Each element's
/// result depends on its value only, not on its place in the span. NaN stays NaN.
void activate_span(const float* in, float* out, Index count, Epilogue epilogue);

/// min(max(x, 0), 6), NaN kept (both comparisons are false for it).
inline float relu6(float x) { return x < 0.f ? 0.f : x > 6.f ? 6.f : x; }

/// The in_kernel activations on a vector of values, compared so that NaN stays NaN (the comparisons are false
/// for it), as in activate_span; the other activations leave r as it is (run over the stored values).
inline Lanes activated_lanes(Lanes r, const Epilogue& ep) {
  const Lanes zero{}, six = zero + 6.f;
  if (ep.activation == Activation::Relu) return r < zero ? zero : r;
  if (ep.activation == Activation::LeakyRelu) return r < zero ? r * ep.alpha : r;
  if (ep.activation == Activation::Relu6) return r < zero ? zero : r > six ? six : r;
  return r;
}

/// Multiplies column n of a packed matrix by scale[n] (folding a per-output-channel factor in).
void scale_columns(PackedSpan m, const double* scale);

/// Runs rows(begin, end) on ranges covering [0, count): on the workspace's threads when there is one and
/// `work` (the whole pass's, in floats read and written or multiply-adds) reaches detail::min_parallel_work(),
/// else in the caller. The kernels that use it compute each row on its own, so results are the same.
template <class Rows>
void for_rows(Workspace* ws, Index count, Index work, Rows&& rows) {
  if (ws == nullptr || ws->threads() == 1 || work < detail::min_parallel_work()) return rows(Index{0}, count);
  ws->parallel_for(count, [&](Index begin, Index end, int) { rows(begin, end); });
}

/// Runs the split's items in order, block-major, contiguous ranges of them per thread: prepare(block, thread)
/// when a thread starts on a block, then compute(block, panel_begin, panel_end, thread) for each chunk.
template <class Prepare, class Compute>
void run_split(Workspace& ws, const detail::WorkSplit& split, Prepare&& prepare, Compute&& compute) {
  ws.parallel_for(split.blocks * split.chunks, [&](Index begin, Index end, int thread) {
    Index prepared = -1;
    for (Index item = begin; item < end; ++item) {
      const Index block = item / split.chunks;
      const int chunk = int(item % split.chunks);
      if (block != prepared) prepare(block, thread);
      prepared = block;
      compute(block, detail::panel_begin(split, chunk), detail::panel_begin(split, chunk + 1), thread);
    }
  });
}

}  // namespace netc::rt::NETC_ISA
