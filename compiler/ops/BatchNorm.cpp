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
  return bn;
}

}  // namespace

extern const OpInfo kBatchNormOp{
    .keyword = "batchnorm", .stem = "bn", .block_stem = "bn", .summary_type = "BatchNormalization",
    .signature = {{}, 0, {"eps"}, {}, "batchnorm [eps E]"},
    .build = build,
    .traits = {.fuses_activation = true, .in_place = true}};

const OpInfo& BatchNorm::op() const { return kBatchNormOp; }

std::string BatchNorm::attributes() const { return fmt::format("eps {}", epsilon); }

std::vector<WeightSpec> BatchNorm::weights(std::span<const Shape> inputs) const {
  std::int64_t c = inputs[0].channels();
  return {{".weight", {c}, true}, {".bias", {c}, true}, {".running_mean", {c}, false}, {".running_var", {c}, false}};
}

CppCode BatchNorm::emit_cpp(const CppStep& s) const {
  std::int64_t c = s.inputs[0].view.shape.channels();
  auto read = [&](const char* what) { return cpp_weights(s.step.key + "." + what, {c}) + ".data()"; };
  CppCode code;
  code.member_type = "netc::rt::ChannelAffine";
  code.load.push_back(fmt::format("{} = netc::rt::batch_norm_affine({}, {}, {}, {}, {}, {}, {});", s.member, read("weight"),
                                  read("bias"), read("running_mean"), read("running_var"), cpp_float(epsilon), c, s.epilogue));
  code.run.push_back(fmt::format("netc::rt::channel_affine({}, {}, {});", s.member, s.inputs[0].name, s.output.name));
  return code;
}

PyCode BatchNorm::emit_pytorch(const PyStep& s) const {
  const Shape& in = s.input_shapes[0];
  return {fmt::format("nn.BatchNorm{}d({}, eps={})", in.spatial() ? 2 : 1, in.channels(), py_float(epsilon)),
          s.module + "(" + s.inputs[0] + ")"};
}

}  // namespace netc
