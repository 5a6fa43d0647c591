// The conversion table and the layouts' rearrangements (see Conversion.hpp).
#include "import/Conversion.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace netc {

namespace {

// Keras's order of a layer's weights is the order its build() creates them (and the order of Keras 3's
// `vars/0`, `vars/1`, ...): Conv2D and Dense kernel, bias; BatchNormalization gamma (scale=True), beta
// (center=True), moving_mean, moving_variance. netc's ops list their weights in the same order.
const std::vector<OpConversion> kConversions{
    {"conv", "conv2d", {{".weight", "kernel", {"W"}, Layout::ConvKernel}, {".bias", "bias", {"b"}, Layout::Vector}}},
    {"depthwise",
     "depthwise_conv2d",
     {{".weight", "depthwise_kernel", {}, Layout::DepthwiseKernel}, {".bias", "bias", {}, Layout::Vector}}},
    {"dense", "dense", {{".weight", "kernel", {"W"}, Layout::DenseKernel}, {".bias", "bias", {"b"}, Layout::Vector}}},
    {"batchnorm",
     "batch_normalization",
     {{".weight", "gamma", {}, Layout::Vector},
      {".bias", "beta", {}, Layout::Vector},
      {".running_mean", "moving_mean", {"running_mean"}, Layout::Vector},
      {".running_var", "moving_variance", {"running_std", "running_var"}, Layout::Vector}}},
};

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "block1_conv1/kernel:0" -> "kernel"; "bn_conv1_running_std:0" (layer bn_conv1) -> "running_std";
// "block1_conv1_W_1:0" -> "W".
std::string_view bare_weight_name(std::string_view name, std::string_view layer) {
  if (auto colon = name.rfind(':'); colon != std::string_view::npos && is_digits(name.substr(colon + 1)))
    name = name.substr(0, colon);
  if (auto slash = name.rfind('/'); slash != std::string_view::npos) name = name.substr(slash + 1);
  if (!layer.empty() && name.size() > layer.size() + 1 && name.starts_with(layer) && name[layer.size()] == '_')
    name = name.substr(layer.size() + 1);
  if (auto underscore = name.rfind('_'); underscore != std::string_view::npos && is_digits(name.substr(underscore + 1)))
    name = name.substr(0, underscore);
  return name;
}

}  // namespace

const OpConversion* find_conversion(std::string_view keyword) {
  for (const OpConversion& op : kConversions)
    if (op.keyword == keyword) return &op;
  return nullptr;
}

const WeightConversion* find_weight(const OpConversion& op, std::string_view suffix) {
  for (const WeightConversion& w : op.weights)
    if (w.suffix == suffix) return &w;
  return nullptr;
}

const WeightConversion* weight_named(const OpConversion& op, std::string_view file_name, std::string_view layer) {
  std::string_view bare = bare_weight_name(file_name, layer);
  for (const WeightConversion& w : op.weights)
    if (w.keras == bare || std::find(w.aliases.begin(), w.aliases.end(), bare) != w.aliases.end()) return &w;
  return nullptr;
}

std::vector<std::int64_t> keras_shape(Layout layout, const std::vector<std::int64_t>& s, std::int64_t in_channels) {
  switch (layout) {
    case Layout::ConvKernel:
      return {s[2], s[3], s[1], s[0]};
    case Layout::DepthwiseKernel:
      return {s[2], s[3], in_channels, s[0] / in_channels};
    case Layout::DenseKernel:
      return {s[1], s[0]};
    case Layout::Vector:
      return s;
  }
  return s;
}

std::string keras_dims_meaning(Layout layout, const std::optional<Shape>& flattened) {
  switch (layout) {
    case Layout::ConvKernel:
      return "kernel height, kernel width, input channels, filters";
    case Layout::DepthwiseKernel:
      return "kernel height, kernel width, input channels, depth multiplier";
    case Layout::DenseKernel:
      return flattened ? fmt::format("inputs (the flattened {} map), units", flattened->str()) : "inputs, units";
    case Layout::Vector:
      return "channels";
  }
  return "";
}

std::vector<float> to_netc_layout(Layout layout, const std::vector<float>& keras, const std::vector<std::int64_t>& s,
                                  const std::optional<Shape>& flattened, std::int64_t in_channels) {
  std::vector<float> out(keras.size());
  if (layout == Layout::DepthwiseKernel) {  // Keras [y][x][c][m] -> netc [c * M + m][0][y][x]
    const std::size_t O = s[0], H = s[2], W = s[3];
    const std::size_t C = static_cast<std::size_t>(in_channels), M = O / C;
    std::size_t k = 0;
    for (std::size_t y = 0; y < H; ++y)
      for (std::size_t x = 0; x < W; ++x)
        for (std::size_t c = 0; c < C; ++c)
          for (std::size_t m = 0; m < M; ++m) out[((c * M + m) * H + y) * W + x] = keras[k++];
    return out;
  }
  if (layout == Layout::ConvKernel) {  // Keras [y][x][i][o] -> netc [o][i][y][x]
    const std::size_t O = s[0], I = s[1], H = s[2], W = s[3];
    std::size_t k = 0;
    for (std::size_t y = 0; y < H; ++y)
      for (std::size_t x = 0; x < W; ++x)
        for (std::size_t i = 0; i < I; ++i)
          for (std::size_t o = 0; o < O; ++o) out[((o * I + i) * H + y) * W + x] = keras[k++];
    return out;
  }
  if (layout == Layout::DenseKernel) {  // Keras [r][u] -> netc [u][q]: r in H,W,C order, q in C,H,W order
    const std::size_t U = s[0], N = s[1];
    const std::size_t H = flattened ? flattened->height() : 1, W = flattened ? flattened->width() : 1;
    const std::size_t C = flattened ? flattened->channels() : N;
    std::size_t k = 0;
    for (std::size_t y = 0; y < H; ++y)
      for (std::size_t x = 0; x < W; ++x)
        for (std::size_t c = 0; c < C; ++c) {
          const std::size_t q = (c * H + y) * W + x;
          for (std::size_t u = 0; u < U; ++u) out[u * N + q] = keras[k++];
        }
    return out;
  }
  return keras;
}

}  // namespace netc
