// A small CNN (3x3 convolutions with padding, bias, ReLU, a residual add,
// max pooling, flatten, linear) compiled to a shared library and run by
// mlg-run on an input written by numpy; compared with a float64 numpy
// forward pass from the same weights (test/Tools/Inputs/small_net.py).
// end-to-end-compressed.mlir does the same with mlg generator chains.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../Inputs/small_net.py write %t
// RUN: mlgc -q %t/net.mlir -o %t/net.so
// RUN: mlg-run %t/net.so --input %t/x.npy --output %t/logits.npy --output %t/pooled.npy
// RUN: %python %S/../Inputs/small_net.py check %t %t/logits.npy %t/pooled.npy | FileCheck %s --check-prefix=DENSE
// The library needs only libc (the padding's memrefCopy is defined inside)
// and exports only the C ABI.
// RUN: llvm-nm -D %t/net.so | FileCheck %s --check-prefix=SYMBOLS

// SYMBOLS-NOT: memrefCopy
// SYMBOLS-NOT: mlir
// SYMBOLS:     U malloc
// SYMBOLS-NOT: memrefCopy
// SYMBOLS-NOT: mlir
// SYMBOLS:     T mlg_forward
// SYMBOLS-NEXT: T mlg_model
// SYMBOLS-NOT: T

// DENSE:      logits: shape (1, 10) rel error {{.*}} ok
// DENSE-NEXT: pooled: shape (1, 16, 4, 4) rel error {{.*}} ok
