// Large buffers on 2 MiB boundaries with transparent huge pages (Linux), operator new otherwise.
#include "netc/buffer.hpp"

#include <cstdint>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace netc::rt {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kPage = 4096;
constexpr std::align_val_t kAlign{64};

std::size_t pages_of(std::size_t bytes) { return (bytes + kPage - 1) / kPage * kPage; }
}  // namespace

// A mapping of bytes + 2 MiB, trimmed to the 2 MiB boundary inside it and the pages after the buffer: the
// buffer's mapping is its own, so a huge page never covers another allocation's memory.
void* allocate_buffer(std::size_t bytes) {
#if defined(__linux__)
  if (bytes >= kHugePage) {
    if (bytes > SIZE_MAX - 2 * kHugePage) throw std::bad_alloc();  // else rounding up to pages would wrap
    const std::size_t size = pages_of(bytes);
    void* map = ::mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(map);
    const std::uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
    if (aligned > start) ::munmap(map, aligned - start);
    const std::uintptr_t end = aligned + size, map_end = start + size + kHugePage;
    if (map_end > end) ::munmap(reinterpret_cast<void*>(end), map_end - end);
    ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // a hint: without THP, 4 KiB pages
    return reinterpret_cast<void*>(aligned);
  }
#endif
  return ::operator new(bytes, kAlign);
}

void free_buffer(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
#if defined(__linux__)
  if (bytes >= kHugePage) {
    ::munmap(p, pages_of(bytes));
    return;
  }
#endif
  ::operator delete(p, kAlign);
}

}  // namespace netc::rt
