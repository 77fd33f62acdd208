// --help lists ptc-sim's own options, not the LLVM flags the tool links in.
// RUN: ptc-sim --help | FileCheck %s

// CHECK-NOT: --aarch64
// CHECK:     USAGE: ptc-sim [options] <program.bin>
// CHECK-NOT: --color
// CHECK:     ptc-sim options:
// CHECK:     --input=<[name=]file.npy>
// CHECK:     --model=<name|file.json>
// CHECK:     --noise-std=
// CHECK:     -q
// CHECK:     --report-json=<file>
// CHECK-NOT: --x86-
