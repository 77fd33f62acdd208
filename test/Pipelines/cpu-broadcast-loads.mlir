// mlg-cpu-broadcast-loads: contractions become FMAs whose broadcast operand
// is a scalar load (x86: vbroadcastss from memory) instead of an element
// shuffled out of a vector load; the filter rows stay vector loads.
// RUN: mlg-opt %s --mlg-cpu-broadcast-loads | FileCheck %s

// CHECK-LABEL: func.func @tile
// CHECK-SAME:    (%[[IN:.*]]: memref<1x9x3xf32>, %[[FILTER:.*]]: memref<3x16xf32>,
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK:         %[[W:.*]] = vector.transfer_read %[[FILTER]]{{.*}} : memref<3x16xf32>, vector<3x16xf32>
// CHECK-NOT:     vector.transfer_read
// CHECK:         %[[X00:.*]] = memref.load %[[IN]][%[[C0]], %[[C0]], %[[C0]]]
// CHECK:         %[[B00:.*]] = vector.broadcast %[[X00]] : f32 to vector<16xf32>
// CHECK:         vector.fma %{{.*}}, %[[B00]], %{{.*}} : vector<16xf32>
// CHECK:         memref.load %[[IN]][%[[C0]], %[[C0]], %[[C1]]]
// CHECK:         memref.load %[[IN]][%[[C0]], %[[C0]], %[[C2]]]
// CHECK:         memref.load %[[IN]][%[[C0]], %[[C2]], %[[C0]]]
// CHECK:         memref.load %[[IN]][%[[C0]], %[[C2]], %[[C1]]]
// CHECK:         memref.load %[[IN]][%[[C0]], %[[C2]], %[[C2]]]
// CHECK-NOT:     vector.contract
func.func @tile(%in: memref<1x9x3xf32>, %filter: memref<3x16xf32>, %acc: vector<1x2x16xf32>) -> vector<1x2x16xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %x = vector.transfer_read %in[%c0, %c0, %c0], %pad {in_bounds = [true, true, true]} : memref<1x9x3xf32>, vector<1x3x3xf32>
  %w = vector.transfer_read %filter[%c0, %c0], %pad {in_bounds = [true, true]} : memref<3x16xf32>, vector<3x16xf32>
  %x0 = vector.extract %x[0, 0] : vector<3xf32> from vector<1x3x3xf32>
  %x2 = vector.extract %x[0, 2] : vector<3xf32> from vector<1x3x3xf32>
  %a0 = vector.extract %acc[0, 0] : vector<16xf32> from vector<1x2x16xf32>
  %a1 = vector.extract %acc[0, 1] : vector<16xf32> from vector<1x2x16xf32>
  %r0 = vector.contract {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"], kind = #vector.kind<add>} %x0, %w, %a0 : vector<3xf32>, vector<3x16xf32> into vector<16xf32>
  %r1 = vector.contract {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"], kind = #vector.kind<add>} %x2, %w, %a1 : vector<3xf32>, vector<3x16xf32> into vector<16xf32>
  %t = vector.insert %r0, %acc[0, 0] : vector<16xf32> into vector<1x2x16xf32>
  %u = vector.insert %r1, %t[0, 1] : vector<16xf32> into vector<1x2x16xf32>
  return %u : vector<1x2x16xf32>
}
