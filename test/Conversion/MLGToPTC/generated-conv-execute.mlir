// Two 3x3 convolutions whose filters are MLG generator chains
// (generate_cross(V, generate_intra(U, B)); qb 3, qu 6, qv 3, Bi 2, Bc 6;
// stride 1 + ReLU, then stride 2; folded BatchNorm scales, which go into the
// multipliers since W is generated) through mlg-to-ptc with
// weight-source=generated, mlg-translate and ptc-sim. Inputs/generated.py
// regenerates every weight row from the generator tensors stored in the
// program (U digits, basis, V) with the ISA's rules (GEN level 1 per digit,
// RECOMP with rshift, GEN level 2 with the calibrated ADC full scale and
// requantization) and emulates the GEMMs: bit-exact; the dequantized output
// is compared with the float network of the same compressed module.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/generated.py model %t conv
// The fused form (mlg.generated_conv2d with its own padding) lowers to the same program.
// RUN: mkdir -p %t/fused && %python %S/Inputs/generated.py model %t/fused conv-fused
// RUN: mlg-opt %t/fused/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated" -o %t/fused/prog.mlir 2>/dev/null
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated" -o %t/unfused.mlir 2>/dev/null
// RUN: cmp %t/fused/prog.mlir %t/unfused.mlir
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/generated.py quantize %t conv
// RUN: ptc-sim --raw-codes --model=%S/Inputs/dptc-hbm-adc16.json %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/generated.py check %t conv 16 0.65 | FileCheck %s --check-prefix=NUMPY
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>/dev/null
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/generated.py check %t conv | FileCheck %s --check-prefix=HBM
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=dense" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>/dev/null
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/generated.py check %t conv | FileCheck %s --check-prefix=HBM

// REMARK: remark: {{.*}}gconv1{{.*}} weights generated on the core (level 1 + level 2; W1 shift {{[0-9]+}}
// REMARK: remark: {{.*}}gconv2{{.*}} weights generated on the core (level 1 + level 2;

// NUMPY: conv: 864 codes match the regenerating emulation; padding columns zero: True
// NUMPY-NEXT: max error / max|y| vs the float compressed network: {{0\.[0-9]+}} (tolerance {{.*}}): ok
// On dptc-hbm (8-bit ADC), generated and dense: bit-exact.
// HBM: conv: {{[0-9]+}} codes match the regenerating emulation; padding columns zero: True

// SIM: by instruction class: {{.*}}gen {{[0-9]+}}{{.*}}recomp {{[0-9]+}}

// No weight tensors: U as two 4-bit digit tensors [piece x Bi x chunks],
// the basis [Bi x taps] rows, V [out blocks] rows.
// CHECK-NOT:  @gconv1_0_weight
// CHECK:      ptc.data @gconv1_0_coeff_u offset {{[0-9]+}} = dense<{{.*}}> : tensor<4x1152xi4>
// CHECK-NEXT: ptc.data @gconv1_0_basis offset {{[0-9]+}} = dense<{{.*}}> : tensor<18x48xi4>
// CHECK-NEXT: ptc.data @gconv1_0_coeff_v offset {{[0-9]+}} = dense<{{.*}}> : tensor<1x2304xi4>
// CHECK:      ptc.data @gconv2_1_coeff_u offset {{[0-9]+}} = dense<{{.*}}> : tensor<4x1152xi4>
// CHECK:      ptc.layer "gconv1_0"
// Generator loads once per layer, zero RECOMP slices when needed.
// CHECK:      ptc.load coeff_u sram 0
// CHECK-NEXT: ptc.load basis sram 0
// CHECK-NEXT: ptc.load coeff_v sram 0
// Level 1 per K chunk (9 taps x 1 chunk): two digit runs, then RECOMP.
// CHECK:      ptc.cfg t_acc = 1 deps<pop_prev>
// CHECK-NEXT: ptc.gen level 1 uops
// CHECK-NEXT: ptc.recomp wgt dst 18 src 27 len 1 slices 2 slice_bits 4 stride 1 out_bits 4 round rshift
// CHECK-COUNT-8: ptc.gen level 1
// Level 2 over the 9 chunks, one step each, ADC calibrated, back to the
// worst case and the GEMM's t_acc.
// CHECK:      ptc.cfg adc_fs_bits =
// CHECK:      ptc.gen level 2 requant uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 9 dst [0, 1] a [0, 0] b [0, 1]
// CHECK-NEXT: ptc.cfg adc_fs_bits = 0
// CHECK-NEXT: ptc.cfg t_acc = 3
// The first tile's reset no longer pops: the generation took the token.
// CHECK:      ptc.gemm reset uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0]{{$}}
// CHECK:      ptc.layer "gconv2_1"
// CHECK:      ptc.finish deps<pop_next>
