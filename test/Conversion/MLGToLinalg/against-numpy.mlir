// Random generated convolutions and matmuls (both layouts, strides, asymmetric
// padding, dilations, groups, depthwise, bias, each level on or off, midrise
// and midtread codes) through mlg-reference-to-llvm and mlir-runner, compared
// with an independent float64 numpy model of docs/dialect.md.
// RUN: %python %S/Inputs/check_against_numpy.py mlg-opt mlir-runner %mlir_runner_utils %mlir_c_runner_utils | FileCheck %s
// CHECK: 22 passed, 0 failed
