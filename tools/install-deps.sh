#!/usr/bin/env bash
# Installs what netc needs to build and test, from Debian's packages (apt-get), when it is missing.
# Usage: tools/install-deps.sh [extra Debian packages...]
set -euo pipefail
packages=(build-essential cmake git antlr4 libantlr4-runtime-dev libfmt-dev libeigen3-dev doctest-dev
          nlohmann-json3-dev libstb-dev pkg-config uuid-dev libhdf5-dev python3-numpy python3-h5py
          python3-torch python3-torchvision python3-sklearn libopenblas0-openmp
          graphviz python3-jsonschema ninja-build  # netc emit --target svg; the JSON schema and depfile tests
          qemu-user  # the tests on emulated older CPUs (tests/runtime/qemu.cmake)
          clang libclang-rt-dev  # clang and its libFuzzer runtime: tools/fuzz.sh
          llvm  # llvm-symbolizer: sanitizer reports name their frames (fuzz.sh tells HDF5's from netc's by them)
          "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
