// A ResNet stem: conv1 7x7 stride 2 padding 3 on 3 input channels. Padding
// each tap's 3 channels to BLOCK_IN = 24 would take 49 chunks; the pass
// packs kernel rows instead: the host stores the input unpadded, each image
// row with 3 zero pixels left and right ([2 x 16 x 22][3] codes,
// host view with `host_row_padding = 3`), and the inp row of (tile, dy) is one LOAD of 21
// contiguous values per pixel (7 pixels x 3 channels, x_stride = stride x 3)
// plus 3 zero columns: 7 chunks. Inputs/convs.py --stem checks the output
// codes bit-exactly against the numpy emulation (the same chunk layout) and,
// with an exact ADC, within 2 hidden-code steps of a float W4A4 fake
// quantization (measured error vs the float network 0.29 of max|y|).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/convs.py model %t --stem
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/convs.py quantize %t --stem
// RUN: ptc-sim --raw-codes -q %t/prog.bin --model=%S/Inputs/dptc-hbm-adc16.json --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/convs.py check %t 3 16 2 --stem | FileCheck %s --check-prefix=EXACT
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/convs.py check %t 3 8 --stem | FileCheck %s --check-prefix=EMULATION

// EXACT:      convs: 1536 codes match the emulation; padding columns zero: True
// EXACT-NEXT: max error / max|y|: vs float 0.
// EXACT-NEXT: vs fake quantization: {{[01]\.[0-9]+}} hidden-code flips (tolerance 2): ok
// EMULATION:  convs: 1536 codes match the emulation; padding columns zero: True

// CHECK:      ptc.data @input offset 0 = dense<0> : tensor<704x3xi4> {host_layout = "nchw_pixels", host_row_padding = 3 : i64, host_shape = array<i64: 2, 3, 16, 16>, role = "input", scale = {{.*}} : f64}
// CHECK:      ptc.data @conv1_0_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<48x168xi4> {adc_fs_bits = {{[0-9]+}} : i64, segment = 7 : i64}
// CHECK:      ptc.layer "conv1_0"
// CHECK-COUNT-7: ptc.load wgt
// Output row 0 (8 pixels): kernel rows dy = 0..2 lie above the image (zero
// rows); dy = 3 reads input row 0 from its padded start, pixels 2 apart.
// CHECK-NEXT: ptc.load inp sram 0 dram {{[0-9]+}} rows 12 cols 24 stride 0 pad [0, 0, 0, 0] bits 4
// CHECK-NEXT: ptc.load inp sram 1 dram {{[0-9]+}} rows 12 cols 24 stride 0 pad [0, 0, 0, 0] bits 4
// CHECK-NEXT: ptc.load inp sram 2 dram {{[0-9]+}} rows 12 cols 24 stride 0 pad [0, 0, 0, 0] bits 4
// The input was copied to the start of the global SRAM (0x80000000).
// CHECK-NEXT: ptc.load inp sram 3 dram 2147483648 rows 8 cols 21 stride 6 pad [0, 4, 0, 3] bits 4
// CHECK-NEXT: ptc.load inp sram 4 dram 2147483681 rows 8 cols 21 stride 6 pad [0, 4, 0, 3] bits 4
// CHECK:      ptc.gemm uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 7 dst [0, 0] src [0, 1] wgt [0, 1]
// CHECK:      ptc.layer "conv2_1"
// CHECK:      ptc.finish deps<pop_next>
