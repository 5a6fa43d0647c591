// Depthwise convolution: `depthwise KERNEL [multiplier M] [stride S] [dilation D] [same|valid|pad P]
// [bias|nobias] [ACTIVATION]`, Keras's DepthwiseConv2D: output channel c * M + m filters input channel c
// alone. Lowering folds into it a zero padding before it, a batch norm after it and an activation after that.
#pragma once

#include "ops/Activation.hpp"
#include "ops/Window.hpp"

namespace netc {

class Depthwise final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override;
  /// HxW as the window rule gives them, C * M channels.
  Inferred infer(std::span<const Shape> inputs) const override;
  /// weight [C * M, 1, kh, kw] (PyTorch's Conv2d with groups = C), bias [C * M].
  std::vector<WeightSpec> weights(std::span<const Shape> inputs) const override;
  /// out_h * out_w * C * M * kh * kw.
  std::optional<std::int64_t> macs(std::span<const Shape> inputs, const Shape& output) const override;
  Activation fused_activation() const override { return activation; }
  /// pack_depthwise (with the step's folded zero padding and batch norm), then depthwise_conv2d.
  CppCode emit_cpp(const CppStep& step) const override;
  /// nn.Conv2d(C, C * M, groups=C), with F.pad before it when the padding is not symmetric.
  PyCode emit_pytorch(const PyStep& step) const override;

  std::int64_t multiplier = 1;
  Window window;
  bool bias = true;
  Activation activation;
};

}  // namespace netc
