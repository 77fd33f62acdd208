// --codegen-threads=N compiles the LLVM module in N parts concurrently and
// links them into one library: the compressed small CNN of
// end-to-end-compressed.mlir gives the same outputs, bit for bit, from two
// parts and from one module, and exports only the C ABI. (The other
// end-to-end tests run with the default, the host's hardware threads.)
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../Inputs/small_net.py write %t
// RUN: mlgc %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" --codegen-threads=2 -o %t/two.so 2> %t/stages.txt
// RUN: FileCheck %s --check-prefix=STAGES < %t/stages.txt
// RUN: mlgc -q %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" --codegen-threads=1 -o %t/one.so
// RUN: mlg-run %t/two.so --input %t/x.npy --output %t/logits2.npy --output %t/pooled2.npy
// RUN: mlg-run %t/one.so --input %t/x.npy --output %t/logits1.npy --output %t/pooled1.npy
// RUN: %python -c "import numpy as np; print('same' if all(np.array_equal(np.load('%t/' + a), np.load('%t/' + b)) for a, b in [('logits1.npy', 'logits2.npy'), ('pooled1.npy', 'pooled2.npy')]) else 'DIFFERENT')" | FileCheck %s --check-prefix=SAME
// RUN: llvm-nm -D --defined-only %t/two.so | FileCheck %s --check-prefix=SYMBOLS
// More threads than functions: as many parts as functions.
// RUN: mlgc %t/net.mlir --codegen-threads=1000 -o %t/many.so 2>&1 | FileCheck %s --check-prefix=MANY
// RUN: mlg-run %t/many.so --input %t/x.npy --output %t/logits_m.npy --output %t/pooled_m.npy
// RUN: %python %S/../Inputs/small_net.py check %t %t/logits_m.npy %t/pooled_m.npy | FileCheck %s --check-prefix=DENSE
// --emit=llvm and --emit=obj stay one module.
// RUN: mlgc %t/net.mlir --codegen-threads=2 --emit=obj -o %t/net.o 2>&1 | FileCheck %s --check-prefix=OBJ
// Bad values: an error, exit status 1, no output.
// RUN: not mlgc -q %t/net.mlir --codegen-threads=0 -o %t/zero.so 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not mlgc -q %t/net.mlir --codegen-threads=two -o %t/word.so 2>&1 | FileCheck %s --check-prefix=WORD
// RUN: ls %t | FileCheck %s --check-prefix=LEFT

// STAGES: mlgc: [4/6] translate to LLVM IR and optimise (-O3, host CPU) on 2 threads
// STAGES-NEXT: mlgc: [5/6] emit object code for {{.+}} (2 parts)

// SAME: same

// SYMBOLS-NOT: forward
// SYMBOLS:     T mlg_forward
// SYMBOLS-NEXT: T mlg_model
// SYMBOLS-NOT: T

// MANY: on 1000 threads
// MANY: emit object code for {{.+}} ({{[0-9]+}} parts)
// DENSE:      logits: shape (1, 10) rel error {{.*}} ok
// DENSE-NEXT: pooled: shape (1, 16, 4, 4) rel error {{.*}} ok

// OBJ: translate to LLVM IR and optimise (-O3, host CPU)
// OBJ-NOT: threads
// OBJ: emit object code for
// OBJ-NOT: parts

// ZERO: mlgc: error: --codegen-threads must be at least 1
// WORD: 'two' value invalid

// LEFT-NOT: word
// LEFT-NOT: zero
// LEFT: x.npy
