// Window parsing and the output-size rule: out = floor((in + pad_before + pad_after - e) / stride) + 1, e the
// kernel's extent (k - 1) * dilation + 1
// (TensorFlow's conv2d / pooling shape rule; `same` pads so that out = ceil(in / stride)).
#include "ops/Window.hpp"

#include <fmt/format.h>

namespace netc {

FlagGroup padding_flags() { return {"padding", {"same", "valid"}, "valid"}; }

std::optional<Window> Window::parse(Args& args, bool stride_defaults_to_kernel) {
  Window w;
  auto kernel = args.pair("kernel", 1);
  if (!kernel) return std::nullopt;
  w.kernel = *kernel;
  auto stride = args.pair("stride", 1, stride_defaults_to_kernel ? w.kernel : std::array<std::int64_t, 2>{1, 1});
  if (!stride) return std::nullopt;
  w.stride = *stride;
  if (args.has("pad")) {
    if (args.flag_given("padding")) {
      args.fail_option("pad", fmt::format("'pad' conflicts with '{}': give one padding option", args.flag("padding")));
      return std::nullopt;
    }
    auto sides = args.sides("pad");
    if (!sides) return std::nullopt;
    w.padding = {Padding::Mode::Explicit, *sides};
  } else if (args.flag("padding") == "same") {
    w.padding.mode = Padding::Mode::Same;
  }
  return w;
}

std::optional<Window> Window::parse_dilated(Args& args) {
  auto dilation = args.pair("dilation", 1, std::array<std::int64_t, 2>{1, 1});
  auto w = parse(args, false);
  if (!w || !dilation) return std::nullopt;
  w->dilation = *dilation;
  return w;
}

namespace {

// TensorFlow's `same` padding along one dimension: total = max((out - 1) * s + k - in, 0), extra after.
std::array<std::int64_t, 2> same_pads(std::int64_t in, std::int64_t k, std::int64_t s) {
  std::int64_t out = (in + s - 1) / s;
  std::int64_t total = std::max<std::int64_t>((out - 1) * s + k - in, 0);
  return {total / 2, total - total / 2};
}

}  // namespace

std::array<std::int64_t, 4> Window::pads(std::int64_t h, std::int64_t w) const {
  switch (padding.mode) {
    case Padding::Mode::Valid: return {0, 0, 0, 0};
    case Padding::Mode::Explicit: return padding.sides;
    case Padding::Mode::Same: {
      auto [top, bottom] = same_pads(h, extent(0), stride[0]);
      auto [left, right] = same_pads(w, extent(1), stride[1]);
      return {top, bottom, left, right};
    }
  }
  return {0, 0, 0, 0};
}

std::array<std::int64_t, 4> Window::pads_folding(const Shape& in, const Sides& extra) const {
  auto p = pads(in.height() + extra[0] + extra[1], in.width() + extra[2] + extra[3]);
  return {p[0] + extra[0], p[1] + extra[1], p[2] + extra[2], p[3] + extra[3]};
}

Inferred Window::output(const Shape& in, std::int64_t out_channels, std::string_view window_name) const {
  if (!in.spatial())
    return Inferred::fail(fmt::format("needs an HxWxC input, found the flat shape {}", in.str()));
  auto p = pads(in.height(), in.width());
  std::array<std::int64_t, 2> out{};
  const char* names[] = {"height", "width"};
  for (int d = 0; d < 2; ++d) {
    std::int64_t padded = in.dims[d] + p[2 * d] + p[2 * d + 1];
    if (padded < extent(d)) {
      std::string padded_note = padded == in.dims[d] ? "" : fmt::format(" (padded to {})", padded);
      std::string size = dilation[d] == 1 ? fmt::format("{}", kernel[d])
                                          : fmt::format("{} dilated by {} to {}", kernel[d], dilation[d], extent(d));
      return Inferred::fail(fmt::format("input {} {}{} is smaller than the {} {}, so the output {} would be 0",
                                        names[d], in.dims[d], padded_note, window_name, size, names[d]));
    }
    out[d] = (padded - extent(d)) / stride[d] + 1;
  }
  return Inferred::ok(Shape{{out[0], out[1], out_channels}});
}

std::string Window::attributes() const {
  std::string s = fmt::format("{}x{}", kernel[0], kernel[1]);
  if (stride != std::array<std::int64_t, 2>{1, 1}) s += fmt::format(" stride {}x{}", stride[0], stride[1]);
  if (dilation != std::array<std::int64_t, 2>{1, 1}) s += fmt::format(" dilation {}x{}", dilation[0], dilation[1]);
  if (padding.mode == Padding::Mode::Same) s += " same";
  if (padding.mode == Padding::Mode::Explicit)
    s += fmt::format(" pad [{}, {}, {}, {}]", padding.sides[0], padding.sides[1], padding.sides[2], padding.sides[3]);
  return s;
}

}  // namespace netc
