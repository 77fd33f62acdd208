// Format version 2: symbol roles and the layer table survive
// mlir -> binary -> mlir byte-identically, are listed by --ptc-to-asm, and
// malformed markers are diagnosed.
// RUN: mlg-translate --ptc-to-binary %s -o %t.bin
// RUN: %python %S/Inputs/ptcbin.py header %t.bin | FileCheck %s --check-prefix=HEADER
// RUN: mlg-translate --binary-to-ptc %t.bin -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: mlg-translate --ptc-to-binary %t.mlir -o %t.2.bin
// RUN: cmp %t.bin %t.2.bin
// RUN: mlg-translate --ptc-to-asm %s | FileCheck %s --check-prefix=ASM
// RUN: not mlg-translate --ptc-to-binary --split-input-file %S/Inputs/bad-layers.mlir 2>&1 | FileCheck %S/Inputs/bad-layers.mlir
// A truncated layer table names its offset.
// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.cut u32=16:372 truncate=372
// RUN: not mlg-translate --binary-to-ptc %t.cut 2>&1 | FileCheck %s --check-prefix=CUT

// HEADER: version 2
// HEADER: flags 1

// CHECK:      ptc.data @x offset 0 = dense<0> : tensor<2x4xi8> {role = "input"}
// CHECK-NEXT: ptc.data @w offset 16 = dense<1> : tensor<4xi4>
// CHECK-NEXT: ptc.data @y offset 32 = dense<0> : tensor<2x4xi8> {role = "output"}
// CHECK-NEXT: ptc.layer "setup"
// CHECK-NEXT: ptc.cfg t_acc = 1
// CHECK-NEXT: ptc.end_layer
// CHECK-NEXT: ptc.cfg t_acc = 2
// CHECK-NEXT: ptc.layer "one"
// CHECK-NEXT: ptc.cfg t_acc = 3
// CHECK-NEXT: ptc.layer "two"
// CHECK-NEXT: ptc.cfg t_acc = 4
// CHECK-NEXT: ptc.finish
// CHECK-NEXT: }

// ASM: @x  i8[2x4]  8 bytes  input
// ASM: @w  i4[4]  2 bytes{{$}}
// ASM: @y  i8[2x4]  8 bytes  output
// ASM:      .layers @0x{{[0-9a-f]+}}
// ASM-NEXT:   setup  [0, 1)
// ASM-NEXT:   one  [2, 3)
// ASM-NEXT:   two  [3, 5)

// HEADER: strtab_offset 304
// HEADER: strtab_bytes 20
// HEADER: size 376
// CUT: error: offset 324: layer table of 3 entries extends past the end of the file

ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<2x4xi8> {role = "input"}
  ptc.data @w offset 16 = dense<1> : tensor<4xi4>
  ptc.data @y offset 32 = dense<0> : tensor<2x4xi8> {role = "output"}
  ptc.layer "setup"
  ptc.cfg t_acc = 1
  ptc.end_layer
  ptc.cfg t_acc = 2
  ptc.layer "one"
  ptc.cfg t_acc = 3
  ptc.layer "two"
  ptc.cfg t_acc = 4
  ptc.finish
}
