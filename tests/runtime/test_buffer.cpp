// allocate_buffer: 64-byte aligned memory of the size asked, large buffers on 2 MiB boundaries (Linux) and
// mid-sized ones sharing such chunks, each byte writable and kept until freed; the packed weights, arenas and
// scratch use it.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <vector>

#include "netc/buffer.hpp"
#include "netc/runtime.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace rt = netc::rt;

TEST_CASE("allocate_buffer gives aligned, writable memory of every size, large ones on 2 MiB boundaries") {
  const std::size_t mib = std::size_t{1} << 20;
  for (const std::size_t bytes : {std::size_t{0}, std::size_t{4}, std::size_t{4097}, 2 * mib - 4, 2 * mib,
                                  2 * mib + 4, 5 * mib + 12, 64 * mib}) {
    INFO("bytes: " << bytes);
    auto* p = static_cast<unsigned char*>(rt::allocate_buffer(bytes));
    REQUIRE(p != nullptr);
    const auto address = reinterpret_cast<std::uintptr_t>(p);
    CHECK(address % 64 == 0);
#if defined(__linux__)
    if (bytes >= 2 * mib) CHECK(address % (2 * mib) == 0);
#endif
    if (bytes > 0) {
      std::memset(p, 0xA5, bytes);  // every byte is ours (ASan and the kernel would say otherwise)
      CHECK(p[0] == 0xA5);
      CHECK(p[bytes - 1] == 0xA5);
    }
    rt::free_buffer(p, bytes);
  }
  rt::free_buffer(nullptr, 64 * mib);  // ignored
  // A size that no machine has, also near SIZE_MAX where rounding up to whole pages would wrap around.
  for (const std::size_t bytes : {SIZE_MAX, SIZE_MAX - 100, SIZE_MAX / 2}) {
    INFO("bytes: " << bytes);
    CHECK_THROWS_AS(rt::allocate_buffer(bytes), std::bad_alloc);
  }
}

TEST_CASE("buffers of one size, allocated together, do not overlap, and a float buffer frees itself") {
  const std::size_t bytes = (std::size_t{3} << 20) + 100;
  std::vector<unsigned char*> buffers;
  for (int i = 0; i < 4; ++i) {
    buffers.push_back(static_cast<unsigned char*>(rt::allocate_buffer(bytes)));
    std::memset(buffers.back(), i, bytes);
  }
  for (int i = 0; i < 4; ++i) {
    CHECK(buffers[std::size_t(i)][0] == i);
    CHECK(buffers[std::size_t(i)][bytes - 1] == i);
    rt::free_buffer(buffers[std::size_t(i)], bytes);
  }
  rt::FloatBuffer f = rt::make_float_buffer(1 << 20);
  f[0] = 1.f, f[(1 << 20) - 1] = 2.f;
  CHECK(f[0] + f[(1 << 20) - 1] == 3.f);
  // A packed matrix's storage comes from it too.
  std::vector<float, rt::AlignedAllocator<float>> packed(std::size_t{1} << 20, 0.5f);
  CHECK(packed.back() == 0.5f);
#if defined(__linux__)
  CHECK(reinterpret_cast<std::uintptr_t>(packed.data()) % (std::size_t{2} << 20) == 0);
#endif
}

TEST_CASE("buffers from 16 KiB to 2 MiB share 2 MiB chunks without overlap; a freed last one's room is reused") {
  const std::size_t kib = 1024, chunk = std::size_t{2} << 20;
  // Mixed sizes, more than one chunk holds: each its own bytes, 64-byte aligned.
  const std::size_t sizes[] = {16 * kib, 100 * kib + 4, 1000 * kib, 64 * kib - 4, 1500 * kib, 300 * kib, chunk - 64,
                               20 * kib, 777 * kib};
  std::vector<unsigned char*> buffers;
  for (const std::size_t bytes : sizes) {
    buffers.push_back(static_cast<unsigned char*>(rt::allocate_buffer(bytes)));
    CHECK(reinterpret_cast<std::uintptr_t>(buffers.back()) % 64 == 0);
    std::memset(buffers.back(), int(buffers.size()), bytes);
  }
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    INFO("buffer " << i << " of " << sizes[i] << " bytes");
    CHECK(buffers[i][0] == i + 1);
    CHECK(buffers[i][sizes[i] - 1] == i + 1);
#if defined(__SANITIZE_ADDRESS__)
    CHECK(__asan_address_is_poisoned(buffers[i] + sizes[i]));  // running past it is reported
#endif
  }
#if defined(__linux__)
  // The first two (16 KiB and 100 KiB) lie in one 2 MiB chunk, and the buffers never cross a chunk's end.
  CHECK(reinterpret_cast<std::uintptr_t>(buffers[0]) / chunk == reinterpret_cast<std::uintptr_t>(buffers[1]) / chunk);
  for (std::size_t i = 0; i < buffers.size(); ++i)
    CHECK(reinterpret_cast<std::uintptr_t>(buffers[i]) / chunk ==
          (reinterpret_cast<std::uintptr_t>(buffers[i]) + sizes[i] - 1) / chunk);
  // Freeing a chunk's last buffer gives its room back: the same size comes at the same place. Buffers of one
  // size go to the first chunk with room, so the second or third of them follows the one before it.
  std::vector<unsigned char*> row;
  const auto follows = [&] {
    const std::ptrdiff_t step = row.size() < 2 ? 0 : row.back() - row[row.size() - 2];
    return step == std::ptrdiff_t(16 * kib) || step == std::ptrdiff_t(16 * kib + 64);  // + 64 with ASan's gap
  };
  while (row.size() < 4 && !follows()) row.push_back(static_cast<unsigned char*>(rt::allocate_buffer(16 * kib)));
  REQUIRE(follows());
  rt::free_buffer(row.back(), 16 * kib);
  void* again = rt::allocate_buffer(16 * kib);
  CHECK(again == row.back());
  row.back() = static_cast<unsigned char*>(again);
  for (unsigned char* p : row) rt::free_buffer(p, 16 * kib);
#endif
  for (std::size_t i = 0; i < buffers.size(); ++i) rt::free_buffer(buffers[i], sizes[i]);
}
