// Choosing the kernels' instruction set once per process (as ONNX Runtime's MLAS platform dispatch does): the
// CPU's features from cpuid, the operating system's support for their registers from xgetbv, and the
// NETC_ISA environment variable, which may force a set the CPU supports.
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "kernel_table.hpp"

#if defined(NETC_X86_KERNELS)
#include <cpuid.h>
#endif

namespace netc::rt::detail {
namespace {

/// An instruction set this build may run, best first.
struct Candidate {
  const char* name;
  const char* needs;  // what the CPU must report, for messages
  const KernelTable* table;
  bool (*supported)();
};

#if defined(NETC_X86_KERNELS)
/// XCR0, the register states the OS saves on a context switch (bits 1-2: xmm, ymm; 5-7: AVX-512's).
unsigned long long xcr0() {
  unsigned eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}

struct X86Features {
  bool avx2_fma = false;  // avx2, fma, avx, ymm state enabled
  bool avx512 = false;    // avx512f, dq, bw, vl, and zmm / mask state enabled
};

X86Features detect() {
  X86Features f;
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  if (!(c & bit_OSXSAVE) || !(c & bit_AVX) || !(c & bit_FMA) || __get_cpuid_max(0, nullptr) < 7) return f;
  const unsigned long long xcr = xcr0();
  const unsigned leaf1_ecx = c;
  __cpuid_count(7, 0, a, b, c, d);
  f.avx2_fma = (xcr & 0x6) == 0x6 && (b & bit_AVX2) && (leaf1_ecx & bit_FMA);
  const unsigned avx512 = bit_AVX512F | bit_AVX512DQ | bit_AVX512BW | bit_AVX512VL;
  f.avx512 = f.avx2_fma && (xcr & 0xe6) == 0xe6 && (b & avx512) == avx512;
  return f;
}

const X86Features& features() {
  static const X86Features f = detect();
  return f;
}
bool has_avx512() { return features().avx512; }
bool has_avx2() { return features().avx2_fma; }
#endif
bool always() { return true; }

const Candidate kCandidates[] = {
#if defined(NETC_X86_KERNELS)
    {"avx512", "AVX-512 (avx512f, avx512dq, avx512bw, avx512vl)", &avx512::kTable, &has_avx512},
    {"avx2", "AVX2 and FMA", &avx2::kTable, &has_avx2},
#endif
    {"generic", "nothing beyond the baseline", &generic::kTable, &always},
};

const Candidate* candidate_named(const char* name) {
  for (const Candidate& c : kCandidates)
    if (std::strcmp(c.name, name) == 0) return &c;
  return nullptr;
}

/// "avx2, generic": the sets this CPU can run.
std::string supported_list() {
  std::string names;
  for (const Candidate& c : kCandidates)
    if (c.supported()) names += (names.empty() ? "" : ", ") + std::string(c.name);
  return names;
}

const KernelTable& choose() {
  const char* forced = std::getenv("NETC_ISA");
  if (forced != nullptr && *forced != '\0') {
    const Candidate* c = candidate_named(forced);
    if (c == nullptr && (std::strcmp(forced, "avx512") == 0 || std::strcmp(forced, "avx2") == 0))
      throw std::runtime_error(std::string("NETC_ISA=") + forced + ": this build of the runtime has no " + forced +
                               " kernels (not an x86-64 build); it has: " + supported_list());
    if (c == nullptr)
      throw std::runtime_error(std::string("NETC_ISA=") + forced +
                               ": unknown instruction set (expected avx512, avx2 or generic)");
    if (!c->supported())
      throw std::runtime_error(std::string("NETC_ISA=") + forced + ": this CPU does not support " + c->needs +
                               " (or the operating system does not enable its registers); it supports: " +
                               supported_list());
    return *c->table;
  }
  for (const Candidate& c : kCandidates)
    if (c.supported()) return *c.table;
  return generic::kTable;
}

}  // namespace

const KernelTable& kernels() {
  static const KernelTable& active = choose();  // a throwing choice is made again on the next call
  return active;
}

const KernelTable* table_named(const std::string& isa) {
  const Candidate* c = candidate_named(isa.c_str());
  return c == nullptr ? nullptr : c->table;
}

}  // namespace netc::rt::detail

namespace netc::rt {

const char* active_isa() { return detail::kernels().isa; }

bool cpu_supports_isa(const char* isa) {
  const detail::Candidate* c = isa == nullptr ? nullptr : detail::candidate_named(isa);
  return c != nullptr && c->supported();
}

}  // namespace netc::rt
