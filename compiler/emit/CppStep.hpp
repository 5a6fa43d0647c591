// What an op's C++ emission receives and returns: one lowered step's tensors as C++ expressions, and the
// code that loads the layer's weights and runs it. Ops write their own code (ops/*.cpp, emit_cpp);
// CppEmitter.cpp assembles the files.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "ir/Graph.hpp"
#include "passes/Lower.hpp"

namespace netc {

struct CppStep {
  const Graph& graph;
  const Step& step;
  std::string key;                  // the layer's name: the prefix of its weight keys
  std::string member;               // the generated class's member holding the packed layer: "conv1_"
  std::vector<std::string> inputs;  // netc::rt::ConstTensor expressions
  std::vector<Shape> input_shapes;
  std::string output;               // a netc::rt::Tensor expression
  Shape output_shape;
  std::string epilogue;             // a netc::rt::Epilogue expression (the step's fused activation)
  bool softmax = false;             // the step ends with a softmax, which the emitter adds after the op's code

  const Node& node(NodeId id) const { return graph.nodes[static_cast<std::size_t>(id)]; }
};

/// A step's code: the member that holds its packed weights (empty type: none), the statements that load
/// them in the constructor (reading from `weights`, a netc::rt::SafeTensors), the statements of forward()
/// (with the call's netc::rt::Workspace `ws`), and the scratch each thread needs (an expression, ""
/// for none).
struct CppCode {
  std::string member_type;
  std::vector<std::string> load;
  std::vector<std::string> run;
  std::string scratch_floats;
};

/// C++ source for a float: shortest round-trip digits and an f suffix ("0.001f", "1e-05f").
std::string cpp_float(double v);
/// A netc::rt::Window initialiser: `{7, 7, /*stride*/ 2, 2, /*pad t b l r*/ 3, 3, 3, 3}`.
std::string cpp_window(const std::array<std::int64_t, 2>& kernel, const std::array<std::int64_t, 2>& stride,
                       const std::array<std::int64_t, 4>& pads);
/// `{64, 3, 7, 7}`.
std::string cpp_shape(const std::vector<std::int64_t>& dims);
/// A statement broken at the top-level commas of its outermost call so that no line passes `width`
/// columns (when it can); continuation lines align with the call's first argument.
std::vector<std::string> wrap_statement(const std::string& statement, std::size_t indent, std::size_t width = 110);

}  // namespace netc
