// --help lists mlgc's own options and MLIR's diagnostics/timing options, not
// the LLVM backend flags the tool links in.
// RUN: mlgc --help | FileCheck %s
// RUN: mlg-run --help | FileCheck %s --check-prefix=RUNNER

// CHECK-NOT: --aarch64
// CHECK:     --mlir-print-ir-after=
// CHECK:     --mlir-timing
// CHECK-NOT: --x86-
// CHECK:     mlgc options:
// CHECK:     --compress
// CHECK:     --emit=
// CHECK:     --strategy=

// RUNNER-NOT: --aarch64
// RUNNER:     mlg-run options:
// RUNNER:     --bench=<N>
// RUNNER:     --input=<file.npy>
// RUNNER:     --report-memory
// RUNNER-NOT: --x86-
