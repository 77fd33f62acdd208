// The forms of examples/basic_block.mlir as a graph (Inputs/residual.py
// variant b): ReLU in separate generics, a residual add of the network
// input (stored with 48 columns, as the ALU reads BLOCK_OUT channels),
// zero-padded max pooling after the ReLU, the mean as a reduction generic
// into [N, C], matmul. Bit-exact against the numpy emulation; with an exact
// ADC within 0.35 of max|y| of the float network (measured 0.22); with
// dptc-hbm's 8-bit ADC ADC-bound (0.99).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/residual.py model %t b
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/residual.py quantize %t b
// RUN: ptc-sim --raw-codes -q %t/prog.bin --model=%S/Inputs/dptc-hbm-adc16.json --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/residual.py check %t b 3 16 0.35 | FileCheck %s --check-prefix=EXACT-B
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/residual.py check %t b 3 8 | FileCheck %s --check-prefix=EMULATION-B

// EXACT-B:      residual b: 96 codes match the emulation (gemm gemm add maxpool avgpool matmul); padding columns zero: True
// EXACT-B-NEXT: max error / max|y| vs float: 0.
// EXACT-B-NEXT: tolerance 0.35: ok
// EMULATION-B:  residual b: 96 codes match the emulation

// The add reads the network input, stored with 48 columns.
// CHECK:      ptc.data @input offset 0 = dense<0> : tensor<72x48xi4> {{.*}}role = "input"
// CHECK:      ptc.layer "add_2"
// CHECK:      ptc.layer "pool_3"
// CHECK:      ptc.layer "avgpool_4"
// CHECK:      ptc.layer "fc_5"
