// Dropout's attributes; at inference a view of its input (its row's trait).
#include "ops/Dropout.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace {

std::unique_ptr<Layer> build(Args& args) {
  auto dropout = std::make_unique<Dropout>();
  auto rate = args.number("rate", 0.0, 0.999999, 0.5);
  if (!rate || !args.ok()) return nullptr;
  dropout->rate = *rate;
  return dropout;
}

}  // namespace

extern const OpInfo kDropoutOp{
    .keyword = "dropout", .stem = "dropout", .block_stem = "dropout", .summary_type = "Dropout",
    .signature = {{"rate"}, 1, {}, {}, "dropout RATE"},
    .build = build,
    .traits = {.view = true}};

const OpInfo& Dropout::op() const { return kDropoutOp; }

std::string Dropout::attributes() const { return fmt::format("{}", rate); }

CppCode Dropout::emit_cpp(const CppStep&) const { return no_cpp_code(*this); }

PyCode Dropout::emit_pytorch(const PyStep& s) const {
  return {"", fmt::format("F.dropout({}, {}, self.training)", s.inputs[0], py_float(rate))};
}

}  // namespace netc
