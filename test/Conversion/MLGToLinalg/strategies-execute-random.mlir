// Random generated convolutions and matmuls (the generator of
// against-numpy.mlir), each lowered by all three strategies of
// mlg-lower-generated (tiles of 2 output channels) in one module, run in
// mlir-runner and compared with an independent float64 numpy model.
// RUN: %python %S/Inputs/check_strategies_random.py mlg-opt mlir-runner %mlir_runner_utils %mlir_c_runner_utils | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: 48 passed, 0 failed
