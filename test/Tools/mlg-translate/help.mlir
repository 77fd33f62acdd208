// --help lists the translations and the driver's options (and MLIR's
// printing and timing options), not the LLVM flags the tool links in.
// RUN: mlg-translate --help | FileCheck %s

// CHECK-NOT: --aarch64
// CHECK:     Translations to perform
// CHECK-NOT: --color
// CHECK:     --binary-to-ptc
// CHECK:     --ptc-to-asm
// CHECK:     --ptc-to-binary
// CHECK:     --mlir-timing
// CHECK:     -o <filename>
// CHECK-NOT: --x86-
