// Convolution's attributes, checks, shape rule, weights, cost and code.
#include "ops/Conv.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
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

extern const OpInfo kConvOp{
    .keyword = "conv", .stem = "conv", .block_stem = "res", .summary_type = "Conv2D",
    .signature = {{"filters", "kernel"}, 2, {"stride", "pad", "alpha"},
                  {padding_flags(), {"bias", {"bias", "nobias"}, "bias"}, activation_flags()},
                  "conv FILTERS KERNEL [stride S] [same|valid|pad P] [bias|nobias] [relu|leaky_relu|sigmoid|tanh|softmax]"},
    .build = build,
    .traits = {.fuses_activation = true, .absorbs_batch_norm = true, .absorbs_padding = true, .writes_slices = true}};

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

CppCode Conv::emit_cpp(const CppStep& s) const {
  const Shape& in = s.inputs[0].view.shape;
  const Sides& extra = s.step.folded_padding;
  auto p = window.pads(in.height() + extra[0] + extra[1], in.width() + extra[2] + extra[3]);
  Sides pads{p[0] + extra[0], p[1] + extra[1], p[2] + extra[2], p[3] + extra[3]};
  std::int64_t channels = in.channels();
  CppCode c;
  c.member_type = "netc::rt::ConvLayer";
  std::string bias_data = bias ? cpp_weights(s.step.key + ".bias", {filters}) + ".data()" : "nullptr";
  c.load.push_back(fmt::format("{} = netc::rt::pack_conv({}.data(), {}, {}, {}, {}, {});", s.member,
                               cpp_weights(s.step.key + ".weight", {filters, channels, window.kernel[0], window.kernel[1]}),
                               bias_data, filters, channels, cpp_window(window.kernel, window.stride, pads), s.epilogue));
  if (const auto& bn = s.step.folded_batch_norm)
    c.load.push_back(fmt::format("netc::rt::fold_batch_norm({}, {});", s.member, cpp_batch_norm_arguments(*bn, filters)));
  c.run.push_back(fmt::format("netc::rt::conv2d({}, {}, {}, ws);", s.member, s.inputs[0].name, s.output.name));
  c.uses_workspace = true;
  c.scratch_floats = fmt::format("netc::rt::conv2d_scratch_floats({}, {}, {})", s.member, in.height(), in.width());
  return c;
}

PyCode Conv::emit_pytorch(const PyStep& s) const {
  const Shape& in = s.input_shapes[0];
  auto p = window.pads(in.height(), in.width());
  bool symmetric = py_symmetric(p, window.kernel);
  std::string module = fmt::format("nn.Conv2d({}, {}, ({}, {}), stride=({}, {}), padding=({}, {}), bias={})",
                                   in.channels(), filters, window.kernel[0], window.kernel[1], window.stride[0],
                                   window.stride[1], symmetric ? p[0] : 0, symmetric ? p[2] : 0, bias ? "True" : "False");
  std::string call = s.module + "(" + (symmetric ? s.inputs[0] : py_pad(s.inputs[0], p)) + ")";
  return py_activated(module, activation, call);
}

}  // namespace netc
