// Dense's attributes, checks, shape rule, weights, cost and code.
#include "ops/Dense.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
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

extern const OpInfo kDenseOp{
    .keyword = "dense", .stem = "fc", .block_stem = "fc", .summary_type = "Dense",
    .signature = {{"units"}, 1, {"alpha"}, {{"bias", {"bias", "nobias"}, "bias"}, activation_flags()},
                  "dense UNITS [bias|nobias] [ACTIVATION]"},
    .build = build,
    .traits = {.fuses_activation = true}};

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

CppCode Dense::emit_cpp(const CppStep& s) const {
  const TensorView& input = s.inputs[0].view;
  std::int64_t in = input.shape.elements();
  CppCode c;
  c.member_type = "netc::rt::DenseLayer";
  std::string flatten;  // PyTorch flattens C,H,W where netc flattens H,W,C: the columns are permuted once
  if (input.map) flatten = fmt::format(", {}, {}, {}", input.map->height(), input.map->width(), input.map->channels());
  c.load.push_back(fmt::format("{} = netc::rt::load_dense(weights, {}, /*bias*/ {}, {}, {}, {}{});", s.member,
                               cpp_string(s.step.key), bias, units, in, s.epilogue, flatten));
  c.run.push_back(fmt::format("netc::rt::dense({}, {}, {}, ws);", s.member, s.inputs[0].name, s.output.name));
  c.uses_workspace = true;
  return c;
}

PyCode Dense::emit_pytorch(const PyStep& s) const {
  std::string module = fmt::format("nn.Linear({}, {}, bias={})", s.input_shapes[0].elements(), units, bias ? "True" : "False");
  return py_activated(module, activation, s.module + "(" + s.inputs[0] + ")");
}

}  // namespace netc
