// Format version 3: the host views of inputs and outputs (scale, host_shape,
// host_layout) survive mlir -> binary -> mlir byte-identically, are listed
// by --ptc-to-asm, and a corrupted host view table names its offset.
// RUN: mlg-translate --ptc-to-binary %s -o %t.bin
// RUN: %python %S/Inputs/ptcbin.py header %t.bin | FileCheck %s --check-prefix=HEADER
// RUN: mlg-translate --binary-to-ptc %t.bin -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: mlg-translate --ptc-to-binary %t.mlir -o %t.2.bin
// RUN: cmp %t.bin %t.2.bin
// RUN: mlg-translate --ptc-to-asm %s | FileCheck %s --check-prefix=ASM
// Corruptions: the table cut short (the header's size follows the cut), a
// symbol index past the symbols, an unknown layout, a zero scale, a host
// shape that does not fit the symbol.
// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.cut u32=16:400 truncate=400
// RUN: not mlg-translate --binary-to-ptc %t.cut 2>&1 | FileCheck %s --check-prefix=CUT
// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.index u32=384:9
// RUN: not mlg-translate --binary-to-ptc %t.index 2>&1 | FileCheck %s --check-prefix=INDEX
// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.layout byte=388:7
// RUN: not mlg-translate --binary-to-ptc %t.layout 2>&1 | FileCheck %s --check-prefix=LAYOUT
// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.scale u32=392:0 u32=396:0
// RUN: not mlg-translate --binary-to-ptc %t.scale 2>&1 | FileCheck %s --check-prefix=SCALE
// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.dims u32=408:5
// RUN: not mlg-translate --binary-to-ptc %t.dims 2>&1 | FileCheck %s --check-prefix=DIMS

// HEADER: version 3
// HEADER: flags 2
// HEADER: strtab_offset 372
// HEADER: strtab_bytes 8
// HEADER: size 448

// CHECK:      ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {host_layout = "nchw_pixels", host_shape = array<i64: 2, 3, 2, 2>, role = "input", scale = 1.250000e-01 : f64}
// CHECK-NEXT: ptc.data @w offset 96 = dense<1> : tensor<4xi4>
// CHECK-NEXT: ptc.data @y offset 112 = dense<0> : tensor<2x5xi8> {host_layout = "identity", host_shape = array<i64: 2, 5>, role = "output", scale = 1.000000e-01 : f64}
// A scale without a host view stays in the dialect only.
// CHECK-NEXT: ptc.data @z offset 128 = dense<0> : tensor<2xi8> {role = "output"}
// CHECK-NEXT: ptc.finish

// ASM:      ; MLG PTC program, format version 3, 448 bytes
// ASM:      .host_views @0x00017c
// ASM-NEXT:   @x  nchw_pixels  f32[2x3x2x2]  scale 0.125
// ASM-NEXT:   @y  identity  f32[2x5]  scale 0.1
// ASM-EMPTY:

// The table is at 380 (after the 8 string bytes, aligned to 4): count,
// then entries of 32 bytes from 384.
// CUT:    error: offset 380: host view table of 2 entries extends past the end of the file
// INDEX:  error: offset 384: host view #0: symbol index 9 is not below the symbol count 4
// LAYOUT: error: offset 388: host view #0: layout 7 is unknown (0 identity, 1 nchw_pixels)
// SCALE:  error: offset 392: host view #0: scale 0 is not a finite positive number
// DIMS:   error: offset 400: host view #0: symbol 'x': host shape [2, 3, 5, 2] with layout nchw_pixels needs a rank-2 symbol of N*H*W rows and at least C columns, the symbol is [8, 24]

ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = 0.125 : f64, host_shape = array<i64: 2, 3, 2, 2>, host_layout = "nchw_pixels"}
  ptc.data @w offset 96 = dense<1> : tensor<4xi4>
  ptc.data @y offset 112 = dense<0> : tensor<2x5xi8> {role = "output", scale = 0.1 : f64, host_shape = array<i64: 2, 5>, host_layout = "identity"}
  ptc.data @z offset 128 = dense<0> : tensor<2xi8> {role = "output", scale = 0.5 : f64}
  ptc.finish
}
