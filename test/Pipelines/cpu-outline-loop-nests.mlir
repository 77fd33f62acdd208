// RUN: mlg-opt %s --mlg-cpu-outline-loop-nests="min-nests=2" | FileCheck %s
// RUN: mlg-opt %s --mlg-cpu-outline-loop-nests | FileCheck %s --check-prefix=FEW

// Each top-level loop nest becomes a private noinline function taking what
// the nest uses from above (the memrefs, the bound); nested loops go along.
// CHECK:       func.func private @layers_nest0({{.*}}) attributes {passthrough = ["noinline"]}
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:       func.func private @layers_nest1({{.*}}) attributes {passthrough = ["noinline"]}
// CHECK:         scf.for
// CHECK-LABEL: func.func @layers(
// CHECK-SAME:      %[[A:.*]]: memref<8xf32>, %[[B:.*]]: memref<8xf32>)
// CHECK-NEXT:    %[[C0:.*]] = arith.constant 0 : index
// CHECK-NOT:     scf.
// CHECK:         call @layers_nest0(%[[A]], %{{.*}}, %[[B]], %[[C0]]
// CHECK-NEXT:    call @layers_nest1(%[[B]], %[[C0]]
// CHECK-NEXT:    return

// Below min-nests (4 by default) nothing moves.
// FEW-LABEL: func.func @layers(
// FEW:         scf.for
// FEW-NOT:     call
// FEW-NOT:     func.func private
func.func @layers(%a: memref<8xf32>, %b: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %two = arith.constant 2.0 : f32
  scf.for %i = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %c1 step %c1 {
      %v = memref.load %a[%i] : memref<8xf32>
      %w = arith.mulf %v, %two : f32
      memref.store %w, %b[%i] : memref<8xf32>
    }
  }
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %b[%i] : memref<8xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %b[%i] : memref<8xf32>
  }
  return
}
