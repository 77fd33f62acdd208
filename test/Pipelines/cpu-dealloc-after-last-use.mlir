// RUN: mlg-opt %s --pass-pipeline='builtin.module(func.func(mlg-cpu-dealloc-after-last-use))' | FileCheck %s

// Each buffer is freed right after its last use, through any view of it;
// a buffer that escapes through the terminator keeps its dealloc.

// CHECK-LABEL: func.func @chain
func.func @chain(%x: memref<16xf32>) -> memref<4xf32> {
  %a = memref.alloc() : memref<16xf32>
  %b = memref.alloc() : memref<16xf32>
  %r = memref.alloc() : memref<4xf32>
  // CHECK:      memref.copy %arg0, %[[A:.*]] :
  // CHECK-NEXT: %[[VIEW:.*]] = memref.subview %[[A]]
  // CHECK-NEXT: memref.copy %[[A]], %[[B:.*]] :
  memref.copy %x, %a : memref<16xf32> to memref<16xf32>
  %view = memref.subview %a[4] [4] [1] : memref<16xf32> to memref<4xf32, strided<[1], offset: 4>>
  memref.copy %a, %b : memref<16xf32> to memref<16xf32>
  // The last use of %a is through its view.
  // CHECK-NEXT: memref.copy %[[VIEW]], %[[R:.*]] :
  // CHECK-NEXT: memref.dealloc %[[A]]
  memref.copy %view, %r : memref<4xf32, strided<[1], offset: 4>> to memref<4xf32>
  // CHECK:      scf.for
  // CHECK:      }
  // CHECK-NEXT: memref.dealloc %[[B]]
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %b[%i] : memref<16xf32>
    memref.store %v, %r[%i] : memref<4xf32>
  }
  // CHECK-NEXT: return %[[R]]
  memref.dealloc %a : memref<16xf32>
  memref.dealloc %b : memref<16xf32>
  return %r : memref<4xf32>
}

// CHECK-LABEL: func.func @escapes
func.func @escapes(%x: memref<16xf32>) -> memref<4xf32> {
  %a = memref.alloc() : memref<16xf32>
  memref.copy %x, %a : memref<16xf32> to memref<16xf32>
  %view = memref.subview %a[0] [4] [1] : memref<16xf32> to memref<4xf32>
  %c = memref.alloc() : memref<4xf32>
  memref.copy %view, %c : memref<4xf32> to memref<4xf32>
  // CHECK:      memref.copy
  // CHECK-NEXT: %[[VIEW:.*]] = memref.subview
  // CHECK-NEXT: %[[C:.*]] = memref.alloc
  // CHECK-NEXT: memref.copy %[[VIEW]], %[[C]]
  // CHECK-NEXT: memref.dealloc %[[C]]
  // CHECK-NEXT: memref.dealloc %{{.*}} : memref<16xf32>
  // CHECK-NEXT: return %[[VIEW]]
  memref.dealloc %c : memref<4xf32>
  memref.dealloc %a : memref<16xf32>
  return %view : memref<4xf32>
}
