// The C ABI in the LLVM dialect: exported mlg_<name> over bare pointers,
// calling the memref-level wrapper with static descriptors; the invoke
// trampoline, the model description and mlg_model(); everything else internal.
// RUN: mlgc -q --emit=mlir %s | FileCheck %s
// RUN: mlgc -q --emit=mlir %s | FileCheck %s --check-prefix=GLOBALS
// RUN: mlgc %s --emit=mlir -o /dev/null 2>&1 | FileCheck %s --check-prefix=STAGES
// RUN: mlgc -q %s --emit=mlir --mlir-timing -o /dev/null 2>&1 | FileCheck %s --check-prefix=TIMING

// TIMING:      Execution time report
// TIMING:      parse
// TIMING-NEXT: entry points
// TIMING-NEXT: lower
// TIMING:        OneShotBufferizePass
// TIMING:      C ABI exports

// STAGES:      mlgc: [1/3] parse {{.*}}emit-mlir.mlir
// STAGES-NEXT: mlgc: [2/3] prepare: nothing to do
// STAGES-NEXT: mlgc: [3/3] lower to the LLVM dialect
// STAGES-NOT:  mlgc:

// GLOBALS-DAG: llvm.func internal @add_bias(
// GLOBALS-DAG: llvm.func internal @_mlg_impl_add_bias(
// GLOBALS-DAG: llvm.func internal @helper(
// GLOBALS-DAG: llvm.mlir.global internal constant @__mlg_entry_add_bias_name("add_bias\00")
// GLOBALS-DAG: llvm.mlir.global internal constant @__mlg_entry_add_bias_inputs_shape0(dense<[2, 3]> : tensor<2xi64>)
// GLOBALS-DAG: llvm.mlir.global internal constant @__mlg_entry_add_bias_outputs_shape0(dense<[2, 3]> : tensor<2xi64>)
// GLOBALS-DAG: llvm.mlir.global internal constant @__mlg_entry_scalar_inputs() {{.*}} : !llvm.array<1 x struct<(i32, i32, ptr)>>
// GLOBALS-DAG: llvm.mlir.global internal constant @__mlg_entry_scalar_outputs_shape1(dense<4> : tensor<1xi64>)
// GLOBALS-DAG: llvm.mlir.global internal constant @__mlg_entries() {{.*}} : !llvm.array<2 x struct<(ptr, i32, i32, ptr, ptr, ptr)>>
// GLOBALS-DAG: llvm.mlir.global internal constant @__mlg_model() {{.*}} : !llvm.struct<(i32, i32, ptr)>
// Exported: the entry points and mlg_model only.
// GLOBALS-NOT: llvm.func @add_bias
// GLOBALS-NOT: llvm.func @helper
// GLOBALS-NOT: llvm.func @_mlg

// CHECK-LABEL: llvm.func @mlg_add_bias(
// CHECK-SAME:    %[[IN:.+]]: !llvm.ptr {llvm.noalias, llvm.readonly},
// CHECK-SAME:    %[[OUT:.+]]: !llvm.ptr {llvm.noalias}) -> i32
// CHECK-NEXT:    %[[OFF:.+]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT:    %[[SZ0:.+]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-NEXT:    %[[SZ1:.+]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-NEXT:    %[[ST0:.+]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-NEXT:    %[[ST1:.+]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-COUNT-5: llvm.mlir.constant
// CHECK-NEXT:    llvm.call @_mlg_impl_add_bias(%[[IN]], %[[IN]], %[[OFF]], %[[SZ0]], %[[SZ1]], %[[ST0]], %[[ST1]], %[[OUT]], %[[OUT]],
// CHECK-NEXT:    %[[ZERO:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    llvm.return %[[ZERO]] : i32

// CHECK-LABEL: llvm.func internal @_mlg_invoke_add_bias(
// CHECK-SAME:    %[[INS:.+]]: !llvm.ptr, %[[OUTS:.+]]: !llvm.ptr) -> i32
// CHECK:         %[[P0:.+]] = llvm.getelementptr %[[INS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:         %[[A0:.+]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[Q0:.+]] = llvm.getelementptr %[[OUTS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:         %[[B0:.+]] = llvm.load %[[Q0]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[R:.+]] = llvm.call @mlg_add_bias(%[[A0]], %[[B0]]) : (!llvm.ptr, !llvm.ptr) -> i32
// CHECK:         llvm.return %[[R]] : i32

// A rank-0 tensor is passed as (ptr, ptr, offset).
// CHECK-LABEL: llvm.func @mlg_scalar(
// CHECK-SAME:    %[[S:.+]]: !llvm.ptr {llvm.noalias, llvm.readonly}, %[[O0:.+]]: !llvm.ptr {llvm.noalias}, %[[O1:.+]]: !llvm.ptr {llvm.noalias}) -> i32
// CHECK:         llvm.call @_mlg_impl_scalar(%[[S]], %[[S]], %{{.+}}, %[[O0]], %[[O0]], %{{.+}}, %[[O1]], %[[O1]], %{{.+}}, %{{.+}}, %{{.+}}) : (!llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64) -> ()

// CHECK-LABEL: llvm.func @mlg_model() -> !llvm.ptr
// CHECK-NEXT:    %[[M:.+]] = llvm.mlir.addressof @__mlg_model : !llvm.ptr
// CHECK-NEXT:    llvm.return %[[M]] : !llvm.ptr

#map = affine_map<(i, j) -> (i, j)>
#bcast = affine_map<(i, j) -> (j)>
func.func @add_bias(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %b = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %y = linalg.generic {indexing_maps = [#map, #bcast, #map], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<2x3xf32>, tensor<3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  %z = func.call @helper(%y) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %z : tensor<2x3xf32>
}

func.func private @helper(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %y = linalg.negf ins(%x : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

func.func @scalar(%s: tensor<f32>) -> (tensor<f32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %v = tensor.extract %s[] : tensor<f32>
  %f = linalg.fill ins(%v : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %se = tensor.empty() : tensor<f32>
  %n = linalg.negf ins(%s : tensor<f32>) outs(%se : tensor<f32>) -> tensor<f32>
  return %n, %f : tensor<f32>, tensor<4xf32>
}
