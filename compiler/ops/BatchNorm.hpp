// Batch normalisation over the channel axis, inference form: `batchnorm [eps E] [noscale] [nocenter]` (Keras's
// default eps 1e-3; noscale and nocenter are Keras's scale=False and center=False: no gamma, no beta).
#pragma once

#include "ops/Layer.hpp"

namespace netc {

class BatchNorm final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override;
  Inferred infer(std::span<const Shape> inputs) const override { return Inferred::ok(inputs[0]); }
  /// weight (gamma, unless noscale) and bias (beta, unless nocenter) [C] trainable; running_mean and running_var
  /// [C] not (as Keras counts them).
  std::vector<WeightSpec> weights(std::span<const Shape> inputs) const override;
  std::optional<BatchNormParams> batch_norm() const override { return BatchNormParams{epsilon, scale, center}; }
  /// A batch norm that could not be folded into a convolution: batch_norm_affine, then channel_affine.
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;

  double epsilon = 1e-3;
  bool scale = true;   // has gamma
  bool center = true;  // has beta
};

}  // namespace netc
