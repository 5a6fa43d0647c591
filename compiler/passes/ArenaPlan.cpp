// The arena plan (see ArenaPlan.hpp).
#include "passes/ArenaPlan.hpp"

#include <algorithm>
#include <map>

namespace netc {

std::int64_t plan_arena(std::vector<Storage>& storages) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < storages.size(); ++i)
    if (storages[i].buffer == Buffer::Arena) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return storages[a].floats > storages[b].floats; });
  std::vector<std::size_t> placed;
  std::int64_t arena = 0;
  for (std::size_t i : order) {
    Storage& s = storages[i];
    // Occupied intervals of placed storages that are alive at the same time, sorted by offset.
    std::vector<std::pair<std::int64_t, std::int64_t>> busy;
    for (std::size_t j : placed) {
      const Storage& t = storages[j];
      if (t.first_step <= s.last_step && s.first_step <= t.last_step) busy.emplace_back(t.offset, t.offset + t.floats);
    }
    std::sort(busy.begin(), busy.end());
    std::int64_t offset = 0;
    for (auto [begin, end] : busy) {
      if (offset + s.floats <= begin) break;
      offset = std::max(offset, end);
    }
    s.offset = offset;
    arena = std::max(arena, offset + s.floats);
    placed.push_back(i);
  }
  return arena;
}

std::int64_t arena_lower_bound(const std::vector<Storage>& storages) {
  std::map<int, std::int64_t> change;  // step -> change of the live total at that step
  for (const Storage& s : storages) {
    if (s.buffer != Buffer::Arena) continue;
    change[s.first_step] += s.floats;
    change[s.last_step + 1] -= s.floats;
  }
  std::int64_t live = 0, most = 0;
  for (auto [step, delta] : change) most = std::max(most, live += delta);
  return most;
}

}  // namespace netc
