// Lowering: the inferred graph becomes the steps that generated code runs, one runtime call each, as the
// resolved records of ops/Lowered.hpp. What folds into what is decided by the ops' traits and interfaces
// (ops/Registry.hpp, ops/Layer.hpp), never by their names: a zero padding folds into the op it feeds when that
// op absorbs padding (conv), a batch norm into the op before it when that op absorbs batch norms (conv, with
// no activation of its own), an elementwise activation into the step before it when that op fuses
// activations; views (flatten, dropout) take their input's memory; in-place ops (activations, softmax, add,
// batch norm) write over their input when nothing else still reads it. Every tensor then gets a place in one
// activation arena, reused by liveness (passes/ArenaPlan.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "ir/Graph.hpp"
#include "ops/Lowered.hpp"
#include "passes/ArenaPlan.hpp"

namespace netc {

/// The lowered model: its steps in order, the tensors they read and write, and the memory those live in.
struct Plan {
  std::vector<Storage> storages;
  std::vector<TensorView> tensors;
  std::vector<LoweredStep> steps;
  std::vector<int> tensor_of;     // per IR node: the tensor holding its output
  std::int64_t arena_floats = 0;  // per image
  int image_steps = 0;            // the first steps, run image by image (passes/ImageOrder.hpp)
};

/// Lowers an inferred graph and plans its arena.
Plan lower(const Graph& graph);

}  // namespace netc
