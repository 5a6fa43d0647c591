// Max and average pooling: `maxpool KERNEL [stride S] [same|valid|pad P]` (stride defaults to the kernel).
// Padding never takes part: max ignores it, average divides by the number of real inputs (Keras's rule).
#pragma once

#include "ops/Window.hpp"

namespace netc {

class Pool final : public Layer {
public:
  enum class Kind { Max, Average };
  explicit Pool(Kind k) : kind(k) {}
  const OpInfo& op() const override;
  std::string attributes() const override { return window.attributes(); }
  Inferred infer(std::span<const Shape> inputs) const override;
  /// max_pool or avg_pool with the window's padding resolved for the input.
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;

  Kind kind;
  Window window;
};

}  // namespace netc
