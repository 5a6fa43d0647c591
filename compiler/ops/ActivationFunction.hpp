// An activation function as a value: what an activation layer is, what conv and dense apply to their result
// (`conv 64 3x3 relu`), and what a lowered step applies in its epilogue.
#pragma once

#include <string>
#include <string_view>

namespace netc {

enum class ActivationKind { Linear, Relu, LeakyRelu, Sigmoid, Tanh, Softmax };

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
};

}  // namespace netc
