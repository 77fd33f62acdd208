// Float I/O through nchw_pixels host views with row padding (format version
// 3, host view field row_padding): every image row of the symbol has one
// zero pixel left and right, [1 x 2 x (2 + 2)][4] pixel rows for the host
// [1, 3, 2, 2]. ptc-sim quantizes the float NCHW input into the real pixels
// (the padding pixels stay 0) and the float output skips the padding
// pixels. The program: y = 3 x - 2 on all 8 pixel rows (ALU), so padding
// pixels and the padding column hold -2.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/host_view.py gen %t 1
// RUN: mlg-translate --ptc-to-binary %s -o %t/prog.bin
// RUN: mlg-translate --binary-to-ptc %t/prog.bin | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: mlg-translate --ptc-to-asm %s | FileCheck %s --check-prefix=ASM
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/x.npy --output y=%t/y.npy
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/codes.npy --output %t/raw.npy --raw-codes
// RUN: %python %S/Inputs/host_view.py check %t 1 | FileCheck %s
// RUN: not ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/shape.npy 2>&1 | FileCheck %s --check-prefix=SHAPE

// ROUNDTRIP: ptc.data @x offset 0 = dense<0> : tensor<8x4xi8> {host_layout = "nchw_pixels", host_row_padding = 1 : i64, host_shape = array<i64: 1, 3, 2, 2>, role = "input", scale = 2.500000e-01 : f64}

// ASM:      .host_views
// ASM-NEXT:   @x  nchw_pixels  f32[1x3x2x2]  scale 0.25  row_padding 1
// ASM-NEXT:   @y  nchw_pixels  f32[1x3x2x2]  scale 0.125  row_padding 1

// Host order (n, c, h, w): codes 0 2 -2 4 | 127 -128 13 0 | 31 0 -9 127.
// CHECK:      float output float32 (1, 3, 2, 2) equal: True
// CHECK-NEXT: raw codes (8, 4) equal: True padding column: [-2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0]
// CHECK-NEXT: padding pixels: [-2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0]
// CHECK-NEXT: x codes: [0, 2, -2, 4, 127, -128, 13, 0, 31, 0, -9, 127]

// SHAPE: ptc-sim: error: {{.*}}shape.npy: shape (1, 3, 4) does not match input 'x': expected floats of its host shape (1, 3, 2, 2) or integer codes of shape (8, 4)

ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<8x4xi8> {role = "input", scale = 0.25 : f64, host_shape = array<i64: 1, 3, 2, 2>, host_layout = "nchw_pixels", host_row_padding = 1}
  ptc.data @y offset 32 = dense<0> : tensor<8x4xi16> {role = "output", scale = 0.125 : f64, host_shape = array<i64: 1, 3, 2, 2>, host_layout = "nchw_pixels", host_row_padding = 1}
  ptc.uop dst 0 src 0 wgt 0
  ptc.load uop sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0]
  ptc.load acc sram 0 dram 0 rows 8 cols 4 stride 4 pad [0, 0, 0, 0] bits 8
  ptc.alu mul uops [0, 1) iter 1 x 4 dst [0, 1] src [0, 1] imm 3
  ptc.alu add uops [0, 1) iter 1 x 4 dst [0, 1] src [0, 1] imm -2 deps<push_next>
  ptc.store acc sram 0 dram 32 rows 8 cols 4 stride 4 pad [0, 0, 0, 0] bits 16 deps<pop_prev|push_prev>
  ptc.finish deps<pop_next>
}
