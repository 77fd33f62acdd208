// RUN: mlg-opt %s --split-input-file --mlg-select-strategy="l1-size=32768 l2-size=1048576 l3-size=33554432" | FileCheck %s
// RUN: mlg-opt %s --split-input-file --mlg-select-strategy="force=dense l1-size=32768 l2-size=1048576 l3-size=33554432" | FileCheck %s --check-prefix=DENSE
// RUN: mlg-opt %s --split-input-file --mlg-select-strategy="force=factorized l1-size=32768 l2-size=1048576 l3-size=33554432" | FileCheck %s --check-prefix=FACTORIZED
// RUN: mlg-opt %s --split-input-file --mlg-select-strategy="smartdeal-efficiency=0.001,1 l1-size=32768 l2-size=1048576 l3-size=33554432" | FileCheck %s --check-prefix=SLOW-BLOCKS

// The consumer of a SmartDeal weight (power-of-two codes times per-block
// bases, not fused) is costed with its two forms: W regenerated whole by the
// generic lowering (dense) or block by block in the consumer's layout
// (tiled). Regeneration is 3 MACs per weight (plus the crop's padding).
// 3x3, 128 -> 4 channels at 3x3: conv 4*128*9*9 = 41472 MACs, regeneration
// 8*192*3*3 = 13824.
// CHECK-LABEL: func.func @conv3x3(
// CHECK:         linalg.conv_2d_nchw_fchw
// CHECK-SAME:      mlg.strategy = "tiled"
// CHECK-SAME:      mlg.strategy_cost = {dense = {bytes = {{[0-9]+}} : i64, macs = 55296 : i64, ns = {{[0-9a-fx.e+]+}} : f64}, tiled = {block = 4 : i64, bytes = {{[0-9]+}} : i64, macs = 55296 : i64, ns = {{[0-9a-fx.e+]+}} : f64}}
// CHECK-NOT:       factorized
// DENSE-LABEL: func.func @conv3x3(
// DENSE:         mlg.strategy = "dense"
// No factorized form: forcing it leaves the choice to the costs.
// FACTORIZED-LABEL: func.func @conv3x3(
// FACTORIZED:      mlg.strategy = "tiled"
// Blocks regenerated at a thousandth of the peak: W whole is cheaper.
// SLOW-BLOCKS-LABEL: func.func @conv3x3(
// SLOW-BLOCKS:     mlg.strategy = "dense"
func.func @conv3x3(%x: tensor<1x128x5x5xf32>, %codes: tensor<8x192x3xi5>,
                   %basis: tensor<8x3x3xf32>, %out: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %c = mlg.decode_pow2 %codes min_exponent -9 : tensor<8x192x3xi5> -> tensor<8x192x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<8x192x3xf32>, tensor<8x3x3xf32> -> tensor<8x192x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<8x192x3xf32> into tensor<4608xf32>
  %w = tensor.expand_shape %f [[0, 1, 2, 3]] output_shape [4, 128, 3, 3] : tensor<4608xf32> into tensor<4x128x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x128x5x5xf32>, tensor<4x128x3x3xf32>)
      outs(%out : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %y : tensor<1x4x3x3xf32>
}

// -----

// NHWC (filter W transposed to HWCF) and a linear layer (W cropped from
// 9 to 7 values per channel, transposed): matmul 2*7*4 = 56 MACs,
// regeneration 4*3*3*3 = 108. A mark already there is kept (not with force).
// CHECK-LABEL: func.func @nhwc_and_linear(
// CHECK:         linalg.conv_2d_nhwc_hwcf {{.*}}mlg.strategy = "tiled", mlg.strategy_cost = {dense = {{.+}}, tiled = {block = 4 : i64
// CHECK:         linalg.matmul {mlg.strategy = "dense", mlg.strategy_cost = {dense = {bytes = {{[0-9]+}} : i64, macs = 164 : i64
// DENSE-LABEL: func.func @nhwc_and_linear(
// DENSE:         linalg.conv_2d_nhwc_hwcf {{.*}}mlg.strategy = "dense"
// DENSE:         linalg.matmul {mlg.strategy = "dense"
func.func @nhwc_and_linear(%xh: tensor<1x5x5x2xf32>, %codes: tensor<4x6x3xi5>,
                           %basis: tensor<4x3x3xf32>, %outh: tensor<1x3x3x4xf32>,
                           %x: tensor<2x7xf32>, %lcodes: tensor<4x3x3xi8>,
                           %lbasis: tensor<4x3x3xf32>, %out: tensor<2x4xf32>)
    -> (tensor<1x3x3x4xf32>, tensor<2x4xf32>) {
  %c = mlg.decode_pow2 %codes min_exponent -9 : tensor<4x6x3xi5> -> tensor<4x6x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<4x6x3xf32>, tensor<4x3x3xf32> -> tensor<4x6x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<4x6x3xf32> into tensor<72xf32>
  %w = tensor.expand_shape %f [[0, 1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<72xf32> into tensor<4x2x3x3xf32>
  %e = tensor.empty() : tensor<3x3x2x4xf32>
  %t = linalg.transpose ins(%w : tensor<4x2x3x3xf32>) outs(%e : tensor<3x3x2x4xf32>) permutation = [2, 3, 1, 0]
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%xh, %t : tensor<1x5x5x2xf32>, tensor<3x3x2x4xf32>)
      outs(%outh : tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32>

  %lc = mlg.decode_pow2 %lcodes min_exponent -120 : tensor<4x3x3xi8> -> tensor<4x3x3xf32>
  %lg = mlg.generate_intra %lc, %lbasis : tensor<4x3x3xf32>, tensor<4x3x3xf32> -> tensor<4x3x3xf32>
  %lf = tensor.collapse_shape %lg [[0, 1, 2]] : tensor<4x3x3xf32> into tensor<36xf32>
  %r = tensor.expand_shape %lf [[0, 1]] output_shape [4, 9] : tensor<36xf32> into tensor<4x9xf32>
  %s = tensor.extract_slice %r[0, 0] [4, 7] [1, 1] : tensor<4x9xf32> to tensor<4x7xf32>
  %le = tensor.empty() : tensor<7x4xf32>
  %lt = linalg.transpose ins(%s : tensor<4x7xf32>) outs(%le : tensor<7x4xf32>) permutation = [1, 0]
  %z = linalg.matmul {mlg.strategy = "dense"} ins(%x, %lt : tensor<2x7xf32>, tensor<7x4xf32>) outs(%out : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y, %z : tensor<1x3x3x4xf32>, tensor<2x4xf32>
}

// -----

// Not SmartDeal consumers, left unmarked: a convolution of a plain weight,
// coefficients that are not power-of-two codes, blocks that are not whole
// output channels (3 blocks for 2), a 3x3 kernel whose block rows are not
// kernel rows (2-wide bases), and a filter transposed to another layout.
// CHECK-LABEL: func.func @left_alone(
// CHECK-NOT:     mlg.strategy
// CHECK:         return
func.func @left_alone(%x: tensor<1x2x5x5xf32>, %plain: tensor<4x2x3x3xf32>,
                      %u: tensor<4x6x3xf32>, %basis: tensor<4x3x3xf32>,
                      %codes3: tensor<3x4x3xi5>, %basis3: tensor<3x3x3xf32>,
                      %codes2: tensor<2x9x2xi5>, %basis2: tensor<2x2x2xf32>,
                      %codes: tensor<4x6x3xi5>, %xh: tensor<1x5x5x2xf32>,
                      %out: tensor<1x4x3x3xf32>, %out2: tensor<1x2x3x3xf32>,
                      %outh: tensor<1x3x3x4xf32>)
    -> (tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>, tensor<1x2x3x3xf32>,
        tensor<1x2x3x3xf32>, tensor<1x3x3x4xf32>) {
  %y0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %plain : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>)
      outs(%out : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>

  %g = mlg.generate_intra %u, %basis : tensor<4x6x3xf32>, tensor<4x3x3xf32> -> tensor<4x6x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<4x6x3xf32> into tensor<72xf32>
  %w = tensor.expand_shape %f [[0, 1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<72xf32> into tensor<4x2x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>)
      outs(%out : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>

  %c3 = mlg.decode_pow2 %codes3 min_exponent -9 : tensor<3x4x3xi5> -> tensor<3x4x3xf32>
  %g3 = mlg.generate_intra %c3, %basis3 : tensor<3x4x3xf32>, tensor<3x3x3xf32> -> tensor<3x4x3xf32>
  %f3 = tensor.collapse_shape %g3 [[0, 1, 2]] : tensor<3x4x3xf32> into tensor<36xf32>
  %w3 = tensor.expand_shape %f3 [[0, 1, 2, 3]] output_shape [2, 2, 3, 3] : tensor<36xf32> into tensor<2x2x3x3xf32>
  %y3 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w3 : tensor<1x2x5x5xf32>, tensor<2x2x3x3xf32>)
      outs(%out2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>

  %c2 = mlg.decode_pow2 %codes2 min_exponent -9 : tensor<2x9x2xi5> -> tensor<2x9x2xf32>
  %g2 = mlg.generate_intra %c2, %basis2 : tensor<2x9x2xf32>, tensor<2x2x2xf32> -> tensor<2x9x2xf32>
  %f2 = tensor.collapse_shape %g2 [[0, 1, 2]] : tensor<2x9x2xf32> into tensor<36xf32>
  %w2 = tensor.expand_shape %f2 [[0, 1, 2, 3]] output_shape [2, 2, 3, 3] : tensor<36xf32> into tensor<2x2x3x3xf32>
  %y2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w2 : tensor<1x2x5x5xf32>, tensor<2x2x3x3xf32>)
      outs(%out2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>

  %c = mlg.decode_pow2 %codes min_exponent -9 : tensor<4x6x3xi5> -> tensor<4x6x3xf32>
  %gh = mlg.generate_intra %c, %basis : tensor<4x6x3xf32>, tensor<4x3x3xf32> -> tensor<4x6x3xf32>
  %fh = tensor.collapse_shape %gh [[0, 1, 2]] : tensor<4x6x3xf32> into tensor<72xf32>
  %wh = tensor.expand_shape %fh [[0, 1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<72xf32> into tensor<4x2x3x3xf32>
  %e = tensor.empty() : tensor<3x3x2x4xf32>
  %t = linalg.transpose ins(%wh : tensor<4x2x3x3xf32>) outs(%e : tensor<3x3x2x4xf32>) permutation = [3, 2, 1, 0]
  %yh = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%xh, %t : tensor<1x5x5x2xf32>, tensor<3x3x2x4xf32>)
      outs(%outh : tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32>
  return %y0, %y, %y3, %y2, %yh : tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>,
      tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x3x3x4xf32>
}
