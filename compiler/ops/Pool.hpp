// Max and average pooling: `maxpool KERNEL [stride S] [same|valid|pad P]` (stride defaults to the kernel).
// Max ignores the padding; average divides by the number of real inputs (Keras's rule, `exclude_pad`, the
// default) or by the window's size with the padding counted as zeros (`include_pad`, PyTorch's
// count_include_pad=True).
#pragma once

#include "ops/Window.hpp"

namespace netc {

class Pool final : public Layer {
public:
  enum class Kind { Max, Average };
  explicit Pool(Kind k) : kind(k) {}
  const OpInfo& op() const override;
  std::string attributes() const override;
  Inferred infer(std::span<const Shape> inputs) const override;
  /// max_pool or avg_pool with the window's padding resolved for the input.
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;
  /// Max pooling ignores its own padding, which equals zeros only over values that are never negative;
  /// average pooling counts the zeros: with include_pad, or with no padding of its own.
  bool takes_padding(bool non_negative) const override;

  Kind kind;
  Window window;
  bool include_pad = false;  // average only: divide by the whole window
};

}  // namespace netc
