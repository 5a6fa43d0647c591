// Flatten's shape rule; in C++ it is a view (its row's trait), in PyTorch torch.flatten.
#include "ops/Flatten.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace {

std::unique_ptr<Layer> build(Args& args) {
  if (!args.ok()) return nullptr;
  return std::make_unique<Flatten>();
}

}  // namespace

extern const OpInfo kFlattenOp{
    .keyword = "flatten", .stem = "flatten", .block_stem = "flatten", .summary_type = "Flatten",
    .signature = {{}, 0, {}, {}, "flatten"},
    .build = build,
    .traits = {.view = true}};

const OpInfo& Flatten::op() const { return kFlattenOp; }

Inferred Flatten::infer(std::span<const Shape> inputs) const {
  auto n = checked_product(inputs[0].dims);
  if (!n || *n > kMaxDim)
    return Inferred::fail(fmt::format("flattening {} gives more than {} elements", inputs[0].str(), kMaxDim));
  return Inferred::ok(Shape{{*n}});
}

CppCode Flatten::emit_cpp(const CppStep&) const { return no_cpp_code(*this); }

PyCode Flatten::emit_pytorch(const PyStep& s) const { return {"", "torch.flatten(" + s.inputs[0] + ", 1)"}; }

}  // namespace netc
