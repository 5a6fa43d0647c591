// Residual add: joins a block's main path and its shortcut; made by `residual { } shortcut { }`.
#pragma once

#include "ops/Layer.hpp"

namespace netc {

/// Add's row: the elaborator makes an add for each `residual`.
extern const OpInfo kAddOp;

class Add final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override { return ""; }
  int arity() const override { return 2; }
  bool sums_inputs() const override { return true; }
  Inferred infer(std::span<const Shape> inputs) const override;
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;
};

}  // namespace netc
