// The preprocessing layers' rows, checks and code (see Preprocess.hpp).
#include "ops/Preprocess.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

extern const OpInfo kRescaleOp, kNormalizeOp;

namespace {

constexpr double kLargest = 1e30;  // the largest constant a preprocessing layer takes

std::unique_ptr<Layer> build_rescale(Args& args) {
  auto scale = args.number("scale", -kLargest, kLargest, 1);
  auto offset = args.number("offset", -kLargest, kLargest, 0);
  if (!scale || !offset || !args.ok()) return nullptr;
  auto layer = std::make_unique<ChannelAffineLayer>();
  layer->row = &kRescaleOp;
  layer->first = {*scale};
  layer->second = {*offset};
  return layer;
}

std::unique_ptr<Layer> build_normalize(Args& args) {
  auto mean = args.numbers("mean", -kLargest, kLargest);
  auto std = args.numbers("std", -kLargest, kLargest);
  if (!mean || !std || !args.ok()) return nullptr;
  for (double s : *std)
    if (!(s > 0)) {
      args.fail_option("std", fmt::format("each std must be positive, found {}", s));
      return nullptr;
    }
  auto layer = std::make_unique<ChannelAffineLayer>();
  layer->row = &kNormalizeOp;
  layer->first = *mean;
  layer->second = *std;
  return layer;
}

std::unique_ptr<Layer> build_reverse(Args& args) {
  if (!args.ok()) return nullptr;
  return std::make_unique<ReverseChannels>();
}

// The value for channel c of a constant given once or per channel.
double at(const std::vector<double>& values, std::int64_t c) {
  return values.size() == 1 ? values[0] : values[static_cast<std::size_t>(c)];
}

std::string list(const std::vector<double>& values, std::string (*number)(double)) {
  std::vector<std::string> out;
  for (double v : values) out.push_back(number(v));
  return fmt::format("{}", fmt::join(out, ", "));
}

std::string plain(double v) { return fmt::format("{}", v); }

}  // namespace

extern const OpInfo kRescaleOp{
    .keyword = "rescale", .stem = "rescale", .block_stem = "rescale", .summary_type = "Rescaling",
    .signature = {{"scale"}, 1, {"offset"}, {}, "rescale SCALE [offset O]"},
    .build = build_rescale,
    .traits = {.in_place = true}};

extern const OpInfo kNormalizeOp{
    .keyword = "normalize", .stem = "normalize", .block_stem = "normalize", .summary_type = "Normalization",
    .signature = {{}, 0, {"mean", "std"}, {}, "normalize mean M std S (M, S: a number or [one per channel])"},
    .build = build_normalize,
    .traits = {.in_place = true}};

extern const OpInfo kReverseChannelsOp{
    .keyword = "reverse_channels", .stem = "reverse", .block_stem = "reverse", .summary_type = "ReverseChannels",
    .signature = {{}, 0, {}, {}, "reverse_channels"},
    .build = build_reverse};

std::string ChannelAffineLayer::attributes() const {
  auto text = [](const std::vector<double>& v) {
    return v.size() == 1 ? plain(v[0]) : fmt::format("[{}]", list(v, plain));
  };
  if (row == &kRescaleOp) return fmt::format("{} offset {}", text(first), text(second));
  return fmt::format("mean {} std {}", text(first), text(second));
}

Inferred ChannelAffineLayer::infer(std::span<const Shape> inputs) const {
  const std::int64_t c = inputs[0].channels();
  for (const auto* values : {&first, &second}) {
    if (values->size() != 1 && static_cast<std::int64_t>(values->size()) != c)
      return Inferred::fail(fmt::format("{} has {} values for an input of {} channels (give one, or one per channel)",
                                        values == &first ? "mean" : "std", values->size(), c));
  }
  return Inferred::ok(inputs[0]);
}

std::vector<double> ChannelAffineLayer::scale(std::int64_t channels) const {
  std::vector<double> out;
  for (std::int64_t c = 0; c < channels; ++c) out.push_back(row == &kRescaleOp ? first[0] : 1.0 / at(second, c));
  return out;
}

std::vector<double> ChannelAffineLayer::shift(std::int64_t channels) const {
  std::vector<double> out;
  for (std::int64_t c = 0; c < channels; ++c)
    out.push_back(row == &kRescaleOp ? second[0] : -at(first, c) / at(second, c));
  return out;
}

CppCode ChannelAffineLayer::emit_cpp(const CppStep& s) const {
  const std::int64_t c = s.inputs[0].view.shape.channels();
  CppCode code;
  code.member_type = "netc::rt::ChannelAffine";
  code.load.push_back(fmt::format("{} = netc::rt::ChannelAffine{{{{{}}}, {{{}}}, {{}}}};", s.member,
                                  list(scale(c), cpp_float), list(shift(c), cpp_float)));
  if (std::string order = cpp_flattened_affine_order(s.inputs[0], s.member); !order.empty()) code.load.push_back(order);
  code.run.push_back(fmt::format("netc::rt::channel_affine({}, {}, {}, ws);", s.member, s.inputs[0].name, s.output.name));
  code.uses_workspace = true;
  return code;
}

PyCode ChannelAffineLayer::emit_pytorch(const PyStep& s) const {
  const Shape& in = s.input_shapes[0];
  const std::string view = in.spatial() ? ".view(1, -1, 1, 1)" : ".view(1, -1)";
  auto tensor = [&](const std::vector<double>& v) { return fmt::format("torch.tensor([{}]){}", list(v, py_float), view); };
  if (row == &kRescaleOp)
    return {"", fmt::format("({} * {} + {})", s.inputs[0], py_float(first[0]), py_float(second[0]))};
  return {"", fmt::format("(({} - {}) / {})", s.inputs[0], tensor(first), tensor(second))};
}

const OpInfo& ReverseChannels::op() const { return kReverseChannelsOp; }

CppCode ReverseChannels::emit_cpp(const CppStep& s) const {
  CppCode code;
  code.run.push_back(fmt::format("netc::rt::reverse_channels({}, {});", s.inputs[0].name, s.output.name));
  return code;
}

PyCode ReverseChannels::emit_pytorch(const PyStep& s) const { return {"", fmt::format("torch.flip({}, [1])", s.inputs[0])}; }

}  // namespace netc
