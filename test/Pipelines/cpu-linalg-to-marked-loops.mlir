// mlg-cpu-linalg-to-marked-loops{threads=2}: large linalg ops on memrefs at
// the top of a function become loops whose first loop with at least 2
// iterations is marked mlg.parallel, when the loops outside it run once and
// it is a parallel dimension every output indexes; the rest is left alone.
// RUN: mlg-opt %s --pass-pipeline="builtin.module(func.func(mlg-cpu-linalg-to-marked-loops{threads=2}))" | FileCheck %s
// RUN: mlg-opt %s --pass-pipeline="builtin.module(func.func(mlg-cpu-linalg-to-marked-loops))" | FileCheck %s --check-prefix=ONE

// Without threads, nothing changes.
// ONE-NOT:     mlg.parallel
// ONE-LABEL: func.func @relu
// ONE-NOT:     scf.for
// ONE:         linalg.generic
// ONE-NOT:     mlg.parallel

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#sum0 = affine_map<(r, j) -> (r, j)>
#out1 = affine_map<(r, j) -> (j)>
#bcast = affine_map<(i, j) -> (0, j)>

// 1x64x64x64 = 2^18 iterations: the batch loop runs once, the channel loop
// is marked.
// CHECK-LABEL: func.func @relu
// CHECK:         scf.for %{{.*}} = %{{.*}} to %c1 step
// CHECK-NEXT:      scf.for %{{.*}} = %{{.*}} to %c64 step
// CHECK:           } {mlg.parallel}
// CHECK-NOT:     linalg.generic
func.func @relu(%x: memref<1x64x64x64xf32>, %y: memref<1x64x64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : memref<1x64x64x64xf32>) outs(%y : memref<1x64x64x64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  }
  return
}

// Fewer iterations (1x64x64x32): left for convert-linalg-to-loops.
// CHECK-LABEL: func.func @small
// CHECK-NOT:     mlg.parallel
// CHECK:         linalg.fill
func.func @small(%y: memref<1x64x64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<1x64x64x32xf32>)
  return
}

// The outermost loop is a reduction: not split.
// CHECK-LABEL: func.func @reduction_outside
// CHECK-NOT:     mlg.parallel
// CHECK:         linalg.generic
func.func @reduction_outside(%x: memref<512x1024xf32>, %y: memref<1024xf32>) {
  linalg.generic {indexing_maps = [#sum0, #out1], iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<512x1024xf32>) outs(%y : memref<1024xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.addf %v, %o : f32
    linalg.yield %s : f32
  }
  return
}

// The first dimension is parallel but the output does not index it (every
// i writes the same row): not split.
// CHECK-LABEL: func.func @output_ignores_dimension
// CHECK-NOT:     mlg.parallel
// CHECK:         linalg.generic
func.func @output_ignores_dimension(%x: memref<512x1024xf32>, %y: memref<1x1024xf32>) {
  linalg.generic {indexing_maps = [#sum0, #bcast], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<512x1024xf32>) outs(%y : memref<1x1024xf32>) {
  ^bb0(%v: f32, %o: f32):
    linalg.yield %v : f32
  }
  return
}

// Inside a loop: left alone (no fork per iteration of an outer loop).
// CHECK-LABEL: func.func @nested
// CHECK-NOT:     mlg.parallel
// CHECK:         linalg.fill
func.func @nested(%y: memref<1x64x64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c2 step %c1 {
    linalg.fill ins(%zero : f32) outs(%y : memref<1x64x64x64xf32>)
  }
  return
}
