// Flatten: HxWxC to H*W*C. The element order is channels last (Keras); weights from PyTorch, which
// flattens C,H,W, are permuted when they are loaded.
#pragma once

#include "ops/Layer.hpp"

namespace netc {

class Flatten final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override { return ""; }
  Inferred infer(std::span<const Shape> inputs) const override;
  /// None: a view of its input (no_cpp_code).
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;
};

}  // namespace netc
