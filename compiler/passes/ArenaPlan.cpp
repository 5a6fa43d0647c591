// The arena plan (see ArenaPlan.hpp): first fit by decreasing size, with the placed storages indexed by
// lifetime so that each placement looks only at those alive at the same time; or, past a budget of
// overlapping lifetimes, a sweep over the steps with a free list.
#include "passes/ArenaPlan.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>
#include <set>
#include <utility>

namespace netc {

namespace {

// The storages in order of their first step, and the last step of those already placed, kept as a max-tree
// so that those alive during an interval are found without looking at the others.
class PlacedByLifetime {
public:
  PlacedByLifetime(const std::vector<Storage>& storages, const std::vector<std::size_t>& by_start)
      : storages_(storages), by_start_(by_start), position_(storages.size()) {
    while (leaves_ < by_start.size()) leaves_ *= 2;
    latest_end_.assign(2 * leaves_, -1);
    for (std::size_t p = 0; p < by_start.size(); ++p) {
      position_[by_start[p]] = p;
      starts_.push_back(storages[by_start[p]].first_step);
    }
  }

  void place(std::size_t storage) {
    std::size_t node = leaves_ + position_[storage];
    latest_end_[node] = storages_[storage].last_step;
    for (node /= 2; node > 0; node /= 2) latest_end_[node] = std::max(latest_end_[2 * node], latest_end_[2 * node + 1]);
  }

  /// Calls `f` with every placed storage alive at some step of [first, last].
  void alive_during(int first, int last, const std::function<void(const Storage&)>& f) const {
    auto started = static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), last) - starts_.begin());
    visit(1, 0, leaves_, started, first, f);
  }

private:
  void visit(std::size_t node, std::size_t lo, std::size_t hi, std::size_t started, int first,
             const std::function<void(const Storage&)>& f) const {
    if (lo >= started || latest_end_[node] < first) return;
    if (hi - lo == 1) return f(storages_[by_start_[lo]]);
    std::size_t mid = (lo + hi) / 2;
    visit(2 * node, lo, mid, started, first, f);
    visit(2 * node + 1, mid, hi, started, first, f);
  }

  const std::vector<Storage>& storages_;
  const std::vector<std::size_t>& by_start_;
  std::vector<std::size_t> position_;  // storage -> its place in by_start
  std::vector<int> starts_;            // first steps in by_start order
  std::size_t leaves_ = 1;
  std::vector<int> latest_end_;        // per tree node: the latest last step of a placed storage below it (-1: none)
};

// First fit by decreasing size: each storage at the lowest offset that no placed storage alive at the same
// time occupies.
std::int64_t place_by_size(std::vector<Storage>& storages, const std::vector<std::size_t>& by_start) {
  std::vector<std::size_t> order = by_start;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return storages[a].floats > storages[b].floats || (storages[a].floats == storages[b].floats && a < b);
  });
  PlacedByLifetime placed(storages, by_start);
  std::vector<std::pair<std::int64_t, std::int64_t>> busy;  // occupied [begin, end), sorted
  std::int64_t arena = 0;
  for (std::size_t i : order) {
    Storage& s = storages[i];
    busy.clear();
    placed.alive_during(s.first_step, s.last_step, [&](const Storage& t) { busy.emplace_back(t.offset, t.offset + t.floats); });
    std::sort(busy.begin(), busy.end());
    std::int64_t offset = 0;
    for (auto [begin, end] : busy) {
      if (offset + s.floats <= begin) break;
      offset = std::max(offset, end);
    }
    s.offset = offset;
    arena = std::max(arena, offset + s.floats);
    placed.place(i);
  }
  return arena;
}

// The arena's free memory below its current top: blocks ordered by offset (to merge neighbours) and by size
// (to find the smallest that fits). Allocating at the top grows the arena; freeing the top block lowers it.
class FreeList {
public:
  std::int64_t allocate(std::int64_t floats) {
    auto fit = by_size_.lower_bound({floats, 0});
    if (fit == by_size_.end()) {
      std::int64_t offset = top_;
      top_ += floats;
      size_ = std::max(size_, top_);
      return offset;
    }
    auto [size, offset] = *fit;
    erase(offset, size);
    if (size > floats) insert(offset + floats, size - floats);
    return offset;
  }

  void release(std::int64_t offset, std::int64_t floats) {
    if (auto next = by_offset_.find(offset + floats); next != by_offset_.end()) {
      floats += next->second;
      erase(next->first, next->second);
    }
    if (auto after = by_offset_.lower_bound(offset); after != by_offset_.begin()) {
      auto [begin, size] = *std::prev(after);
      if (begin + size == offset) {
        erase(begin, size);
        offset = begin;
        floats += size;
      }
    }
    if (offset + floats == top_) top_ = offset;  // the top block returns to the unused space above
    else insert(offset, floats);
  }

  std::int64_t size() const { return size_; }

private:
  void insert(std::int64_t offset, std::int64_t floats) {
    by_offset_.emplace(offset, floats);
    by_size_.emplace(floats, offset);
  }
  void erase(std::int64_t offset, std::int64_t floats) {
    by_offset_.erase(offset);
    by_size_.erase({floats, offset});
  }

  std::map<std::int64_t, std::int64_t> by_offset_;           // offset -> floats
  std::set<std::pair<std::int64_t, std::int64_t>> by_size_;  // (floats, offset)
  std::int64_t top_ = 0, size_ = 0;
};

// The sweep: storages in order of their first step take the smallest free block that fits; those whose last
// step has passed return their memory first.
std::int64_t place_by_sweep(std::vector<Storage>& storages, const std::vector<std::size_t>& by_start) {
  std::vector<std::size_t> by_end = by_start;
  std::stable_sort(by_end.begin(), by_end.end(),
                   [&](std::size_t a, std::size_t b) { return storages[a].last_step < storages[b].last_step; });
  FreeList memory;
  auto ended = by_end.begin();
  for (std::size_t i : by_start) {
    Storage& s = storages[i];
    for (; ended != by_end.end() && storages[*ended].last_step < s.first_step; ++ended)
      memory.release(storages[*ended].offset, storages[*ended].floats);
    s.offset = memory.allocate(s.floats);
  }
  return memory.size();
}

// The arena storages in order of their first step.
std::vector<std::size_t> arena_by_start(const std::vector<Storage>& storages) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < storages.size(); ++i)
    if (storages[i].buffer == Buffer::Arena) out.push_back(i);
  std::stable_sort(out.begin(), out.end(),
                   [&](std::size_t a, std::size_t b) { return storages[a].first_step < storages[b].first_step; });
  return out;
}

}  // namespace

std::int64_t overlapping_pairs(const std::vector<Storage>& storages) {
  std::priority_queue<int, std::vector<int>, std::greater<>> alive_until;  // last steps of the storages alive
  std::int64_t pairs = 0;
  for (std::size_t i : arena_by_start(storages)) {
    while (!alive_until.empty() && alive_until.top() < storages[i].first_step) alive_until.pop();
    pairs += static_cast<std::int64_t>(alive_until.size());
    alive_until.push(storages[i].last_step);
  }
  return pairs;
}

ArenaMethod arena_method(const std::vector<Storage>& storages) {
  std::int64_t arena = 0;
  for (const Storage& s : storages) arena += s.buffer == Buffer::Arena ? 1 : 0;
  return overlapping_pairs(storages) <= kOverlapBudget * arena ? ArenaMethod::BySize : ArenaMethod::Sweep;
}

std::int64_t plan_arena(std::vector<Storage>& storages, ArenaMethod method) {
  std::vector<std::size_t> by_start = arena_by_start(storages);
  if (method == ArenaMethod::Auto) method = arena_method(storages);
  return method == ArenaMethod::BySize ? place_by_size(storages, by_start) : place_by_sweep(storages, by_start);
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
