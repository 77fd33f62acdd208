// Corrupted binaries are rejected with an error naming the byte offset and
// exit code 1, and --binary-to-ptc leaves no output file behind.
// Layout of this program (see the HEADER checks): header [0, 64), code
// [64, 112) (LOAD, GEMM, FINISH), uops [112, 116), data [128, 146),
// symbols [148, 228), strings [228, 242).
// RUN: mlg-translate --ptc-to-binary %s -o %t.bin
// RUN: %python %S/Inputs/ptcbin.py header %t.bin | FileCheck %s --check-prefix=HEADER
// HEADER:      magic b'MLGPTC\x00\x01'
// HEADER-NEXT: version 1
// HEADER-NEXT: header_bytes 64
// HEADER-NEXT: file_bytes 242
// HEADER-NEXT: flags 0
// HEADER-NEXT: code_offset 64
// HEADER-NEXT: code_count 3
// HEADER-NEXT: uop_offset 112
// HEADER-NEXT: uop_count 1
// HEADER-NEXT: data_offset 128
// HEADER-NEXT: data_bytes 18
// HEADER-NEXT: symtab_offset 148
// HEADER-NEXT: symbol_count 2
// HEADER-NEXT: strtab_offset 228
// HEADER-NEXT: strtab_bytes 14
// HEADER-NEXT: size 242

// The intact file decodes.
// RUN: mlg-translate --binary-to-ptc %t.bin | FileCheck %s --check-prefix=OK
// OK: ptc.finish

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.empty truncate=0
// RUN: not mlg-translate --binary-to-ptc %t.empty 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: offset 0: file of 0 bytes is too short for the 8-byte magic

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.header truncate=40
// RUN: not mlg-translate --binary-to-ptc %t.header 2>&1 | FileCheck %s --check-prefix=SHORT-HEADER
// SHORT-HEADER: error: offset 40: truncated header: file has 40 bytes, the header needs 64

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.trunc truncate=200
// RUN: rm -f %t.out
// RUN: mlg-translate --binary-to-ptc %t.trunc -o %t.out 2> %t.err; test $? -eq 1
// RUN: FileCheck %s --check-prefix=TRUNC < %t.err
// RUN: %python %S/Inputs/ptcbin.py absent %t.out
// TRUNC: error: offset 200: truncated file: the header declares 242 bytes, the file has 200

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.long append=3
// RUN: not mlg-translate --binary-to-ptc %t.long 2>&1 | FileCheck %s --check-prefix=LONG
// LONG: error: offset 242: 3 bytes follow the declared end of file

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.magic byte=0:0x4e
// RUN: mlg-translate --binary-to-ptc %t.magic > /dev/null 2> %t.err; test $? -eq 1
// RUN: FileCheck %s --check-prefix=MAGIC < %t.err
// MAGIC: error: offset 0: bad magic: not an MLG PTC program (expected "MLGPTC\0\1")

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.major byte=7:2
// RUN: not mlg-translate --binary-to-ptc %t.major 2>&1 | FileCheck %s --check-prefix=MAJOR
// MAJOR: error: offset 7: unsupported major format version 2 (expected 1)

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.version u32=8:3
// RUN: not mlg-translate --binary-to-ptc %t.version 2>&1 | FileCheck %s --check-prefix=VERSION
// VERSION: error: offset 8: unsupported format version 3 (expected 1 to 2)

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.code u32=28:0x10000000
// RUN: not mlg-translate --binary-to-ptc %t.code 2>&1 | FileCheck %s --check-prefix=CODE-SIZE
// CODE-SIZE: error: offset 28: section 'code' [64, 4294967360) extends past the end of the file (242 bytes)

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.data u32=44:0xffff
// RUN: not mlg-translate --binary-to-ptc %t.data 2>&1 | FileCheck %s --check-prefix=DATA-SIZE
// DATA-SIZE: error: offset 44: section 'data' [128, 65663) extends past the end of the file (242 bytes)

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

ptc.program {
  ptc.data @basis offset 0 = dense<[[1, -2, 3], [-4, 0, 2]]> : tensor<2x3xi3>
  ptc.data @coeff_v offset 16 = dense<[0, 5, 7, 1]> : tensor<4xui3>
  ptc.uop dst 0 src 0 wgt 0
  ptc.load basis sram 0 dram 0 rows 2 cols 3 stride 3 pad [0, 0, 0, 0] bits 3 deps<push_next>
  ptc.gemm reset uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0] deps<pop_prev>
  ptc.finish
}
