// Generators the core's DACs cannot take as stored (docs/ptc-lowering.md,
// "Generators on the core's grids"), through mlg-to-ptc with
// weight-source=generated, mlg-translate and ptc-sim: layer 1 has one scale
// per channel for the basis (4-bit codes, wider than the 4-bit input DAC's
// 3-bit odd levels), U and V (4-bit codes); layer 2 a power-of-two V
// (mlg.decode_pow2 codes 9..15 and 0, seven octaves). The lowering puts
// each row of those on its own integer grid and folds the steps into the
// next level and the output channels' scales. Inputs/generated.py
// regenerates every weight from the program's generator tensors with the
// ISA's rules: bit-exact; the dequantized output is compared with the float
// network of the same module (an exact 16-bit ADC, so that it measures the
// lowering: 0.41 measured; the per-tensor 3-bit test, generated-conv-execute,
// measures 0.50).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/generated.py model %t grids
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/generated.py quantize %t grids
// RUN: ptc-sim --raw-codes -q --model=%S/Inputs/dptc-hbm-adc16.json %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/generated.py check %t grids 16 0.5 | FileCheck %s --check-prefix=NUMPY
// On dptc-hbm (8-bit ADC): bit-exact too.
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>/dev/null
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/generated.py check %t grids | FileCheck %s --check-prefix=HBM
// Level 1 alone with per-channel U and a per-channel 4-bit basis: the
// output channels get their own weight scales (0.21 measured; the
// per-tensor generated-intra-execute: within 0.3).
// RUN: mkdir -p %t/intra && %python %S/Inputs/generated.py model %t/intra intra-grids
// RUN: mlg-opt %t/intra/model.mlir --mlg-to-ptc="calibration=%t/intra/x.npy weight-source=generated model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/intra/prog.mlir 2>&1 | FileCheck %s --check-prefix=INTRA-REMARK
// RUN: mlg-translate --ptc-to-binary %t/intra/prog.mlir -o %t/intra/prog.bin
// RUN: %python %S/Inputs/generated.py quantize %t/intra intra-grids
// RUN: ptc-sim --raw-codes -q --model=%S/Inputs/dptc-hbm-adc16.json %t/intra/prog.bin --input input=%t/intra/xq.npy --output output=%t/intra/y.npy
// RUN: %python %S/Inputs/generated.py check %t/intra intra-grids 16 0.3 | FileCheck %s --check-prefix=INTRA

// REMARK: remark: {{.*}}gconv1{{.*}} weights generated on the core (level 1 + level 2; W1 shift {{[0-9]+}}, level-2 shift {{[0-9]+}}; on the core's grids: basis, V; weights' relative error 0.{{[0-2][0-9]+}})
// REMARK: remark: {{.*}}gconv2{{.*}} weights generated on the core (level 1 + level 2; W1 shift {{[0-9]+}}, level-2 shift {{[0-9]+}}; on the core's grids: V; weights' relative error 0.{{[0-2][0-9]+}})

// NUMPY: grids: 864 codes match the regenerating emulation; padding columns zero: True
// NUMPY-NEXT: max error / max|y| vs the float compressed network: {{0\.[0-9]+}} (tolerance 0.5): ok
// HBM: grids: 864 codes match the regenerating emulation; padding columns zero: True
// INTRA-REMARK: remark: {{.*}}gconv1{{.*}} weights generated on the core (level 1; W1 shift {{[0-9]+}}; on the core's grids: basis; weights' relative error 0.{{[0-2][0-9]+}})
// INTRA: intra-grids: 2400 codes match the regenerating emulation; padding columns zero: True
// INTRA-NEXT: max error / max|y| vs the float compressed network: {{0\.[0-9]+}} (tolerance 0.3): ok

// No weight tensors; the generators at the core's widths (U as two digits;
// basis and V as 4-bit integers).
// CHECK-NOT:  @gconv1_0_weight
// CHECK:      ptc.data @gconv1_0_coeff_u offset {{[0-9]+}} = dense<{{.*}}> : tensor<4x1152xi4>
// CHECK-NEXT: ptc.data @gconv1_0_basis offset {{[0-9]+}} = dense<{{.*}}> : tensor<18x48xi4>
// CHECK-NEXT: ptc.data @gconv1_0_coeff_v offset {{[0-9]+}} = dense<{{.*}}> : tensor<1x2304xi4>
// CHECK:      ptc.data @gconv2_1_coeff_v offset {{[0-9]+}} = dense<{{.*}}> : tensor<1x2304xi4>
// Output channels with their own scales: per-channel multipliers.
// CHECK:      ptc.data @gconv2_1_multiplier
