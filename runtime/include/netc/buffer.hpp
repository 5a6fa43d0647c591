// Memory for the runtime's large buffers: packed weights, a context's arena, a workspace's scratch.
#pragma once

#include <cstddef>
#include <memory>

namespace netc::rt {

/// `bytes` bytes, 64-byte aligned, uninitialised. From 2 MiB up (on Linux) a mapping of their own that starts
/// on a 2 MiB boundary, which the kernel is asked to back with transparent huge pages (madvise MADV_HUGEPAGE,
/// honoured when /sys/kernel/mm/transparent_hugepage/enabled says madvise or always): packing then takes a
/// page fault per 2 MiB instead of per 4 KiB, and streaming the weights through a forward pass misses the TLB
/// that much less. From 16 KiB up to 2 MiB, a part of such a 2 MiB chunk that other buffers share (a model's
/// many small layers; the chunk is unmapped with its last buffer). Smaller buffers come from operator new.
/// Thread-safe. Throws std::bad_alloc.
void* allocate_buffer(std::size_t bytes);
/// Frees what allocate_buffer(bytes) returned, given the same byte count; nullptr is ignored.
void free_buffer(void* p, std::size_t bytes) noexcept;

/// Frees a buffer of `bytes` bytes from allocate_buffer.
struct BufferDeleter {
  std::size_t bytes = 0;
  void operator()(float* p) const noexcept { free_buffer(p, bytes); }
};
/// count floats from allocate_buffer, uninitialised, freed when it goes.
using FloatBuffer = std::unique_ptr<float[], BufferDeleter>;
inline FloatBuffer make_float_buffer(std::size_t count) {
  return FloatBuffer(static_cast<float*>(allocate_buffer(count * sizeof(float))), BufferDeleter{count * sizeof(float)});
}

}  // namespace netc::rt
