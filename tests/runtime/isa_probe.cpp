// isa_probe: prints the instruction set whose kernels the runtime chose for this process (NETC_ISA forces
// one), or the runtime's error and exit status 1. The tests run it with bad NETC_ISA values and on emulated CPUs.
#include <cstdio>
#include <exception>

#include "netc/runtime.hpp"

int main() {
  try {
    std::printf("%s\n", netc::rt::active_isa());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "isa_probe: error: %s\n", e.what());
    return 1;
  }
}
