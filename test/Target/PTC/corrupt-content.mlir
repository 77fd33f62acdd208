// Corrupted instructions, symbols and padding are rejected with an error
// naming the byte offset. The program and its layout:
// Inputs/small-program.mlir.
// RUN: mlg-translate --ptc-to-binary %S/Inputs/small-program.mlir -o %t.bin

// The LOAD's mem_id (bits [11:8], low nibble of byte 65) set to 15.
// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.field byte=65:0x0f
// RUN: mlg-translate --binary-to-ptc %t.field > /dev/null 2> %t.err; test $? -eq 1
// RUN: FileCheck %s --check-prefix=FIELD < %t.err
// FIELD: error: offset 64: instruction #0: load: field 'mem_id' = 15 is out of range [0, 8] (4-bit field, bits [11:8])

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.opcode byte=96:0x0c
// RUN: not mlg-translate --binary-to-ptc %t.opcode 2>&1 | FileCheck %s --check-prefix=OPCODE
// OPCODE: error: offset 96: instruction #2: unknown opcode 12 (bits [3:0])

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.reserved byte=100:1
// RUN: not mlg-translate --binary-to-ptc %t.reserved 2>&1 | FileCheck %s --check-prefix=RESERVED
// RESERVED: error: offset 96: instruction #2: finish: reserved bit 32 is set

// Symbol #1 (entry at 188): element width (byte 16 of the entry) set to 0.
// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.width byte=204:0
// RUN: not mlg-translate --binary-to-ptc %t.width 2>&1 | FileCheck %s --check-prefix=WIDTH
// WIDTH: error: offset 204: symbol #1: element width 0 is not in [1, 16]

// A non-zero byte in the padding after @basis.
// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.pad byte=131:1
// RUN: not mlg-translate --binary-to-ptc %t.pad 2>&1 | FileCheck %s --check-prefix=PAD
// PAD: error: offset 131: byte differs from the canonical encoding

