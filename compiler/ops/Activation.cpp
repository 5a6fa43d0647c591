// Activation functions, activation layers and their rows. Softmax is taken over the last (channel) axis.
#include "ops/Activation.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace {

constexpr std::pair<ActivationKind, std::string_view> kWords[] = {
    {ActivationKind::Linear, "linear"},   {ActivationKind::Relu, "relu"}, {ActivationKind::LeakyRelu, "leaky_relu"},
    {ActivationKind::Sigmoid, "sigmoid"}, {ActivationKind::Tanh, "tanh"}, {ActivationKind::Softmax, "softmax"},
    {ActivationKind::Relu6, "relu6"},     {ActivationKind::HardSigmoid, "hard_sigmoid"},
    {ActivationKind::HardSwish, "hard_swish"}, {ActivationKind::Swish, "swish"}, {ActivationKind::Gelu, "gelu"},
    {ActivationKind::Swish, "silu"},  // an alias: the word is read, `swish` is written back
};

ActivationKind kind_of(std::string_view word) {
  for (auto [k, w] : kWords)
    if (w == word) return k;
  return ActivationKind::Linear;
}

std::optional<double> parse_alpha(Args& args, bool leaky) {
  if (args.has("alpha") && !leaky) {
    args.fail_option("alpha", "'alpha' only applies to leaky_relu");
    return std::nullopt;
  }
  return args.number("alpha", 0, 1e6, 0.3);
}

template <ActivationKind K>
std::unique_ptr<Layer> build(Args& args) {
  auto alpha = parse_alpha(args, K == ActivationKind::LeakyRelu);
  if (!alpha || !args.ok()) return nullptr;
  return std::make_unique<ActivationLayer>(Activation{K, *alpha});
}

// An activation layer's row: its keyword (also the stem of its default names), the Keras type the summary
// shows, its usage and options. Every activation layer may overwrite its input; softmax, which normalises over
// the channels, cannot be another kernel's epilogue, and that follows from its function
// (Activation::elementwise), not from a trait.
// `stem` is the keyword unless given (relu6's names are relu6_1, relu6_2: not relu61).
template <ActivationKind K>
OpInfo row(std::string_view summary_type, std::string_view usage, std::vector<std::string_view> options = {},
           std::string_view stem = {}) {
  std::string_view keyword = usage.substr(0, usage.find(' '));
  if (stem.empty()) stem = keyword;
  return {.keyword = keyword, .stem = stem, .block_stem = stem, .summary_type = summary_type,
          .signature = {{}, 0, std::move(options), {}, usage}, .build = build<K>, .traits = {.in_place = true}};
}

}  // namespace

std::string_view Activation::word() const {
  for (auto [k, w] : kWords)
    if (k == kind) return w;
  return "linear";
}

std::string Activation::attributes() const {
  if (kind == ActivationKind::Linear) return "";
  if (kind == ActivationKind::LeakyRelu) return fmt::format("leaky_relu alpha {}", alpha);
  return std::string(word());
}

FlagGroup activation_flags() {
  std::vector<std::string_view> words;
  for (auto [k, w] : kWords) words.push_back(w);
  return {"activation", std::move(words), "linear"};
}

std::optional<Activation> parse_fused_activation(Args& args) {
  ActivationKind kind = kind_of(args.flag("activation"));
  auto alpha = parse_alpha(args, kind == ActivationKind::LeakyRelu);
  if (!alpha) return std::nullopt;
  return Activation{kind, *alpha};
}

extern const OpInfo kReluOp = row<ActivationKind::Relu>("ReLU", "relu");
extern const OpInfo kLeakyReluOp = row<ActivationKind::LeakyRelu>("LeakyReLU", "leaky_relu [alpha A]", {"alpha"});
extern const OpInfo kSigmoidOp = row<ActivationKind::Sigmoid>("Activation", "sigmoid");
extern const OpInfo kTanhOp = row<ActivationKind::Tanh>("Activation", "tanh");
extern const OpInfo kSoftmaxOp = row<ActivationKind::Softmax>("Softmax", "softmax");
extern const OpInfo kRelu6Op = row<ActivationKind::Relu6>("ReLU", "relu6", {}, "relu6_");
extern const OpInfo kHardSigmoidOp = row<ActivationKind::HardSigmoid>("Activation", "hard_sigmoid");
extern const OpInfo kHardSwishOp = row<ActivationKind::HardSwish>("Activation", "hard_swish");
extern const OpInfo kSwishOp = row<ActivationKind::Swish>("Activation", "swish");
extern const OpInfo kSiluOp = row<ActivationKind::Swish>("Activation", "silu");  // swish's other name
extern const OpInfo kGeluOp = row<ActivationKind::Gelu>("Activation", "gelu");

const OpInfo& ActivationLayer::op() const {
  switch (function.kind) {
    case ActivationKind::Relu: return kReluOp;
    case ActivationKind::LeakyRelu: return kLeakyReluOp;
    case ActivationKind::Sigmoid: return kSigmoidOp;
    case ActivationKind::Tanh: return kTanhOp;
    case ActivationKind::Relu6: return kRelu6Op;
    case ActivationKind::HardSigmoid: return kHardSigmoidOp;
    case ActivationKind::HardSwish: return kHardSwishOp;
    case ActivationKind::Swish: return kSwishOp;
    case ActivationKind::Gelu: return kGeluOp;
    default: return kSoftmaxOp;
  }
}

std::string ActivationLayer::attributes() const {
  return function.kind == ActivationKind::LeakyRelu ? fmt::format("alpha {}", function.alpha) : "";
}

CppCode ActivationLayer::emit_cpp(const CppStep& s) const {
  CppCode c;
  c.uses_workspace = function.elementwise();
  if (function.elementwise())
    c.run.push_back(fmt::format("netc::rt::activate({}, {}, {}, ws);", s.inputs[0].name, s.output.name, cpp_epilogue(function)));
  else
    c.run.push_back(fmt::format("netc::rt::softmax({}, {});", s.inputs[0].name, s.output.name));
  return c;
}

PyCode ActivationLayer::emit_pytorch(const PyStep& s) const { return py_activated("", function, s.inputs[0]); }

}  // namespace netc
