// Two 3x3 convolutions (tensor.pad + linalg.conv_2d_nchw_fchw; stride 1 with
// bias + ReLU, then stride 2 with a folded BatchNorm x * scale + shift, whose
// scale the pass folds into the weights) as im2col GEMMs, through mlg-to-ptc,
// mlg-translate and ptc-sim. Inputs/convs.py checks the output codes
// bit-exactly against a numpy emulation of the integer program (im2col,
// tap-major reduction, ADC windows, requantization) and, with an exact ADC,
// within 2 hidden-code steps of a float W4A4 fake quantization; the float
// reference is a direct NCHW convolution (measured error 0.32 of max|y|,
// the int4 format's; with dptc-hbm's 8-bit ADC the error is ADC-bound).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/convs.py model %t
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/convs.py quantize %t
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/dptc-hbm-adc16.json --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/Inputs/convs.py check %t 3 16 2 | FileCheck %s --check-prefix=EXACT
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim -q %t/prog.bin --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/Inputs/convs.py check %t 3 8 | FileCheck %s --check-prefix=EMULATION

// EXACT:      convs: 864 codes match the emulation; padding columns zero: True
// EXACT-NEXT: max error / max|y|: vs float 0.3
// EXACT-NEXT: vs fake quantization: {{[01]\.[0-9]+}} hidden-code flips (tolerance 2): ok
// EMULATION:  convs: 864 codes match the emulation; padding columns zero: True

// 2 images of 5x5 pixels, 40 channels padded to 48 (NHWC rows); weights
// [out][9 taps x 48]; a zero row source for taps outside the image.
// CHECK:      ptc.data @input offset 0 = dense<0> : tensor<50x48xi4> {host_layout = "nchw_pixels", host_shape = array<i64: 2, 40, 5, 5>, role = "input"
// The zero row source: the last 16 bytes of the 2 MiB global SRAM.
// CHECK-NEXT: ptc.data @zeros offset 2097136 = dense<0> : tensor<24xi4> {space = "global_sram"}
// The stem reads each input pixel 2 x 9 times: a copy in the global SRAM.
// CHECK-NEXT: ptc.data @input_staged offset 0 = dense<0> : tensor<50x48xi4> {role = "activation", scale = {{.*}} : f64, space = "global_sram"}
// CHECK-NEXT: ptc.data @conv1_0_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<96x432xi4>
// CHECK:      ptc.data @conv1_0_result offset {{[0-9]+}} = dense<0> : tensor<50x96xi4>
// CHECK:      ptc.data @conv2_1_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<48x648xi4>
// CHECK:      ptc.data @output offset {{[0-9]+}} = dense<0> : tensor<18x48xi16> {host_layout = "nchw_pixels", host_shape = array<i64: 2, 10, 3, 3>, role = "output"
// CHECK:      ptc.layer "conv1_0"
// 18 weight rows (9 taps x 2 channel chunks) per output block.
// CHECK-COUNT-18: ptc.load wgt
// First tile = output row 0 of image 0: taps dy = 0 lie above the image
// (zero rows, x_stride 0); tap (1, 0) starts one pixel left of it (one zero
// row on top, 4 pixels, 7 zero rows at the bottom of the 12-row tile).
// CHECK-NEXT: ptc.load inp sram 0 dram 2149580784 rows 12 cols 24 stride 0 pad [0, 0, 0, 0] bits 4
// CHECK-COUNT-5: ptc.load inp sram {{[1-5]}} dram 2149580784 rows 12 cols 24 stride 0
// CHECK-NEXT: ptc.load inp sram 6 dram 2147483648 rows 4 cols 24 stride 48 pad [1, 7, 0, 0] bits 4
// CHECK-NEXT: ptc.load inp sram 7 dram 2147483660 rows 4 cols 24 stride 48 pad [1, 7, 0, 0] bits 4
// CHECK-NEXT: ptc.load inp sram 8 dram 2147483648 rows 5 cols 24 stride 48 pad [0, 7, 0, 0] bits 4
// CHECK:      ptc.gemm uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 18 dst [0, 0] src [0, 1] wgt [0, 1]
// CHECK:      ptc.layer "conv2_1"
// Stride 2: input pixels two apart (x_stride 2 x 96 stored columns); the
// reduction covers 72 of them per tap (60 channels to BLOCK_IN): 27 chunks.
// CHECK:      ptc.load inp {{.*}} stride 192 pad
// CHECK:      ptc.gemm uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 27 dst [0, 0] src [0, 1] wgt [0, 1]
// CHECK:      ptc.finish deps<pop_next>
