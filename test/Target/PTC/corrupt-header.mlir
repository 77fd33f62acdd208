// Corrupted headers and sizes are rejected with an error naming the byte
// offset and exit code 1, and --binary-to-ptc leaves no output file behind.
// The program and its layout: Inputs/small-program.mlir.
// RUN: mlg-translate --ptc-to-binary %S/Inputs/small-program.mlir -o %t.bin
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

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.version u32=8:4
// RUN: not mlg-translate --binary-to-ptc %t.version 2>&1 | FileCheck %s --check-prefix=VERSION
// VERSION: error: offset 8: unsupported format version 4 (expected 1 to 3)

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.code u32=28:0x10000000
// RUN: not mlg-translate --binary-to-ptc %t.code 2>&1 | FileCheck %s --check-prefix=CODE-SIZE
// CODE-SIZE: error: offset 28: section 'code' [64, 4294967360) extends past the end of the file (242 bytes)

// RUN: %python %S/Inputs/ptcbin.py corrupt %t.bin %t.data u32=44:0xffff
// RUN: not mlg-translate --binary-to-ptc %t.data 2>&1 | FileCheck %s --check-prefix=DATA-SIZE
// DATA-SIZE: error: offset 44: section 'data' [128, 65663) extends past the end of the file (242 bytes)

