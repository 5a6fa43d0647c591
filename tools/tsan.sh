#!/usr/bin/env bash
# The thread-safety test under ThreadSanitizer: 4 threads share one generated model, each with its own context
# (tests/generated/test_threads.cpp). Builds only what it needs in build-tsan/ (-DNETC_TSAN=ON instruments the
# runtime, the model and the test; netc itself is built as in build/, so ccache serves it), makes the model's
# weights, runs the test. Any ThreadSanitizer report fails it. A few minutes on 2 cores.
# Usage: tools/tsan.sh [extra doctest arguments...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-tsan"
"$root/tools/install-deps.sh"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNETC_TSAN=ON -DNETC_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)" --target netc netc_threads_tests
mkdir -p "$build/tests/generated/weights"
"$build/compiler/netc" weights "$root/tests/generated/shared.net" --random --seed 11 \
  -o "$build/tests/generated/weights/shared.safetensors"
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1"
# Some kernels randomise mappings more than GCC 12's ThreadSanitizer allows; without ASLR it always runs.
run=()
command -v setarch >/dev/null && setarch "$(uname -m)" -R true 2>/dev/null && run=(setarch "$(uname -m)" -R)
"${run[@]}" "$build/tests/generated/netc_threads_tests" "$@"
echo "ThreadSanitizer: no report"
