// An activation function as a value: what an activation layer is, what conv and dense apply to their result
// (`conv 64 3x3 relu`), and what a lowered step applies in its epilogue.
#pragma once

#include <string>
#include <string_view>

namespace netc {

/// Relu6 min(max(x, 0), 6); HardSigmoid relu6(x + 3) / 6 (PyTorch's hardsigmoid, Keras 3's hard_sigmoid);
/// HardSwish x * hard_sigmoid(x); Swish (also spelled silu) x * sigmoid(x); Gelu the exact x / 2 (1 + erf(x / sqrt 2)).
enum class ActivationKind { Linear, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Relu6, HardSigmoid, HardSwish, Swish, Gelu };

/// An activation function; alpha is leaky relu's slope for negative inputs (Keras's default 0.3).
struct Activation {
  ActivationKind kind = ActivationKind::Linear;
  double alpha = 0.3;

  /// "relu", "leaky_relu alpha 0.1", "" for linear.
  std::string attributes() const;
  /// The word as .net writes it: "relu", "leaky_relu", "linear".
  std::string_view word() const;
  bool linear() const { return kind == ActivationKind::Linear; }
  /// True for functions of each value alone (all but softmax, which normalises over the channels): those a
  /// kernel can apply in its epilogue.
  bool elementwise() const { return kind != ActivationKind::Softmax; }
  /// True for functions whose every value is >= 0 (or NaN): relu, relu6, the sigmoids and softmax.
  bool non_negative() const {
    return kind == ActivationKind::Relu || kind == ActivationKind::Relu6 || kind == ActivationKind::Sigmoid ||
           kind == ActivationKind::HardSigmoid || kind == ActivationKind::Softmax;
  }
};

}  // namespace netc
