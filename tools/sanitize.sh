#!/usr/bin/env bash
# The whole test suite (ctest: compiler, runtime, generated code, PyTorch equivalence, outside project) built
# with AddressSanitizer and UndefinedBehaviorSanitizer (-DNETC_SANITIZE=ON) in build-asan/. netc runs under
# them while the build generates code, and every test binary, the generated models' runners included, runs
# under them. Any report fails: UBSan and ASan halt on the first one, leaks are errors, and every report is
# also written to build-asan/sanitizer-reports/, which must stay empty (a report in a process whose exit
# status nobody checks still counts). Python is not instrumented; only the C++ it runs is.
# Tests labelled `slow` (ctest -L slow: the generated-identifier property tests, the VGGs at 224x224) are left
# out here: tools/test.sh runs them, and under the sanitizers they would check the same code again, slower.
# So are those labelled `qemu` (the kernels run as on older CPUs): the kernel tests run here on every
# instruction-set path this CPU has, natively; qemu-user adds emulation, not memory checks.
# The benchmark's programs, which no test runs, are not built here.
# Usage: tools/sanitize.sh [extra ctest arguments...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-asan"
"$root/tools/install-deps.sh"
# -O1 and line tables only: compiles Eigen code twice as fast as -O2 -g, with file:line in every report.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
      -DNETC_SANITIZE=ON -DNETC_BUILD_BENCH=OFF >/dev/null

reports="$build/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:log_path=$reports/asan:log_exe_name=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan:log_exe_name=1"
export LSAN_OPTIONS="log_path=$reports/lsan:log_exe_name=1"

status=0
cmake --build "$build" -j "$(nproc)" || status=$?
[ $status -eq 0 ] && { ctest --test-dir "$build" --output-on-failure -j "$(nproc)" -LE "slow|qemu" "$@" || status=$?; }
if [ -n "$(ls -A "$reports")" ]; then
  echo "Sanitizer reports ($reports):"
  for f in "$reports"/*; do
    echo "== $f"
    head -n 80 "$f"
  done
  status=1
fi
exit $status
