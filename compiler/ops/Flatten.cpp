// Flatten's shape rule.
#include "ops/Flatten.hpp"

#include <fmt/format.h>

#include "emit/PyStep.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace {

std::unique_ptr<Layer> build(Args& args) {
  if (!args.ok()) return nullptr;
  return std::make_unique<Flatten>();
}

}  // namespace

const OpInfo kFlattenOp{"flatten", "flatten", "flatten", "Flatten", {{}, 0, {}, {}, "flatten"}, build};

const OpInfo& Flatten::op() const { return kFlattenOp; }

Inferred Flatten::infer(std::span<const Shape> inputs) const {
  auto n = checked_product(inputs[0].dims);
  if (!n || *n > kMaxDim)
    return Inferred::fail(fmt::format("flattening {} gives more than {} elements", inputs[0].str(), kMaxDim));
  return Inferred::ok(Shape{{*n}});
}

PyCode Flatten::emit_pytorch(const PyStep& s) const { return {"", "torch.flatten(" + s.inputs[0] + ", 1)"}; }

}  // namespace netc
