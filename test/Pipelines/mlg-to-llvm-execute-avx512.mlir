// As mlg-to-llvm-execute.mlir with AVX-512-sized register tiles (7 rows x
// 32 lanes where the shapes allow); on a host without AVX-512 LLVM splits the
// 16-lane vectors, so the results must still match the reference exactly.
// RUN: mlg-opt %S/Inputs/cpu-convs.mlir --mlg-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | sed -e 's/base@ = [0-9a-fx]*//' > %t.ref
// RUN: mlg-opt %S/Inputs/cpu-convs.mlir --mlg-to-llvm="vector-width=16" \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | sed -e 's/base@ = [0-9a-fx]*//' > %t.fast
// RUN: diff %t.ref %t.fast
// RUN: FileCheck %S/mlg-to-llvm-execute.mlir < %t.fast
