// The data caches of the CPU a process runs on, for the kernels' blocking: from cpuid's deterministic cache
// parameters (Intel's leaf 4, AMD's leaf 0x8000001D: ways x partitions x line x sets), else Linux's sysfs
// (/sys/devices/system/cpu/cpu0/cache), else conservative sizes. Read once per process. And the least work that
// the light kernels split over threads.
#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>

#include "kernel_table.hpp"

#if defined(NETC_X86_KERNELS)
#include <cpuid.h>
#endif

namespace netc::rt::detail {
namespace {

constexpr std::size_t kKiB = 1024;

#if defined(NETC_X86_KERNELS)
/// Walks a deterministic-cache-parameters leaf's subleaves (type 0 ends them); true when it found an L2.
bool from_cpuid_leaf(unsigned leaf, CacheSizes& sizes) {
  for (unsigned sub = 0; sub < 16; ++sub) {
    unsigned a = 0, b = 0, c = 0, d = 0;
    __cpuid_count(leaf, sub, a, b, c, d);
    const unsigned type = a & 0x1f, level = (a >> 5) & 0x7;
    if (type == 0) break;
    if (type != 1 && type != 3) continue;  // 1 data, 3 unified; 2 is instructions
    const std::size_t bytes = std::size_t((b >> 22) + 1) * (((b >> 12) & 0x3ff) + 1) * ((b & 0xfff) + 1) * (std::size_t(c) + 1);
    if (level == 1) sizes.l1d = bytes;
    if (level == 2) sizes.l2 = bytes;
    if (level == 3) sizes.l3 = bytes;
  }
  return sizes.l2 != 0;
}

/// The older extended leaves: L2 in KiB (0x80000006 ECX[31:16], Intel and AMD); on AMD also the L1d in KiB
/// (0x80000005 ECX[31:24]) and the L3 in 512 KiB units (0x80000006 EDX[31:18]).
bool from_cpuid_extended(bool amd, CacheSizes& sizes) {
  unsigned a = 0, b = 0, c = 0, d = 0;
  const unsigned max_extended = __get_cpuid_max(0x80000000, nullptr);
  if (amd && max_extended >= 0x80000005 && __get_cpuid(0x80000005, &a, &b, &c, &d)) sizes.l1d = std::size_t(c >> 24) * kKiB;
  if (max_extended < 0x80000006 || !__get_cpuid(0x80000006, &a, &b, &c, &d)) return false;
  sizes.l2 = std::size_t(c >> 16) * kKiB;
  if (amd) sizes.l3 = std::size_t(d >> 18) * 512 * kKiB;
  return sizes.l2 != 0;
}

bool from_cpuid(CacheSizes& sizes) {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(0, &a, &b, &c, &d)) return false;
  const unsigned max_leaf = a;
  const bool amd = b == 0x68747541 || b == 0x6f677948;  // "Auth"enticAMD, "Hygo"nGenuine: AMD's leaves
  const unsigned max_extended = __get_cpuid_max(0x80000000, nullptr);
  if (amd) {  // the deterministic leaf only with the topology extensions (0x80000001 ECX bit 22)
    if (max_extended >= 0x8000001d && __get_cpuid(0x80000001, &a, &b, &c, &d) && (c & (1u << 22)) &&
        from_cpuid_leaf(0x8000001d, sizes))
      return true;
  } else if (max_leaf >= 4 && from_cpuid_leaf(4, sizes)) {
    return true;
  }
  sizes = CacheSizes{};
  return from_cpuid_extended(amd, sizes);
}
#endif

/// "48K" or "1024K" (sysfs's form) in bytes; 0 when unreadable.
std::size_t read_size(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text.empty()) return 0;
  std::size_t value = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) value = value * 10 + std::size_t(text[i] - '0');
  if (i < text.size() && (text[i] == 'K' || text[i] == 'k')) value *= kKiB;
  if (i < text.size() && text[i] == 'M') value *= kKiB * kKiB;
  return value;
}

bool from_sysfs(CacheSizes& sizes) {
  for (int index = 0; index < 8; ++index) {
    const std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
    std::ifstream level_file(dir + "level"), type_file(dir + "type");
    int level = 0;
    std::string type;
    if (!(level_file >> level) || !(type_file >> type)) break;
    if (type != "Data" && type != "Unified") continue;
    const std::size_t bytes = read_size(dir + "size");
    if (level == 1) sizes.l1d = bytes;
    if (level == 2) sizes.l2 = bytes;
    if (level == 3) sizes.l3 = bytes;
  }
  return sizes.l2 != 0;
}

CacheSizes detect() {
  CacheSizes sizes;
#if defined(NETC_X86_KERNELS)
  if (from_cpuid(sizes)) {
    sizes.source = "cpuid";
    return sizes;
  }
  sizes = CacheSizes{};
#endif
  if (from_sysfs(sizes)) {
    sizes.source = "sysfs";
    return sizes;
  }
  return CacheSizes{32 * kKiB, 256 * kKiB, 0, "assumed"};
}

}  // namespace

const CacheSizes& cache_sizes() {
  static const CacheSizes sizes = [] {
    CacheSizes s = detect();
    if (s.l1d == 0) s.l1d = 32 * kKiB;
    return s;
  }();
  return sizes;
}

namespace {
std::atomic<Index> min_work{Index{1} << 17};
}  // namespace

Index min_parallel_work() { return min_work.load(std::memory_order_relaxed); }
void set_min_parallel_work(Index work) { min_work.store(work, std::memory_order_relaxed); }

}  // namespace netc::rt::detail

namespace netc::rt {

std::string cpu_caches() {
  const detail::CacheSizes& s = detail::cache_sizes();
  char text[128];
  std::snprintf(text, sizeof text, "L1d %zu KiB, L2 %zu KiB, L3 %zu KiB (%s)", s.l1d / 1024, s.l2 / 1024, s.l3 / 1024,
                s.source);
  return text;
}

}  // namespace netc::rt
