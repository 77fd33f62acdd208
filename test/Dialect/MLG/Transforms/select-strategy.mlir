// Machine fixed by options so that the choice does not depend on the host.
// RUN: mlg-opt %s --split-input-file --mlg-select-strategy="l1-size=32768 l2-size=1048576 l3-size=33554432 peak-gflops=100 bandwidth=20" | FileCheck %s
// RUN: mlg-opt %s --split-input-file --mlg-select-strategy="force=tiled l1-size=32768 l2-size=1048576 l3-size=33554432" | FileCheck %s --check-prefix=FORCE

// 512 -> 512 3x3 at 7x7, Bi = 2, Bc = 44 (method.md 1.4): the cascade needs
// 4.45 M MACs (V repeated along Bi) against 115.6 M for the conv plus
// 104.2 M to generate W.
// CHECK-LABEL: func.func @small_spatial
// CHECK:         mlg.generated_conv2d {{.+}} strategy factorized
// CHECK-SAME:      mlg.strategy_cost = {dense = {bytes = {{[0-9]+}} : i64, macs = 219820032 : i64, ns = {{[0-9a-fx.e+]+}} : f64},
// CHECK-SAME:      factorized = {bytes = {{[0-9]+}} : i64, macs = 4454296 : i64, ns = {{[0-9a-fx.e+]+}} : f64},
// CHECK-SAME:      tiled = {block = 28 : i64, bytes = {{[0-9]+}} : i64, macs = 219820032 : i64, ns = {{[0-9a-fx.e+]+}} : f64}}
// FORCE-LABEL: func.func @small_spatial
// FORCE:         strategy tiled
func.func @small_spatial(%x: tensor<1x512x7x7xf32>, %b: tensor<44x2x3x3xf32>, %u: tensor<44x512x2xf32>, %v: tensor<512x44xf32>) -> tensor<1x512x7x7xf32> {
  %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) padding [1, 1, 1, 1]
      : (tensor<1x512x7x7xf32>, tensor<44x2x3x3xf32>, tensor<44x512x2xf32>, tensor<512x44xf32>) -> tensor<1x512x7x7xf32>
  return %y : tensor<1x512x7x7xf32>
}

// -----

// 1x1 with Bc = 460 of 512: generating W once is cheaper than the two
// per-pixel 1x1 stages at 56x56.
// CHECK-LABEL: func.func @large_spatial
// CHECK:         mlg.generated_conv2d {{.+}} strategy dense
// CHECK-SAME:      factorized = {bytes = {{[0-9]+}} : i64, macs = 1477181440 : i64
func.func @large_spatial(%x: tensor<1x512x56x56xf32>, %b: tensor<460x512x1x1xf32>, %v: tensor<512x460xf32>) -> tensor<1x512x56x56xf32> {
  %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_out(%v)
      : (tensor<1x512x56x56xf32>, tensor<460x512x1x1xf32>, tensor<512x460xf32>) -> tensor<1x512x56x56xf32>
  return %y : tensor<1x512x56x56xf32>
}

// -----

// A matmul with one row: factorized. A chosen strategy is kept (costs are
// still attached); `force` overrides it.
// CHECK-LABEL: func.func @matmuls
// CHECK:         mlg.generated_matmul {{.+}} strategy factorized {mlg.strategy_cost = {dense = {bytes = {{[0-9]+}} : i64, macs = 236032000 : i64
// CHECK:         mlg.generated_matmul {{.+}} strategy dense {mlg.strategy_cost =
// FORCE-LABEL: func.func @matmuls
// FORCE:         strategy tiled
// FORCE:         strategy tiled
func.func @matmuls(%x: tensor<1x512xf32>, %b: tensor<460x512xf32>, %v: tensor<1000x460xf32>) -> (tensor<1x1000xf32>, tensor<1x1000xf32>) {
  %y = mlg.generated_matmul %x basis(%b) coeff_out(%v)
      : (tensor<1x512xf32>, tensor<460x512xf32>, tensor<1000x460xf32>) -> tensor<1x1000xf32>
  %z = mlg.generated_matmul %x basis(%b) coeff_out(%v) strategy dense
      : (tensor<1x512xf32>, tensor<460x512xf32>, tensor<1000x460xf32>) -> tensor<1x1000xf32>
  return %y, %z : tensor<1x1000xf32>, tensor<1x1000xf32>
}

// -----

// Dynamic shapes: nothing to estimate; `auto` stays for a later lowering.
// CHECK-LABEL: func.func @dynamic
// CHECK:         mlg.generated_matmul
// CHECK-NOT:     strategy
// CHECK-NOT:     mlg.strategy_cost
// CHECK:         return
// FORCE-LABEL: func.func @dynamic
// FORCE:         strategy tiled
func.func @dynamic(%x: tensor<?x8xf32>, %b: tensor<4x8xf32>) -> tensor<?x4xf32> {
  %y = mlg.generated_matmul %x basis(%b) : (tensor<?x8xf32>, tensor<4x8xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
