#!/usr/bin/env bash
# `make demo`: a tour of MLG on the bundled example, examples/basic_block.mlir.
set -euo pipefail
BUILD_DIR=${1:-build}
LLVM_BIN=/usr/lib/llvm-22/bin
LLVM_LIB=/usr/lib/llvm-22/lib
MLG_OPT="$BUILD_DIR/bin/mlg-opt"
EXAMPLE=examples/basic_block.mlir
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

section() { printf '\n== %s\n' "$*"; }

section "1. The example: a residual block whose weights are generated in situ ($EXAMPLE)"
"$MLG_OPT" "$EXAMPLE" > "$work/parsed.mlir"
grep -E "mlg\.(dequantize|generated_conv2d|generated_matmul)" "$work/parsed.mlir" \
  | sed -E 's/dense<[^>]*>/dense<...>/; s/^ +/  /' | cut -c1-150

section "2. mlg-opt verifies it and round-trips it through the generic form"
"$MLG_OPT" "$EXAMPLE" --mlir-print-op-generic | "$MLG_OPT" > "$work/roundtrip.mlir"
if diff -q "$work/parsed.mlir" "$work/roundtrip.mlir" >/dev/null; then
  echo "  print -> parse -> print: identical ($(grep -c 'mlg\.' "$work/parsed.mlir") mlg ops)"
else
  echo "  round trip differs" >&2; exit 1
fi

section "3. convert-mlg-to-linalg: the reference lowering to linalg on tensors"
"$MLG_OPT" "$EXAMPLE" --convert-mlg-to-linalg > "$work/linalg.mlir"
echo "  mlg ops left: $(grep -c 'mlg\.' "$work/linalg.mlir" || true)"
echo "  linalg.generic ops: $(grep -c 'linalg.generic' "$work/linalg.mlir")"
grep -m1 -E "linalg.generic .*reduction\", \"reduction\", \"reduction\"" "$work/linalg.mlir" \
  | sed -E 's/^ +/  /' | cut -c1-150

section "4. mlg-reference-to-llvm + mlir-runner: the block's logits for a fixed input"
"$MLG_OPT" "$EXAMPLE" --mlg-reference-to-llvm > "$work/llvm.mlir"
"$LLVM_BIN/mlir-runner" "$work/llvm.mlir" -e main -entry-point-result=void \
  -shared-libs="$LLVM_LIB/libmlir_runner_utils.so,$LLVM_LIB/libmlir_c_runner_utils.so" \
  > "$work/reference.txt"
grep -v '^Unranked' "$work/reference.txt"

section "5. Compression: the CIFAR ResNet-18 of the MLG paper, decomposed and quantized"
echo "  examples/models/resnet18.py writes it as linalg on tensors (weights with the decaying"
echo "  spectra of trained kernels; the memory figures depend only on shapes); mlg-compress"
echo "  applies the official rules, (Bi, Bc) = (2, 44), and stores basis/U/V at (3, 6, 3) bits."
/usr/bin/python3 examples/models/resnet18.py --dataset cifar10 --no-fc-bias --weights spectral \
  -o "$work/resnet18.mlir" 2>/dev/null
start=$(date +%s%N)
"$MLG_OPT" "$work/resnet18.mlir" \
  --mlg-compress="bi=2 bc=44 qb=3 qu=6 qv=3" \
  --mlg-memory-report="json=$work/report.json" -o "$work/resnet18.mlg.mlir"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
printf '  compressed in %d.%01d s; the paper (Table 2): parameter ratio 0.0497, memory ratio 0.0080\n' \
  $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100))
echo "  the compressed module: $(grep -c 'mlg.generate_' "$work/resnet18.mlg.mlir") generation ops," \
  "$(grep -c 'mlg.dequantize' "$work/resnet18.mlg.mlir") low-bit generator tensors;" \
  "the report as JSON: $(wc -c < "$work/report.json") bytes"

MLGC="$BUILD_DIR/bin/mlgc"
MLG_RUN="$BUILD_DIR/bin/mlg-run"
CHECK="/usr/bin/python3 scripts/demo_check.py"

section "6. mlgc + mlg-run: the example compiled ahead of time, every strategy against the reference"
echo "  mlgc fuses generation into the convolutions, picks a strategy per layer (or --strategy),"
echo "  and writes a shared library with a C ABI; mlg-run feeds it .npy files. Reference: step 4."
$CHECK basic-block-input "$work/x.npy"
# Without @main, which prints through the mlir-runner's runtime library.
sed 's/func.func @main/func.func private @main/' "$EXAMPLE" | "$MLG_OPT" --symbol-dce \
  > "$work/block.mlir"
for strategy in auto dense factorized tiled; do
  "$MLGC" -q "$work/block.mlir" --strategy=$strategy -o "$work/block_$strategy.so"
  "$MLG_RUN" "$work/block_$strategy.so" --entry basic_block --input "$work/x.npy" \
    --output "$work/block_$strategy.npy"
  printf '  %-12s' "$strategy:"
  $CHECK compare "$work/reference.txt" "$work/block_$strategy.npy"
done

section "7. ResNet-18 (CIFAR) compiled for the CPU: dense weights against MLG (2, 44, 3, 6, 3)"
compile() { # name, extra mlgc options...
  local name=$1; shift
  local start=$(date +%s%N)
  "$MLGC" -q "$work/resnet18.mlir" "$@" -o "$work/$name.so"
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  printf '  %-10s compiled in %d.%01d s, library %s bytes\n' "$name" $((ms / 1000)) \
    $((ms % 1000 / 100)) "$(stat -c %s "$work/$name.so")"
}
compile dense
compile mlg --compress="bi=2 bc=44 qb=3 qu=6 qv=3"
compile mlg-dense --compress="bi=2 bc=44 qb=3 qu=6 qv=3" --strategy=dense
$CHECK random-input 1x3x32x32 "$work/image.npy"
for name in dense mlg; do
  printf '  %-10s latency, batch 1: ' "$name"
  "$MLG_RUN" "$work/$name.so" --input "$work/image.npy" --output "$work/$name.npy" --bench 5 \
    | sed -E 's/^mlg-run: [a-z_]+: //'
done
"$MLG_RUN" "$work/mlg-dense.so" --input "$work/image.npy" --output "$work/mlg-dense.npy"
printf '  MLG with the chosen strategies against MLG generating W densely:'
$CHECK compare "$work/mlg-dense.npy" "$work/mlg.npy"
