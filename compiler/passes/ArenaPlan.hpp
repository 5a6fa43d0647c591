// The activation arena's plan: every tensor that generated code keeps in the arena gets an offset such that
// two storages alive at the same step never share memory. Offsets and sizes count floats per image; a batch
// of n scales both by n, so the plan holds for any batch size.
#pragma once

#include <cstdint>
#include <vector>

#include "ops/Lowered.hpp"

namespace netc {

/// A region of memory that one or more tensors live in, one after the other (a view, or an in-place result,
/// takes over its input's storage). Arena storages get an offset; Input and Output are the caller's buffers.
struct Storage {
  Buffer buffer = Buffer::Arena;
  std::int64_t floats = 0;            // per image
  std::int64_t offset = 0;            // Arena only, per image
  int first_step = 0, last_step = 0;  // alive from first_step to last_step, both included
};

/// How the arena is planned. BySize: first fit by decreasing size (TensorFlow Lite's greedy by size): the
/// storages, largest first, each at the lowest offset where it overlaps no placed storage alive at the same
/// time; the placed storages are indexed by lifetime, so a placement looks only at those, and the plan costs
/// O((n + P) log n) for n storages of which P pairs are alive at once (about 4n in a ResNet). Sweep: the steps
/// in order, each new storage in the smallest free block that fits (the lowest of equal ones) or at the top,
/// the storages whose last step has passed freed first, neighbouring free blocks merged: O(n log n) always,
/// but it fragments (ResNet50's arena is 22% larger). Auto: BySize unless P > kOverlapBudget x n (models
/// whose lifetimes nest deep), then Sweep.
enum class ArenaMethod { Auto, BySize, Sweep };
inline constexpr std::int64_t kOverlapBudget = 64;

/// Sets the offset of every arena storage and returns the arena's size (floats per image).
std::int64_t plan_arena(std::vector<Storage>& storages, ArenaMethod method = ArenaMethod::Auto);
/// What ArenaMethod::Auto chooses for these storages.
ArenaMethod arena_method(const std::vector<Storage>& storages);
/// P: the pairs of arena storages alive at the same step.
std::int64_t overlapping_pairs(const std::vector<Storage>& storages);

/// The least size any plan can have: the largest total of arena storages alive at one step.
std::int64_t arena_lower_bound(const std::vector<Storage>& storages);

}  // namespace netc
