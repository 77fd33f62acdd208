#!/usr/bin/env bash
# Installs the Debian packages MLG needs; silent when everything is present.
# Idempotent: safe to run before every build (the Makefile does).
set -euo pipefail

PACKAGES=(
  # Toolchain: LLVM/MLIR 22 built with clang-22, linked with lld, by Ninja.
  clang-22 lld-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  cmake ninja-build
  # Unit tests.
  googletest libgtest-dev
  # Reference checks in the lit suite run on Debian's python3 with numpy.
  python3 python3-numpy
  # Compression solvers.
  libeigen3-dev
  # Sanitizer and libFuzzer runtimes (make test-asan, make fuzz).
  libclang-rt-22-dev
  # OpenMP runtime for libraries compiled with mlgc --threads=N (N > 1).
  libomp-22-dev
  # The Python package (python/, docs/python.md): its extension, its tests,
  # the PyTorch/ONNX frontends and a small data set for the training examples.
  pybind11-dev python3-pytest python3-torch python3-torchvision python3-onnx
  dataset-fashion-mnist
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
