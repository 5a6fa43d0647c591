// Global average pooling: `globalavgpool`, HxWxC to C, and the shape rule it shares with global max pooling.
#pragma once

#include "ops/Layer.hpp"

namespace netc {

/// The shape rule of global pooling (average or max): HxWxC to C; a flat input is an error.
Inferred global_pool_output(const Shape& in);

class GlobalAvgPool final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override { return ""; }
  Inferred infer(std::span<const Shape> inputs) const override;
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;
};

}  // namespace netc
