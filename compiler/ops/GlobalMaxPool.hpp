// Global max pooling: `globalmaxpool`, HxWxC to C, the largest value of each channel (Keras's
// GlobalMaxPooling2D, PyTorch's amax over height and width; NaN anywhere in a channel gives NaN).
#pragma once

#include "ops/Layer.hpp"

namespace netc {

class GlobalMaxPool final : public Layer {
public:
  const OpInfo& op() const override;
  std::string attributes() const override { return ""; }
  Inferred infer(std::span<const Shape> inputs) const override;
  /// global_max_pool over the input's positions.
  CppCode emit_cpp(const CppStep& step) const override;
  PyCode emit_pytorch(const PyStep& step) const override;
};

}  // namespace netc
