// K segmentation when a block's weights do not stay resident: the network
// of conv-segmented-execute.mlir (Inputs/convs.py --wide: conv1 3x3 over 160
// channels, 63 chunks, 56 tiles in three groups of live acc rows) on
// dptc-hbm-adc16 with a 99-row wgt buffer, where the 2 x 63 rows of two
// resident blocks do not fit: segments of 48 + 15 chunks, and every group
// reloads its block's weight segments (63 rows x 3 groups x 2 blocks = 378
// weight LOADs). Bit-exact against the emulation and within 2 hidden-code
// steps of the float W4A4 fake quantization (exact ADC).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/convs.py model %t --wide
// RUN: sed 's/"wgt": { "size": "256 KiB"/"wgt": { "size": "112 KiB"/' %S/Inputs/dptc-hbm-adc16.json > %t/small-wgt.json
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy model=%t/small-wgt.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/convs.py quantize %t --wide
// RUN: ptc-sim --raw-codes -q %t/prog.bin --model=%t/small-wgt.json --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/convs.py check %t 3 16 2 --wide | FileCheck %s --check-prefix=EXACT
// RUN: awk '/ptc.layer "conv2/{exit} {print}' %t/prog.mlir | grep -c "ptc.load wgt" | FileCheck %s --check-prefix=RELOADS

// EXACT:      convs: 4704 codes match the emulation; padding columns zero: True
// EXACT-NEXT: max error / max|y|: vs float 0.3
// EXACT-NEXT: vs fake quantization: {{[01]\.[0-9]+}} hidden-code flips (tolerance 2): ok
// RELOADS:    378

// CHECK:      ptc.data @conv1_0_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<96x1512xi4> {adc_fs_bits = {{[0-9]+}} : i64, segment = 48 : i64}
// CHECK:      ptc.layer "conv1_0"
// Group 0, segment 0: 48 weight rows, then the group's tiles.
// CHECK-COUNT-48: ptc.load wgt
// CHECK-NEXT: ptc.load inp
// CHECK:      ptc.gemm uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 48
// CHECK:      ptc.gemm uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 15
