// Batch norm's attributes, weights and code. y = gamma * (x - mean) / sqrt(var + eps) + beta.
#include "ops/BatchNorm.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace {

std::unique_ptr<Layer> build(Args& args) {
  auto bn = std::make_unique<BatchNorm>();
  auto eps = args.number("eps", 1e-12, 1.0, 1e-3);
  if (!eps || !args.ok()) return nullptr;
  bn->epsilon = *eps;
  bn->scale = args.flag("scale") == "scale";
  bn->center = args.flag("center") == "center";
  return bn;
}

}  // namespace

extern const OpInfo kBatchNormOp{
    .keyword = "batchnorm", .stem = "bn", .block_stem = "bn", .summary_type = "BatchNormalization",
    .signature = {{},
                  0,
                  {"eps"},
                  {{"scale", {"scale", "noscale"}, "scale"}, {"center", {"center", "nocenter"}, "center"}},
                  "batchnorm [eps E] [noscale] [nocenter]"},
    .build = build,
    .traits = {.fuses_activation = true, .in_place = true, .reads_slices = true}};

const OpInfo& BatchNorm::op() const { return kBatchNormOp; }

std::string BatchNorm::attributes() const {
  return fmt::format("eps {}{}{}", epsilon, scale ? "" : " noscale", center ? "" : " nocenter");
}

std::vector<WeightSpec> BatchNorm::weights(std::span<const Shape> inputs) const {
  std::int64_t c = inputs[0].channels();
  std::vector<WeightSpec> w;
  if (scale) w.push_back({".weight", {c}, true});
  if (center) w.push_back({".bias", {c}, true});
  w.push_back({".running_mean", {c}, false});
  w.push_back({".running_var", {c}, false});
  return w;
}

CppCode BatchNorm::emit_cpp(const CppStep& s) const {
  std::int64_t c = s.inputs[0].view.shape.channels();
  CppCode code;
  code.member_type = "netc::rt::ChannelAffine";
  const FoldedBatchNorm self{s.step.key, {epsilon, scale, center}};
  code.load.push_back(fmt::format("{} = netc::rt::load_batch_norm(weights, {}, {}, {});", s.member,
                                  cpp_batch_norm_keys(self), c, s.epilogue));
  if (std::string order = cpp_flattened_affine_order(s.inputs[0], s.member); !order.empty()) code.load.push_back(order);
  code.run.push_back(fmt::format("netc::rt::channel_affine({}, {}, {}, ws);", s.member, s.inputs[0].name, s.output.name));
  code.uses_workspace = true;
  return code;
}

// PyTorch's batch norm has both gamma and beta or neither; one of them is dropped by setting it to None, which
// leaves it out of the state_dict and out of the computation.
PyCode BatchNorm::emit_pytorch(const PyStep& s) const {
  const Shape& in = s.input_shapes[0];
  std::string module = fmt::format("nn.BatchNorm{}d({}, eps={}{})", in.spatial() ? 2 : 1, in.channels(),
                                   py_float(epsilon), scale || center ? "" : ", affine=False");
  if (scale != center)
    module = fmt::format("(lambda bn: setattr(bn, \"{}\", None) or bn)({})", scale ? "bias" : "weight", module);
  return {module, s.module + "(" + s.inputs[0] + ")"};
}

}  // namespace netc
