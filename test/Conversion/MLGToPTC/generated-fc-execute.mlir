// A matmul whose weight is generated at level 2 only (W = V . B through a
// linalg.transpose, the form mlg-compress gives a final linear layer), then
// a dense matmul; weight-source=generated. B's 3-bit levels are loaded as
// the level-1 kernels into wgt rows; GEN level 2 makes each block's weight
// rows. Checked as generated-conv-execute.mlir; also with weight-source=dense
// (the dequantized generated weight quantized as a dense layer).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/generated.py model %t fc
// The fused form (mlg.generated_matmul with its bias) lowers to the same program.
// RUN: mkdir -p %t/fused && %python %S/Inputs/generated.py model %t/fused fc-fused
// RUN: mlg-opt %t/fused/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated" -o %t/fused/prog.mlir 2>/dev/null
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated" -o %t/unfused.mlir 2>/dev/null
// RUN: cmp %t/fused/prog.mlir %t/unfused.mlir
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/generated.py quantize %t fc
// RUN: ptc-sim --raw-codes --model=%S/Inputs/dptc-hbm-adc16.json -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/generated.py check %t fc 16 0.4 | FileCheck %s --check-prefix=NUMPY
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>/dev/null
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/generated.py check %t fc | FileCheck %s --check-prefix=HBM
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=dense" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>/dev/null
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/generated.py check %t fc | FileCheck %s --check-prefix=HBM

// NUMPY: fc: 960 codes match the regenerating emulation; padding columns zero: True
// NUMPY-NEXT: max error / max|y| vs the float compressed network: {{0\.[0-9]+}} (tolerance {{.*}}): ok
// On dptc-hbm (8-bit ADC), generated and dense: bit-exact.
// HBM: fc: {{[0-9]+}} codes match the regenerating emulation; padding columns zero: True

// CHECK:      ptc.data @gfc1_0_kernels offset {{[0-9]+}} = dense<{{.*}}> : tensor<2x1152xi4>
// CHECK-NEXT: ptc.data @gfc1_0_coeff_v offset {{[0-9]+}} = dense<{{.*}}> : tensor<1x2304xi4>
// CHECK:      ptc.data @fc2_1_weight
// CHECK:      ptc.layer "gfc1_0"
// CHECK-NEXT: ptc.cfg in_bits
// CHECK:      ptc.load wgt sram 4 dram {{[0-9]+}} rows 96 cols 24 stride 24
// CHECK-NEXT: ptc.load coeff_v sram 0
// CHECK-NOT:  ptc.gen level 1
// CHECK:      ptc.gen level 2 requant uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 2 dst [0, 1] a [0, 0] b [0, 1]
// CHECK:      ptc.layer "fc2_1"
