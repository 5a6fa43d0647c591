// The replaced global operator new and delete (see counting_allocator.hpp). Each block carries its size in
// a header of max_align_t's size, so that delete can subtract it. Over-aligned new and delete keep the
// library's (or the sanitizer's) own pair.
#include "counting_allocator.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<std::size_t> live{0}, peak{0}, total{0};
constexpr std::size_t kHeader = alignof(std::max_align_t);

void* allocate(std::size_t size) {
  void* block = std::malloc(size + kHeader);
  if (!block) throw std::bad_alloc();
  *static_cast<std::size_t*>(block) = size;
  std::size_t now = live.fetch_add(size) + size;
  total.fetch_add(size);
  for (std::size_t seen = peak.load(); now > seen && !peak.compare_exchange_weak(seen, now);) {
  }
  return static_cast<char*>(block) + kHeader;
}

void* allocate_or_null(std::size_t size) noexcept {
  try {
    return allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

void release(void* p) {
  if (!p) return;
  void* block = static_cast<char*>(p) - kHeader;
  live.fetch_sub(*static_cast<std::size_t*>(block));
  std::free(block);
}

}  // namespace

// Every form whose memory the plain delete may free (a sanitizer runtime defines them all separately).
void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate_or_null(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate_or_null(size); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }

namespace netc::test {

AllocationCounts allocation_counts() { return {live.load(), peak.load(), total.load()}; }

void reset_peak() { peak.store(live.load()); }

}  // namespace netc::test
