// A small CNN (3x3 convolutions with padding, bias, ReLU, a residual add,
// max pooling, flatten, linear) compiled to a shared library and run by
// mlg-run on an input written by numpy; compared with a float64 numpy
// forward pass from the same weights (test/Tools/Inputs/small_net.py):
// dense, then with both convolutions compressed into mlg generator chains.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../Inputs/small_net.py write %t
// RUN: mlgc -q %t/net.mlir -o %t/net.so
// RUN: mlg-run %t/net.so --input %t/x.npy --output %t/logits.npy --output %t/pooled.npy
// RUN: %python %S/../Inputs/small_net.py check %t %t/logits.npy %t/pooled.npy | FileCheck %s --check-prefix=DENSE
// The library needs only libc (the padding's memrefCopy is defined inside)
// and exports only the C ABI.
// RUN: llvm-nm -D %t/net.so | FileCheck %s --check-prefix=SYMBOLS
// RUN: mlgc %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" -o %t/netc.so 2> %t/stages.txt
// RUN: FileCheck %s --check-prefix=STAGES < %t/stages.txt
// RUN: mlg-run %t/netc.so --input %t/x.npy --output %t/logits_c.npy --output %t/pooled_c.npy
// RUN: %python %S/../Inputs/small_net.py check %t %t/logits_c.npy %t/pooled_c.npy --compress "bi=2 bc=4 qb=3 qu=6 qv=3" --mlg-opt mlg-opt | FileCheck %s --check-prefix=COMPRESSED
// The compressed library computes with the regenerated weights, not the
// dense ones.
// RUN: not %python %S/../Inputs/small_net.py check %t %t/logits_c.npy %t/pooled_c.npy | FileCheck %s --check-prefix=DIFFERENT

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

// STAGES:      mlgc: [1/6] parse {{.*}}net.mlir
// STAGES-NEXT: mlgc: [2/6] prepare: mlg-compress{bi=2 bc=4 qb=3 qu=6 qv=3}
// STAGES-NEXT: mlgc: [3/6] lower to the LLVM dialect
// STAGES-NEXT: mlgc: [4/6] translate to LLVM IR and optimise (-O3, host CPU)
// STAGES-NEXT: mlgc: [5/6] emit object code for {{.+}}
// STAGES-NEXT: mlgc: [6/6] link {{.*}}netc.so and write {{.*}}netc.h

// COMPRESSED:      compressed layers: conv1 conv2
// COMPRESSED-NEXT: logits: shape (1, 10) rel error {{.*}} ok
// COMPRESSED-NEXT: pooled: shape (1, 16, 4, 4) rel error {{.*}} ok

// DIFFERENT: logits: shape (1, 10) rel error {{.*}} FAIL
