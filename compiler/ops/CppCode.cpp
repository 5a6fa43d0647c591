// C++ text helpers for the ops' code (see CppCode.hpp).
#include "ops/CppCode.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "ops/Registry.hpp"
#include "ops/Window.hpp"

namespace netc {

CppCode no_cpp_code(const Layer& layer) {
  throw std::logic_error(fmt::format("a '{}' layer reached C++ emission as a step of its own, but it has no code: "
                                     "lowering should have made it a view",
                                     layer.op().keyword));
}

std::string cpp_float(double v) {
  std::string s = fmt::format("{}", static_cast<float>(v));
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

std::string cpp_string(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    auto byte = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') out += fmt::format("\\{}", ch);
    else if (byte < 0x20 || byte >= 0x7f || ch == '?') out += fmt::format("\\{:03o}", byte);  // '?': no trigraphs
    else out += ch;
  }
  return out + "\"";
}

std::string cpp_epilogue(const Activation& a) {
  switch (a.kind) {
    case ActivationKind::Relu: return "{netc::rt::Activation::Relu}";
    case ActivationKind::LeakyRelu: return fmt::format("{{netc::rt::Activation::LeakyRelu, {}}}", cpp_float(a.alpha));
    case ActivationKind::Sigmoid: return "{netc::rt::Activation::Sigmoid}";
    case ActivationKind::Tanh: return "{netc::rt::Activation::Tanh}";
    case ActivationKind::Relu6: return "{netc::rt::Activation::Relu6}";
    case ActivationKind::HardSigmoid: return "{netc::rt::Activation::HardSigmoid}";
    case ActivationKind::HardSwish: return "{netc::rt::Activation::HardSwish}";
    case ActivationKind::Swish: return "{netc::rt::Activation::Swish}";
    case ActivationKind::Gelu: return "{netc::rt::Activation::Gelu}";
    case ActivationKind::Linear: return "{}";
    case ActivationKind::Softmax: break;
  }
  throw std::logic_error("softmax is not an elementwise epilogue");
}

std::string cpp_window(const std::array<std::int64_t, 2>& kernel, const std::array<std::int64_t, 2>& stride,
                       const Sides& pads) {
  return fmt::format("{{{}, {}, /*stride*/ {}, {}, /*pad t b l r*/ {}, {}, {}, {}}}", kernel[0], kernel[1], stride[0],
                     stride[1], pads[0], pads[1], pads[2], pads[3]);
}

std::string cpp_window(const Window& window, const Sides& pads) {
  std::string s = cpp_window(window.kernel, window.stride, pads);
  if (window.dilation == std::array<std::int64_t, 2>{1, 1}) return s;
  s.pop_back();
  return s + fmt::format(", /*dilation*/ {}, {}}}", window.dilation[0], window.dilation[1]);
}

std::string cpp_flattened_affine_order(const CppTensor& input, const std::string& member) {
  const auto& map = input.view.map;
  if (!map) return "";
  return fmt::format("netc::rt::flattened_to_channels_last({}, {}, {}, {});", member, map->height(), map->width(),
                     map->channels());
}

std::string cpp_batch_norm_keys(const FoldedBatchNorm& bn) {
  const std::string epsilon = cpp_float(bn.params.epsilon);
  if (bn.params.scale && bn.params.center) return fmt::format("{{{}, {}}}", cpp_string(bn.key), epsilon);
  return fmt::format("{{{}, {}, /*scale*/ {}, /*center*/ {}}}", cpp_string(bn.key), epsilon, bn.params.scale,
                     bn.params.center);
}

}  // namespace netc
