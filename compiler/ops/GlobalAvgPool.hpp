// Global average pooling: `globalavgpool`, HxWxC to C.
#pragma once

#include "ops/Layer.hpp"

namespace netc {

class GlobalAvgPool final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override { return ""; }
  Inferred infer(std::span<const Shape> inputs) const override;
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;
};

}  // namespace netc
