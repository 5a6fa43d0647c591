// Activation layers (relu, leaky_relu, sigmoid, tanh, softmax, relu6, hard_sigmoid, hard_swish, swish or silu,
// gelu), and the activation item that conv and dense take (`conv 64 3x3 relu`).
#pragma once

#include <optional>
#include <string>

#include "ops/ActivationFunction.hpp"
#include "ops/Args.hpp"
#include "ops/Layer.hpp"

namespace netc {

/// The activation flag group of conv and dense, and their `alpha` option.
FlagGroup activation_flags();
/// Reads the fused activation (flag and alpha) of a conv or dense statement.
std::optional<Activation> parse_fused_activation(Args& args);

/// A standalone activation layer; the shape passes through. Every one may run in place; the elementwise ones
/// may also run as the epilogue of the step before them (their function is their interface).
class ActivationLayer final : public Layer {
public:
  explicit ActivationLayer(Activation f) : function(f) {}
  const OpInfo& op() const override;
  std::string attributes() const override;
  Inferred infer(std::span<const Shape> inputs) const override { return Inferred::ok(inputs[0]); }
  std::optional<Activation> activation_function() const override { return function; }
  /// activate (elementwise, the function as the kernel's epilogue) or softmax.
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;

  Activation function;
};

}  // namespace netc
