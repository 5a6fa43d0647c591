// The runtime test binaries' entry point: doctest's main, after checking that the CPU runs what the binary
// was compiled for (exit 77, ctest's skip, when it cannot) and reporting the GEMM's instruction set.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include "isa.hpp"

int main(int argc, char** argv) {
#if defined(NETC_NEEDS_AVX2) && (defined(__GNUC__) || defined(__clang__))
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    std::puts("this CPU has no AVX2 + FMA: skipped");
    return 77;
  }
#endif
  std::printf("GEMM microkernel: %s, %d x %d\n", netc::rt::detail::kGemmIsa, netc::rt::detail::kGemmRows,
              netc::rt::detail::kGemmCols);
  doctest::Context context(argc, argv);
  return context.run();
}
