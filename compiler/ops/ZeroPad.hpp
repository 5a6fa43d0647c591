// Zero padding: `zeropad P`, `zeropad HxW` or `zeropad [top, bottom, left, right]`.
#pragma once

#include <array>

#include "ops/Layer.hpp"

namespace netc {

class ZeroPad final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override;
  Inferred infer(std::span<const Shape> inputs) const override;
  std::optional<Sides> padding_sides() const override { return sides; }
  /// A zero padding that does not feed a convolution (those fold into the convolution's padding).
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;

  Sides sides{};  // top, bottom, left, right
};

}  // namespace netc
