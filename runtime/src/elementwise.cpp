// Elementwise kernels: per-channel affine (unfolded batch norm), residual add, activation and softmax.
#include <cmath>

#include "epilogue.hpp"
#include "netc/runtime.hpp"

namespace netc::rt {
namespace {

/// A tensor viewed as a [positions, channels] row-major matrix.
ConstMapRM rows_of(ConstTensor t) { return ConstMapRM(t.data, Index{t.n} * t.h * t.w, t.c); }
MapRM rows_of(Tensor t) { return MapRM(t.data, Index{t.n} * t.h * t.w, t.c); }

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

// out[p][c] = epilogue(in[p][c] * scale[c] + shift[c]).
void channel_affine(const ChannelAffine& affine, ConstTensor in, Tensor out) {
  const Eigen::Map<const Eigen::ArrayXXf> scale(affine.scale.data(), 1, in.c), shift(affine.shift.data(), 1, in.c);
  MapRM dst = rows_of(out);
  dst.array() = (rows_of(in).array().rowwise() * scale.row(0)).rowwise() + shift.row(0);
  detail::activate_span(out.data, out.data, Index(out.size()), affine.epilogue);
}

// out = epilogue(a + b), coefficient-wise, so out may be a or b.
void add(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue) {
  const Index count = Index(out.size());
  Eigen::Map<Eigen::ArrayXf>(out.data, count) =
      Eigen::Map<const Eigen::ArrayXf>(a.data, count) + Eigen::Map<const Eigen::ArrayXf>(b.data, count);
  detail::activate_span(out.data, out.data, count, epilogue);
}

// out = relu / leaky relu / sigmoid / tanh of in.
void activate(ConstTensor in, Tensor out, Epilogue epilogue) {
  detail::activate_span(in.data, out.data, Index(out.size()), epilogue);
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
