#!/usr/bin/env bash
# The test command: build netc with its tests, then run them all with ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/build.sh"
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"
