// A function returning its own argument: buffer deallocation clones it, and
// the clone must be lowered too, or translation to LLVM IR fails.
// RUN: mlg-opt %s --mlg-reference-to-llvm | mlir-translate --mlir-to-llvmir | FileCheck %s

// CHECK-LABEL: define {{.*}} @identity(
// CHECK-NOT: bufferization
func.func @identity(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
