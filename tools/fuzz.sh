#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, with clang, AddressSanitizer and UndefinedBehaviorSanitizer) in
# build-fuzz/ and runs each for a bounded time from a seed corpus: fuzz_frontend on every .net file of the
# repository, fuzz_weights on small weights files made by netc, the runtime tests' file, and truncated copies;
# both on fuzz/seeds/TARGET/ too (hostile inputs of the fault classes found).
# Fails on any crash, leak, timeout or sanitizer report, leaving the input in build-fuzz/artifacts/TARGET/.
# Usage: tools/fuzz.sh [SECONDS per target, default 60] [TARGET...]   (targets: fuzz_frontend fuzz_weights)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_frontend fuzz_weights)
build="$root/build-fuzz"

"$root/tools/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETC_FUZZ=ON \
      -DNETC_BUILD_TESTS=OFF -DNETC_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target netc "${targets[@]}"

# Seed corpora, made afresh (the fuzzers add what they find to build-fuzz/corpus/TARGET/, kept between runs).
seeds="$build/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/fuzz_frontend" "$seeds/fuzz_weights"
find "$root/models" "$root/examples" "$root/tests" -name '*.net' -size -64k | while read -r f; do
  cp "$f" "$seeds/fuzz_frontend/$(echo "${f#$root/}" | tr / _)"
done
cp "$root"/fuzz/seeds/fuzz_frontend/* "$seeds/fuzz_frontend/"  # hostile inputs of each fault class found
cp "$root"/fuzz/seeds/fuzz_weights/* "$seeds/fuzz_weights/"
export ASAN_OPTIONS=detect_leaks=0  # netc making seeds: leaks are the fuzzers' business
netc="$build/compiler/netc"
w="$seeds/fuzz_weights"
"$netc" weights "$root/tests/generated/tiny.net" --random --seed 1 -o "$w/tiny.safetensors"
"$netc" weights "$root/tests/generated/tiny.net" --random --seed 2 --input 5x5x3 --classes 2 -o "$w/tiny_5x5.safetensors"
for model in conv_batchnorm_relu conv_explicit_pad maxpool_same; do
  "$netc" weights "$root/tests/pytorch/layers.net" --model $model --random -o "$w/$model.safetensors"
done
cp "$root"/tests/runtime/data/*.safetensors "$w/"
for f in "$w"/*.safetensors; do  # cut inside the length, the header and the data
  size=$(stat -c %s "$f")
  for cut in 5 40 $((size / 2)) $((size - 1)); do head -c "$cut" "$f" > "${f%.safetensors}_cut$cut.safetensors"; done
done
unset ASAN_OPTIONS

# Halt on the first UBSan report too; leaks are reported by libFuzzer's -detect_leaks.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
status=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  rm -rf "$artifacts"  # what an earlier run found was reported then
  mkdir -p "$corpus" "$artifacts"
  dict=()
  [ -f "$root/fuzz/$target.dict" ] && dict=(-dict="$root/fuzz/$target.dict")
  echo "== $target: ${seconds} s"
  log="$build/$target.log"
  set +e
  "$build/fuzz/$target" "$corpus" "$seeds/$target" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  rc=$?
  set -e
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$log" || true
  if [ $rc -ne 0 ] || [ -n "$(ls -A "$artifacts")" ]; then
    status=1
    echo "!! $target failed (exit $rc); the end of its log ($log):"
    tail -n 60 "$log"
    for f in "$artifacts"/*; do
      [ -f "$f" ] || continue
      echo "-- input that failed: $f ($(stat -c %s "$f") bytes)"
      head -c 512 "$f" | od -A d -c | head -n 20
    done
  fi
done
exit $status
