// Bad programs and runaway programs: an error naming the problem (the byte
// offset for file errors, the instruction and its offset for run-time
// errors), exit code 1, and no output file written.
// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: %python %S/Inputs/ptc_reference.py gen gemm %t
// RUN: mlg-translate --ptc-to-binary ok.mlir -o ok.bin

// The intact program runs and writes its output.
// RUN: ptc-sim -q ok.bin --model=%S/Inputs/tiny.json --input x.npy --output ok.npy
// RUN: test -f ok.npy

// Truncated, corrupted and empty files.
// RUN: %python %S/../../Target/PTC/Inputs/ptcbin.py corrupt ok.bin trunc.bin truncate=100
// RUN: not ptc-sim trunc.bin --model=%S/Inputs/tiny.json --input x.npy --output out.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: ptc-sim: error: trunc.bin: offset 100: truncated file: the header declares {{[0-9]+}} bytes, the file has 100
// RUN: %python %S/../../Target/PTC/Inputs/ptcbin.py corrupt ok.bin opcode.bin byte=64:0x0f
// RUN: not ptc-sim opcode.bin --model=%S/Inputs/tiny.json 2>&1 | FileCheck %s --check-prefix=OPCODE
// OPCODE: ptc-sim: error: opcode.bin: offset 64: instruction #0: {{.*}}opcode 15
// RUN: %python %S/../../Target/PTC/Inputs/ptcbin.py corrupt ok.bin empty.bin truncate=0
// RUN: not ptc-sim empty.bin 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: ptc-sim: error: empty.bin: offset 0: file of 0 bytes is too short
// RUN: not ptc-sim missing.bin 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: ptc-sim: error: missing.bin: {{.*}}o such file
// RUN: not ptc-sim ok.bin --model=nonexistent-preset 2>&1 | FileCheck %s --check-prefix=MODEL
// MODEL: ptc-sim: error: {{.*}}nonexistent-preset

// Out-of-bounds rows: the tiny model's inp buffer has 64 rows; a GEMM
// reading inp row 2000 is caught when it runs.
// RUN: mlg-translate --ptc-to-binary oob.mlir -o oob.bin
// RUN: not ptc-sim oob.bin --model=%S/Inputs/tiny.json --input x.npy --output out.npy 2>&1 | FileCheck %s --check-prefix=OOB
// OOB: ptc-sim: error: oob.bin: instruction #1 (offset 80): gemm: source inp row 2000 is out of range [0, 64)

// A pop nobody pushes: deadlock, naming the blocked instruction.
// RUN: mlg-translate --ptc-to-binary deadlock.mlir -o deadlock.bin
// RUN: not ptc-sim deadlock.bin --model=%S/Inputs/tiny.json --input x.npy --output out.npy 2>&1 | FileCheck %s --check-prefix=DEADLOCK
// DEADLOCK: ptc-sim: error: deadlock.bin: deadlock: no module can proceed; #1 (offset 80, gemm) waits for a load->compute token

// Instruction and step limits.
// RUN: not ptc-sim ok.bin --model=%S/Inputs/tiny.json --input x.npy --output out.npy --max-instructions 2 2>&1 | FileCheck %s --check-prefix=LIMIT
// LIMIT: ptc-sim: error: ok.bin: program of 4 instructions exceeds the limit of 2 (--max-instructions)
// RUN: mlg-translate --ptc-to-binary huge.mlir -o huge.bin
// RUN: not ptc-sim huge.bin --model=%S/Inputs/tiny.json --max-steps 1000 2>&1 | FileCheck %s --check-prefix=STEPS
// STEPS: ptc-sim: error: huge.bin: instruction #0 (offset 64): gemm: more than 1000 intrinsic steps (--max-steps): refusing to continue

// RUN: not ptc-sim huge.bin --max-dram-mib 0 2>&1 | FileCheck %s --check-prefix=FILESIZE
// FILESIZE: ptc-sim: error: huge.bin: 96 bytes exceed the simulated memory of 0 MiB (--max-dram-mib)

// A program without FINISH.
// RUN: mlg-translate --ptc-to-binary nofinish.mlir -o nofinish.bin
// RUN: not ptc-sim nofinish.bin --model=%S/Inputs/tiny.json 2>&1 | FileCheck %s --check-prefix=NOFINISH
// NOFINISH: ptc-sim: error: nofinish.bin: the program ends without FINISH

// No failed run left an output file behind.
// RUN: %python %S/../../Target/PTC/Inputs/ptcbin.py absent out.npy


//--- ok.mlir
ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<3x2x4xi4> {role = "input"}
  ptc.data @y offset 16 = dense<0> : tensor<3x8xi4> {role = "output"}
  ptc.load inp sram 0 dram 0 rows 3 cols 8 stride 8 pad [0, 0, 0, 0] bits 4 deps<push_next>
  ptc.gemm reset uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0] deps<pop_prev|push_next>
  ptc.store acc sram 0 dram 16 rows 3 cols 8 stride 8 pad [0, 0, 0, 0] bits 4 deps<pop_prev|push_prev>
  ptc.finish deps<pop_next>
}
//--- oob.mlir
ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<3x2x4xi4> {role = "input"}
  ptc.data @y offset 16 = dense<0> : tensor<2x4xi8> {role = "output"}
  ptc.uop dst 0 src 2000 wgt 0
  ptc.load uop sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0]
  ptc.gemm uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0]
  ptc.finish
}
//--- deadlock.mlir
ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<3x2x4xi4> {role = "input"}
  ptc.data @y offset 16 = dense<0> : tensor<2x4xi8> {role = "output"}
  ptc.load inp sram 0 dram 0 rows 3 cols 8 stride 8 pad [0, 0, 0, 0] bits 4
  ptc.gemm reset uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0] deps<pop_prev>
  ptc.finish
}
//--- huge.mlir
ptc.program {
  ptc.gemm reset uops [0, 8191) iter 16383 x 16383 dst [0, 0] src [0, 0] wgt [0, 0]
  ptc.finish
}
//--- nofinish.mlir
ptc.program {
  ptc.cfg t_acc = 1
}
