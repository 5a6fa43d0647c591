// Fully connected layer: `dense UNITS [ACTIVATION] [bias|nobias]`, on a flat input.
#pragma once

#include "ops/Activation.hpp"

namespace netc {

class Dense final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override;
  std::string name_hint() const override { return std::to_string(units); }
  Inferred infer(std::span<const Shape> inputs) const override;
  /// weight [units, inputs] (PyTorch's Linear), bias [units].
  std::vector<WeightSpec> weights(std::span<const Shape> inputs) const override;
  std::optional<std::int64_t> macs(std::span<const Shape> inputs, const Shape& output) const override;
  Activation fused_activation() const override { return activation; }
  /// pack_dense (permuting PyTorch's C,H,W flatten order when the input is a flattened map), then dense.
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;

  std::int64_t units = 1;
  bool bias = true;
  Activation activation;
};

}  // namespace netc
