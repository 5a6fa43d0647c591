// Lowering: the inferred graph becomes the steps that generated code runs, one runtime call each.
// Zero padding folds into the convolution it feeds, batch norm into the convolution before it, activations
// into the step before them; flatten and dropout become views of their input; activations, softmax and
// adds write in place when nothing else still reads their input. Every tensor then gets a place in one
// activation arena, reused by liveness (ArenaPlan.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ir/Graph.hpp"
#include "ops/Activation.hpp"

namespace netc {

/// Where a tensor lives: the caller's input, the caller's output, or an offset in the arena. Offsets and
/// sizes count floats per image; a batch of n scales both by n, so the plan holds for any batch size.
struct Storage {
  enum class Kind { Input, Output, Arena };
  Kind kind = Kind::Arena;
  std::int64_t floats = 0;      // per image
  std::int64_t offset = 0;      // Arena only, per image
  int first_step = 0, last_step = 0;  // lifetime, in steps
};

/// A tensor: a shape in a storage (views share their input's storage).
struct Tensor {
  Shape shape;
  int storage = 0;
  NodeId producer = 0;          // the IR node whose output this is
};

/// One runtime call, made of a primary IR node and the nodes folded into it.
struct Step {
  enum class Kind { Compute, View, Copy };  // View: flatten/dropout, no runtime call; Copy: input to output
  Kind kind = Kind::Compute;
  NodeId node = 0;               // conv, pool, dense, add, batchnorm, activation, ...
  NodeId folded_pad = -1;        // a zero padding before a convolution
  NodeId folded_batch_norm = -1; // a batch norm after a convolution
  NodeId fused_activation = -1;  // an activation layer after the step
  std::vector<int> inputs;       // tensors
  int output = 0;                // tensor
  std::vector<NodeId> covers;    // every IR node this step computes, views included, in order
};

struct Plan {
  std::vector<Storage> storages;
  std::vector<Tensor> tensors;
  std::vector<Step> steps;
  std::vector<int> tensor_of;      // per IR node: the value holding its output
  std::int64_t arena_floats = 0;  // per image
};

/// Lowers an inferred graph and plans its arena.
Plan lower(const Graph& graph);

/// The activation a step applies after its main computation (Linear if none), including the primary
/// node's own fused activation (conv/dense `relu`) or a fused activation layer.
Activation step_activation(const Graph& graph, const Step& step);

/// Offsets for every arena storage: storages whose lifetimes overlap never share memory. Greedy: larger
/// storages first, each at the lowest offset that fits. Returns the arena size (floats per image).
std::int64_t plan_arena(std::vector<Storage>& storages);

}  // namespace netc
