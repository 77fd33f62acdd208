// Float I/O through host views (format version 3): the NCHW float input is
// quantized (round half to even, clipped to i8) into NHWC pixel rows, the
// output codes are dequantized into the NCHW host shape; --raw-codes (codes
// in and out) and integer-code inputs keep the code interface. The program: y = 3 x - 2 on
// the 4 pixel rows (ALU), so the padding column 3 holds -2.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/host_view.py gen %t
// RUN: mlg-translate --ptc-to-binary %s -o %t/prog.bin
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/x.npy --output y=%t/y.npy
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/codes.npy --output %t/raw.npy --raw-codes
// RUN: %python %S/Inputs/host_view.py check %t | FileCheck %s
// Integer codes shaped like the symbol are still accepted without
// --raw-codes (the shape tells them from floats) and give the same result.
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input x=%t/codes.npy --output %t/y2.npy
// RUN: cmp %t/y.npy %t/y2.npy
// Errors name the file and what was expected; nothing is written.
// RUN: not ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/nan.npy --output %t/bad.npy 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/shape.npy --output %t/bad.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/x.npy --output %t/bad.npy --raw-codes 2>&1 | FileCheck %s --check-prefix=RAW
// RUN: %python %S/../../Target/PTC/Inputs/ptcbin.py absent %t/bad.npy

// Host order (n, c, h, w): codes 0 2 -2 4 | 127 -128 13 0 | 31 0 -9 127.
// CHECK:      float output float32 (1, 3, 2, 2) equal: True
// CHECK-NEXT: raw codes (4, 4) equal: True padding column: [-2.0, -2.0, -2.0, -2.0]
// CHECK-NEXT: x codes: [0, 2, -2, 4, 127, -128, 13, 0, 31, 0, -9, 127]

// NAN:   ptc-sim: error: {{.*}}nan.npy: input 'x': element 6 (0, 1, 1, 0) is nan, not a finite number
// SHAPE: ptc-sim: error: {{.*}}shape.npy: shape (1, 3, 4) does not match input 'x': expected floats of its host shape (1, 3, 2, 2) or integer codes of shape (4, 4)
// RAW:   ptc-sim: error: {{.*}}x.npy: shape (1, 3, 2, 2) does not match input 'x' of shape (4, 4)

ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<4x4xi8> {role = "input", scale = 0.25 : f64, host_shape = array<i64: 1, 3, 2, 2>, host_layout = "nchw_pixels"}
  ptc.data @y offset 16 = dense<0> : tensor<4x4xi16> {role = "output", scale = 0.125 : f64, host_shape = array<i64: 1, 3, 2, 2>, host_layout = "nchw_pixels"}
  ptc.uop dst 0 src 0 wgt 0
  ptc.load uop sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0]
  ptc.load acc sram 0 dram 0 rows 4 cols 4 stride 4 pad [0, 0, 0, 0] bits 8
  ptc.alu mul uops [0, 1) iter 1 x 2 dst [0, 1] src [0, 1] imm 3
  ptc.alu add uops [0, 1) iter 1 x 2 dst [0, 1] src [0, 1] imm -2 deps<push_next>
  ptc.store acc sram 0 dram 16 rows 4 cols 4 stride 4 pad [0, 0, 0, 0] bits 16 deps<pop_prev|push_prev>
  ptc.finish deps<pop_next>
}
