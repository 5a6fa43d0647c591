// Upsampling's row, checks, shape rule and code.
#include "ops/Upsample.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace {

std::unique_ptr<Layer> build(Args& args) {
  auto up = std::make_unique<Upsample>();
  if (args.has("factor") == args.has("size")) {
    args.fail(args.loc(), args.has("size") ? "upsample: give a factor or a size, not both"
                                           : "upsample needs a factor (upsample 2) or a size (upsample size 28x28)");
    return nullptr;
  }
  if (args.has("factor")) up->factor = args.pair("factor", 1);
  if (args.has("size")) up->size = args.pair("size", 1);
  if (!(up->factor || up->size) || !args.ok()) return nullptr;
  up->bilinear = args.flag("mode") == "bilinear";
  return up;
}

}  // namespace

extern const OpInfo kUpsampleOp{
    .keyword = "upsample", .stem = "upsample", .block_stem = "upsample", .summary_type = "UpSampling2D",
    .signature = {{"factor"}, 0, {"size"}, {{"mode", {"nearest", "bilinear"}, "nearest"}},
                  "upsample FACTOR [nearest|bilinear] or upsample size HxW [nearest|bilinear]"},
    .build = build,
    .traits = {.writes_slices = true}};

const OpInfo& Upsample::op() const { return kUpsampleOp; }

std::string Upsample::attributes() const {
  const auto& dims = factor ? *factor : *size;
  return fmt::format("{}{}x{}{}", size ? "size " : "", dims[0], dims[1], bilinear ? " bilinear" : "");
}

Inferred Upsample::infer(std::span<const Shape> inputs) const {
  const Shape& in = inputs[0];
  if (!in.spatial()) return Inferred::fail(fmt::format("needs an HxWxC input, found the flat shape {}", in.str()));
  if (size) return Inferred::ok(Shape{{(*size)[0], (*size)[1], in.channels()}});
  auto h = checked_product({in.height(), (*factor)[0]}), w = checked_product({in.width(), (*factor)[1]});
  if (!h || !w || *h > kMaxDim || *w > kMaxDim)
    return Inferred::fail(fmt::format("the output {}x{} times {}x{} exceeds {} in a dimension", in.height(), in.width(),
                                      (*factor)[0], (*factor)[1], kMaxDim));
  return Inferred::ok(Shape{{*h, *w, in.channels()}});
}

CppCode Upsample::emit_cpp(const CppStep& s) const {
  CppCode c;
  c.run.push_back(fmt::format("netc::rt::upsample(netc::rt::Resize::{}, {}, {}, ws);", bilinear ? "Bilinear" : "Nearest",
                              s.inputs[0].name, s.output.name));
  c.uses_workspace = true;
  return c;
}

// The output size, not the factor: for whole factors PyTorch's source indices are the same either way.
PyCode Upsample::emit_pytorch(const PyStep& s) const {
  const Shape& in = s.input_shapes[0];
  std::int64_t h = size ? (*size)[0] : in.height() * (*factor)[0], w = size ? (*size)[1] : in.width() * (*factor)[1];
  std::string mode = bilinear ? "mode=\"bilinear\", align_corners=False" : "mode=\"nearest\"";
  return {"", fmt::format("F.interpolate({}, size=({}, {}), {})", s.inputs[0], h, w, mode)};
}

}  // namespace netc
