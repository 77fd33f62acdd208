// A translation that fails exits 1 with a located error and leaves no
// output file (mlir's output handling only keeps the file on success).
// RUN: rm -rf %t && split-file %s %t

// RUN: mlg-translate --ptc-to-binary %t/two-programs.mlir -o %t/out.bin 2> %t/err; test $? -eq 1
// RUN: FileCheck %s --check-prefix=TWO < %t/err
// RUN: %python %S/Inputs/ptcbin.py absent %t/out.bin
// TWO: two-programs.mlir:0:0: error: expected exactly one ptc.program, found 2

// RUN: mlg-translate --ptc-to-asm %t/none.mlir -o %t/out.asm 2> %t/err; test $? -eq 1
// RUN: FileCheck %s --check-prefix=NONE < %t/err
// RUN: %python %S/Inputs/ptcbin.py absent %t/out.asm
// NONE: error: expected exactly one ptc.program, found 0

// RUN: mlg-translate --ptc-to-binary %t/invalid.mlir -o %t/out.bin 2> %t/err; test $? -eq 1
// RUN: FileCheck %s --check-prefix=INVALID < %t/err
// RUN: %python %S/Inputs/ptcbin.py absent %t/out.bin
// INVALID: invalid.mlir:2:3: error: 'ptc.gen' op gen: field 'level' = 3 is out of range [1, 2] (2-bit field, bits [9:8])

// A failed run does not leave a stale file from an earlier run either.
// RUN: mlg-translate --ptc-to-binary %t/valid.mlir -o %t/out.bin
// RUN: not mlg-translate --ptc-to-binary %t/invalid.mlir -o %t/out.bin
// RUN: %python %S/Inputs/ptcbin.py absent %t/out.bin

//--- two-programs.mlir
ptc.program {
  ptc.finish
}
ptc.program {
  ptc.finish
}

//--- none.mlir
module {
}

//--- invalid.mlir
ptc.program {
  ptc.gen level 3 uops [0, 1) iter 1 x 1 dst [0, 0] a [0, 0] b [0, 0]
}

//--- valid.mlir
ptc.program {
  ptc.finish
}
