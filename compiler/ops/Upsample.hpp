// Upsampling: `upsample FACTOR [nearest|bilinear]` (FACTOR N or HxW) or `upsample size HxW [nearest|bilinear]`,
// as PyTorch's interpolate (align_corners=False) and Keras's UpSampling2D: nearest by default.
#pragma once

#include <array>
#include <optional>

#include "ops/Layer.hpp"

namespace netc {

class Upsample final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override;
  /// The input's height and width times the factor, or the size.
  Inferred infer(std::span<const Shape> inputs) const override;
  /// upsample with the mode; the runtime takes the scale from the sizes.
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;

  std::optional<std::array<std::int64_t, 2>> factor;  // one of factor and size
  std::optional<std::array<std::int64_t, 2>> size;
  bool bilinear = false;
};

}  // namespace netc
