// Elementwise kernels: per-channel affine (unfolded batch norm), residual add and activation, in place or
// not, split in pieces over the workspace's threads.
#include "gemm.hpp"
#include "kernels.hpp"

namespace netc::rt::NETC_ISA {
namespace {

/// Flat kernels split their floats into pieces of this many for the threads (64 KiB).
constexpr Index kPiece = 16 * 1024;

/// f(begin, end) over [0, count) floats, in pieces over the workspace's threads when there is one.
template <class F>
void for_floats(Workspace* ws, Index count, F&& f) {
  for_rows(ws, (count + kPiece - 1) / kPiece, count, [&](Index b, Index e) { f(b * kPiece, min_of(count, e * kPiece)); });
}

// out[p][c] = epilogue(in[p][c] * scale[c] + shift[c]) for positions [begin, end); either may be a channel
// slice of a wider tensor (its pixels stride() floats apart).
void affine_rows(const detail::AffineArgs& affine, ConstTensor in, Tensor out, Index begin, Index end) {
  const Index c = in.c, in_stride = in.stride(), out_stride = out.stride();
  for (Index p = begin; p < end; ++p) {
    const float* x = in.data + p * in_stride;
    float* y = out.data + p * out_stride;
    for (Index i = 0; i < c; ++i) y[i] = x[i] * affine.scale[i] + affine.shift[i];
    if (out_stride != c) activate_span(y, y, c, affine.epilogue);
  }
  if (out_stride == c) activate_span(out.data + begin * c, out.data + begin * c, (end - begin) * c, affine.epilogue);
}

// out = epilogue(a + b) over floats [begin, end).
void add_floats(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue, Index begin, Index end) {
  for (Index i = begin; i < end; ++i) out.data[i] = a.data[i] + b.data[i];
  activate_span(out.data + begin, out.data + begin, end - begin, epilogue);
}

Index floats_of(ConstTensor t) { return Index{t.n} * t.h * t.w * t.c; }

}  // namespace

// out[p][c] = epilogue(in[p][c] * scale[c] + shift[c]), position by position.
void channel_affine(const detail::AffineArgs& affine, ConstTensor in, Tensor out, Workspace* ws) {
  const Index positions = Index{in.n} * in.h * in.w;
  for_rows(ws, positions, positions * in.c, [&](Index b, Index e) { affine_rows(affine, in, out, b, e); });
}

// out = epilogue(a + b), coefficient-wise, so out may be a or b.
void add(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue, Workspace* ws) {
  for_floats(ws, floats_of(a), [&](Index begin, Index end) { add_floats(a, b, out, epilogue, begin, end); });
}

// out = relu / leaky relu / sigmoid / tanh of in.
void activate(ConstTensor in, Tensor out, Epilogue epilogue, Workspace* ws) {
  for_floats(ws, floats_of(in), [&](Index begin, Index end) {
    activate_span(in.data + begin, out.data + begin, end - begin, epilogue);
  });
}

}  // namespace netc::rt::NETC_ISA
