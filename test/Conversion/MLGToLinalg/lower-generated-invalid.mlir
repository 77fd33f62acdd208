// RUN: mlg-opt %s --split-input-file --verify-diagnostics --mlg-lower-generated

func.func @undecided(%x: tensor<2x4xf32>, %b: tensor<3x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{strategy 'auto' is undecided: run mlg-select-strategy first, give the op a strategy, or set mlg-lower-generated's default-strategy (dense, factorized or tiled)}}
  %y = mlg.generated_matmul %x basis(%b) : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Every offending op is reported, not only the first.
func.func @dynamic(%x: tensor<?x4xf32>, %b: tensor<3x4xf32>, %x4: tensor<1x2x?x4xf32>,
                   %b4: tensor<3x2x1x1xf32>) -> (tensor<?x3xf32>, tensor<1x3x?x4xf32>) {
  // expected-error @+1 {{mlg-lower-generated requires static shapes}}
  %y = mlg.generated_matmul %x basis(%b) strategy dense
      : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<?x3xf32>
  // expected-error @+1 {{mlg-lower-generated requires static shapes}}
  %z = mlg.generated_conv2d nchw_fchw %x4 basis(%b4) strategy tiled
      : (tensor<1x2x?x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x?x4xf32>
  return %y, %z : tensor<?x3xf32>, tensor<1x3x?x4xf32>
}

// -----

// The mark of a SmartDeal weight's consumer names one of its two forms.
func.func @smartdeal_mark(%x: tensor<2x7xf32>, %w: tensor<7x4xf32>, %out: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  // expected-error @+1 {{'mlg.strategy' must be "dense" or "tiled" (how the SmartDeal weight this op consumes is regenerated), got "factorized"}}
  %y = linalg.matmul {mlg.strategy = "factorized"} ins(%x, %w : tensor<2x7xf32>, tensor<7x4xf32>) outs(%out : tensor<2x4xf32>) -> tensor<2x4xf32>
  // expected-error @+1 {{'mlg.strategy' must be "dense" or "tiled" (how the SmartDeal weight this op consumes is regenerated), got 3 : i32}}
  %z = linalg.matmul {mlg.strategy = 3 : i32} ins(%x, %w : tensor<2x7xf32>, tensor<7x4xf32>) outs(%out : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y, %z : tensor<2x4xf32>, tensor<2x4xf32>
}
