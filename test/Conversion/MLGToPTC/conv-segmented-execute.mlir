// A reduction longer than the buffers: conv1 is 3x3 over 160 channels
// (63 chunks of BLOCK_IN; a double-buffered dptc-hbm tile holds 56 inp
// rows), so the pass splits it into segments of 54 and 9 chunks (whole ADC
// windows of t_acc = 3), one GEMM run each, accumulating in the tile's acc
// row. Its 56 tiles form groups of 27 whose acc rows stay live across the
// segments; the block's 63 weight rows stay resident across the groups.
// Inputs/convs.py --wide checks the output codes bit-exactly against the
// numpy emulation (ADC windows restarting at each segment) and, with an
// exact ADC, within 2 hidden-code steps of a float W4A4 fake quantization
// (measured error vs the float network 0.36 of max|y|, the int4 format's).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/convs.py model %t --wide
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/convs.py quantize %t --wide
// RUN: ptc-sim --raw-codes -q %t/prog.bin --model=%S/Inputs/dptc-hbm-adc16.json --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/convs.py check %t 3 16 2 --wide | FileCheck %s --check-prefix=EXACT
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/convs.py check %t 3 8 --wide | FileCheck %s --check-prefix=EMULATION

// EXACT:      convs: 4704 codes match the emulation; padding columns zero: True
// EXACT-NEXT: max error / max|y|: vs float 0.3
// EXACT-NEXT: vs fake quantization: {{[01]\.[0-9]+}} hidden-code flips (tolerance 2): ok
// EMULATION:  convs: 4704 codes match the emulation; padding columns zero: True

// CHECK:      ptc.data @conv1_0_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<96x1512xi4> {adc_fs_bits = {{[0-9]+}} : i64, segment = 54 : i64}
// CHECK:      ptc.data @conv2_1_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<48x648xi4> {adc_fs_bits = {{[0-9]+}} : i64, segment = 27 : i64}
// CHECK:      ptc.layer "conv1_0"
// The first block's 63 weight rows, once for all its groups.
// CHECK-COUNT-63: ptc.load wgt
// CHECK-NOT:  ptc.load wgt
// Tile 0, segment 0: 54 inp rows, reset and one run of 54 steps into acc row 0.
// CHECK-COUNT-54: ptc.load inp
// CHECK:      ptc.gemm reset uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 1 {{.*}} deps<pop_prev>
// CHECK-NEXT: ptc.gemm uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 54 {{.*}} deps<push_prev>
// No requantization before the group's last segment.
// CHECK-NOT:  ptc.alu
// CHECK:      ptc.gemm uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 9 {{.*}} deps<pop_prev|push_prev>
// CHECK-NEXT: ptc.alu add
// CHECK:      ptc.layer "conv2_1"
// CHECK:      ptc.finish deps<pop_next>
