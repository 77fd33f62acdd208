// A 3x3 convolution whose filter is generated at level 1 only
// (generate_intra(U, B), Bc = Co = 12; 3-bit U fits the weight DAC, so one
// GEN run per K chunk and a one-slice RECOMP that writes the GEMM's weight
// row), weight-source=generated, checked as generated-conv-execute.mlir.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/generated.py model %t intra
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/generated.py quantize %t intra
// RUN: ptc-sim --raw-codes -q --model=%S/Inputs/dptc-hbm-adc16.json %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/generated.py check %t intra 16 0.3 | FileCheck %s --check-prefix=NUMPY

// REMARK: remark: loc("gconv1"): PTC lowering: weights generated on the core (level 1; W1 shift {{[0-9]+}})
// NUMPY: intra: 2400 codes match the regenerating emulation; padding columns zero: True
// NUMPY-NEXT: max error / max|y| vs the float compressed network: {{0\.[0-9]+}} (tolerance 0.3): ok

// CHECK:      ptc.data @gconv1_0_coeff_u offset {{[0-9]+}} = dense<{{.*}}> : tensor<2x1152xi4>
// CHECK-NEXT: ptc.data @gconv1_0_basis offset {{[0-9]+}} = dense<{{.*}}> : tensor<18x48xi4>
// CHECK-NOT:  coeff_v
// CHECK:      ptc.layer "gconv1_0"
// CHECK-NOT:  ptc.gen level 2
// CHECK:      ptc.cfg t_acc = 1 deps<pop_prev>
// CHECK-NEXT: ptc.gen level 1 uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 1
// CHECK-NEXT: ptc.recomp wgt dst 0 src 18 len 1 slices 1 slice_bits 4 stride 1 out_bits 4 round rshift
// CHECK-COUNT-8: ptc.recomp wgt
// CHECK-NEXT: ptc.cfg t_acc = 3
// CHECK-NOT:  ptc.gen level 2
// CHECK:      ptc.finish
