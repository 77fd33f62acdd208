// family=smartdeal: each block [rows, 3] of a weight becomes power-of-two
// codes C (mlg.decode_pow2) times a 3x3 basis B (mlg.generate_intra), reshaped
// (and for a linear layer cropped) back to the weight.
// RUN: mlg-opt %s --mlg-decompose="family=smartdeal" | FileCheck %s
// RUN: mlg-opt %s --mlg-decompose="family=smartdeal" --mlg-memory-report="json=%t.json" -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// Fusion leaves SmartDeal chains to the generic lowering (they generate
// blocks, not kernels).
// RUN: mlg-opt %s --mlg-decompose="family=smartdeal" --mlg-fuse-generation="remarks=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=FUSE
// mlg+smartdeal: V on the power-of-two grid (5-bit codes, exponents from
// 2^-14 up to 2^0, each column's scale moved into its kernel).
// RUN: mlg-opt %s --mlg-decompose="family=mlg+smartdeal bi=2 bc=1" | FileCheck %s --check-prefix=MIXED
// RUN: not mlg-opt %s --mlg-decompose="family=smartdeal sd-bits=1" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not mlg-opt %s --mlg-decompose="family=smartdeal sd-row-prune=1" 2>&1 | FileCheck %s --check-prefix=PRUNE
// RUN: not mlg-opt %s --mlg-decompose="family=smartdeal sd-threshold=-1" 2>&1 | FileCheck %s --check-prefix=THRESHOLD
// RUN: not mlg-opt %s --mlg-decompose="family=smartdeal mode=auto" 2>&1 | FileCheck %s --check-prefix=AUTO
// RUN: not mlg-opt %s --mlg-decompose="family=smartdeal overrides=conv=2:1" 2>&1 | FileCheck %s --check-prefix=OVERRIDE

// The conv weight's entries are powers of two, so the first rounding is
// exact: C holds them (code = exponent + 10 for 5-bit codes from 2^-9:
// 1 -> 10, 0.5 -> 9, -0.25 -> -8), one block per output channel (2 input
// channels x 3 kernel rows), and the error is 0.
// CHECK-LABEL: func.func @f(
// CHECK:       %[[C:.*]] = arith.constant dense<{{\[}}{{\[}}[10, 0, 0], [0, 9, 0], [0, 0, 0], [0, 0, 0], [-8, 0, 10], [0, 0, 0]], {{\[}}[9, 9, 0], [0, 0, 0], [0, 0, 0], [0, 0, -10], [0, 0, 0], [0, 0, 0]]]> : tensor<2x6x3xi5>
// CHECK:       %[[D:.*]] = mlg.decode_pow2 %[[C]] min_exponent -9 : tensor<2x6x3xi5> -> tensor<2x6x3xf32>
// CHECK:       %[[B:.*]] = arith.constant dense<{{.*}}> : tensor<2x3x3xf32>
// CHECK:       %[[G:.*]] = mlg.generate_intra %[[D]], %[[B]] {mlg.layer = "conv", mlg.rel_error = 0.000000e+00 : f64} : tensor<2x6x3xf32>, tensor<2x3x3xf32> -> tensor<2x6x3xf32>
// CHECK:       %[[F:.*]] = tensor.collapse_shape %[[G]] {{\[}}[0, 1, 2]] : tensor<2x6x3xf32> into tensor<36xf32>
// CHECK:       %[[W:.*]] = tensor.expand_shape %[[F]] {{\[}}[0, 1, 2, 3]] output_shape [2, 2, 3, 3] : tensor<36xf32> into tensor<2x2x3x3xf32>
// CHECK:       linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %[[W]] :
// The linear layer's rows of 5 are padded to 6, two rows of 3 per block,
// and cropped back.
// CHECK:       mlg.decode_pow2 %{{.*}} min_exponent -9 : tensor<3x2x3xi5> -> tensor<3x2x3xf32>
// CHECK:       %[[LG:.*]] = mlg.generate_intra {{.*}} {mlg.layer = "fc", {{.*}}} : tensor<3x2x3xf32>, tensor<3x3x3xf32> -> tensor<3x2x3xf32>
// CHECK:       %[[LF:.*]] = tensor.collapse_shape %[[LG]] {{\[}}[0, 1, 2]] : tensor<3x2x3xf32> into tensor<18xf32>
// CHECK:       %[[LE:.*]] = tensor.expand_shape %[[LF]] {{\[}}[0, 1]] output_shape [3, 6] : tensor<18xf32> into tensor<3x6xf32>
// CHECK:       %[[LS:.*]] = tensor.extract_slice %[[LE]][0, 0] [3, 5] [1, 1] : tensor<3x6xf32> to tensor<3x5xf32>
// CHECK:       linalg.transpose ins(%[[LS]] : tensor<3x5xf32>)
// The 5x5 kernel has no SmartDeal form and stays dense.
// CHECK:       linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %cst{{.*}} : tensor<1x2x5x5xf32>, tensor<1x2x5x5xf32>)

// Stored: C as a row bitmap (12 rows), an element bitmap for the 5 non-zero
// rows (15 bits) and the 7 non-zero codes (35 bits) = 62 bits, plus the
// basis, 18 floats (576 bits): 638 bits, 80 bytes.
// REPORT: conv  conv2d  2x2x3x3  -  -  32/p5  54  80  144
// JSON: "name": "conv"
// JSON: "family": "smartdeal"
// JSON: "role": "coeff_in"
// JSON: "bits": 5
// JSON: "packed_bits": 62
// JSON-NEXT: "nonzeros": 7

// FUSE: remark: loc("conv5"): mlg-decompose: left unchanged: family=smartdeal decomposes 3x3, 1x1 and linear layers only
// FUSE: remark: loc("conv"): mlg-fuse-generation: left unchanged: the kernel is a reshape of what its generators produce
// FUSE: remark: loc("fc"): mlg-fuse-generation: left unchanged: the kernel is a reshape of what its generators produce

// MIXED-LABEL: func.func @f(
// MIXED:       %[[V:.*]] = mlg.decode_pow2 %{{.*}} min_exponent -14 : tensor<2x1xi5> -> tensor<2x1xf32>
// MIXED:       mlg.generate_cross %[[V]], %{{.*}} {mlg.layer = "conv", {{.*}}} : tensor<2x1xf32>, tensor<1x2x3x3xf32> -> tensor<2x2x3x3xf32>

// BITS: error: mlg-decompose: option 'sd-bits' must be in [2, 8], got 1
// PRUNE: error: mlg-decompose: option 'sd-row-prune' must be in [0, 1), got 1
// THRESHOLD: error: mlg-decompose: option 'sd-threshold' must be in [0, 1), got -1
// AUTO: error: mlg-decompose: 'mode=auto' sizes MLG generators; family=smartdeal takes its sizes from the blocks
// OVERRIDE: error: mlg-decompose: override 'conv=2:1': family=smartdeal takes NAME=dense only

func.func @f(%x: tensor<1x2x5x5xf32>, %out: tensor<1x2x3x3xf32>, %v: tensor<1x5xf32>,
             %o2: tensor<1x3xf32>, %o5: tensor<1x1x1x1xf32>)
    -> (tensor<1x2x3x3xf32>, tensor<1x3xf32>, tensor<1x1x1x1xf32>) {
  %w = arith.constant dense<[[[[1.0, 0.0, 0.0], [0.0, 0.5, 0.0], [0.0, 0.0, 0.0]],
                              [[0.0, 0.0, 0.0], [-0.25, 0.0, 1.0], [0.0, 0.0, 0.0]]],
                             [[[0.5, 0.5, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
                              [[0.0, 0.0, -1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]]]> : tensor<2x2x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<2x2x3x3xf32>) outs(%out : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> loc("conv")
  %m = arith.constant dense<[[0.3, -0.2, 0.7], [0.1, 0.9, -0.4], [0.6, 0.2, 0.5], [-0.8, 0.3, 0.1], [0.2, -0.6, 0.4]]> : tensor<5x3xf32>
  %z = linalg.matmul ins(%v, %m : tensor<1x5xf32>, tensor<5x3xf32>) outs(%o2 : tensor<1x3xf32>) -> tensor<1x3xf32> loc("fc")
  %k5 = arith.constant dense<0.5> : tensor<1x2x5x5xf32>
  %u = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %k5 : tensor<1x2x5x5xf32>, tensor<1x2x5x5xf32>) outs(%o5 : tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32> loc("conv5")
  return %y, %z, %u : tensor<1x2x3x3xf32>, tensor<1x3xf32>, tensor<1x1x1x1xf32>
}
