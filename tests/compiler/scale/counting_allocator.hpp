// Counts the bytes this binary allocates with operator new (the global one is replaced): how many are live,
// the most that were live at once, and how many were ever allocated.
#pragma once

#include <cstddef>

namespace netc::test {

struct AllocationCounts {
  std::size_t live = 0;   // allocated and not yet freed
  std::size_t peak = 0;   // the most live at once since the last reset_peak()
  std::size_t total = 0;  // allocated since the program started
};

AllocationCounts allocation_counts();
/// Starts a new peak from what is live now.
void reset_peak();

}  // namespace netc::test
