// Dropout: `dropout RATE`; the identity at inference.
#pragma once

#include "ops/Layer.hpp"

namespace netc {

class Dropout final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override;
  Inferred infer(std::span<const Shape> inputs) const override { return Inferred::ok(inputs[0]); }
  /// None: a view of its input (no_cpp_code).
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;

  double rate = 0.5;
};

}  // namespace netc
