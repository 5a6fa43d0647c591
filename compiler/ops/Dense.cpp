// Dense's attributes, checks, shape rule, weights and cost.
#include "ops/Dense.hpp"

#include <fmt/format.h>

#include "ops/Registry.hpp"

namespace netc {

namespace {

std::unique_ptr<Layer> build(Args& args) {
  auto dense = std::make_unique<Dense>();
  auto units = args.size("units", 1);
  auto activation = parse_fused_activation(args);
  if (!units || !activation || !args.ok()) return nullptr;
  dense->units = *units;
  dense->bias = args.flag("bias") == "bias";
  dense->activation = *activation;
  return dense;
}

}  // namespace

const OpInfo kDenseOp{"dense", "fc", "fc", "Dense",
                      {{"units"}, 1, {"alpha"}, {{"bias", {"bias", "nobias"}, "bias"}, activation_flags()},
                       "dense UNITS [bias|nobias] [relu|leaky_relu|sigmoid|tanh|softmax]"},
                      build};

const OpInfo& Dense::op() const { return kDenseOp; }

std::string Dense::attributes() const {
  std::string s = std::to_string(units);
  if (!bias) s += " nobias";
  if (activation.kind != ActivationKind::Linear) s += " " + activation.attributes();
  return s;
}

Inferred Dense::infer(std::span<const Shape> inputs) const {
  if (inputs[0].spatial())
    return Inferred::fail(fmt::format("needs a flat input, found {}; add flatten or globalavgpool before it",
                                      inputs[0].str()));
  return Inferred::ok(Shape{{units}});
}

std::vector<WeightSpec> Dense::weights(std::span<const Shape> inputs) const {
  std::vector<WeightSpec> w{{".weight", {units, inputs[0].channels()}, true}};
  if (bias) w.push_back({".bias", {units}, true});
  return w;
}

std::optional<std::int64_t> Dense::macs(std::span<const Shape> inputs, const Shape&) const {
  return checked_product({inputs[0].channels(), units});
}

}  // namespace netc
