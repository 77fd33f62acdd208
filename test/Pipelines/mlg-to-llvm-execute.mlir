// Runs small convolutions and a matmul (Inputs/cpu-convs.mlir) through the
// fast CPU path (mlg-to-llvm with AVX2-sized register tiles) and through the
// reference lowering, and requires identical output. Inputs are small
// integers, so every sum is exact whatever the summation order.
// RUN: mlg-opt %S/Inputs/cpu-convs.mlir --mlg-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | sed -e 's/base@ = [0-9a-fx]*//' > %t.ref
// RUN: mlg-opt %S/Inputs/cpu-convs.mlir --mlg-to-llvm="vector-width=8" \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | sed -e 's/base@ = [0-9a-fx]*//' > %t.fast
// RUN: diff %t.ref %t.fast
// RUN: FileCheck %s < %t.fast

// Eleven results, in order.
// CHECK: sizes = [1, 16, 7, 7]
// CHECK: sizes = [1, 8, 4, 4]
// CHECK: sizes = [1, 4, 3, 3]
// The constant-filter case, computed with numpy:
// CHECK-NEXT: {{\[}}{{\[}}{{\[}}[-1, -1, 9],
// CHECK-NEXT: [9, -1, -1],
// CHECK-NEXT: [-16, 9, -1]],
// CHECK-NEXT: {{\[}}[-4, 2, -7],
// CHECK-NEXT: [0, -4, 2],
// CHECK-NEXT: [9, 0, -4]],
// CHECK-NEXT: {{\[}}[3, 0, 7],
// CHECK-NEXT: [-9, 3, 0],
// CHECK-NEXT: [-1, -9, 3]],
// CHECK-NEXT: {{\[}}[0, 3, -9],
// CHECK-NEXT: [7, 0, 3],
// CHECK-NEXT: [-1, 7, 0]]]]
// CHECK: sizes = [1, 4, 4, 24]
// CHECK: sizes = [2, 14, 14, 32]
// CHECK: sizes = [1, 4, 4, 16]
// CHECK: sizes = [1, 8, 7, 7]
// CHECK: sizes = [2, 3, 4, 4]
// CHECK: sizes = [1, 1, 12, 40]
// CHECK: sizes = [1, 4, 4, 32]
// CHECK: sizes = [1, 8, 7, 7]
