// The activations kernels end with: relu / leaky relu / sigmoid / tanh over a span, as Eigen array expressions.
#include "epilogue.hpp"

#include <algorithm>

namespace netc::rt::detail {
namespace {

/// Floats per chunk of a transcendental activation: a whole number of packets of any width up to AVX-512.
constexpr Index kChunk = 64;

/// Sigmoid or tanh through an aligned buffer of whole packets: Eigen's scalar and packet versions of these
/// functions round differently, and on a span Eigen uses the scalar one for an unaligned head and a ragged
/// tail, so results would depend on the span's address and length. Here every element takes the packet path.
void transcendental(const float* in, float* out, Index count, Activation activation) {
  alignas(64) float buffer[kChunk];
  Eigen::Map<Eigen::ArrayXf, Eigen::Aligned64> x(buffer, kChunk);
  for (Index i = 0; i < count; i += kChunk) {
    const Index n = std::min(kChunk, count - i);
    std::fill(std::copy(in + i, in + i + n, buffer), buffer + kChunk, 0.f);
    if (activation == Activation::Sigmoid)
      x = x.logistic();
    else
      x = x.tanh();
    std::copy(buffer, buffer + n, out + i);
  }
}

}  // namespace

// relu max(0, x); leaky relu x > 0 ? x : alpha * x; sigmoid 1 / (1 + e^-x) (Eigen's logistic); tanh.
void activate_span(const float* in, float* out, Index count, Epilogue epilogue) {
  const Eigen::Map<const Eigen::ArrayXf> x(in, count);
  Eigen::Map<Eigen::ArrayXf> y(out, count);
  switch (epilogue.activation) {
    case Activation::Linear:
      if (out != in) y = x;
      return;
    case Activation::Relu: y = x.max(0.f); return;
    case Activation::LeakyRelu: y = (x > 0.f).select(x, x * epilogue.alpha); return;
    case Activation::Sigmoid:
    case Activation::Tanh: transcendental(in, out, count, epilogue.activation); return;
  }
}

}  // namespace netc::rt::detail
