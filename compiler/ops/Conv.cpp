// Convolution's attributes, checks, shape rule, weights and cost.
#include "ops/Conv.hpp"

#include <fmt/format.h>

#include "ops/Registry.hpp"

namespace netc {

namespace {

std::unique_ptr<Layer> build(Args& args) {
  auto conv = std::make_unique<Conv>();
  auto filters = args.size("filters", 1);
  auto window = Window::parse(args, false);
  auto activation = parse_fused_activation(args);
  if (!filters || !window || !activation || !args.ok()) return nullptr;
  conv->filters = *filters;
  conv->window = *window;
  conv->bias = args.flag("bias") == "bias";
  conv->activation = *activation;
  return conv;
}

}  // namespace

const OpInfo kConvOp{
    "conv", "conv", "res", "Conv2D",
    {{"filters", "kernel"}, 2, {"stride", "pad", "alpha"},
     {padding_flags(), {"bias", {"bias", "nobias"}, "bias"}, activation_flags()},
     "conv FILTERS KERNEL [stride S] [same|valid|pad P] [bias|nobias] [relu|leaky_relu|sigmoid|tanh|softmax]"},
    build};

const OpInfo& Conv::op() const { return kConvOp; }

std::string Conv::attributes() const {
  std::string s = fmt::format("{} {}", filters, window.attributes());
  if (!bias) s += " nobias";
  if (activation.kind != ActivationKind::Linear) s += " " + activation.attributes();
  return s;
}

Inferred Conv::infer(std::span<const Shape> inputs) const { return window.output(inputs[0], filters, "kernel"); }

std::vector<WeightSpec> Conv::weights(std::span<const Shape> inputs) const {
  std::vector<WeightSpec> w{{".weight", {filters, inputs[0].channels(), window.kernel[0], window.kernel[1]}, true}};
  if (bias) w.push_back({".bias", {filters}, true});
  return w;
}

std::optional<std::int64_t> Conv::macs(std::span<const Shape> inputs, const Shape& output) const {
  return checked_product(
      {output.height(), output.width(), filters, inputs[0].channels(), window.kernel[0], window.kernel[1]});
}

}  // namespace netc
