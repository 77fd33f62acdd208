// Depthwise, dilated and grouped convolutions on the photonic core
// (test/Tools/Inputs/depthwise_net.py: 3x3 expand, depthwise 3x3 with
// dilation 2, depthwise 3x3 with stride 2, grouped 3x3 with 3 groups on
// NGCHW views, 1x1 project) compiled for the CPU and with mlgc
// --target=ptc. A depthwise or grouped convolution runs as the GEMM of its
// diagonal / block-diagonal filter (exact; G times its own MACs); a dilated
// tap reads the input `dilation` pixels apart. With 8-bit inputs and
// weights and an exact ADC the output is within 0.05 of max|y| of the CPU
// build (measured 0.021; with 6-bit codes about 0.14, the format's error
// over five layers).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../Inputs/depthwise_net.py write %t
// RUN: sed 's/"input_bits": 6/"input_bits": 8/; s/"weight_bits": 6/"weight_bits": 8/' %S/../Inputs/dptc-hbm-w6a6.json > %t/w8a8.json
// RUN: mlgc -q %t/net.mlir -o %t/model.so
// RUN: mlg-run %t/model.so --input %t/x.npy --output %t/cpu.npy
// RUN: mlgc -q %t/net.mlir --target=ptc --calibration=%t/x.npy --ptc-model=%t/w8a8.json -o %t/prog.ptc
// RUN: ptc-sim -q %t/prog.ptc --model=%t/w8a8.json --input %t/x.npy --output %t/ptc.npy
// RUN: mlg-translate --binary-to-ptc %t/prog.ptc -o %t/prog.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: %python %S/../Inputs/ptc_vs_cpu.py quantize %t
// RUN: ptc-sim -q %t/prog.ptc --model=%t/w8a8.json --input %t/xq.npy --output %t/raw.npy --raw-codes
// RUN: %python %S/../Inputs/ptc_vs_cpu.py check %t 0.05 | FileCheck %s --check-prefix=CPU

// The depthwise filters as GEMM weights: 48 output rows x 9 taps x 24
// channel columns.
// CHECK:     ptc.data @dw_1_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<48x216xi8>
// CHECK:     ptc.data @dws2_2_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<48x216xi8>
// CHECK:     ptc.data @grouped_3_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<48x216xi8>
// Output row 0 of the dilated layer: taps dy = 0 read row -2 (zero rows),
// dy = 1 reads row 0 from pixel -2 (two zero rows on top), 0 and 2.
// CHECK:     ptc.layer "dw_1"
// CHECK-COUNT-3: ptc.load inp sram {{[0-2]}} dram [[ZEROS:[0-9]+]] rows 12 cols 24 stride 0
// CHECK-NEXT: ptc.load inp sram 3 dram [[ROW0:[0-9]+]] rows 7 cols 24 stride 48 pad [2, 3, 0, 0] bits 8
// CHECK-NEXT: ptc.load inp sram 4 dram [[ROW0]] rows 9 cols 24 stride 48 pad [0, 3, 0, 0] bits 8
// CHECK-NEXT: ptc.load inp sram 5 dram {{[0-9]+}} rows 7 cols 24 stride 48 pad [0, 5, 0, 0] bits 8
// CHECK:     ptc.layer "dws2_2"
// CHECK:     ptc.layer "grouped_3"
// CHECK:     ptc.layer "project_4"

// CPU:      input host shape (2, 8, 9, 9) output host shape (2, 16, 5, 5)
// CPU-NEXT: float output float32 (2, 16, 5, 5) = codes * scale: True
// CPU-NEXT: max error / max|y| vs the CPU build: {{0\.0[0-4][0-9]*}} (tolerance 0.05): ok
