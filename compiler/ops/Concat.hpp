// Concatenation along the channels: joins the outputs of a `concat { branch { ... } ... }` statement's
// branches (Keras's Concatenate, torch.cat(dim=1)). The maps must agree in height and width.
#pragma once

#include "ops/Layer.hpp"

namespace netc {

/// Concat's row: the elaborator makes a concat for each `concat` statement.
extern const OpInfo kConcatOp;

class Concat final : public Layer {
public:
  explicit Concat(int branches) : branches(branches) {}
  const OpInfo& op() const override;
  std::string attributes() const override { return ""; }
  int arity() const override { return branches; }
  bool joins_channels() const override { return true; }
  /// The branches' channels added up; heights and widths (or ranks) that differ name the branch.
  Inferred infer(std::span<const Shape> inputs) const override;
  /// One copy into the output's channel slice per input that lowering did not place there already.
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;

  int branches;
};

}  // namespace netc
