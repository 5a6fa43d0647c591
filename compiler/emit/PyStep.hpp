// What an op's PyTorch emission receives and returns: one IR node with its inputs as Python variables, and
// the module it registers (if it has weights) and the expression that computes it. Ops write their own code
// (ops/*.cpp, emit_pytorch); PytorchEmitter.cpp assembles the file.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "ir/Graph.hpp"
#include "ops/Activation.hpp"

namespace netc {

struct PyStep {
  const Node& node;
  std::vector<std::string> inputs;  // Python expressions (variables) of the inputs
  std::vector<Shape> input_shapes;
  std::string module;               // how forward() reaches the node's module: "self.conv1"
};

/// The module to register under the layer's name ("" for none), and the expression of the layer's output
/// before any softmax (which the emitter adds, so that the trace can record the logits too).
struct PyCode {
  std::string module;
  std::string expression;
};

/// `F.relu(x)`, `F.leaky_relu(x, 0.1)`, `torch.sigmoid(x)`, `torch.tanh(x)`; x itself for linear and softmax.
std::string py_elementwise(const Activation& a, const std::string& x);
/// True when the pads are the same on both sides and at most half the kernel: PyTorch's own padding argument.
bool py_symmetric(const std::array<std::int64_t, 4>& pads, const std::array<std::int64_t, 2>& kernel);
/// `F.pad(x, (left, right, top, bottom)[, value=...])`, or x when all pads are 0.
std::string py_pad(const std::string& x, const std::array<std::int64_t, 4>& pads, const std::string& value = "");
/// Python's spelling of a float ("0.001", "1e-05").
std::string py_float(double v);

}  // namespace netc
