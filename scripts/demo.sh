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

PTC_SIM="$BUILD_DIR/bin/ptc-sim"
ptc_compile() { # log file, mlgc options...: fails with mlgc's messages; its remarks go to the log
  local log=$1; shift
  "$MLGC" -q "$@" 2> "$log" || { cat "$log" >&2; exit 1; }
}
ptc_start=$(date +%s%N)

section "8. The example on the photonic tensor core: mlgc --target=ptc + ptc-sim against step 6"
echo "  mlgc lowers the block to the core's program (4-bit activations and weights, 8-bit ADC;"
echo "  activation scales calibrated on the input; preset dptc-hbm). ptc-sim runs it on the same"
echo "  float .npy as mlg-run; per layer, weights are generated on the core or loaded dense."
for source in auto dense; do
  ptc_compile "$work/block_ptc_$source.log" "$work/block.mlir" --target=ptc \
    --calibration="$work/x.npy" --ptc-weight-source=$source -o "$work/block_$source.ptc"
  "$PTC_SIM" -q "$work/block_$source.ptc" --model=dptc-hbm --input "$work/x.npy" \
    --output "$work/block_ptc_$source.npy" --report-json "$work/block_ptc_$source.json"
  echo "  --ptc-weight-source=$source:"
  $CHECK ptc-choices "$work/block_ptc_$source.log" --each | sed 's/^/  /'
  printf '    against the CPU build:'
  $CHECK compare-ptc "$work/block_auto.npy" "$work/block_ptc_$source.npy"
  $CHECK ptc-report "$work/block_ptc_$source.json"
done
if cmp -s "$work/block_auto.ptc" "$work/block_dense.ptc"; then
  echo "  (auto kept every layer dense here: the two programs are identical)"
fi

section "9. ResNet-18 (CIFAR) on the photonic core: dense 8-bit, dense 4-bit and MLG, from ptc-sim"
preset=dptc-edge-lpddr
images=4
echo "  Preset $preset (LPDDR DRAM: weight traffic is dear; the cost model generates there)."
echo "  Dense 8-bit is the baseline (--ptc-weight-bits=8: two 4-bit digits); MLG is step 7's"
echo "  (2, 44, 3, 6, 3) module with --ptc-weight-source=auto. Calibration: 4 random images; the"
echo "  outputs of $images others against step 7's CPU libraries (mlg-run)."
mkdir "$work/ptc"
$CHECK random-input 4x3x32x32 "$work/calib.npy" 1
ptc_compile "$work/ptc/dense8.log" "$work/resnet18.mlir" --target=ptc --ptc-model=$preset \
  --calibration="$work/calib.npy" --ptc-weight-bits=8 -o "$work/ptc/dense8.ptc"
ptc_compile "$work/ptc/dense4.log" "$work/resnet18.mlir" --target=ptc --ptc-model=$preset \
  --calibration="$work/calib.npy" -o "$work/ptc/dense4.ptc"
ptc_compile "$work/ptc/mlg.log" "$work/resnet18.mlir" --compress="bi=2 bc=44 qb=3 qu=6 qv=3" \
  --target=ptc --ptc-model=$preset --calibration="$work/calib.npy" -o "$work/ptc/mlg.ptc"
echo "  MLG, per layer (mlgc's remarks):"
$CHECK ptc-choices "$work/ptc/mlg.log" | sed 's/^/  /'
for i in $(seq 0 $((images - 1))); do
  $CHECK random-input 1x3x32x32 "$work/ptc/image-$i.npy" $((10 + i))
  for cpu in dense mlg; do
    "$MLG_RUN" "$work/$cpu.so" --input "$work/ptc/image-$i.npy" --output "$work/ptc/cpu-$cpu-$i.npy"
  done
  for name in dense8 dense4 mlg; do
    "$PTC_SIM" -q "$work/ptc/$name.ptc" --model=$preset --input "$work/ptc/image-$i.npy" \
      --output "$work/ptc/$name-$i.npy" --report-json "$work/ptc/$name-$i.json"
  done
done
$CHECK ptc-table "$work/ptc" $images "dense8,dense,dense 8-bit" "dense4,dense,dense 4-bit" \
  "mlg,mlg,MLG (2,44,3,6,3)"
ptc_ms=$(( ($(date +%s%N) - ptc_start) / 1000000 ))
printf '\n  steps 8 and 9 took %d.%01d s\n' $((ptc_ms / 1000)) $((ptc_ms % 1000 / 100))

section "10. The Python package: a PyTorch model trained, compressed with mlg.nn, compiled, run"
echo "  examples/fashion_mnist.py --quick on Debian's Fashion-MNIST: a short training (8,192"
echo "  images, one epoch each), far from convergence; bench/accuracy is the measured benchmark."
py_start=$(date +%s%N)
/usr/bin/python3 examples/fashion_mnist.py --package "$BUILD_DIR/python" --quick 2>&1 \
  | grep -v -i "warning" | sed 's/^/  /'
py_ms=$(( ($(date +%s%N) - py_start) / 1000000 ))
printf '\n  step 10 took %d.%01d s\n' $((py_ms / 1000)) $((py_ms % 1000 / 100))

section "11. A second generator family: SmartDeal, and MLG with power-of-two V, on step 5's model"
echo "  family=smartdeal: each block of a weight is C x B, C sparse with signed power-of-two"
echo "  entries (5-bit codes, half of each block's rows pruned), B a 3x3 basis at 8 bits;"
echo "  family=mlg+smartdeal: step 5's MLG with V on the power-of-two grid (shifts and adds)."
echo "  The memory report counts the sparse codes with their row and element bitmaps."
"$MLG_OPT" "$work/resnet18.mlir" --mlg-compress="family=smartdeal sd-row-prune=0.5 qb=8" \
  --mlg-memory-report="json=$work/report_sd.json table=" --mlir-print-debuginfo \
  -o "$work/resnet18.sd.mlir"
"$MLG_OPT" "$work/resnet18.mlir" --mlg-compress="family=mlg+smartdeal bi=2 bc=44 qb=3 qu=6" \
  --mlg-memory-report="json=$work/report_mixed.json table=" --mlir-print-debuginfo \
  -o "$work/resnet18.mixed.mlir"
$CHECK families "MLG (2,44,3,6,3)=$work/report.json" \
  "SmartDeal (prune 0.5)=$work/report_sd.json" "MLG + power-of-two V=$work/report_mixed.json"
echo
echo "  SmartDeal compiled for the CPU (weights regenerated block by block, then the dense"
echo "  convolution) and for the photonic core ($preset, as step 9: the cost model generates each"
echo "  layer's weights by shift-add (SHADD) or loads them dense), on step 9's images; and MLG"
echo "  with power-of-two V, whose V the core's 4-bit weight DAC takes on a per-channel grid"
echo "  (GEN multiplies in the analog domain, so shifts save nothing there):"
sd_start=$(date +%s%N)
"$MLGC" -q "$work/resnet18.sd.mlir" -o "$work/sd.so"
"$MLGC" -q "$work/resnet18.mixed.mlir" -o "$work/mixed.so"
for family in sd mixed; do
  label=$([ $family = sd ] && echo SmartDeal || echo "MLG + pow2 V")
  printf '  %-13s latency, batch 1: ' "$label"
  "$MLG_RUN" "$work/$family.so" --input "$work/image.npy" --output "$work/$family.npy" \
    --bench 5 | sed -E 's/^mlg-run: [a-z_]+: //'
done
ptc_compile "$work/ptc/mixed.log" "$work/resnet18.mixed.mlir" --target=ptc \
  --ptc-model=$preset --calibration="$work/calib.npy" -o "$work/ptc/mixed.ptc"
echo "  MLG + power-of-two V, --ptc-weight-source=auto:"
$CHECK ptc-choices "$work/ptc/mixed.log" | sed 's/^/  /'
for source in auto generated; do
  ptc_compile "$work/ptc/sd-$source.log" "$work/resnet18.sd.mlir" --target=ptc \
    --ptc-model=$preset --calibration="$work/calib.npy" --ptc-weight-source=$source \
    -o "$work/ptc/sd-$source.ptc"
  echo "  SmartDeal, --ptc-weight-source=$source:"
  $CHECK ptc-choices "$work/ptc/sd-$source.log" | sed 's/^/  /'
done
for i in $(seq 0 $((images - 1))); do
  "$MLG_RUN" "$work/sd.so" --input "$work/ptc/image-$i.npy" --output "$work/ptc/cpu-sd-$i.npy"
  "$MLG_RUN" "$work/mixed.so" --input "$work/ptc/image-$i.npy" --output "$work/ptc/cpu-mixed-$i.npy"
  for prog in sd-auto sd-generated mixed; do
    "$PTC_SIM" -q "$work/ptc/$prog.ptc" --model=$preset --input "$work/ptc/image-$i.npy" \
      --output "$work/ptc/$prog-$i.npy" --report-json "$work/ptc/$prog-$i.json"
  done
done
$CHECK ptc-table "$work/ptc" $images "dense8,dense,dense 8-bit" "mlg,mlg,MLG (2,44,3,6,3)" \
  "sd-auto,sd,SmartDeal, auto" "sd-generated,sd,SmartDeal, SHADD" "mixed,mixed,MLG + pow2 V"
sd_ms=$(( ($(date +%s%N) - sd_start) / 1000000 ))
printf '\n  the SmartDeal and MLG + pow2 V builds and runs took %d.%01d s; bench/smartdeal compares the families at\n' \
  $((sd_ms / 1000)) $((sd_ms % 1000 / 100))
echo "  equal error (stored bits, CPU latency, simulated latency and energy)."
