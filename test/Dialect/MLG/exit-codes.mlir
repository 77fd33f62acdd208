// Bad input: a located diagnostic on stderr, exit code 1, no crash.
// RUN: not mlg-opt %s 2>&1 | FileCheck %s
// RUN: mlg-opt %s > /dev/null 2>&1; test $? -eq 1
// RUN: head -n 12 %s | not mlg-opt 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// RUN: sed 's/basis(%%w).*/basis(%%w/' %s | not mlg-opt 2>&1 | FileCheck %s --check-prefix=MIDOP
// RUN: not mlg-opt %s --unknown-flag 2>&1 | FileCheck %s --check-prefix=FLAG

// CHECK: exit-codes.mlir:{{[0-9]+}}:{{[0-9]+}}: error: 'mlg.generated_matmul' op 'input' dimension 1 (Ci) must be 16 like the generated weight [Co, Ci], got 12
// TRUNCATED: <stdin>:{{[0-9]+}}:{{[0-9]+}}: error:
// MIDOP: <stdin>:{{[0-9]+}}:{{[0-9]+}}: error: expected ')'
func.func @bad(%x: tensor<8x12xf32>, %w: tensor<10x16xf32>) -> tensor<8x10xf32> {
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<8x12xf32>, tensor<10x16xf32>) -> tensor<8x10xf32>
  return %0 : tensor<8x10xf32>
}
// FLAG: Unknown command line argument '--unknown-flag'
