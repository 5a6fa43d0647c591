// Activation functions: standalone layers (relu, leaky_relu, sigmoid, tanh, softmax) and the same
// functions fused into conv and dense (`conv 64 3x3 relu`).
#pragma once

#include <optional>
#include <string>

#include "ops/Args.hpp"
#include "ops/Layer.hpp"

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
};

/// The activation flag group of conv and dense, and their `alpha` option.
FlagGroup activation_flags();
/// Reads the fused activation (flag and alpha) of a conv or dense statement.
std::optional<Activation> parse_fused_activation(Args& args);

/// A standalone activation layer; the shape passes through.
class ActivationLayer final : public Layer {
public:
  explicit ActivationLayer(Activation f) : function(f) {}
  const OpInfo& op() const override;
  std::string attributes() const override;
  Inferred infer(std::span<const Shape> inputs) const override { return Inferred::ok(inputs[0]); }
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;

  Activation function;
};

}  // namespace netc
