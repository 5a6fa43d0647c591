// How Keras lays out each op's weights, and how they become netc's (PyTorch's) layouts: one row per op with
// weights, keyed by the op's keyword. An op that gains weights (the depthwise convolution) adds a row and,
// if its layout is new, a Layout.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ops/Layer.hpp"

namespace netc {

/// A weight's layout in Keras and in netc.
enum class Layout {
  Vector,       // [n] in both: biases, batch norm's gamma, beta, moving mean and variance
  ConvKernel,   // Keras [kh, kw, in, out] (HWIO) -> netc [out, in, kh, kw] (OIHW)
  DenseKernel,  // Keras [in, out] -> netc [out, in]; after a flatten, Keras's H,W,C input order -> C,H,W
  DepthwiseKernel,  // Keras [kh, kw, C, M] -> netc [C * M, 1, kh, kw] (output channel c * M + m)
};

/// One weight of an op: netc's key suffix, Keras's name for it and older names of the same weight.
struct WeightConversion {
  std::string_view suffix;                // ".weight"
  std::string_view keras;                 // "kernel"
  std::vector<std::string_view> aliases;  // "W" in Keras 1's files, "running_std" for the variance
  Layout layout = Layout::Vector;
};

/// An op's weights in Keras's order, and the snake-case class name Keras 3 gives its layers' groups.
struct OpConversion {
  std::string_view keyword;      // "conv"
  std::string_view keras_class;  // "conv2d"
  std::vector<WeightConversion> weights;
};

/// The row of the op with this keyword, or nullptr when netc cannot import its weights.
const OpConversion* find_conversion(std::string_view keyword);
/// The op's weight with netc's key suffix, or nullptr.
const WeightConversion* find_weight(const OpConversion& op, std::string_view suffix);
/// The Keras weight a file's weight name says it is ("kernel" for "conv1/kernel:0", "conv1_W:0" and
/// "block1_conv1_W_1:0"), among the op's weights; nullptr when the name says nothing known (Keras 3's "0").
const WeightConversion* weight_named(const OpConversion& op, std::string_view file_name, std::string_view layer);

/// The shape a netc weight has in Keras's layout; in_channels is the layer's input channel count (which a
/// depthwise kernel's shape needs to tell C from M).
std::vector<std::int64_t> keras_shape(Layout layout, const std::vector<std::int64_t>& netc_shape,
                                      std::int64_t in_channels);
/// What the Keras shape's dimensions are, for messages: "kernel height, kernel width, input channels, filters".
/// flattened: the HxWxC map a dense layer's input is a flatten of, if it is one.
std::string keras_dims_meaning(Layout layout, const std::optional<Shape>& flattened);
/// Values in Keras's layout rearranged into netc's (netc_shape), the flatten order included.
std::vector<float> to_netc_layout(Layout layout, const std::vector<float>& keras,
                                  const std::vector<std::int64_t>& netc_shape, const std::optional<Shape>& flattened,
                                  std::int64_t in_channels);

}  // namespace netc
