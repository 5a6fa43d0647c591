#!/usr/bin/env bash
# Installs the dependencies if needed, then configures and builds netc in build/ (Release): everything, or
# only the targets NETC_BUILD_TARGETS names (and what they need).
# Usage: [NETC_BUILD_TARGETS="netc ..."] tools/build.sh [extra CMake arguments...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/install-deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
targets=()
for target in ${NETC_BUILD_TARGETS:-}; do targets+=(--target "$target"); done
cmake --build "$root/build" -j "$(nproc)" "${targets[@]}"
