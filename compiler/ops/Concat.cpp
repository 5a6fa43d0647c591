// Concatenation's row, shape rule and code.
#include "ops/Concat.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

extern const OpInfo kConcatOp{
    .keyword = "concat", .stem = "concat", .block_stem = "concat", .summary_type = "Concatenate",
    .signature = {{}, 0, {}, {}, "concat { branch { ... } branch { ... } ... }"},
    .statement = false,
    .traits = {.writes_slices = true, .reads_slices = true},
    .summary_join = ", "};

const OpInfo& Concat::op() const { return kConcatOp; }

Inferred Concat::infer(std::span<const Shape> inputs) const {
  const Shape& first = inputs[0];
  std::int64_t channels = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Shape& s = inputs[i];
    std::string clash = fmt::format("cannot join branch {}'s {} to branch 1's {}", i + 1, s.str(), first.str());
    if (s.dims.size() != first.dims.size())
      return Inferred::fail(fmt::format("{}: one is a map and the other flat", clash));
    if (s.spatial() && s.height() != first.height())
      return Inferred::fail(fmt::format("{}: the heights differ ({} != {})", clash, s.height(), first.height()));
    if (s.spatial() && s.width() != first.width())
      return Inferred::fail(fmt::format("{}: the widths differ ({} != {})", clash, s.width(), first.width()));
    channels += s.channels();
  }
  if (channels > kMaxDim)
    return Inferred::fail(fmt::format("the joined channels ({}) exceed {}", channels, kMaxDim));
  Shape out = first;
  out.dims.back() = channels;
  return Inferred::ok(out);
}

CppCode Concat::emit_cpp(const CppStep& s) const {
  CppCode c;
  std::int64_t offset = 0;
  const TensorView& out = s.output.view;
  for (const CppTensor& in : s.inputs) {
    const bool in_place = in.view.storage == out.storage && in.view.channel_offset == out.channel_offset + offset;
    if (!in_place)  // else it was written where it belongs, as a slice of the output
      c.run.push_back(fmt::format("netc::rt::copy_channels({}, {}, {}, ws);", in.name, s.output.name, offset));
    offset += in.view.shape.channels();
  }
  c.uses_workspace = !c.run.empty();
  if (c.run.empty()) c.run.push_back(fmt::format("// {}: every branch wrote its channels in place", s.step.key));
  return c;
}

PyCode Concat::emit_pytorch(const PyStep& s) const {
  return {"", fmt::format("torch.cat([{}], dim=1)", fmt::join(s.inputs, ", "))};
}

}  // namespace netc
