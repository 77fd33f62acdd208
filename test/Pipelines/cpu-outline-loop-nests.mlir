// RUN: mlg-opt %s --mlg-cpu-outline-loop-nests="min-nests=2" | FileCheck %s
// RUN: mlg-opt %s --mlg-cpu-outline-loop-nests="min-nests=5" | FileCheck %s --check-prefix=FEW

// Each top-level loop nest becomes a private noinline function taking what
// the nest uses from above (the memrefs, the bound); nested loops go along.
// Constants and globals are copied in rather than passed, so that LLVM sees
// them without interprocedural propagation.
// CHECK:       func.func private @layers_nest0(%{{.*}}: memref<8xf32>, %{{.*}}: memref<8xf32>, %[[N0:.*]]: index) attributes {passthrough = ["noinline"]}
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-DAG:     %[[W:.*]] = memref.get_global @weights : memref<8xf32>
// CHECK:         scf.for %{{.*}} = %[[C0]] to %[[N0]]
// CHECK:           scf.for
// CHECK:             memref.load %[[W]]
// CHECK:             arith.mulf %{{.*}}, %[[TWO]]
// CHECK:       func.func private @layers_nest1(%{{.*}}: memref<8xf32>) attributes {passthrough = ["noinline"]}
// CHECK:         scf.for
// The third nest is the second one on another memref: one function for both.
// CHECK-NOT:   func.func private @layers_nest2
// CHECK-LABEL: func.func @layers(
// CHECK-SAME:      %[[A:.*]]: memref<8xf32>, %[[B:.*]]: memref<8xf32>, %[[N:.*]]: index)
// CHECK-NOT:     scf.
// CHECK:         call @layers_nest0(%[[A]], %[[B]], %[[N]])
// CHECK-NEXT:    call @layers_nest1(%[[B]])
// CHECK-NEXT:    call @layers_nest1(%[[A]])
// CHECK-NEXT:    call @layers_nest3(%[[A]])
// CHECK-NEXT:    return
// CHECK-NOT:   func.func

// Below min-nests (5 here, for 4 nests) nothing moves.
// FEW-LABEL: func.func @layers(
// FEW:         scf.for
// FEW-NOT:     call
// FEW-NOT:     func.func private
memref.global "private" constant @weights : memref<8xf32> = dense<1.0>
func.func @layers(%a: memref<8xf32>, %b: memref<8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %two = arith.constant 2.0 : f32
  %weights = memref.get_global @weights : memref<8xf32>
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %c1 step %c1 {
      %u = memref.load %a[%i] : memref<8xf32>
      %k = memref.load %weights[%i] : memref<8xf32>
      %v = arith.addf %u, %k : f32
      %w = arith.mulf %v, %two : f32
      memref.store %w, %b[%i] : memref<8xf32>
    }
  }
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %b[%i] : memref<8xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %b[%i] : memref<8xf32>
  }
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %a[%i] : memref<8xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %a[%i] : memref<8xf32>
  }
  // Not the same: a product.
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %a[%i] : memref<8xf32>
    %w = arith.mulf %v, %v : f32
    memref.store %w, %a[%i] : memref<8xf32>
  }
  return
}
