// A classifier on a flattened image (test/Tools/Inputs/lenet_net.py: 5x5
// convolution + bias without ReLU, 2x2 max pooling of those signed values
// (no padding: every tap in the image), 2x2 average pooling, tensor.collapse_shape
// to [N, C*H*W], matmul + bias) compiled for the CPU and with mlgc
// --target=ptc. The average pooling (a window sum times 1/4) runs as the
// depthwise convolution with a filter of ones, the scale folded into it.
// The matmul on the flattened 12x2x2 image runs as the 2x2 convolution over
// the whole image (one output pixel): B's rows, NCHW-flattened (c, y, x),
// become the tap-major reduction (t, c). With 8-bit codes and an exact ADC
// the logits are within 0.05 of max|y| of the CPU build (measured 0.010).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../Inputs/lenet_net.py write %t
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

// The average pooling and the classifier: 48 output rows x 4 taps x 24
// channel columns; the classifier per image one tile of one pixel, 4 chunks
// (one per tap).
// CHECK:     ptc.data @avg_2_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<48x96xi8>
// CHECK:     ptc.data @fc_3_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<48x96xi8>
// CHECK:     ptc.layer "avg_2"
// CHECK:     ptc.layer "fc_3"
// CHECK:     ptc.load inp sram 0 dram {{[0-9]+}} rows 1 cols 24 stride 48 pad [0, 11, 0, 0] bits 8
// CHECK:     ptc.gemm uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 4 dst [0, 0] src [0, 1] wgt [0, 1]

// CPU:      input host shape (2, 1, 12, 12) output host shape (2, 10)
// CPU-NEXT: float output float32 (2, 10) = codes * scale: True
// CPU-NEXT: max error / max|y| vs the CPU build: {{0\.0[0-4][0-9]*}} (tolerance 0.05): ok
