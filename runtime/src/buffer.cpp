// Large buffers on 2 MiB boundaries with transparent huge pages (Linux); mid-sized ones carved from shared
// 2 MiB chunks of the same kind; small ones from operator new.
#include "netc/buffer.hpp"

#include <cstdint>
#include <mutex>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace netc::rt {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kPage = 4096;
constexpr std::size_t kAlignBytes = 64;
constexpr std::align_val_t kAlign{kAlignBytes};

std::size_t round_up(std::size_t bytes, std::size_t unit) { return (bytes + unit - 1) / unit * unit; }

#if defined(__linux__)
/// Buffers from this size up to kHugePage share chunks: a layer's 16 KiB to 2 MiB of packed weights would
/// otherwise take a page fault per 4 KiB at load and a TLB entry per 4 KiB in every pass (MobileNetV2's and
/// DenseNet121's layers are nearly all of this size).
constexpr std::size_t kPooledFrom = std::size_t{16} << 10;
/// Bytes left unused after each pooled buffer: under AddressSanitizer a poisoned gap, so that running past a
/// buffer into the next is reported as it is for operator new's.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kGap = kAlignBytes;
void poison(void* p, std::size_t bytes) { ASAN_POISON_MEMORY_REGION(p, bytes); }
void unpoison(void* p, std::size_t bytes) { ASAN_UNPOISON_MEMORY_REGION(p, bytes); }
#else
constexpr std::size_t kGap = 0;
void poison(void*, std::size_t) {}
void unpoison(void*, std::size_t) {}
#endif

/// size bytes (a multiple of 4 KiB) starting on a 2 MiB boundary, in a mapping of their own (a mapping of
/// size + 2 MiB, trimmed to the boundary inside it and the pages after), which the kernel is asked to back
/// with huge pages. A huge page so never covers memory of another mapping.
void* map_huge(std::size_t size) {
  void* map = ::mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(map);
  const std::uintptr_t aligned = round_up(start, kHugePage);
  if (aligned > start) ::munmap(map, aligned - start);
  const std::uintptr_t end = aligned + size, map_end = start + size + kHugePage;
  if (map_end > end) ::munmap(reinterpret_cast<void*>(end), map_end - end);
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // a hint: without THP, 4 KiB pages
  return reinterpret_cast<void*>(aligned);
}

/// The bytes of a chunk that a pooled buffer of `bytes` bytes takes: whole 64-byte lines and the gap.
std::size_t footprint(std::size_t bytes) { return round_up(bytes, kAlignBytes) + kGap; }

/// One 2 MiB chunk of pooled buffers: bytes [0, used) handed out, `live` buffers of them not yet freed.
struct Chunk {
  std::uintptr_t base;
  std::size_t used, live;
};

/// The chunks, first fit: a buffer goes to the first chunk with room after its last buffer. Freeing the last
/// buffer of a chunk gives its room back; a chunk is unmapped when none of its buffers is left. Never
/// destroyed, so that buffers freed by other static objects' destructors find it.
struct Pool {
  std::mutex mutex;
  std::vector<Chunk> chunks;

  void* allocate(std::size_t bytes) {
    const std::size_t size = footprint(bytes);
    const std::lock_guard<std::mutex> lock(mutex);
    Chunk* chunk = nullptr;
    for (Chunk& c : chunks)
      if (kHugePage - c.used >= size) {
        chunk = &c;
        break;
      }
    if (chunk == nullptr) {
      chunks.reserve(chunks.size() + 1);  // before mapping: a throw here leaves nothing mapped
      void* map = map_huge(kHugePage);
      poison(map, kHugePage);
      chunk = &chunks.emplace_back(Chunk{reinterpret_cast<std::uintptr_t>(map), 0, 0});
    }
    void* p = reinterpret_cast<void*>(chunk->base + chunk->used);
    chunk->used += size;
    ++chunk->live;
    unpoison(p, bytes);
    return p;
  }

  void release(void* p, std::size_t bytes) {
    const std::size_t size = footprint(bytes);
    const auto address = reinterpret_cast<std::uintptr_t>(p), base = address / kHugePage * kHugePage;
    const std::lock_guard<std::mutex> lock(mutex);
    for (auto c = chunks.begin(); c != chunks.end(); ++c) {
      if (c->base != base) continue;
      poison(p, bytes);
      if (address + size == c->base + c->used) c->used -= size;
      if (--c->live == 0) {
        unpoison(reinterpret_cast<void*>(c->base), kHugePage);
        ::munmap(reinterpret_cast<void*>(c->base), kHugePage);
        chunks.erase(c);
      }
      return;
    }
  }
};

Pool& pool() {
  static Pool* const chunks = new Pool;
  return *chunks;
}
#endif
}  // namespace

void* allocate_buffer(std::size_t bytes) {
#if defined(__linux__)
  if (bytes >= kHugePage) {
    if (bytes > SIZE_MAX - 2 * kHugePage) throw std::bad_alloc();  // else rounding up to pages would wrap
    return map_huge(round_up(bytes, kPage));
  }
  if (bytes >= kPooledFrom) return pool().allocate(bytes);
#endif
  return ::operator new(bytes, kAlign);
}

void free_buffer(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
#if defined(__linux__)
  if (bytes >= kHugePage) {
    ::munmap(p, round_up(bytes, kPage));
    return;
  }
  if (bytes >= kPooledFrom) {
    pool().release(p, bytes);
    return;
  }
#endif
  ::operator delete(p, kAlign);
}

}  // namespace netc::rt
