// Python text helpers for the ops' code (see PyCode.hpp).
#include "ops/PyCode.hpp"

#include <fmt/format.h>

#include "ops/Window.hpp"

namespace netc {

PyCode py_activated(std::string module, const Activation& a, const std::string& x) {
  return {std::move(module), py_elementwise(a, x), a.kind == ActivationKind::Softmax};
}

std::string py_float(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::string py_string(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    auto byte = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') out += fmt::format("\\{}", ch);
    else if (byte < 0x20 || byte >= 0x7f) out += fmt::format("\\x{:02x}", byte);
    else out += ch;
  }
  return out + "\"";
}

std::string py_elementwise(const Activation& a, const std::string& x) {
  switch (a.kind) {
    case ActivationKind::Relu: return "F.relu(" + x + ")";
    case ActivationKind::LeakyRelu: return fmt::format("F.leaky_relu({}, {})", x, py_float(a.alpha));
    case ActivationKind::Sigmoid: return "torch.sigmoid(" + x + ")";
    case ActivationKind::Tanh: return "torch.tanh(" + x + ")";
    case ActivationKind::Relu6: return "F.relu6(" + x + ")";
    case ActivationKind::HardSigmoid: return "F.hardsigmoid(" + x + ")";
    case ActivationKind::HardSwish: return "F.hardswish(" + x + ")";
    case ActivationKind::Swish: return "F.silu(" + x + ")";
    case ActivationKind::Gelu: return "F.gelu(" + x + ")";
    default: return x;
  }
}

bool py_symmetric(const Sides& p, const std::array<std::int64_t, 2>& kernel) {
  return p[0] == p[1] && p[2] == p[3] && 2 * p[0] <= kernel[0] && 2 * p[2] <= kernel[1];
}

PyCode py_conv(const PyStep& s, std::int64_t out_channels, const Window& window, std::int64_t groups, bool bias,
               const Activation& activation) {
  const Shape& in = s.input_shapes[0];
  auto p = window.pads(in.height(), in.width());
  bool symmetric = py_symmetric(p, {window.extent(0), window.extent(1)});
  std::string options;
  if (window.dilation != std::array<std::int64_t, 2>{1, 1})
    options += fmt::format(", dilation=({}, {})", window.dilation[0], window.dilation[1]);
  if (groups != 1) options += fmt::format(", groups={}", groups);
  std::string module = fmt::format("nn.Conv2d({}, {}, ({}, {}), stride=({}, {}), padding=({}, {}){}, bias={})",
                                   in.channels(), out_channels, window.kernel[0], window.kernel[1], window.stride[0],
                                   window.stride[1], symmetric ? p[0] : 0, symmetric ? p[2] : 0, options,
                                   bias ? "True" : "False");
  std::string call = s.module + "(" + (symmetric ? s.inputs[0] : py_pad(s.inputs[0], p)) + ")";
  return py_activated(module, activation, call);
}

std::string py_pad(const std::string& x, const Sides& p, const std::string& value) {
  if (p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0) return x;
  return fmt::format("F.pad({}, ({}, {}, {}, {}){})", x, p[2], p[3], p[0], p[1], value.empty() ? "" : ", value=" + value);
}

}  // namespace netc
