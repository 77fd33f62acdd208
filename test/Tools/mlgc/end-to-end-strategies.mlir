// The small CNN of end-to-end.mlir, compressed, compiled once per execution
// strategy (forced with --strategy): every strategy computes the same
// function, the float64 numpy forward pass from the stored generators.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../Inputs/small_net.py write %t
// The forced strategy reaches both fused convolutions; the default asks the
// cost model.
// RUN: mlgc -q %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" --strategy=tiled --emit=mlir -o /dev/null --mlir-print-ir-after=mlg-select-strategy 2>&1 | FileCheck %s --check-prefix=TILED
// RUN: mlgc -q %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" --emit=mlir -o /dev/null --mlir-print-ir-after=mlg-select-strategy 2>&1 | FileCheck %s --check-prefix=AUTO
// RUN: mlgc -q %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" --strategy=dense -o %t/dense.so
// RUN: mlg-run %t/dense.so --input %t/x.npy --output %t/logits_d.npy --output %t/pooled_d.npy
// RUN: %python %S/../Inputs/small_net.py check %t %t/logits_d.npy %t/pooled_d.npy --compress "bi=2 bc=4 qb=3 qu=6 qv=3" --mlg-opt mlg-opt | FileCheck %s --check-prefix=COMPRESSED
// RUN: mlgc -q %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" --strategy=factorized -o %t/factorized.so
// RUN: mlg-run %t/factorized.so --input %t/x.npy --output %t/logits_f.npy --output %t/pooled_f.npy
// RUN: %python %S/../Inputs/small_net.py check %t %t/logits_f.npy %t/pooled_f.npy --compress "bi=2 bc=4 qb=3 qu=6 qv=3" --mlg-opt mlg-opt | FileCheck %s --check-prefix=COMPRESSED
// RUN: mlgc -q %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" --strategy=tiled -o %t/tiled.so
// RUN: mlg-run %t/tiled.so --input %t/x.npy --output %t/logits_t.npy --output %t/pooled_t.npy
// RUN: %python %S/../Inputs/small_net.py check %t %t/logits_t.npy %t/pooled_t.npy --compress "bi=2 bc=4 qb=3 qu=6 qv=3" --mlg-opt mlg-opt | FileCheck %s --check-prefix=COMPRESSED


// COMPRESSED:      compressed layers: conv1 conv2
// COMPRESSED-NEXT: logits: shape (1, 10) rel error {{.*}} ok
// COMPRESSED-NEXT: pooled: shape (1, 16, 4, 4) rel error {{.*}} ok

// TILED-COUNT-2: mlg.generated_conv2d {{.*}} strategy tiled
// AUTO-COUNT-2: mlg.generated_conv2d {{.*}}mlg.strategy_cost
