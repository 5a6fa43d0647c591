#!/usr/bin/env bash
# Another CPU family: builds the runtime and its kernel tests for AArch64 with Debian's cross compiler in
# build-aarch64/ (tests/runtime/aarch64/, the runtime alone), checks that the library holds only the portable
# kernels, and runs the tests under qemu-aarch64, which must choose them. A few minutes on 2 cores.
# Usage: tools/aarch64.sh [extra doctest arguments...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-aarch64"
"$root/tools/install-deps.sh" g++-aarch64-linux-gnu
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root/tests/runtime/aarch64" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_SYSTEM_NAME=Linux \
      -DCMAKE_SYSTEM_PROCESSOR=aarch64 -DCMAKE_CXX_COMPILER=aarch64-linux-gnu-g++ "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)"
if aarch64-linux-gnu-nm -C "$build/runtime/libnetc_runtime.a" | grep -qE "netc::rt::avx(2|512)::"; then
  echo "the AArch64 runtime holds x86 kernels" >&2
  exit 1
fi
NETC_EXPECT_ISA=generic qemu-aarch64 -L /usr/aarch64-linux-gnu "$build/netc_runtime_tests" "$@"
