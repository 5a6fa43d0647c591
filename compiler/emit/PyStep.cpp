// Small Python formatting helpers for the PyTorch emitter.
#include "emit/PyStep.hpp"

#include <fmt/format.h>

namespace netc {

std::string py_float(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::string py_elementwise(const Activation& a, const std::string& x) {
  switch (a.kind) {
    case ActivationKind::Relu: return "F.relu(" + x + ")";
    case ActivationKind::LeakyRelu: return fmt::format("F.leaky_relu({}, {})", x, py_float(a.alpha));
    case ActivationKind::Sigmoid: return "torch.sigmoid(" + x + ")";
    case ActivationKind::Tanh: return "torch.tanh(" + x + ")";
    default: return x;
  }
}

bool py_symmetric(const std::array<std::int64_t, 4>& p, const std::array<std::int64_t, 2>& kernel) {
  return p[0] == p[1] && p[2] == p[3] && 2 * p[0] <= kernel[0] && 2 * p[2] <= kernel[1];
}

std::string py_pad(const std::string& x, const std::array<std::int64_t, 4>& p, const std::string& value) {
  if (p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0) return x;
  return fmt::format("F.pad({}, ({}, {}, {}, {}){})", x, p[2], p[3], p[0], p[1], value.empty() ? "" : ", value=" + value);
}

}  // namespace netc
