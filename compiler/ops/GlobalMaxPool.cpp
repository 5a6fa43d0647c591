// Global max pooling's row, shape rule (global average pooling's) and code.
#include "ops/GlobalMaxPool.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/GlobalAvgPool.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace {

std::unique_ptr<Layer> build(Args& args) {
  if (!args.ok()) return nullptr;
  return std::make_unique<GlobalMaxPool>();
}

}  // namespace

extern const OpInfo kGlobalMaxPoolOp{
    .keyword = "globalmaxpool", .stem = "max_pool", .block_stem = "max_pool", .summary_type = "GlobalMaxPooling2D",
    .signature = {{}, 0, {}, {}, "globalmaxpool"},
    .build = build};

const OpInfo& GlobalMaxPool::op() const { return kGlobalMaxPoolOp; }

Inferred GlobalMaxPool::infer(std::span<const Shape> inputs) const { return global_pool_output(inputs[0]); }

CppCode GlobalMaxPool::emit_cpp(const CppStep& s) const {
  CppCode c;
  c.run.push_back(fmt::format("netc::rt::global_max_pool({}, {}, ws);", s.inputs[0].name, s.output.name));
  c.uses_workspace = true;
  return c;
}

// amax, not max_pool2d over the whole map: amax gives NaN for a channel with a NaN anywhere, as the runtime does.
PyCode GlobalMaxPool::emit_pytorch(const PyStep& s) const { return {"", s.inputs[0] + ".amax(dim=(2, 3))"}; }

}  // namespace netc
