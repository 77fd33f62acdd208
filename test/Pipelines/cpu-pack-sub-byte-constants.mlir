// mlg-cpu-pack-sub-byte-constants: a sub-byte constant of at least
// min-elements elements becomes its codes packed LSB first in an i8 constant
// (plus one zero byte) and a linalg.generic that unpacks them; splats, i8
// constants and small ones stay.
// RUN: mlg-opt %s --mlg-cpu-pack-sub-byte-constants | FileCheck %s
// RUN: mlg-opt %s --mlg-cpu-pack-sub-byte-constants | FileCheck %s --check-prefix=GONE
// RUN: mlg-opt %s --mlg-cpu-pack-sub-byte-constants="min-elements=4" | FileCheck %s --check-prefix=SMALL
// The packed constant unpacks to the original values.
// RUN: mlg-opt %s --mlg-cpu-pack-sub-byte-constants | mlg-opt --mlg-reference-to-llvm | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s --check-prefix=OUT

// 16 3-bit codes = 48 bits: 6 bytes + 1.
// CHECK-LABEL: func.func @codes
// CHECK: arith.constant dense<{{.*}}> : tensor<7xi8>
// CHECK: linalg.generic
// GONE-NOT: dense<[-4, -3, -2
// Splat and i8 constants are left.
// CHECK: arith.constant dense<1> : tensor<16xi3>
// CHECK: arith.constant dense<{{.*}}> : tensor<16xi8>
// Four codes are below the default min-elements.
// CHECK: arith.constant dense<[1, 2, 3, -4]> : tensor<4xi3>
// SMALL-NOT: dense<[1, 2, 3, -4]>

// OUT: [-4, -3, -2, -1, 0, 1, 2, 3, 3, 2, 1, 0, -1, -2, -3, -4]

func.func @codes() -> (tensor<16xi3>, tensor<16xi3>, tensor<16xi8>, tensor<4xi3>) {
  %c = arith.constant dense<[-4, -3, -2, -1, 0, 1, 2, 3, 3, 2, 1, 0, -1, -2, -3, -4]> : tensor<16xi3>
  %s = arith.constant dense<1> : tensor<16xi3>
  %b = arith.constant dense<[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]> : tensor<16xi8>
  %t = arith.constant dense<[1, 2, 3, -4]> : tensor<4xi3>
  return %c, %s, %b, %t : tensor<16xi3>, tensor<16xi3>, tensor<16xi8>, tensor<4xi3>
}

func.func private @printMemrefI32(tensor<*xi32>)

// The same codes, unpacked and printed.
func.func @main() {
  %c = arith.constant dense<[-4, -3, -2, -1, 0, 1, 2, 3, 3, 2, 1, 0, -1, -2, -3, -4]> : tensor<16xi3>
  %e = tensor.empty() : tensor<16xi32>
  %w = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%c : tensor<16xi3>) outs(%e : tensor<16xi32>) {
  ^bb0(%in: i3, %out: i32):
    %x = arith.extsi %in : i3 to i32
    linalg.yield %x : i32
  } -> tensor<16xi32>
  %u = tensor.cast %w : tensor<16xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}
