// Zero padding's attributes, shape rule and code.
#include "ops/ZeroPad.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace {

std::unique_ptr<Layer> build(Args& args) {
  auto pad = std::make_unique<ZeroPad>();
  auto sides = args.sides("padding");
  if (!sides || !args.ok()) return nullptr;
  pad->sides = *sides;
  return pad;
}

}  // namespace

extern const OpInfo kZeroPadOp{
    .keyword = "zeropad", .stem = "pad", .block_stem = "pad", .summary_type = "ZeroPadding2D",
    .signature = {{"padding"}, 1, {}, {}, "zeropad P | zeropad HxW | zeropad [top, bottom, left, right]"},
    .build = build};

const OpInfo& ZeroPad::op() const { return kZeroPadOp; }

std::string ZeroPad::attributes() const {
  return fmt::format("[{}, {}, {}, {}]", sides[0], sides[1], sides[2], sides[3]);
}

Inferred ZeroPad::infer(std::span<const Shape> inputs) const {
  const Shape& in = inputs[0];
  if (!in.spatial()) return Inferred::fail(fmt::format("needs an HxWxC input, found the flat shape {}", in.str()));
  std::int64_t h = in.height() + sides[0] + sides[1];
  std::int64_t w = in.width() + sides[2] + sides[3];
  if (h > kMaxDim || w > kMaxDim) return Inferred::fail(fmt::format("padded size {}x{} is too large", h, w));
  return Inferred::ok(Shape{{h, w, in.channels()}});
}

CppCode ZeroPad::emit_cpp(const CppStep& s) const {
  CppCode c;
  c.run.push_back(fmt::format("netc::rt::zero_pad({}, {}, {}, {}, {}, {}, ws);", s.inputs[0].name, s.output.name, sides[0], sides[1],
                              sides[2], sides[3]));
  c.uses_workspace = true;
  return c;
}

PyCode ZeroPad::emit_pytorch(const PyStep& s) const { return {"", py_pad(s.inputs[0], sides)}; }

}  // namespace netc
