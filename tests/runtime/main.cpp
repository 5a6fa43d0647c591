// The runtime test binaries' entry point: doctest's main, run on the instruction set that the environment
// variable NETC_ISA forces (ctest runs the kernel tests once per set), or on the one the runtime chooses.
// A set the CPU lacks is skipped with exit status 77 (ctest's skip), never passed. With NETC_EXPECT_ISA set
// (the emulated CPUs' tests), the runtime's own choice must be that set.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "kernel_table.hpp"

int main(int argc, char** argv) {
  const char* forced = std::getenv("NETC_ISA");
  const bool known = forced != nullptr && netc::rt::detail::table_named(forced) != nullptr;
  if (known && !netc::rt::cpu_supports_isa(forced)) {
    std::printf("NETC_ISA=%s: this CPU cannot run these kernels: skipped\n", forced);
    return 77;
  }
  const netc::rt::detail::KernelTable& kernels = netc::rt::detail::kernels();
  std::printf("kernels: %s, GEMM microkernel %d x %d; caches: %s\n", kernels.isa, kernels.gemm_rows, kernels.panel_width,
              netc::rt::cpu_caches().c_str());
  const char* expected = std::getenv("NETC_EXPECT_ISA");
  if (expected != nullptr && std::strcmp(expected, kernels.isa) != 0) {
    std::printf("the runtime chose %s, expected %s\n", kernels.isa, expected);
    return 1;
  }
  netc::rt::detail::set_min_parallel_work(0);  // every pass split over the tests' threads, however small
  doctest::Context context(argc, argv);
  return context.run();
}
