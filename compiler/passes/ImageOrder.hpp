// The order of a batch's work: the leading steps whose activations outweigh their weights run image by image
// (each image's tensors then stay in cache from one step to the next, as a single image's do), the rest over
// the whole batch at once (each layer's weights then read once per batch). Batch 8 of ResNet50 spent 1.4 x
// batch 1's time per image in stage 2's 1x1 layers: 8 images' 56x56x256 maps (25.7 MB) leave the caches that
// one image's (3.2 MB) stays in.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/Graph.hpp"
#include "passes/Lower.hpp"

namespace netc {

/// The leading steps worth running image by image: those that compute into the arena and whose weights take no
/// more floats than their input and output tensors per image. Needs the plan's storages, not their offsets.
int activation_heavy_steps(const Graph& graph, const Plan& plan);

/// The storages with the lifetimes the arena is planned for when steps [0, steps) run image by image: a storage
/// alive after them is alive from step 0.
std::vector<Storage> lifetimes_for_images(const std::vector<Storage>& storages, int steps);

/// Plans the arena (plan_arena) for running steps [0, steps) image by image: a storage alive after them keeps
/// every image it gets from them until a later step reads it, so it is planned as alive from step 0, and no
/// storage written among them shares its memory (image 2's would overwrite image 1's). Returns the arena's
/// floats per image; the storages' lifetimes stay as they were.
std::int64_t plan_arena_for_images(std::vector<Storage>& storages, int steps);

/// How many first steps of a planned model run image by image: `steps` when no storage alive after them shares
/// arena memory with another storage written among them (as plan_arena_for_images(storages, steps) plans),
/// else 0 (the whole batch at once).
int image_major_steps(const Plan& plan, int steps);

}  // namespace netc
