// Every convolution variant end to end (test/Tools/Inputs/variants_net.py:
// stride 2 with padding, depthwise with dilation 2, 2 groups, 1x1, average
// pooling, a residual add, a linear layer), compressed and compiled once per
// execution strategy: each output equals the float64 numpy forward pass from
// the stored generators (relative error <= 1e-4).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../Inputs/variants_net.py write %t
// RUN: mlgc -q %t/net.mlir -o %t/uncompressed.so
// RUN: mlg-run %t/uncompressed.so --input %t/x.npy --output %t/logits_u.npy --output %t/pooled_u.npy
// RUN: %python %S/../Inputs/variants_net.py check %t %t/logits_u.npy %t/pooled_u.npy | FileCheck %s --check-prefix=DENSE
// Every variant reaches a fused convolution, here forced to one strategy.
// RUN: mlgc -q %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" --strategy=tiled --emit=mlir -o /dev/null --mlir-print-ir-after=mlg-select-strategy 2>&1 | FileCheck %s --check-prefix=FUSED
// RUN: mlgc -q %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" --strategy=dense -o %t/dense.so
// RUN: mlg-run %t/dense.so --input %t/x.npy --output %t/logits_d.npy --output %t/pooled_d.npy
// RUN: %python %S/../Inputs/variants_net.py check %t %t/logits_d.npy %t/pooled_d.npy --compress "bi=2 bc=4 qb=3 qu=6 qv=3" --mlg-opt mlg-opt | FileCheck %s --check-prefix=COMPRESSED
// RUN: mlgc -q %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" --strategy=factorized -o %t/factorized.so
// RUN: mlg-run %t/factorized.so --input %t/x.npy --output %t/logits_f.npy --output %t/pooled_f.npy
// RUN: %python %S/../Inputs/variants_net.py check %t %t/logits_f.npy %t/pooled_f.npy --compress "bi=2 bc=4 qb=3 qu=6 qv=3" --mlg-opt mlg-opt | FileCheck %s --check-prefix=COMPRESSED
// RUN: mlgc -q %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" --strategy=tiled -o %t/tiled.so
// RUN: mlg-run %t/tiled.so --input %t/x.npy --output %t/logits_t.npy --output %t/pooled_t.npy
// RUN: %python %S/../Inputs/variants_net.py check %t %t/logits_t.npy %t/pooled_t.npy --compress "bi=2 bc=4 qb=3 qu=6 qv=3" --mlg-opt mlg-opt | FileCheck %s --check-prefix=COMPRESSED
// RUN: mlgc -q %t/net.mlir --compress="bi=2 bc=4 qb=3 qu=6 qv=3" -o %t/auto.so
// RUN: mlg-run %t/auto.so --input %t/x.npy --output %t/logits_a.npy --output %t/pooled_a.npy
// RUN: %python %S/../Inputs/variants_net.py check %t %t/logits_a.npy %t/pooled_a.npy --compress "bi=2 bc=4 qb=3 qu=6 qv=3" --mlg-opt mlg-opt | FileCheck %s --check-prefix=COMPRESSED
// The reference tells the weights apart: the compressed build is not the
// uncompressed network.
// RUN: not %python %S/../Inputs/variants_net.py check %t %t/logits_a.npy %t/pooled_a.npy | FileCheck %s --check-prefix=DIFFERENT

// DENSE:      logits: shape (1, 10) rel error {{.*}} ok
// DENSE-NEXT: pooled: shape (1, 24, 3, 3) rel error {{.*}} ok

// FUSED:      mlg.generated_conv2d nchw_fchw {{.*}} strides [2, 2] padding [1, 1, 1, 1] strategy tiled
// FUSED:      mlg.generated_conv2d nchw_fchw {{.*}} padding [2, 2, 2, 2] dilations [2, 2] groups 16 depthwise strategy tiled
// FUSED:      mlg.generated_conv2d nchw_fchw {{.*}} groups 2 strategy tiled
// FUSED:      mlg.generated_conv2d nchw_fchw {{.*}} strategy tiled

// COMPRESSED:      compressed layers: conv_s2 dw grouped pw
// COMPRESSED-NEXT: logits: shape (1, 10) rel error {{.*}} ok
// COMPRESSED-NEXT: pooled: shape (1, 24, 3, 3) rel error {{.*}} ok

// DIFFERENT: logits: shape (1, 10) rel error {{.*}} FAIL
