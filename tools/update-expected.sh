#!/usr/bin/env bash
# Rewrites the outputs recorded in tests/cases/*.expected (and the golden texts in tests/golden/) from the
# current netc, keeping each case's command. Use it when a message changes on purpose, then read the diff:
# the tests only mean something if every recorded output was checked by eye.
# Usage: tools/update-expected.sh [path/to/netc]   (default: build/compiler/netc)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
netc=$(realpath "${1:-$root/build/compiler/netc}")
cd "$root/tests/cases"
for expected in *.expected; do
  args=$(head -n 1 "$expected" | sed 's/^\$ netc //')
  set +e
  err=$(eval "\"$netc\" $args" 2>&1 >/dev/null; echo "exit:$?")
  set -e
  code=${err##*exit:}
  err=${err%exit:*}
  { printf '$ netc %s\nexit %s\n' "$args" "$code"; printf '%s' "$err"; } > "$expected"
done
"$root/tools/update-golden.sh" "$netc"
