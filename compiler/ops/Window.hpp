// The sliding window that convolution and pooling share: kernel, stride, padding, and the output-size rule.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "ops/Args.hpp"
#include "ops/Layer.hpp"

namespace netc {

/// `valid` (none), `same` (TensorFlow's rule: output = ceil(input / stride), extra padding bottom and right),
/// or explicit amounts.
struct Padding {
  enum class Mode { Valid, Same, Explicit };
  Mode mode = Mode::Valid;
  std::array<std::int64_t, 4> sides{};  // top, bottom, left, right (Explicit only)
};

/// The padding flag group shared by conv and pooling.
FlagGroup padding_flags();

struct Window {
  std::array<std::int64_t, 2> kernel{1, 1};
  std::array<std::int64_t, 2> stride{1, 1};
  std::array<std::int64_t, 2> dilation{1, 1};  // conv and depthwise only; pooling keeps 1
  Padding padding;

  /// Reads `kernel` (positional), `stride`, `same`/`valid` and `pad` from a layer's items. The stride defaults
  /// to 1, or to the kernel when stride_defaults_to_kernel (pooling, as in Keras).
  static std::optional<Window> parse(Args& args, bool stride_defaults_to_kernel);
  /// The same, and `dilation D` (N or HxW, default 1), for the convolutions.
  static std::optional<Window> parse_dilated(Args& args);

  /// The dilated kernel's extent along dimension d: (k - 1) * dilation + 1; the shape and `same` rules use it.
  std::int64_t extent(int d) const { return (kernel[d] - 1) * dilation[d] + 1; }

  /// The padding applied to an input of height h and width w: top, bottom, left, right.
  std::array<std::int64_t, 4> pads(std::int64_t h, std::int64_t w) const;
  /// The padding of a convolution whose input of shape `in` comes with a folded zero padding `extra` (a
  /// zeropad layer lowering took into it): `same` computed on the padded size, plus `extra`.
  std::array<std::int64_t, 4> pads_folding(const Shape& in, const Sides& extra) const;
  /// Output height and width for an HxWxC input, or which dimension would reach zero and why.
  Inferred output(const Shape& in, std::int64_t out_channels, std::string_view window_name) const;
  /// "3x3 stride 2 dilation 2 same", as .net writes it.
  std::string attributes() const;
};

}  // namespace netc
