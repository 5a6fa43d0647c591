// What an op's PyTorch emission receives and returns: one layer with its inputs as Python expressions, and
// the module it registers (if it has weights) and the expression that computes it. Each op writes its own
// code (emit_pytorch in its file); emit/PytorchEmitter.cpp assembles the file.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "ops/Layer.hpp"

namespace netc {

struct Window;

struct PyStep {
  std::vector<std::string> inputs;  // Python expressions (variables) of the inputs
  std::vector<Shape> input_shapes;
  std::string module;               // how forward() reaches the layer's module: `layers["conv1"]`
};

/// The module to register under the layer's name ("" for none), the expression of the layer's output before
/// any softmax, and whether a softmax over the channels follows (the emitter adds it, so that the trace can
/// record the logits too).
struct PyCode {
  std::string module;
  std::string expression;
  bool softmax = false;
};

/// The code of a layer that computes `x` (with `module`, "" for none) and then applies `a`.
PyCode py_activated(std::string module, const Activation& a, const std::string& x);
/// `F.relu(x)`, `F.leaky_relu(x, 0.1)`, `torch.sigmoid(x)`, `torch.tanh(x)`; x itself for linear and softmax.
std::string py_elementwise(const Activation& a, const std::string& x);
/// True when the pads are the same on both sides and at most half the kernel: PyTorch's own padding argument.
bool py_symmetric(const Sides& pads, const std::array<std::int64_t, 2>& kernel);
/// `F.pad(x, (left, right, top, bottom)[, value=...])`, or x when all pads are 0.
std::string py_pad(const std::string& x, const Sides& pads, const std::string& value = "");
/// A convolution's code (conv and depthwise): nn.Conv2d(in, out, kernel, stride, padding[, dilation][, groups],
/// bias), with F.pad before it when the padding is not symmetric, then the fused activation.
PyCode py_conv(const PyStep& step, std::int64_t out_channels, const Window& window, std::int64_t groups, bool bias,
               const Activation& activation);
/// Python's spelling of a float ("0.001", "1e-05").
std::string py_float(double v);
/// A Python string literal holding `text`, escaped; ASCII only, so that any bytes make valid source.
std::string py_string(std::string_view text);

}  // namespace netc
