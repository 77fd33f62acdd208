// A network compiled twice from the same module: for the CPU (mlgc -> .so,
// mlg-run) and for the photonic core (mlgc --target=ptc -> binary,
// ptc-sim). Both take the same float32 NCHW .npy and write a float32 NCHW
// .npy: the binary's host views (format version 3) carry the input and
// output scales and shapes, so ptc-sim quantizes and dequantizes itself.
// The network: the two 3x3 convolutions of
// test/Conversion/MLGToPTC/conv3x3-execute.mlir (2 images 40x5x5 -> 10x3x3),
// on a dptc-hbm variant with 6-bit inputs and weights and an exact ADC.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../Conversion/MLGToPTC/Inputs/convs.py model %t
// RUN: mlgc -q %t/model.mlir -o %t/model.so
// RUN: mlg-run %t/model.so --input %t/x.npy --output %t/cpu.npy
// RUN: mlgc -q %t/model.mlir --target=ptc --calibration=%t/x.npy --ptc-model=%S/../Inputs/dptc-hbm-w6a6.json -o %t/prog.ptc
// RUN: ptc-sim -q %t/prog.ptc --model=%S/../Inputs/dptc-hbm-w6a6.json --input %t/x.npy --output %t/ptc.npy
// The same run on codes: its input quantized by numpy from the binary's own
// scale, its output kept as codes.
// RUN: mlg-translate --binary-to-ptc %t/prog.ptc -o %t/prog.mlir
// RUN: FileCheck %s --check-prefix=VIEWS --input-file=%t/prog.mlir
// RUN: %python %S/../Inputs/ptc_vs_cpu.py quantize %t
// RUN: ptc-sim -q %t/prog.ptc --model=%S/../Inputs/dptc-hbm-w6a6.json --input %t/xq.npy --output %t/raw.npy --raw-codes
// Exactly the codes times the scale in NCHW, and within three 6-bit
// quantization steps (input, weights, hidden activations: 3/31 ~ 0.1) of
// max|y| from the CPU build (measured 0.07).
// RUN: %python %S/../Inputs/ptc_vs_cpu.py check %t 0.1 | FileCheck %s

// VIEWS: ptc.data @input offset 0 = dense<0> : tensor<50x48xi6> {host_layout = "nchw_pixels", host_shape = array<i64: 2, 40, 5, 5>, role = "input", scale = {{.*}} : f64}
// VIEWS: ptc.data @output offset {{[0-9]+}} = dense<0> : tensor<18x48xi16> {host_layout = "nchw_pixels", host_shape = array<i64: 2, 10, 3, 3>, role = "output", scale = {{.*}} : f64}

// CHECK:      input host shape (2, 40, 5, 5) output host shape (2, 10, 3, 3)
// CHECK-NEXT: float output float32 (2, 10, 3, 3) = codes * scale: True
// CHECK-NEXT: max error / max|y| vs the CPU build: {{0\.0[0-9]+}} (tolerance 0.1): ok
