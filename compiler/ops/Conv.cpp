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
  auto window = Window::parse_dilated(args);
  auto groups = args.size("groups", 1, 1);
  auto activation = parse_fused_activation(args);
  if (!filters || !window || !groups || !activation || !args.ok()) return nullptr;
  if (*filters % *groups != 0) {
    args.fail_option("groups", fmt::format("groups {} does not divide the {} filters", *groups, *filters));
    return nullptr;
  }
  conv->filters = *filters;
  conv->groups = *groups;
  conv->window = *window;
  conv->bias = args.flag("bias") == "bias";
  conv->activation = *activation;
  return conv;
}

}  // namespace

extern const OpInfo kConvOp{
    .keyword = "conv", .stem = "conv", .block_stem = "res", .summary_type = "Conv2D",
    .signature = {{"filters", "kernel"}, 2, {"stride", "dilation", "groups", "pad", "alpha"},
                  {padding_flags(), {"bias", {"bias", "nobias"}, "bias"}, activation_flags()},
                  "conv FILTERS KERNEL [stride S] [dilation D] [groups G] [same|valid|pad P] [bias|nobias] [ACTIVATION]"},
    .build = build,
    .traits = {.fuses_activation = true, .absorbs_batch_norm = true, .absorbs_padding = true, .writes_slices = true,
                .absorbs_residual = true}};

const OpInfo& Conv::op() const { return kConvOp; }

std::string Conv::attributes() const {
  std::string s = fmt::format("{} {}", filters, window.attributes());
  if (groups != 1) s += fmt::format(" groups {}", groups);
  if (!bias) s += " nobias";
  if (activation.kind != ActivationKind::Linear) s += " " + activation.attributes();
  return s;
}

Inferred Conv::infer(std::span<const Shape> inputs) const {
  if (inputs[0].spatial() && inputs[0].channels() % groups != 0)
    return Inferred::fail(fmt::format("groups {} does not divide the {} input channels", groups, inputs[0].channels()));
  return window.output(inputs[0], filters, "kernel");
}

std::vector<WeightSpec> Conv::weights(std::span<const Shape> inputs) const {
  std::vector<WeightSpec> w{
      {".weight", {filters, inputs[0].channels() / groups, window.kernel[0], window.kernel[1]}, true}};
  if (bias) w.push_back({".bias", {filters}, true});
  return w;
}

std::optional<std::int64_t> Conv::macs(std::span<const Shape> inputs, const Shape& output) const {
  return checked_product(
      {output.height(), output.width(), filters, inputs[0].channels() / groups, window.kernel[0], window.kernel[1]});
}

CppCode Conv::emit_cpp(const CppStep& s) const {
  const Shape& in = s.inputs[0].view.shape;
  const Sides pads = window.pads_folding(in, s.step.folded_padding);
  std::int64_t channels = in.channels();
  CppCode c;
  c.member_type = "netc::rt::ConvLayer";
  std::string grouped = groups == 1 ? "" : fmt::format(", /*groups*/ {}", groups);
  c.load.push_back(fmt::format("{} = netc::rt::load_conv(weights, {}, /*bias*/ {}, {}, {}, {}, {}{});", s.member,
                               cpp_string(s.step.key), bias, filters, channels, cpp_window(window, pads), s.epilogue,
                               grouped));
  if (const auto& bn = s.step.folded_batch_norm)
    c.load.push_back(fmt::format("netc::rt::fold_batch_norm({}, weights, {});", s.member, cpp_batch_norm_keys(*bn)));
  if (s.step.adds_residual)
    c.run.push_back(fmt::format("netc::rt::conv2d_residual({}, {}, {}, {}, ws);", s.member, s.inputs[0].name,
                                s.inputs[1].name, s.output.name));
  else
    c.run.push_back(fmt::format("netc::rt::conv2d({}, {}, {}, ws);", s.member, s.inputs[0].name, s.output.name));
  c.uses_workspace = true;
  c.scratch_floats = fmt::format("netc::rt::conv2d_scratch_floats({}, {}, {})", s.member, in.height(), in.width());
  return c;
}

PyCode Conv::emit_pytorch(const PyStep& s) const {
  return py_conv(s, filters, window, groups, bias, activation);
}

}  // namespace netc
