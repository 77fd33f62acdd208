// The activation role (format version 3): an intermediate tensor survives
// mlir -> binary -> mlir byte-identically, is listed by --ptc-to-asm, needs
// format version 3, and has no host view.
// RUN: mlg-translate --ptc-to-binary %s -o %t.bin
// RUN: %python %S/Inputs/ptcbin.py header %t.bin | FileCheck %s --check-prefix=HEADER
// RUN: mlg-translate --binary-to-ptc %t.bin -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: mlg-translate --ptc-to-binary %t.mlir -o %t.2.bin
// RUN: cmp %t.bin %t.2.bin
// RUN: mlg-translate --ptc-to-asm %s | FileCheck %s --check-prefix=ASM
// Symbol #1's flags byte (symtab at 152, entry 40 bytes, flags at +17) is
// 7 = signed, role 3; a version-2 file cannot hold it, and bit 4 is reserved
// (bit 3 places a symbol in the global SRAM).
// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.v2 u32=8:2
// RUN: not mlg-translate --binary-to-ptc %t.v2 2>&1 | FileCheck %s --check-prefix=V2
// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.bit3 byte=209:23
// RUN: not mlg-translate --binary-to-ptc %t.bit3 2>&1 | FileCheck %s --check-prefix=BIT3

// HEADER: version 3
// HEADER: flags 0
// HEADER: symtab_offset 152

// CHECK:      ptc.data @x offset 0 = dense<0> : tensor<2x4xi8> {role = "input"}
// CHECK-NEXT: ptc.data @h offset 16 = dense<0> : tensor<2x4xi8> {role = "activation"}
// CHECK-NEXT: ptc.data @w offset 32 = dense<1> : tensor<4xi4>
// CHECK-NEXT: ptc.data @y offset 48 = dense<0> : tensor<2x4xi8> {role = "output"}

// ASM: @x  i8[2x4]  8 bytes  input
// ASM: @h  i8[2x4]  8 bytes  activation
// ASM: @w  i4[4]  2 bytes{{$}}
// ASM: @y  i8[2x4]  8 bytes  output

// V2: error: offset 209: symbol #1: flags 7 has an unknown role (bits 1-2: 0 data, 1 input, 2 output; 3 activation needs format version 3) or bits above 2
// BIT3: error: offset 209: symbol #1: flags 23 has an unknown role (bits 1-2: 0 data, 1 input, 2 output; 3 activation needs format version 3) or bits above 3

ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<2x4xi8> {role = "input"}
  ptc.data @h offset 16 = dense<0> : tensor<2x4xi8> {role = "activation"}
  ptc.data @w offset 32 = dense<1> : tensor<4xi4>
  ptc.data @y offset 48 = dense<0> : tensor<2x4xi8> {role = "output"}
  ptc.cfg t_acc = 1
  ptc.finish
}
