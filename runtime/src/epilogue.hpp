// The runtime's private helpers: the activation that kernels end with (the GEMM adds the bias itself), and
// the split of an elementwise kernel's rows over the workspace's threads.
#pragma once

#include "netc/runtime.hpp"

namespace netc::rt::detail {

/// out[i] = activation(in[i]) for count floats; out may equal in (not partially overlap it). Each element's
/// result depends on its value only, not on its place in the span.
void activate_span(const float* in, float* out, Index count, Epilogue epilogue);

/// Runs rows(begin, end) on ranges covering [0, count): on the workspace's threads, or in the caller when
/// there is no workspace. The kernels that use it compute each row on its own, so results are the same.
template <class Rows>
void for_rows(Workspace* ws, Index count, Rows&& rows) {
  if (ws == nullptr || ws->threads() == 1) return rows(Index{0}, count);
  ws->parallel_for(count, [&](Index begin, Index end, int) { rows(begin, end); });
}

}  // namespace netc::rt::detail
