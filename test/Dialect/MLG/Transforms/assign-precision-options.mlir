// RUN: not mlg-opt %s --mlg-assign-precision="qb=0" 2>&1 | FileCheck %s --check-prefix=QB
// RUN: not mlg-opt %s --mlg-assign-precision="qv=17" 2>&1 | FileCheck %s --check-prefix=QV
// RUN: not mlg-opt %s --mlg-assign-precision="mode=fancy" 2>&1 | FileCheck %s --check-prefix=MODE
// RUN: not mlg-opt %s --mlg-assign-precision="mode=budget min-bits=6 max-bits=4" 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not mlg-opt %s --mlg-assign-precision="mode=budget max-rel-error=1.5" 2>&1 | FileCheck %s --check-prefix=ERR
// RUN: not mlg-opt %s --mlg-assign-precision="mode=budget max-memory-ratio=2" 2>&1 | FileCheck %s --check-prefix=RATIO
// An error target below what 2 bits per value can reach.
// RUN: not mlg-opt %s --mlg-assign-precision="mode=budget max-bits=2 max-rel-error=0.001" 2>&1 | FileCheck %s --check-prefix=UNMET
// A memory budget smaller than one bit per value.
// RUN: not mlg-opt %s --mlg-assign-precision="mode=budget max-memory-ratio=0.001" 2>&1 | FileCheck %s --check-prefix=NOROOM

// QB: error: mlg-assign-precision: option 'qb' must be in [1, 16] or 32 (keep float), got 0
// QV: error: mlg-assign-precision: option 'qv' must be in [1, 16] or 32 (keep float), got 17
// MODE: for the --mode option: Cannot find option named 'fancy'!
// RANGE: error: mlg-assign-precision: options 'min-bits' and 'max-bits' need 1 <= min-bits <= max-bits <= 16, got 6 and 4
// ERR: error: mlg-assign-precision: option 'max-rel-error' must be in (0, 1], got 1.5
// RATIO: error: mlg-assign-precision: option 'max-memory-ratio' must be in [0, 1], got 2
// UNMET: error: mlg-assign-precision: layer 'conv' cannot meet max-rel-error 0.001 even at max-bits 2
// NOROOM: error: mlg-assign-precision: max-memory-ratio 0.001 ({{[0-9]+}} bits) cannot be met: the generators need more even at min-bits 2

func.func @chain() -> tensor<8x4x3x3xf32> {
  %u = arith.constant dense<[[[0.5, 0.1], [-1.0, 0.3], [0.25, -0.7], [0.9, 0.2]], [[0.3, -0.2], [0.6, 0.1], [-0.4, 0.8], [0.1, 0.5]]]> : tensor<2x4x2xf32>
  %b = arith.constant dense<[[[[2.0, -1.0, 0.5], [0.3, 0.2, -0.6], [1.1, -0.9, 0.4]], [[0.7, 0.1, -0.2], [0.5, -1.3, 0.8], [0.2, 0.6, -0.4]]], [[[1.0, 0.5, -0.5], [0.25, -0.75, 0.6], [-0.1, 0.9, 0.3]], [[0.4, -0.8, 0.2], [1.2, 0.1, -0.3], [0.5, 0.7, -1.1]]]]> : tensor<2x2x3x3xf32>
  %v = arith.constant dense<[[1.0, 0.2], [-0.25, 0.8], [0.5, -0.5], [0.3, 0.9], [-0.7, 0.1], [0.6, 0.4], [0.2, -1.0], [0.9, 0.3]]> : tensor<8x2xf32>
  %wc = mlg.generate_intra %u, %b : tensor<2x4x2xf32>, tensor<2x2x3x3xf32> -> tensor<2x4x3x3xf32>
  %w = mlg.generate_cross %v, %wc {mlg.layer = "conv"} : tensor<8x2xf32>, tensor<2x4x3x3xf32> -> tensor<8x4x3x3xf32>
  return %w : tensor<8x4x3x3xf32>
}
