// Elementwise kernels: per-channel affine (unfolded batch norm), residual add, activation and softmax.
#include <algorithm>
#include <cmath>

#include "epilogue.hpp"
#include "netc/runtime.hpp"

namespace netc::rt {
namespace {

/// A tensor viewed as a [positions, channels] row-major matrix.
ConstMapRM rows_of(ConstTensor t) { return ConstMapRM(t.data, Index{t.n} * t.h * t.w, t.c); }
MapRM rows_of(Tensor t) { return MapRM(t.data, Index{t.n} * t.h * t.w, t.c); }

/// Flat kernels split their floats into pieces of this many for the threads (64 KiB).
constexpr Index kPiece = 16 * 1024;

/// f(begin, end) over [0, count) floats, in pieces over the workspace's threads when there is one.
template <class F>
void for_floats(Workspace* ws, Index count, F&& f) {
  detail::for_rows(ws, (count + kPiece - 1) / kPiece,
                   [&](Index b, Index e) { f(b * kPiece, std::min(count, e * kPiece)); });
}

// out[p][c] = epilogue(in[p][c] * scale[c] + shift[c]) for positions [begin, end).
void affine_rows(const ChannelAffine& affine, ConstTensor in, Tensor out, Index begin, Index end) {
  const Eigen::Map<const Eigen::ArrayXXf> scale(affine.scale.data(), 1, in.c), shift(affine.shift.data(), 1, in.c);
  MapRM dst(out.data + begin * out.c, end - begin, out.c);
  dst.array() = (ConstMapRM(in.data + begin * in.c, end - begin, in.c).array().rowwise() * scale.row(0)).rowwise() +
                shift.row(0);
  detail::activate_span(dst.data(), dst.data(), dst.size(), affine.epilogue);
}

// out = epilogue(a + b) over floats [begin, end).
void add_floats(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue, Index begin, Index end) {
  Eigen::Map<Eigen::ArrayXf>(out.data + begin, end - begin) =
      Eigen::Map<const Eigen::ArrayXf>(a.data + begin, end - begin) +
      Eigen::Map<const Eigen::ArrayXf>(b.data + begin, end - begin);
  detail::activate_span(out.data + begin, out.data + begin, end - begin, epilogue);
}

}  // namespace

// Inference batch norm (Ioffe & Szegedy 2015): scale = gamma / sqrt(var + eps), shift = beta - mean * scale.
ChannelAffine batch_norm_affine(const float* gamma, const float* beta, const float* mean, const float* var, float eps,
                                int channels, Epilogue epilogue) {
  ChannelAffine affine{std::vector<float>(std::size_t(channels)), std::vector<float>(std::size_t(channels)), epilogue};
  for (int c = 0; c < channels; ++c) {
    const double scale = double(gamma[c]) / std::sqrt(double(var[c]) + double(eps));
    affine.scale[c] = float(scale);
    affine.shift[c] = float(double(beta[c]) - double(mean[c]) * scale);
  }
  return affine;
}

// out[p][c] = epilogue(in[p][c] * scale[c] + shift[c]), position by position.
void channel_affine(const ChannelAffine& affine, ConstTensor in, Tensor out) {
  affine_rows(affine, in, out, 0, Index{in.n} * in.h * in.w);
}
void channel_affine(const ChannelAffine& affine, ConstTensor in, Tensor out, Workspace& ws) {
  detail::for_rows(&ws, Index{in.n} * in.h * in.w, [&](Index b, Index e) { affine_rows(affine, in, out, b, e); });
}

// out = epilogue(a + b), coefficient-wise, so out may be a or b.
void add(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue) {
  add_floats(a, b, out, epilogue, 0, Index(out.size()));
}
void add(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue, Workspace& ws) {
  for_floats(&ws, Index(out.size()), [&](Index begin, Index end) { add_floats(a, b, out, epilogue, begin, end); });
}

// out = relu / leaky relu / sigmoid / tanh of in.
void activate(ConstTensor in, Tensor out, Epilogue epilogue) {
  detail::activate_span(in.data, out.data, Index(out.size()), epilogue);
}
void activate(ConstTensor in, Tensor out, Epilogue epilogue, Workspace& ws) {
  for_floats(&ws, Index(out.size()), [&](Index begin, Index end) {
    detail::activate_span(in.data + begin, out.data + begin, end - begin, epilogue);
  });
}

// out[p][c] = e^(in[p][c] - m) / sum_k e^(in[p][k] - m), m = max_k in[p][k] (the max keeps exp from overflowing).
void softmax(ConstTensor in, Tensor out) {
  const ConstMapRM x = rows_of(in);
  MapRM y = rows_of(out);
  for (Index p = 0; p < x.rows(); ++p) {
    const float max = x.row(p).maxCoeff();
    y.row(p).array() = (x.row(p).array() - max).exp();
    y.row(p) /= y.row(p).sum();
  }
}

}  // namespace netc::rt
