// Which leading steps run image by image (see ImageOrder.hpp).
#include "passes/ImageOrder.hpp"

#include <cstdint>

namespace netc {

namespace {

const Storage& storage_of(const Plan& plan, int tensor) {
  return plan.storages[static_cast<std::size_t>(plan.tensors[static_cast<std::size_t>(tensor)].storage)];
}

/// Whether a step is worth running image by image: it computes into the arena, and its weights take no more
/// floats than the storages it reads and writes per image.
bool activation_heavy(const Graph& graph, const Plan& plan, const LoweredStep& step) {
  if (step.kind == LoweredStep::Kind::Copy || storage_of(plan, step.output).buffer != Buffer::Arena) return false;
  std::int64_t weights = 0, activations = storage_of(plan, step.output).floats;
  for (NodeId id : step.covers) {
    const Node& n = graph.nodes[static_cast<std::size_t>(id)];
    weights += n.trainable_params + n.non_trainable_params;
  }
  for (int in : step.inputs) activations += storage_of(plan, in).floats;
  return weights <= activations;
}

/// Whether running steps [0, steps) image by image is safe: a storage alive after them (its images written
/// one at a time, all needed later) shares no arena memory with any other storage written among them, whose
/// next image would land on it. Two storages alive at the same step never share memory (the arena plan).
bool separate(const Plan& plan, int steps) {
  for (const Storage& kept : plan.storages) {
    if (kept.buffer != Buffer::Arena || kept.first_step >= steps || kept.last_step < steps) continue;
    for (const Storage& other : plan.storages) {
      if (&other == &kept || other.buffer != Buffer::Arena || other.first_step >= steps) continue;
      if (other.offset < kept.offset + kept.floats && kept.offset < other.offset + other.floats) return false;
    }
  }
  return true;
}

}  // namespace

int activation_heavy_steps(const Graph& graph, const Plan& plan) {
  int steps = 0;
  while (steps < static_cast<int>(plan.steps.size()) &&
         activation_heavy(graph, plan, plan.steps[static_cast<std::size_t>(steps)]))
    ++steps;
  return steps;
}

std::vector<Storage> lifetimes_for_images(const std::vector<Storage>& storages, int steps) {
  std::vector<Storage> planned = storages;
  for (Storage& s : planned)
    if (s.first_step < steps && s.last_step >= steps) s.first_step = 0;
  return planned;
}

std::int64_t plan_arena_for_images(std::vector<Storage>& storages, int steps) {
  std::vector<Storage> planned = lifetimes_for_images(storages, steps);
  const std::int64_t floats = plan_arena(planned);
  for (std::size_t i = 0; i < storages.size(); ++i) storages[i].offset = planned[i].offset;
  return floats;
}

int image_major_steps(const Plan& plan, int steps) { return separate(plan, steps) ? steps : 0; }

}  // namespace netc
