// What an op's C++ emission receives and returns: its lowered step with the C++ names the emitter chose for
// its tensors and packed layer, and the statements that load and run it. Each op writes its own code
// (emit_cpp in its file); emit/CppEmitter.cpp names things and assembles the files.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "ops/Lowered.hpp"

namespace netc {

class Layer;
struct Window;

/// A tensor a step reads or writes, and the C++ variable (a netc::rt::Tensor or ConstTensor) that views it.
struct CppTensor {
  const TensorView& view;
  std::string name;
};

struct CppStep {
  const LoweredStep& step;
  std::vector<CppTensor> inputs;
  CppTensor output;
  std::string member;    // the generated class's member that holds the packed layer ("layers_.conv1_")
  std::string epilogue;  // step.epilogue as a netc::rt::Epilogue expression
};

/// A step's code: the type of the member that holds its packed weights (empty: none), the statements that
/// load them in the constructor (reading from `weights`, a netc::rt::SafeTensors), the statements of
/// forward(), whether they use the model's netc::rt::Workspace (`ws` there), and the scratch each thread
/// needs (an expression, "" for none). A step that computes has at least one statement in `run`.
struct CppCode {
  std::string member_type;
  std::vector<std::string> load;
  std::vector<std::string> run;
  bool uses_workspace = false;
  std::string scratch_floats;
};

/// What an op that never runs as a step of its own (a view, the input) answers: it throws std::logic_error
/// naming the op, which netc reports as an internal error.
CppCode no_cpp_code(const Layer& layer);

/// C++ source for a float: shortest round-trip digits and an f suffix ("0.001f", "1e-05f").
std::string cpp_float(double v);
/// A C++ string literal holding `text`, escaped ("conv1.weight" -> "\"conv1.weight\"").
std::string cpp_string(std::string_view text);
/// A netc::rt::Epilogue initialiser: `{netc::rt::Activation::Relu}`, `{}` for linear.
std::string cpp_epilogue(const Activation& a);
/// A netc::rt::Window initialiser: `{7, 7, /*stride*/ 2, 2, /*pad t b l r*/ 3, 3, 3, 3}`.
std::string cpp_window(const std::array<std::int64_t, 2>& kernel, const std::array<std::int64_t, 2>& stride,
                       const Sides& pads);
/// The same for a convolution's window, with `/*dilation*/ 2, 2` after the pads when it is dilated.
std::string cpp_window(const Window& window, const Sides& pads);
/// A netc::rt::BatchNormKeys initialiser, the weights file's key and the epsilon, and whether the norm lacks
/// gamma or beta: `{"bn_conv1", 0.001f}`, `{"bn1", 0.001f, /*scale*/ false, /*center*/ true}`.
std::string cpp_batch_norm_keys(const FoldedBatchNorm& bn);
/// The statement that reorders a per-unit affine (`member`, a netc::rt::ChannelAffine) over a flattened map from
/// C,H,W to H,W,C order, when its input is one ("" otherwise).
std::string cpp_flattened_affine_order(const CppTensor& input, const std::string& member);

}  // namespace netc
