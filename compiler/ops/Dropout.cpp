// Dropout's attributes.
#include "ops/Dropout.hpp"

#include <fmt/format.h>

#include "emit/PyStep.hpp"
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

const OpInfo kDropoutOp{"dropout", "dropout", "dropout", "Dropout", {{"rate"}, 1, {}, {}, "dropout RATE"}, build};

const OpInfo& Dropout::op() const { return kDropoutOp; }

std::string Dropout::attributes() const { return fmt::format("{}", rate); }

PyCode Dropout::emit_pytorch(const PyStep& s) const {
  return {"", fmt::format("F.dropout({}, {}, self.training)", s.inputs[0], py_float(rate))};
}

}  // namespace netc
