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

/// Sets the offset of every arena storage and returns the arena's size (floats per image). Greedy: larger
/// storages first, each at the lowest offset that fits.
std::int64_t plan_arena(std::vector<Storage>& storages);

/// The least size any plan can have: the largest total of arena storages alive at one step.
std::int64_t arena_lower_bound(const std::vector<Storage>& storages);

}  // namespace netc
