// A ResNet-style stem (7x7 stride 2 padding 3 on 3 channels, then a 3x3
// convolution; test/Conversion/MLGToPTC/conv-stem-execute.mlir) compiled
// for the CPU and with mlgc --target=ptc. The compiler packs the stem's
// input rows ([2 x 16 x (16 + 2·3)][3] 4-bit codes, 3 zero pixels each side
// of every image row), and the binary's host view says so (row padding 3),
// so ptc-sim takes the same float32 NCHW .npy as mlg-run.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../Conversion/MLGToPTC/Inputs/convs.py model %t --stem
// RUN: mlgc -q %t/model.mlir -o %t/model.so
// RUN: mlg-run %t/model.so --input %t/x.npy --output %t/cpu.npy
// RUN: mlgc -q %t/model.mlir --target=ptc --calibration=%t/x.npy --ptc-model=%S/../../Conversion/MLGToPTC/Inputs/dptc-hbm-adc16.json -o %t/prog.ptc
// RUN: ptc-sim -q %t/prog.ptc --model=%S/../../Conversion/MLGToPTC/Inputs/dptc-hbm-adc16.json --input %t/x.npy --output %t/ptc.npy
// The same run on codes quantized and padded by numpy from the binary's
// own host view, its output kept as codes.
// RUN: mlg-translate --binary-to-ptc %t/prog.ptc -o %t/prog.mlir
// RUN: FileCheck %s --check-prefix=VIEWS --input-file=%t/prog.mlir
// RUN: %python %S/../Inputs/ptc_vs_cpu.py quantize %t
// RUN: ptc-sim -q %t/prog.ptc --model=%S/../../Conversion/MLGToPTC/Inputs/dptc-hbm-adc16.json --input %t/xq.npy --output %t/raw.npy --raw-codes
// Exactly the codes times the scale in NCHW; against the CPU build within
// the 4-bit quantization error conv-stem-execute.mlir measures against the
// float network (0.29 of max|y|).
// RUN: %python %S/../Inputs/ptc_vs_cpu.py check %t 0.35 | FileCheck %s

// VIEWS: ptc.data @input offset 0 = dense<0> : tensor<704x3xi4> {host_layout = "nchw_pixels", host_row_padding = 3 : i64, host_shape = array<i64: 2, 3, 16, 16>, role = "input", scale = {{.*}} : f64}
// VIEWS: ptc.data @output offset {{[0-9]+}} = dense<0> : tensor<32x48xi16> {host_layout = "nchw_pixels", host_shape = array<i64: 2, 10, 4, 4>, role = "output", scale = {{.*}} : f64}

// CHECK:      input host shape (2, 3, 16, 16) output host shape (2, 10, 4, 4)
// CHECK-NEXT: float output float32 (2, 10, 4, 4) = codes * scale: True
// CHECK-NEXT: max error / max|y| vs the CPU build: {{0\.[0-9]+}} (tolerance 0.35): ok
