// 2-D convolution: `conv FILTERS KERNEL [stride S] [dilation D] [groups G] [same|valid|pad P] [bias|nobias]
// [ACTIVATION]`; grouped (G groups of C/G input channels, each with F/G filters) and dilated.
// Lowering folds into it a zero padding before it, a batch norm after it and an activation after that.
#pragma once

#include "ops/Activation.hpp"
#include "ops/Window.hpp"

namespace netc {

class Conv final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override;
  Inferred infer(std::span<const Shape> inputs) const override;
  /// weight [filters, in_channels / groups, kh, kw] (OIHW, as PyTorch), bias [filters].
  std::vector<WeightSpec> weights(std::span<const Shape> inputs) const override;
  /// out_h * out_w * filters * (in_channels / groups) * kh * kw.
  std::optional<std::int64_t> macs(std::span<const Shape> inputs, const Shape& output) const override;
  Activation fused_activation() const override { return activation; }
  /// pack_conv (with the step's folded zero padding and batch norm), then conv2d.
  CppCode emit_cpp(const CppStep& step) const override;
  /// nn.Conv2d, with F.pad before it when the padding is not symmetric.
  PyCode emit_pytorch(const PyStep& step) const override;

  std::int64_t filters = 1;
  Window window;
  std::int64_t groups = 1;  // divides the filters (checked when built) and the input channels (shape rule)
  bool bias = true;
  Activation activation;
};

}  // namespace netc
