// Depthwise convolution's attributes, shape rule (the window rule conv uses), weights, cost and code.
#include "ops/Depthwise.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace {

std::unique_ptr<Layer> build(Args& args) {
  auto layer = std::make_unique<Depthwise>();
  auto window = Window::parse_dilated(args);
  auto multiplier = args.size("multiplier", 1, 1);
  auto activation = parse_fused_activation(args);
  if (!window || !multiplier || !activation || !args.ok()) return nullptr;
  layer->window = *window;
  layer->multiplier = *multiplier;
  layer->bias = args.flag("bias") == "bias";
  layer->activation = *activation;
  return layer;
}

}  // namespace

extern const OpInfo kDepthwiseOp{
    .keyword = "depthwise", .stem = "dwconv", .block_stem = "dwconv", .summary_type = "DepthwiseConv2D",
    .signature = {{"kernel"}, 1, {"multiplier", "stride", "dilation", "pad", "alpha"},
                  {padding_flags(), {"bias", {"bias", "nobias"}, "bias"}, activation_flags()},
                  "depthwise KERNEL [multiplier M] [stride S] [dilation D] [same|valid|pad P] [bias|nobias] [ACTIVATION]"},
    .build = build,
    .traits = {.fuses_activation = true, .absorbs_batch_norm = true, .absorbs_padding = true}};

const OpInfo& Depthwise::op() const { return kDepthwiseOp; }

std::string Depthwise::attributes() const {
  std::string s = window.attributes();
  if (multiplier != 1) s += fmt::format(" multiplier {}", multiplier);
  if (!bias) s += " nobias";
  if (activation.kind != ActivationKind::Linear) s += " " + activation.attributes();
  return s;
}

Inferred Depthwise::infer(std::span<const Shape> inputs) const {
  if (!inputs[0].spatial()) return window.output(inputs[0], 0, "kernel");  // its error for a flat input
  auto channels = checked_product({inputs[0].channels(), multiplier});
  if (!channels || *channels > kMaxDim)
    return Inferred::fail(fmt::format("{} input channels times multiplier {} is more than {} output channels",
                                      inputs[0].channels(), multiplier, kMaxDim));
  return window.output(inputs[0], *channels, "kernel");
}

std::vector<WeightSpec> Depthwise::weights(std::span<const Shape> inputs) const {
  const std::int64_t out = inputs[0].channels() * multiplier;
  std::vector<WeightSpec> w{{".weight", {out, 1, window.kernel[0], window.kernel[1]}, true}};
  if (bias) w.push_back({".bias", {out}, true});
  return w;
}

std::optional<std::int64_t> Depthwise::macs(std::span<const Shape> /*inputs*/, const Shape& output) const {
  return checked_product({output.height(), output.width(), output.channels(), window.kernel[0], window.kernel[1]});
}

CppCode Depthwise::emit_cpp(const CppStep& s) const {
  const Shape& in = s.inputs[0].view.shape;
  const Sides pads = window.pads_folding(in, s.step.folded_padding);
  const std::int64_t channels = in.channels();
  CppCode c;
  c.member_type = "netc::rt::DepthwiseLayer";
  c.load.push_back(fmt::format("{} = netc::rt::load_depthwise(weights, {}, /*bias*/ {}, {}, {}, {}, {});", s.member,
                               cpp_string(s.step.key), bias, channels, multiplier, cpp_window(window, pads),
                               s.epilogue));
  if (const auto& bn = s.step.folded_batch_norm)
    c.load.push_back(fmt::format("netc::rt::fold_batch_norm({}, weights, {});", s.member, cpp_batch_norm_keys(*bn)));
  c.run.push_back(fmt::format("netc::rt::depthwise_conv2d({}, {}, {}, ws);", s.member, s.inputs[0].name, s.output.name));
  c.uses_workspace = true;
  return c;
}

PyCode Depthwise::emit_pytorch(const PyStep& s) const {
  return py_conv(s, s.input_shapes[0].channels() * multiplier, window, s.input_shapes[0].channels(), bias, activation);
}

}  // namespace netc
