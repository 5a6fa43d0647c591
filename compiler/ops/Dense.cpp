// Dense's attributes, checks, shape rule, weights and cost.
#include "ops/Dense.hpp"

#include <fmt/format.h>

#include "emit/CppStep.hpp"
#include "emit/PyStep.hpp"
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

namespace {

// The HxWxC map that a flatten (possibly behind dropouts) turned into this dense layer's input, if any.
std::optional<Shape> flattened_map(const CppStep& s) {
  const Node* n = &s.node(s.node(s.step.node).inputs[0]);
  while (n->op().keyword == "dropout") n = &s.node(n->inputs[0]);
  if (n->op().keyword != "flatten") return std::nullopt;
  const Shape& map = s.node(n->inputs[0]).shape;
  if (!map.spatial()) return std::nullopt;
  return map;
}

}  // namespace

CppCode Dense::emit_cpp(const CppStep& s) const {
  std::int64_t in = s.input_shapes[0].elements();
  CppCode c;
  c.member_type = "netc::rt::DenseLayer";
  std::string bias_data = bias ? fmt::format("weights.view_f32(\"{}.bias\", {{{}}}).data()", s.key, units) : "nullptr";
  std::string flatten;
  if (auto map = flattened_map(s)) flatten = fmt::format(", {}, {}, {}", map->height(), map->width(), map->channels());
  c.load.push_back(fmt::format("{} = netc::rt::pack_dense(weights.view_f32(\"{}.weight\", {}), {}, {}, {}, {}{});",
                               s.member, s.key, cpp_shape({units, in}), bias_data, units, in, s.epilogue, flatten));
  c.run.push_back(fmt::format("netc::rt::dense({}, {}, {}, ws);", s.member, s.inputs[0], s.output));
  return c;
}

PyCode Dense::emit_pytorch(const PyStep& s) const {
  std::string module = fmt::format("nn.Linear({}, {}, bias={})", s.input_shapes[0].elements(), units, bias ? "True" : "False");
  return {module, py_elementwise(activation, s.module + "(" + s.inputs[0] + ")")};
}

}  // namespace netc
