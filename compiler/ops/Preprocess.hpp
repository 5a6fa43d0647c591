// Preprocessing inside the model, so that an application can feed raw pixels: `rescale SCALE [offset O]`
// (Keras's Rescaling: x * SCALE + O), `normalize mean M std S` (torchvision's Normalize: (x - M) / S per
// channel, M and S a number or one per channel) and `reverse_channels` (R,G,B to B,G,R: Keras's "caffe" input).
#pragma once

#include <vector>

#include "ops/Layer.hpp"

namespace netc {

/// rescale and normalize: y = x * scale[c] + shift[c] per channel (one value for every channel, or one per
/// channel); the shape passes through.
class ChannelAffineLayer final : public Layer {
public:
  const OpInfo& op() const override { return *row; }
  std::string attributes() const override;
  Inferred infer(std::span<const Shape> inputs) const override;
  /// A netc::rt::ChannelAffine made from the constants, then channel_affine.
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;

  const OpInfo* row = nullptr;  // kRescaleOp or kNormalizeOp
  // rescale: {scale}, {offset}. normalize: the mean and std as written.
  std::vector<double> first, second;

  /// The per-channel scale and shift of y = x * scale + shift, for `channels` channels.
  std::vector<double> scale(std::int64_t channels) const;
  std::vector<double> shift(std::int64_t channels) const;
};

/// reverse_channels: the channels in reverse order (R,G,B to B,G,R and back).
class ReverseChannels final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override { return ""; }
  Inferred infer(std::span<const Shape> inputs) const override { return Inferred::ok(inputs[0]); }
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;
};

}  // namespace netc
