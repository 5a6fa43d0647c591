// Counting the heap allocations a piece of code makes: linking count_allocations.cpp replaces operator new
// (and, with glibc, malloc), which count calls while allocations_in runs its function. For the tests that
// forward passes and kernels allocate nothing.
#pragma once

#include <atomic>

namespace netc::test {

extern std::atomic<bool> g_counting;
extern std::atomic<long> g_allocations;
/// Whether malloc and friends are counted too (glibc without AddressSanitizer), besides operator new.
extern const bool kCountsMalloc;

/// Allocations made (by any thread) while f runs.
template <class F>
long allocations_in(F&& f) {
  g_allocations = 0;
  g_counting = true;
  f();
  g_counting = false;
  return g_allocations.load();
}

}  // namespace netc::test
