// RUN: mlg-opt %s --mlg-lower-generated="tile-channels=4" --split-input-file | FileCheck %s
// RUN: mlg-opt %s --mlg-lower-generated --split-input-file | FileCheck %s --check-prefix=DEFAULT

// The tiled strategy: Wc = U (x) basis once, then an scf.for over blocks of
// output channels, each generating its rows of W (V's rows times Wc) and
// convolving into its slice of the loop-carried output; the remainder block
// follows the loop.

// CHECK-LABEL: func.func @nchw
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8x8xf32>, %[[B:.*]]: tensor<3x2x3x3xf32>, %[[U:.*]]: tensor<3x4x2xf32>, %[[V:.*]]: tensor<10x3xf32>, %[[BIAS:.*]]: tensor<10xf32>)
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<10xf32>)
// CHECK: %[[WC:.*]] = linalg.batch_matmul ins(%[[U]], %{{.*}} : tensor<3x4x2xf32>, tensor<3x2x9xf32>)
// CHECK: %[[FLATWC:.*]] = tensor.collapse_shape %[[WC]] {{.*}} into tensor<3x36xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[LOOP:.*]] = scf.for %[[O:.*]] = %[[C0]] to %[[C8]] step %[[C4]] iter_args(%[[ACC:.*]] = %[[INIT]]) -> (tensor<1x10x6x6xf32>) {
// CHECK:   %[[VROWS:.*]] = tensor.extract_slice %[[V]][%[[O]], 0] [4, 3] [1, 1]
// CHECK:   %[[WROWS:.*]] = linalg.matmul ins(%[[VROWS]], %[[FLATWC]] : tensor<4x3xf32>, tensor<3x36xf32>)
// CHECK:   %[[OUT:.*]] = tensor.extract_slice %[[ACC]][0, %[[O]], 0, 0] [1, 4, 6, 6] [1, 1, 1, 1]
// CHECK:   %[[W:.*]] = tensor.expand_shape %[[WROWS]] {{.*}} into tensor<4x4x3x3xf32>
// CHECK:   %[[BLOCK:.*]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%[[X]], %[[W]] : tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) outs(%[[OUT]] : tensor<1x4x6x6xf32>)
// CHECK:   %[[NEXT:.*]] = tensor.insert_slice %[[BLOCK]] into %[[ACC]][0, %[[O]], 0, 0] [1, 4, 6, 6] [1, 1, 1, 1]
// CHECK:   scf.yield %[[NEXT]]
// CHECK: }
// CHECK: %[[REST:.*]] = arith.constant 8 : index
// CHECK: tensor.extract_slice %[[V]][%[[REST]], 0] [2, 3] [1, 1]
// CHECK: linalg.matmul ins(%{{.*}}, %[[FLATWC]] : tensor<2x3xf32>, tensor<3x36xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%[[X]], %{{.*}} : tensor<1x4x8x8xf32>, tensor<2x4x3x3xf32>) outs(%{{.*}} : tensor<1x2x6x6xf32>)
// CHECK: %[[Y:.*]] = tensor.insert_slice %{{.*}} into %[[LOOP]][0, %[[REST]], 0, 0] [1, 2, 6, 6]
// CHECK: return %[[Y]]

// With the default tile (32 >= Co) the loop has a single 10-channel block.
// DEFAULT-LABEL: func.func @nchw
// DEFAULT: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// DEFAULT: linalg.conv_2d_nchw_fchw {{.*}} tensor<10x4x3x3xf32>
// DEFAULT-NOT: linalg.conv
// DEFAULT: return

func.func @nchw(%x: tensor<1x4x8x8xf32>, %b: tensor<3x2x3x3xf32>, %u: tensor<3x4x2xf32>,
                %v: tensor<10x3xf32>, %bias: tensor<10xf32>) -> tensor<1x10x6x6xf32> {
  %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) bias(%bias)
      strategy tiled
      : (tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32>, tensor<3x4x2xf32>, tensor<10x3xf32>, tensor<10xf32>)
      -> tensor<1x10x6x6xf32>
  return %y : tensor<1x10x6x6xf32>
}

// -----

// Groups: an outer loop over the groups slices the padded input's channels;
// blocks never straddle two groups.
// CHECK-LABEL: func.func @nhwc_groups
// CHECK: %[[PADDED:.*]] = tensor.pad
// CHECK: %[[FLATB:.*]] = tensor.collapse_shape {{.*}} into tensor<3x18xf32>
// CHECK: scf.for %[[G:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK:   %[[CIN:.*]] = arith.muli %[[G]], %{{.*}} : index
// CHECK:   %[[IN:.*]] = tensor.extract_slice %[[PADDED]][0, 0, 0, %[[CIN]]] [1, 9, 9, 2]
// CHECK:   %[[FIRST:.*]] = arith.muli %[[G]], %{{.*}} : index
// CHECK:   scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK:     %[[O:.*]] = arith.addi %[[FIRST]], %[[I]] : index
// CHECK:     linalg.matmul ins(%{{.*}}, %[[FLATB]] : tensor<4x3xf32>, tensor<3x18xf32>)
// CHECK:     linalg.transpose {{.*}} permutation = [2, 3, 1, 0]
// CHECK:     linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[IN]], %{{.*}} : tensor<1x9x9x2xf32>, tensor<3x3x2x4xf32>)
// CHECK:     tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0, %[[O]]] [1, 4, 4, 4]

func.func @nhwc_groups(%x: tensor<1x8x8x4xf32>, %b: tensor<3x2x3x3xf32>, %v: tensor<16x3xf32>)
    -> tensor<1x4x4x16xf32> {
  %y = mlg.generated_conv2d nhwc_hwcf %x basis(%b) coeff_out(%v) strides [2, 2] padding [1, 1, 0, 0]
      groups 2 strategy tiled
      : (tensor<1x8x8x4xf32>, tensor<3x2x3x3xf32>, tensor<16x3xf32>) -> tensor<1x4x4x16xf32>
  return %y : tensor<1x4x4x16xf32>
}

// -----

// Depthwise: blocks of whole input channels, each generating its channels'
// kernels from its columns of U.
// CHECK-LABEL: func.func @depthwise
// CHECK-SAME: (%[[X:.*]]: tensor<1x10x6x6xf32>, %[[B:.*]]: tensor<1x2x3x3xf32>, %[[U:.*]]: tensor<1x10x2xf32>)
// CHECK: scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK:   %[[UCOLS:.*]] = tensor.extract_slice %[[U]][0, %[[C]], 0] [1, 4, 2]
// CHECK:   linalg.batch_matmul ins(%[[UCOLS]], %{{.*}} : tensor<1x4x2xf32>, tensor<1x2x9xf32>)
// CHECK:   %[[IN:.*]] = tensor.extract_slice %[[X]][0, %[[C]], 0, 0] [1, 4, 6, 6]
// CHECK:   linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%[[IN]], %{{.*}} : tensor<1x4x6x6xf32>, tensor<4x3x3xf32>)
// CHECK: }
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} tensor<2x3x3xf32>

func.func @depthwise(%x: tensor<1x10x6x6xf32>, %b: tensor<1x2x3x3xf32>, %u: tensor<1x10x2xf32>)
    -> tensor<1x10x4x4xf32> {
  %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) groups 10 depthwise strategy tiled
      : (tensor<1x10x6x6xf32>, tensor<1x2x3x3xf32>, tensor<1x10x2xf32>) -> tensor<1x10x4x4xf32>
  return %y : tensor<1x10x4x4xf32>
}

// -----

// Matmul: the default tile, 32 output channels a block.
// DEFAULT-LABEL: func.func @matmul
// DEFAULT-SAME: (%[[X:.*]]: tensor<8x16xf32>, %[[B:.*]]: tensor<4x2xf32>, %[[U:.*]]: tensor<4x16x2xf32>, %[[V:.*]]: tensor<64x4xf32>)
// DEFAULT: %[[WC:.*]] = linalg.batch_matmul ins(%[[U]], %{{.*}} : tensor<4x16x2xf32>, tensor<4x2x1xf32>)
// DEFAULT: %[[FLATWC:.*]] = tensor.collapse_shape %[[WC]] {{.*}} into tensor<4x16xf32>
// DEFAULT-DAG: %[[C64:.*]] = arith.constant 64 : index
// DEFAULT-DAG: %[[C32:.*]] = arith.constant 32 : index
// DEFAULT: scf.for %[[O:.*]] = %{{.*}} to %[[C64]] step %[[C32]] iter_args(%[[ACC:.*]] = %{{.*}})
// DEFAULT:   %[[VROWS:.*]] = tensor.extract_slice %[[V]][%[[O]], 0] [32, 4] [1, 1]
// DEFAULT:   %[[W:.*]] = linalg.matmul ins(%[[VROWS]], %[[FLATWC]] : tensor<32x4xf32>, tensor<4x16xf32>)
// DEFAULT:   %[[OUT:.*]] = tensor.extract_slice %[[ACC]][0, %[[O]]] [8, 32] [1, 1]
// DEFAULT:   %[[BLOCK:.*]] = linalg.matmul indexing_maps = {{.*}} ins(%[[X]], %[[W]] : tensor<8x16xf32>, tensor<32x16xf32>) outs(%[[OUT]] : tensor<8x32xf32>)
// DEFAULT:   tensor.insert_slice %[[BLOCK]] into %[[ACC]][0, %[[O]]] [8, 32] [1, 1]
// DEFAULT: }
// DEFAULT-NOT: linalg.matmul
// DEFAULT: return

func.func @matmul(%x: tensor<8x16xf32>, %b: tensor<4x2xf32>, %u: tensor<4x16x2xf32>,
                  %v: tensor<64x4xf32>) -> tensor<8x64xf32> {
  %y = mlg.generated_matmul %x basis(%b) coeff_in(%u) coeff_out(%v) strategy tiled
      : (tensor<8x16xf32>, tensor<4x2xf32>, tensor<4x16x2xf32>, tensor<64x4xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
