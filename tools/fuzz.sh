#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, with clang, AddressSanitizer and UndefinedBehaviorSanitizer) in
# build-fuzz/ and runs each for a bounded time from a seed corpus: fuzz_frontend on every .net file of the
# repository, fuzz_weights on small weights files made by netc, the runtime tests' file, and truncated copies,
# fuzz_h5 on Keras files in every layout netc imports (fuzz/make_h5_seeds.py, needs python3-h5py) and cuts;
# all on fuzz/seeds/TARGET/ too (hostile inputs of the fault classes found).
# Fails on any crash, leak, timeout or sanitizer report, leaving the input in build-fuzz/artifacts/TARGET/.
# Usage: tools/fuzz.sh [SECONDS per target, default 60] [TARGET...]   (fuzz_frontend fuzz_weights fuzz_h5)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_frontend fuzz_weights fuzz_h5)
build="$root/build-fuzz"

"$root/tools/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETC_FUZZ=ON \
      -DNETC_BUILD_TESTS=OFF -DNETC_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target netc "${targets[@]}"

# Seed corpora, made afresh (the fuzzers add what they find to build-fuzz/corpus/TARGET/, kept between runs).
seeds="$build/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/fuzz_frontend" "$seeds/fuzz_weights" "$seeds/fuzz_h5"
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
/usr/bin/python3 "$root/fuzz/make_h5_seeds.py" "$netc" "$seeds/fuzz_h5"
unset ASAN_OPTIONS

# What fuzz_h5's report on input $1 starts in, rerun on its own: "hdf5" when its innermost frame outside the
# sanitizers, libFuzzer and libc is in Debian's HDF5 library (HDF5's own memory errors, leaks and endless loops
# on malformed files, which netc import contains in a child process: see the README), "none" when the input
# gives no report on its own (netc keeps no state between inputs, HDF5 does), else "netc".
h5_report_origin() {
  local report frame
  report=$("$build/fuzz/fuzz_h5" -timeout=10 -rss_limit_mb=2048 "$1" 2>&1 || true)
  frame=$(grep -E '^ +#[0-9]+ 0x' <<<"$report" |
    grep -v -E ' in (__interceptor_|__asan|__sanitizer|__ubsan|__lsan|malloc|calloc|realloc|free|operator new|fuzzer::)' |
    grep -v -E '/libc\.so|/ld-linux|sysdeps/' | head -n 1 || true)
  if grep -q 'libhdf5' <<<"$frame"; then echo hdf5
  elif grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' <<<"$report"; then echo netc
  else echo none; fi
}

# Halt on the first UBSan report too; leaks are reported by libFuzzer's -detect_leaks.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
status=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  rm -rf "$artifacts" "$build/artifacts/fuzz_h5_in_hdf5"  # what an earlier run found was reported then
  mkdir -p "$corpus" "$artifacts"
  dict=()
  [ -f "$root/fuzz/$target.dict" ] && dict=(-dict="$root/fuzz/$target.dict")
  echo "== $target: ${seconds} s"
  log="$build/$target.log"
  : >"$log"
  # fuzz_h5 starts again after a report inside HDF5 (its input set aside), until its time is up.
  deadline=$((SECONDS + seconds))
  while :; do
    set +e
    (  # a subshell, so that the shell's note of a fuzzer that aborted goes to the log too
      "$build/fuzz/$target" "$corpus" "$seeds/$target" "${dict[@]}" -max_total_time=$((deadline - SECONDS)) \
          -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$artifacts/"
    ) >>"$log" 2>&1
    rc=$?
    set -e
    [ "$target" = fuzz_h5 ] && [ $rc -ne 0 ] || break
    netc_report=0
    for f in "$artifacts"/*; do
      [ -f "$f" ] || continue
      origin=$(h5_report_origin "$f")
      if [ "$origin" = netc ]; then netc_report=1; continue; fi
      mkdir -p "$build/artifacts/fuzz_h5_in_hdf5/$origin"
      mv "$f" "$build/artifacts/fuzz_h5_in_hdf5/$origin/"
    done
    [ $netc_report -eq 0 ] && [ $((deadline - SECONDS)) -gt 5 ] || break
  done
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$log" || true
  if [ "$target" = fuzz_h5 ] && [ -d "$build/artifacts/fuzz_h5_in_hdf5" ]; then
    echo "   set aside: $(ls "$build/artifacts/fuzz_h5_in_hdf5/hdf5" 2>/dev/null | wc -l) reports inside HDF5," \
         "$(ls "$build/artifacts/fuzz_h5_in_hdf5/none" 2>/dev/null | wc -l) that do not repeat on their own" \
         "(build-fuzz/artifacts/fuzz_h5_in_hdf5/)"
    [ $rc -ne 0 ] && [ -z "$(ls -A "$artifacts")" ] && rc=0  # the last report was HDF5's, its input set aside
  fi
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
