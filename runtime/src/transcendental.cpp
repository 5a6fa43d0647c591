// The activations that need exp or erf: sigmoid, tanh, swish and gelu over a span, and softmax over channels,
// with Eigen's vectorised functions (erf from the C library), compiled once for the baseline instruction set
// so that every kernel table gives the same values for them.
#include <algorithm>
#include <cmath>

#include "eigen.hpp"
#include "kernel_table.hpp"

namespace netc::rt {
namespace detail {
namespace {

/// Floats per chunk of a transcendental activation: a whole number of packets of any width up to AVX-512.
constexpr Index kChunk = 64;

}  // namespace

// Sigmoid 1 / (1 + e^-x) (Eigen's logistic), tanh, swish x * sigmoid(x) or gelu x / 2 * (1 + erf(x / sqrt 2))
// (PyTorch's exact form; erf from the C library, the same on every path) through an aligned buffer of whole
// packets: Eigen's scalar and packet versions of these functions round differently, and on a span Eigen uses
// the scalar one for an unaligned head and a ragged tail, so results would depend on the span's address and
// length. Here every element takes the packet path.
void transcendental(const float* in, float* out, Index count, Activation activation) {
  alignas(64) float buffer[kChunk];
  Eigen::Map<Eigen::ArrayXf, Eigen::Aligned64> x(buffer, kChunk);
  for (Index i = 0; i < count; i += kChunk) {
    const Index n = std::min(kChunk, count - i);
    std::fill(std::copy(in + i, in + i + n, buffer), buffer + kChunk, 0.f);
    if (activation == Activation::Sigmoid)
      x = x.logistic();
    else if (activation == Activation::Swish)
      x = x * x.logistic();
    else if (activation == Activation::Gelu)
      for (float& v : buffer) v = 0.5f * v * (1.f + std::erf(v * float(M_SQRT1_2)));
    else
      x = x.tanh();
    std::copy(buffer, buffer + n, out + i);
  }
}

}  // namespace detail

// out[p][c] = e^(in[p][c] - m) / sum_k e^(in[p][k] - m), m = max_k in[p][k] (the max keeps exp from overflowing).
void softmax(ConstTensor in, Tensor out) {
  const detail::ConstMapRM x(in.data, Index{in.n} * in.h * in.w, in.c);
  detail::MapRM y(out.data, Index{out.n} * out.h * out.w, out.c);
  for (Index p = 0; p < x.rows(); ++p) {
    const float max = x.row(p).maxCoeff();
    y.row(p).array() = (x.row(p).array() - max).exp();
    y.row(p) /= y.row(p).sum();
  }
}

}  // namespace netc::rt
