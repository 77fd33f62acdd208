// SmartDeal chains the PTC lowering cannot take, reported at the layer, and
// the per-layer choice on a small 3x3 layer: weight-source=auto keeps the
// dense weights (the cost model: a 24-channel code unit for 2 channels
// costs more than their 4-bit weights), =generated writes them with SHADD.
// RUN: not mlg-opt %s -split-input-file --convert-mlg-to-ptc -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO
// RUN: not mlg-opt %s -split-input-file --convert-mlg-to-ptc="weight-source=generated" 2>&1 | FileCheck %s --check-prefix=GEN

// AUTO: remark: loc("conv"): PTC lowering: dense weights: cost model: generation costs {{.*}} against {{.*}} dense
// AUTO: error: loc("conv"): PTC lowering: the SmartDeal codes [2, 6, 3] and basis [2, 3, 3] do not match the filter's blocks (codes [4, 3, 3], basis [4, 3, 3])
// AUTO: error: loc("conv"): PTC lowering: a SmartDeal weight must be a 3x3, 1x1 or linear kernel
// GEN: remark: loc("conv"): PTC lowering: weights generated on the core (SmartDeal, SHADD: 9 instructions, 288 bytes of codes and bases from DRAM)
// GEN: ptc.data @conv_0_codes offset {{[0-9]+}} = dense<{{.*}}> : tensor<144x72xi5> {block_rows = 6 : i64, kernel = 3 : i64, reduction_order = "channel_chunk_major", shifts = array<i64: {{[0-9]+}}>}
// GEN: ptc.data @conv_0_basis offset {{[0-9]+}} = dense<{{.*}}> : tensor<48x9xi8>
// GEN: ptc.shadd wgt {{[0-9]+}} code 0 basis 0 len 24 start 0 rank 3 cols 1 round rshift {{[0-9]+}} repeat 2 strides [24, 72, 9]

func.func @f(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %c = arith.constant dense<[[[10, 0, 0], [0, 9, 0], [0, 0, 0], [0, 0, 0], [-8, 0, 10], [0, 0, 0]], [[9, 9, 0], [0, 0, 0], [0, 0, 0], [0, 0, -10], [0, 0, 0], [0, 0, 0]]]> : tensor<2x6x3xi5>
  %d = mlg.decode_pow2 %c min_exponent -9 : tensor<2x6x3xi5> -> tensor<2x6x3xf32>
  %b = arith.constant dense<[[[1.0, 0.5, 0.0], [0.0, 1.0, -0.25], [0.5, 0.0, 1.0]], [[0.75, 0.0, 0.25], [0.0, -1.0, 0.5], [1.0, 0.5, 0.0]]]> : tensor<2x3x3xf32>
  %g = mlg.generate_intra %d, %b : tensor<2x6x3xf32>, tensor<2x3x3xf32> -> tensor<2x6x3xf32>
  %flat = tensor.collapse_shape %g [[0, 1, 2]] : tensor<2x6x3xf32> into tensor<36xf32>
  %w = tensor.expand_shape %flat [[0, 1, 2, 3]] output_shape [2, 2, 3, 3] : tensor<36xf32> into tensor<2x2x3x3xf32>
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<2x2x3x3xf32>) outs(%f : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> loc("conv")
  return %y : tensor<1x2x3x3xf32>
}

// -----

// The blocks must be those of the filter (here [4][1][3][3]: 4 blocks of 3 rows).
func.func @f(%x: tensor<1x1x5x5xf32>) -> tensor<1x4x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %c = arith.constant dense<[[[10, 0, 0], [0, 9, 0], [0, 0, 0], [0, 0, 0], [-8, 0, 10], [0, 0, 0]], [[9, 9, 0], [0, 0, 0], [0, 0, 0], [0, 0, -10], [0, 0, 0], [0, 0, 0]]]> : tensor<2x6x3xi5>
  %d = mlg.decode_pow2 %c min_exponent -9 : tensor<2x6x3xi5> -> tensor<2x6x3xf32>
  %b = arith.constant dense<[[[1.0, 0.5, 0.0], [0.0, 1.0, -0.25], [0.5, 0.0, 1.0]], [[0.75, 0.0, 0.25], [0.0, -1.0, 0.5], [1.0, 0.5, 0.0]]]> : tensor<2x3x3xf32>
  %g = mlg.generate_intra %d, %b : tensor<2x6x3xf32>, tensor<2x3x3xf32> -> tensor<2x6x3xf32>
  %flat = tensor.collapse_shape %g [[0, 1, 2]] : tensor<2x6x3xf32> into tensor<36xf32>
  %w = tensor.expand_shape %flat [[0, 1, 2, 3]] output_shape [4, 1, 3, 3] : tensor<36xf32> into tensor<4x1x3x3xf32>
  %e = tensor.empty() : tensor<1x4x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x1x5x5xf32>, tensor<4x1x3x3xf32>) outs(%f : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> loc("conv")
  return %y : tensor<1x4x3x3xf32>
}

// -----

// SmartDeal has no form for a 2x2 kernel.
func.func @f(%x: tensor<1x1x5x5xf32>) -> tensor<1x9x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %c = arith.constant dense<[[[10, 0, 0], [0, 9, 0], [0, 0, 0], [0, 0, 0], [-8, 0, 10], [0, 0, 0]], [[9, 9, 0], [0, 0, 0], [0, 0, 0], [0, 0, -10], [0, 0, 0], [0, 0, 0]]]> : tensor<2x6x3xi5>
  %d = mlg.decode_pow2 %c min_exponent -9 : tensor<2x6x3xi5> -> tensor<2x6x3xf32>
  %b = arith.constant dense<[[[1.0, 0.5, 0.0], [0.0, 1.0, -0.25], [0.5, 0.0, 1.0]], [[0.75, 0.0, 0.25], [0.0, -1.0, 0.5], [1.0, 0.5, 0.0]]]> : tensor<2x3x3xf32>
  %g = mlg.generate_intra %d, %b : tensor<2x6x3xf32>, tensor<2x3x3xf32> -> tensor<2x6x3xf32>
  %flat = tensor.collapse_shape %g [[0, 1, 2]] : tensor<2x6x3xf32> into tensor<36xf32>
  %w = tensor.expand_shape %flat [[0, 1, 2, 3]] output_shape [9, 1, 2, 2] : tensor<36xf32> into tensor<9x1x2x2xf32>
  %e = tensor.empty() : tensor<1x9x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x9x4x4xf32>) -> tensor<1x9x4x4xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x1x5x5xf32>, tensor<9x1x2x2xf32>) outs(%f : tensor<1x9x4x4xf32>) -> tensor<1x9x4x4xf32> loc("conv")
  return %y : tensor<1x9x4x4xf32>
}
