// The per-layer weight source of layers with generated filters:
// weight-source=auto asks the cost model (chooseWeightSource, energy and
// latency) and says why at the layer; =dense loads the dequantized
// generated weights; =generated generates them on the core, and reports a
// generator the core cannot run (level-1 sums beyond the 8-bit lanes) at
// the layer. U codes wider than two 4-bit digits are put on the core's grid
// (the remark says so, with the weights' error). A bad option value is an
// error.
// RUN: mlg-opt %s -split-input-file --convert-mlg-to-ptc -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO
// RUN: mlg-opt %s -split-input-file --convert-mlg-to-ptc="weight-source=dense" 2>&1 | FileCheck %s --check-prefix=DENSE
// RUN: not mlg-opt %s -split-input-file --convert-mlg-to-ptc="weight-source=generated" 2>&1 | FileCheck %s --check-prefix=GEN
// RUN: not mlg-opt %s -split-input-file --convert-mlg-to-ptc="weight-source=sometimes" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not mlg-opt %s -split-input-file --convert-mlg-to-ptc="weight-source=generated" -o /dev/null 2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: mlg-opt %s -split-input-file --convert-mlg-to-ptc -o /dev/null 2>&1 | FileCheck %s --check-prefix=WIDE-AUTO
// RUN: mlg-opt %s -split-input-file --convert-mlg-to-ptc -o /dev/null 2>&1 | FileCheck %s --check-prefix=STEM-AUTO
// RUN: not mlg-opt %s -split-input-file --convert-mlg-to-ptc="weight-source=generated" -o /dev/null 2>&1 | FileCheck %s --check-prefix=STEM-GEN

// AUTO: remark: loc("fc"): PTC lowering: dense weights: cost model: generation costs {{.*}} against {{.*}} dense

// DENSE: remark: loc("fc"): PTC lowering: dense weights (weight-source = dense)
// DENSE: ptc.data @fc_0_weight
// DENSE-NOT: ptc.gen

// GEN: remark: loc("fc"): PTC lowering: weights generated on the core (level 2; W1 shift 0, level-2 shift {{[0-9]+}})
// GEN-NOT: ptc.data @fc_0_weight
// GEN: ptc.data @fc_0_kernels
// GEN: ptc.gen level 2 requant

// BAD: error: PTC lowering: weight-source must be auto, dense or generated, not 'sometimes'

// WIDE: generated-choice.mlir:[[#@LINE+33]]:{{[0-9]+}}: remark: PTC lowering: weights generated on the core (level 1 + level 2; W1 shift {{[0-9]+}}, level-2 shift {{[0-9]+}}; on the core's grids: U; weights' relative error 0.0{{[0-9]+}})
// WIDE: generated-choice.mlir:[[#@LINE+50]]:{{[0-9]+}}: error: PTC lowering: cannot generate the weights on the core: level-1 partial sums exceed the 8-bit weight lanes or the ADC (Bi = 4)
// WIDE-AUTO: generated-choice.mlir:[[#@LINE+49]]:{{[0-9]+}}: remark: PTC lowering: dense weights: level-1 partial sums exceed

func.func @fc(%x: tensor<4x8xf32>) -> tensor<4x6xf32> {
  %zero = arith.constant 0.0 : f32
  %bc = arith.constant dense<[[1, -2, 3, 0, -4, 2, 1, -1], [0, 1, -1, 2, 3, -3, -2, 1]]> : tensor<2x8xi3>
  %vc = arith.constant dense<[[1, 0], [-1, 2], [3, -4], [0, 1], [2, 2], [-3, 1]]> : tensor<6x2xi3>
  %b = mlg.dequantize %bc as midrise<scale = 0.25> : tensor<2x8xi3> -> tensor<2x8xf32>
  %v = mlg.dequantize %vc as midrise<scale = 0.125> : tensor<6x2xi3> -> tensor<6x2xf32>
  %w = mlg.generate_cross %v, %b : tensor<6x2xf32>, tensor<2x8xf32> -> tensor<6x8xf32>
  %te = tensor.empty() : tensor<8x6xf32>
  %wt = linalg.transpose ins(%w : tensor<6x8xf32>) outs(%te : tensor<8x6xf32>) permutation = [1, 0]
  %e = tensor.empty() : tensor<4x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x6xf32>) -> tensor<4x6xf32>
  %y = linalg.matmul ins(%x, %wt : tensor<4x8xf32>, tensor<8x6xf32>) outs(%f : tensor<4x6xf32>) -> tensor<4x6xf32> loc("fc")
  return %y : tensor<4x6xf32>
}

// -----

func.func @wide_u(%x: tensor<1x8x3x3xf32>) -> tensor<1x6x1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %bc = arith.constant dense<1> : tensor<2x1x3x3xi3>
  %uc = arith.constant dense<-60> : tensor<2x8x1xi7>
  %vc = arith.constant dense<2> : tensor<6x2xi3>
  %b = mlg.dequantize %bc as midrise<scale = 0.25> : tensor<2x1x3x3xi3> -> tensor<2x1x3x3xf32>
  %u = mlg.dequantize %uc as midrise<scale = 0.01> : tensor<2x8x1xi7> -> tensor<2x8x1xf32>
  %v = mlg.dequantize %vc as midrise<scale = 0.125> : tensor<6x2xi3> -> tensor<6x2xf32>
  %k = mlg.generate_intra %u, %b : tensor<2x8x1xf32>, tensor<2x1x3x3xf32> -> tensor<2x8x3x3xf32>
  %w = mlg.generate_cross %v, %k : tensor<6x2xf32>, tensor<2x8x3x3xf32> -> tensor<6x8x3x3xf32>
  %e = tensor.empty() : tensor<1x6x1x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x6x1x1xf32>) -> tensor<1x6x1x1xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x3x3xf32>, tensor<6x8x3x3xf32>) outs(%f : tensor<1x6x1x1xf32>) -> tensor<1x6x1x1xf32>
  return %y : tensor<1x6x1x1xf32>
}

// -----

func.func @wide_sums(%x: tensor<1x8x3x3xf32>) -> tensor<1x6x1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %bc = arith.constant dense<3> : tensor<2x4x3x3xi3>
  %uc = arith.constant dense<3> : tensor<2x8x4xi3>
  %vc = arith.constant dense<2> : tensor<6x2xi3>
  %b = mlg.dequantize %bc as midrise<scale = 0.25> : tensor<2x4x3x3xi3> -> tensor<2x4x3x3xf32>
  %u = mlg.dequantize %uc as midrise<scale = 0.01> : tensor<2x8x4xi3> -> tensor<2x8x4xf32>
  %v = mlg.dequantize %vc as midrise<scale = 0.125> : tensor<6x2xi3> -> tensor<6x2xf32>
  %k = mlg.generate_intra %u, %b : tensor<2x8x4xf32>, tensor<2x4x3x3xf32> -> tensor<2x8x3x3xf32>
  %w = mlg.generate_cross %v, %k : tensor<6x2xf32>, tensor<2x8x3x3xf32> -> tensor<6x8x3x3xf32>
  %e = tensor.empty() : tensor<1x6x1x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x6x1x1xf32>) -> tensor<1x6x1x1xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x3x3xf32>, tensor<6x8x3x3xf32>) outs(%f : tensor<1x6x1x1xf32>) -> tensor<1x6x1x1xf32>
  return %y : tensor<1x6x1x1xf32>
}

// -----

// The network input read by one 3x3 stride-2 convolution on 3 channels: its
// dense weights pack the input's kernel rows, generated ones would not.
// STEM-AUTO: generated-choice.mlir:[[#@LINE+11]]:{{[0-9]+}}: remark: PTC lowering: dense weights: generated weights would not pack the input's kernel rows (not in the cost model)
// STEM-GEN: generated-choice.mlir:[[#@LINE+10]]:{{[0-9]+}}: remark: PTC lowering: weights generated on the core (level 2;
func.func @stem(%x: tensor<1x3x8x8xf32>) -> tensor<1x6x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %bc = arith.constant dense<[[[[1, -2, 3], [0, -4, 2], [1, -1, 0]], [[1, 2, -3], [3, -3, -2], [1, 0, 2]], [[-1, 0, 1], [2, 2, -2], [3, -4, 1]]], [[[0, 1, -1], [2, 3, -3], [-2, 1, 0]], [[1, -1, 2], [0, 3, -4], [1, 1, -2]], [[2, -2, 0], [1, -3, 3], [0, 2, -1]]]]> : tensor<2x3x3x3xi3>
  %vc = arith.constant dense<[[1, 0], [-1, 2], [3, -4], [0, 1], [2, 2], [-3, 1]]> : tensor<6x2xi3>
  %b = mlg.dequantize %bc as midrise<scale = 0.25> : tensor<2x3x3x3xi3> -> tensor<2x3x3x3xf32>
  %v = mlg.dequantize %vc as midrise<scale = 0.125> : tensor<6x2xi3> -> tensor<6x2xf32>
  %w = mlg.generate_cross %v, %b : tensor<6x2xf32>, tensor<2x3x3x3xf32> -> tensor<6x3x3x3xf32>
  %e = tensor.empty() : tensor<1x6x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x6x3x3xf32>) -> tensor<1x6x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x3x8x8xf32>, tensor<6x3x3x3xf32>) outs(%f : tensor<1x6x3x3xf32>) -> tensor<1x6x3x3xf32>
  return %y : tensor<1x6x3x3xf32>
}
