// The model's input: the first node of every graph, with the shape the model is compiled for.
#pragma once

#include "ops/Layer.hpp"

namespace netc {

class Input final : public Layer {
public:
  explicit Input(Shape s) : shape(std::move(s)) {}
  const OpInfo& op() const override;
  std::string attributes() const override { return shape.str(); }
  int arity() const override { return 0; }
  Inferred infer(std::span<const Shape>) const override { return Inferred::ok(shape); }
  /// None: the input is the caller's buffer (no_cpp_code).
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;

  Shape shape;
};

}  // namespace netc
