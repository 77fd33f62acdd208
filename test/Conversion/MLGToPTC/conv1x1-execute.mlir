// Two 1x1 convolutions (NCHW, bias + ReLU, then bias) through mlg-to-ptc,
// mlg-translate and ptc-sim: the weights of mlp-execute.mlir on 5 images of
// 2 x 2 pixels, so the program is the MLP's on the 20 pixels as rows (NHWC
// host layout). Inputs/mlp.py checks the output bit-exactly against the
// emulation of the integer program and, with an exact ADC, within 2
// hidden-code steps of a float fake quantization; the unquantized reference
// is a numpy NCHW convolution (measured error 0.24 of max|y|).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/mlp.py model %t conv
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// The listing below is of the all-DRAM layout (global-sram=false); the
// program run here keeps its hidden result in the global SRAM.
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy model=%S/Inputs/dptc-hbm-adc16.json global-sram=false" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/dram.mlir
// RUN: FileCheck %s --input-file=%t/dram.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir --check-prefix=SRAM
// SRAM: ptc.data @conv1_0_result offset 0 = dense<0> : tensor<20x96xi4> {role = "activation", scale = {{.*}} : f64, space = "global_sram"}
// SRAM: ptc.store acc sram {{[0-9]+}} dram 2147483648 rows
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/mlp.py quantize %t conv
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/dptc-hbm-adc16.json --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/Inputs/mlp.py check %t conv 3 16 2 | FileCheck %s --check-prefix=EXACT
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim -q %t/prog.bin --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/Inputs/mlp.py check %t conv 3 8 | FileCheck %s --check-prefix=EMULATION

// CHECK:      ptc.data @input offset 0 = dense<0> : tensor<20x48xi4> {host_layout = "nchw_pixels", host_shape = array<i64: 5, 40, 2, 2>, role = "input"
// CHECK:      ptc.data @conv1_0_weight offset 480 = dense<{{.*}}> : tensor<96x48xi4>
// CHECK:      ptc.data @output offset 6048 = dense<0> : tensor<20x48xi16> {host_layout = "nchw_pixels", host_shape = array<i64: 5, 10, 2, 2>, role = "output"
// CHECK:      ptc.layer "conv1_0"
// CHECK:      ptc.alu max
// CHECK:      ptc.layer "conv2_1"
// CHECK:      ptc.finish deps<pop_next>

// EXACT:      mlp: 960 codes match the emulation; padding columns zero: True
// EXACT-NEXT: max error / max|y|: vs float 0.2
// EXACT-NEXT: vs fake quantization: {{[01]\.[0-9]+}} hidden-code flips (tolerance 2): ok

// EMULATION: mlp: 960 codes match the emulation; padding columns zero: True
