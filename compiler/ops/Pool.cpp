// Pooling's attributes, shape rule (the window rule it shares with conv) and code.
#include "ops/Pool.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace {

template <Pool::Kind K>
std::unique_ptr<Layer> build(Args& args) {
  auto pool = std::make_unique<Pool>(K);
  auto window = Window::parse(args, true);
  if (!window || !args.ok()) return nullptr;
  pool->window = *window;
  pool->include_pad = args.flag("divisor") == "include_pad";
  return pool;
}

Signature pool_signature(std::string_view usage) { return {{"kernel"}, 1, {"stride", "pad"}, {padding_flags()}, usage}; }

// Average pooling's divisor: the real inputs of the window (Keras, the default) or the whole window, padding
// counted as zeros (PyTorch's count_include_pad=True).
Signature avg_pool_signature() {
  Signature s = pool_signature("avgpool KERNEL [stride S] [same|valid|pad P] [exclude_pad|include_pad]");
  s.flags.push_back({"divisor", {"exclude_pad", "include_pad"}, "exclude_pad"});
  return s;
}

}  // namespace

extern const OpInfo kMaxPoolOp{
    .keyword = "maxpool", .stem = "pool", .block_stem = "pool", .summary_type = "MaxPooling2D",
    .signature = pool_signature("maxpool KERNEL [stride S] [same|valid|pad P]"),
    .build = build<Pool::Kind::Max>,
    .traits = {.absorbs_padding = true, .writes_slices = true}};
extern const OpInfo kAvgPoolOp{
    .keyword = "avgpool", .stem = "avg_pool", .block_stem = "avg_pool", .summary_type = "AveragePooling2D",
    .signature = avg_pool_signature(),
    .build = build<Pool::Kind::Average>,
    .traits = {.absorbs_padding = true, .writes_slices = true}};

const OpInfo& Pool::op() const { return kind == Kind::Max ? kMaxPoolOp : kAvgPoolOp; }

std::string Pool::attributes() const { return window.attributes() + (include_pad ? " include_pad" : ""); }

Inferred Pool::infer(std::span<const Shape> inputs) const {
  return window.output(inputs[0], inputs[0].channels(), "pool window");
}

bool Pool::takes_padding(bool non_negative) const {
  if (kind == Kind::Max) return non_negative;
  const bool unpadded = window.padding.mode == Padding::Mode::Valid ||
                        (window.padding.mode == Padding::Mode::Explicit && window.padding.sides == Sides{});
  return include_pad || unpadded;
}

CppCode Pool::emit_cpp(const CppStep& s) const {
  const Shape& in = s.inputs[0].view.shape;
  const Sides& folded = s.step.folded_padding;
  const auto p = window.pads_folding(in, folded);
  // A folded zero padding's zeros count in the average as they did before it was folded.
  const bool counts_padding = include_pad || folded != Sides{};
  CppCode c;
  std::string_view kernel = kind == Kind::Max ? "max_pool" : counts_padding ? "avg_pool_include_pad" : "avg_pool";
  c.run.push_back(fmt::format("netc::rt::{}({}, {}, {}, ws);", kernel,
                              cpp_window(window.kernel, window.stride, p), s.inputs[0].name, s.output.name));
  c.uses_workspace = true;
  return c;
}

PyCode Pool::emit_pytorch(const PyStep& s) const {
  auto p = window.pads(s.input_shapes[0].height(), s.input_shapes[0].width());
  bool symmetric = py_symmetric(p, window.kernel);
  std::string k = fmt::format("({}, {})", window.kernel[0], window.kernel[1]);
  std::string st = fmt::format("({}, {})", window.stride[0], window.stride[1]);
  if (kind == Kind::Max) {
    if (symmetric) return {"", fmt::format("F.max_pool2d({}, {}, {}, padding=({}, {}))", s.inputs[0], k, st, p[0], p[2])};
    return {"", fmt::format("F.max_pool2d({}, {}, {})", py_pad(s.inputs[0], p, "float('-inf')"), k, st)};
  }
  if (include_pad && symmetric)
    return {"", fmt::format("F.avg_pool2d({}, {}, {}, padding=({}, {}), count_include_pad=True)", s.inputs[0], k, st,
                            p[0], p[2])};
  if (include_pad) return {"", fmt::format("F.avg_pool2d({}, {}, {})", py_pad(s.inputs[0], p), k, st)};
  if (symmetric)
    return {"", fmt::format("F.avg_pool2d({}, {}, {}, padding=({}, {}), count_include_pad=False)", s.inputs[0], k, st,
                            p[0], p[2])};
  return {"", fmt::format("_avg_pool_real_inputs({}, {}, {}, ({}, {}, {}, {}))", s.inputs[0], k, st, p[2], p[3], p[0], p[1])};
}

}  // namespace netc
