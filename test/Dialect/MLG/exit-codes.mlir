// Bad input: a located diagnostic on stderr, exit code 1, no crash, nothing
// printed. This file ends in the middle of an op on purpose.
// RUN: not mlg-opt %s 2>&1 | FileCheck %s
// RUN: mlg-opt %s > /dev/null 2>&1; test $? -eq 1
// RUN: not mlg-opt %s 2>/dev/null | count 0
// RUN: head -n 19 %s | not mlg-opt 2>&1 | FileCheck %s --check-prefix=VERIFY
// RUN: not mlg-opt %s --unknown-flag 2>&1 | FileCheck %s --check-prefix=FLAG

// FLAG: Unknown command line argument '--unknown-flag'

// The first 19 lines parse; the op below then fails verification, located in
// the file (here read from stdin).
// VERIFY: <stdin>:[[@LINE+4]]:{{[0-9]+}}: error: 'mlg.generated_matmul' op 'input' dimension 1 (Ci) must be 16 like the generated weight [Co, Ci], got 12
// VERIFY: <stdin>:[[@LINE+3]]:{{[0-9]+}}: error: 'mlg.generated_matmul' op failed to infer returned types
// VERIFY-NOT: error:
func.func @bad(%x: tensor<8x12xf32>, %w: tensor<10x16xf32>) -> tensor<8x10xf32> {
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<8x12xf32>, tensor<10x16xf32>) -> tensor<8x10xf32>
  return %0 : tensor<8x10xf32>
}

// The whole file stops at its first parse error, at the truncated op below:
// nothing is verified, so the error above is not reported.
// CHECK-NOT: 'mlg.generated_matmul' op
// CHECK: {{.*}}exit-codes.mlir:[[@LINE+4]]:{{[0-9]+}}: error: expected ')'
// CHECK-NEXT: %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) coeff_in(
// CHECK-NOT: error:
func.func @truncated(%x: tensor<1x8x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) coeff_in(
