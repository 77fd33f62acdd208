// The bundled example stays what its generator writes, parses, and runs.
// RUN: %python %mlg_src_root/examples/generate_basic_block.py | diff - %mlg_src_root/examples/basic_block.mlir
// RUN: mlg-opt %mlg_src_root/examples/basic_block.mlir --mlg-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// CHECK: sizes = [1, 4]
// CHECK-NEXT: {{\[}}[-0.118914, 0.342752, -0.706829, -0.689769]]
