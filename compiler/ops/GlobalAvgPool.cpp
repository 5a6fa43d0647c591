// Global average pooling's shape rule and code.
#include "ops/GlobalAvgPool.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace {

std::unique_ptr<Layer> build(Args& args) {
  if (!args.ok()) return nullptr;
  return std::make_unique<GlobalAvgPool>();
}

}  // namespace

extern const OpInfo kGlobalAvgPoolOp{
    .keyword = "globalavgpool", .stem = "avg_pool", .block_stem = "avg_pool", .summary_type = "GlobalAveragePooling2D",
    .signature = {{}, 0, {}, {}, "globalavgpool"},
    .build = build};

const OpInfo& GlobalAvgPool::op() const { return kGlobalAvgPoolOp; }

Inferred global_pool_output(const Shape& in) {
  if (!in.spatial()) return Inferred::fail(fmt::format("needs an HxWxC input, found the flat shape {}", in.str()));
  return Inferred::ok(Shape{{in.channels()}});
}

Inferred GlobalAvgPool::infer(std::span<const Shape> inputs) const { return global_pool_output(inputs[0]); }

CppCode GlobalAvgPool::emit_cpp(const CppStep& s) const {
  CppCode c;
  c.run.push_back(fmt::format("netc::rt::global_avg_pool({}, {});", s.inputs[0].name, s.output.name));
  return c;
}

PyCode GlobalAvgPool::emit_pytorch(const PyStep& s) const { return {"", s.inputs[0] + ".mean(dim=(2, 3))"}; }

}  // namespace netc
