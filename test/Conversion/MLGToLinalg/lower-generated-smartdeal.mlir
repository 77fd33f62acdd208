// RUN: mlg-opt %s --mlg-lower-generated="tile-channels=2" --split-input-file | FileCheck %s
// RUN: mlg-opt %s --mlg-lower-generated --split-input-file | FileCheck %s --check-prefix=ONE-BLOCK
// RUN: mlg-opt %s --mlg-lower-generated="default-strategy=dense tile-channels=2" --split-input-file | FileCheck %s --check-prefix=WHOLE

// SmartDeal chains (mlg.decode_pow2 -> mlg.generate_intra -> the block
// reshapes of mlg-decompose) are not fused; mlg-lower-generated rewrites
// their consumer into a loop over blocks of output channels. The codes are
// first copied block by block with the output channel last (widened to i8),
// the bases with the output channel last; each iteration decodes (sign and
// exponent bits of an f32) and sums the three taps of its block of W
// elementwise, in HWCF order, and applies the consumer to it.

// 3x3: 128 input channels, two blocks of 64 per output channel; the codes
// become [Co/2, split, kh, tap, channel, 2] =
// codes[(block*2 + f)*2 + s, ch*3 + kh, tap].
// CHECK-DAG: #[[CODES3:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> ((d0 * 2 + d5) * 2 + d1, d4 * 3 + d2, d3)>
// CHECK-DAG: #[[BASIS3:.*]] = affine_map<(d0, d1, d2, d3) -> (d3 * 2 + d2, d0, d1)>
// CHECK-DAG: #[[TAP0:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d0, 0, d3, d4)>
// CHECK-DAG: #[[TAP2:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d0, 2, d3, d4)>
// CHECK-DAG: #[[BTAP0:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (0, d1, d2, d4)>
// CHECK-LABEL: func.func @conv3x3(
// CHECK-SAME: %[[X:.*]]: tensor<1x128x5x5xf32>, %[[CODES:.*]]: tensor<8x192x3xi5>, %[[BASIS:.*]]: tensor<8x3x3xf32>, %[[OUT:.*]]: tensor<1x4x3x3xf32>
// CHECK-NOT: mlg.
// CHECK: %[[CT:.*]] = linalg.generic {indexing_maps = [#[[CODES3]], #{{.*}}], {{.*}}} ins(%[[CODES]] : tensor<8x192x3xi5>) outs(%{{.*}} : tensor<2x2x3x3x64x2xi8>)
// CHECK:   arith.extsi %{{.*}} : i5 to i8
// CHECK: %[[BT:.*]] = linalg.generic {indexing_maps = [#[[BASIS3]], #{{.*}}], {{.*}}} ins(%[[BASIS]] : tensor<8x3x3xf32>) outs(%{{.*}} : tensor<3x3x2x4xf32>)
// CHECK: scf.for %[[O:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[OUT]]) -> (tensor<1x4x3x3xf32>)
// CHECK:   %[[ACCB:.*]] = tensor.extract_slice %[[ACC]][0, %[[O]], 0, 0] [1, 2, 3, 3]
// CHECK:   %[[SLAB:.*]] = arith.divui %[[O]], %{{.*}} : index
// CHECK:   %[[CB:.*]] = tensor.extract_slice %[[CT]][%[[SLAB]], 0, 0, 0, 0, 0] [1, 2, 3, 3, 64, 2] [1, 1, 1, 1, 1, 1] : tensor<2x2x3x3x64x2xi8> to tensor<2x3x3x64x2xi8>
// CHECK:   %[[BB:.*]] = tensor.extract_slice %[[BT]][0, 0, 0, %[[O]]] [3, 3, 2, 2]
// CHECK:   %[[W:.*]] = linalg.generic {indexing_maps = [#[[TAP0]], #{{.*}}, #[[TAP2]], #[[BTAP0]], #{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[CB]], %[[CB]], %[[CB]], %[[BB]], %[[BB]], %[[BB]] : {{.*}}) outs(%{{.*}} : tensor<3x3x2x64x2xf32>)
// CHECK:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:     %[[WIDE:.*]] = arith.extsi %{{.*}} : i8 to i32
// CHECK:     %[[NEG:.*]] = arith.subi %{{.*}}, %[[WIDE]] : i32
// CHECK:     %[[MAG:.*]] = arith.maxsi %[[WIDE]], %[[NEG]] : i32
// 127 - 9 - 1 = 117: the biased exponent of code 1.
// CHECK:     %[[BIAS:.*]] = arith.constant 117 : i32
// CHECK:     %[[EXP:.*]] = arith.addi %[[MAG]], %[[BIAS]] : i32
// CHECK:     arith.shli %[[EXP]]
// CHECK:     arith.andi %[[WIDE]]
// CHECK:     %[[ISZERO:.*]] = arith.cmpi eq, %[[WIDE]]
// CHECK:     %[[BITS:.*]] = arith.select %[[ISZERO]]
// CHECK:     %[[C0:.*]] = arith.bitcast %[[BITS]] : i32 to f32
// CHECK:     %[[P0:.*]] = arith.mulf %[[C0]], %{{.*}} : f32
// CHECK:     %[[S0:.*]] = arith.addf %[[ZERO]], %[[P0]] : f32
// CHECK:     arith.addf %[[S0]]
// CHECK:     arith.addf
// CHECK:     linalg.yield
// CHECK:   %[[HWCF:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1], [2, 3], [4]] : tensor<3x3x2x64x2xf32> into tensor<3x3x128x2xf32>
// CHECK:   %[[FCHW:.*]] = linalg.transpose ins(%[[HWCF]] : tensor<3x3x128x2xf32>) outs(%{{.*}} : tensor<2x128x3x3xf32>) permutation = [3, 2, 0, 1]
// CHECK:   %[[Y:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %[[FCHW]] : tensor<1x128x5x5xf32>, tensor<2x128x3x3xf32>) outs(%[[ACCB]] : tensor<1x2x3x3xf32>)
// CHECK:   tensor.insert_slice %[[Y]] into %[[ACC]][0, %[[O]], 0, 0] [1, 2, 3, 3]
// The chain is gone.
// CHECK-NOT: mlg.
// CHECK: return

// A single block needs no loop.
// ONE-BLOCK-LABEL: func.func @conv3x3(
// ONE-BLOCK-NOT: scf.for
// ONE-BLOCK: linalg.conv_2d_nchw_fchw {{.*}} tensor<4x128x3x3xf32>) outs(%{{.*}} : tensor<1x4x3x3xf32>)
// ONE-BLOCK-NOT: mlg.
// ONE-BLOCK: return
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

// 1x1, stride 2: rows of 3 of the 10 input channels, padded to 12; the
// block [split, row, col, Co] is collapsed to [12, Co], cropped to 10 input
// channels and transposed to FCHW.
// CHECK-DAG: #[[CODES1:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0 * 2 + d4 + d1, d3, d2)>
// CHECK-DAG: #[[CTAP1:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, 1, d1, d3)>
// CHECK-DAG: #[[BTAP1:.*]] = affine_map<(d0, d1, d2, d3) -> (1, d2, d0, d3)>
// CHECK-LABEL: func.func @conv1x1(
// CHECK: linalg.generic {indexing_maps = [#[[CODES1]], #{{.*}}], {{.*}}} ins(%{{.*}} : tensor<6x4x3xi4>) outs(%{{.*}} : tensor<3x1x3x4x2xi8>)
// CHECK: scf.for
// CHECK:   %[[W:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[CTAP1]], #{{.*}}, #{{.*}}, #[[BTAP1]], #{{.*}}, #{{.*}}], {{.*}} outs(%{{.*}} : tensor<1x4x3x2xf32>)
// CHECK:   %[[FLAT:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0, 1, 2], [3]] : tensor<1x4x3x2xf32> into tensor<12x2xf32>
// CHECK:   %[[CROP:.*]] = tensor.extract_slice %[[FLAT]][0, 0] [10, 2] [1, 1] : tensor<12x2xf32> to tensor<10x2xf32>
// CHECK:   %[[HWCF:.*]] = tensor.expand_shape %[[CROP]] {{\[}}[0, 1, 2], [3]] output_shape [1, 1, 10, 2]
// CHECK:   %[[FCHW:.*]] = linalg.transpose ins(%[[HWCF]] : tensor<1x1x10x2xf32>) {{.*}} permutation = [3, 2, 0, 1]
// CHECK:   linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %[[FCHW]] : tensor<1x10x5x5xf32>, tensor<2x10x1x1xf32>)
// CHECK-NOT: mlg.
// CHECK: return
func.func @conv1x1(%x: tensor<1x10x5x5xf32>, %codes: tensor<6x4x3xi4>,
                   %basis: tensor<6x3x3xf32>, %out: tensor<1x6x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %c = mlg.decode_pow2 %codes min_exponent -4 : tensor<6x4x3xi4> -> tensor<6x4x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<6x4x3xf32>, tensor<6x3x3xf32> -> tensor<6x4x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<6x4x3xf32> into tensor<72xf32>
  %r = tensor.expand_shape %f [[0, 1]] output_shape [6, 12] : tensor<72xf32> into tensor<6x12xf32>
  %s = tensor.extract_slice %r[0, 0] [6, 10] [1, 1] : tensor<6x12xf32> to tensor<6x10xf32>
  %w = tensor.expand_shape %s [[0], [1, 2, 3]] output_shape [6, 10, 1, 1] : tensor<6x10xf32> into tensor<6x10x1x1xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x10x5x5xf32>, tensor<6x10x1x1xf32>)
      outs(%out : tensor<1x6x3x3xf32>) -> tensor<1x6x3x3xf32>
  return %y : tensor<1x6x3x3xf32>
}

// -----

// Linear 7 -> 4 (8-bit codes, already i8): the matmul's right-hand side is
// the cropped block [7, Co] itself; the transpose is gone with the chain.
// CHECK-LABEL: func.func @linear(
// CHECK-SAME: %[[X:.*]]: tensor<2x7xf32>, %[[CODES:.*]]: tensor<4x3x3xi8>
// CHECK: linalg.generic {{.*}} ins(%[[CODES]] : tensor<4x3x3xi8>) outs(%{{.*}} : tensor<2x1x3x3x2xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT: linalg.yield %[[IN]] : i8
// CHECK: scf.for
// CHECK:   %[[CROP:.*]] = tensor.extract_slice %{{.*}}[0, 0] [7, 2] [1, 1] : tensor<9x2xf32> to tensor<7x2xf32>
// CHECK:   linalg.matmul ins(%[[X]], %[[CROP]] : tensor<2x7xf32>, tensor<7x2xf32>) outs(%{{.*}} : tensor<2x2xf32>)
// CHECK-NOT: linalg.transpose
// CHECK-NOT: mlg.
// CHECK: return
func.func @linear(%x: tensor<2x7xf32>, %codes: tensor<4x3x3xi8>,
                  %basis: tensor<4x3x3xf32>, %out: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %c = mlg.decode_pow2 %codes min_exponent -120 : tensor<4x3x3xi8> -> tensor<4x3x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<4x3x3xf32>, tensor<4x3x3xf32> -> tensor<4x3x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<4x3x3xf32> into tensor<36xf32>
  %r = tensor.expand_shape %f [[0, 1]] output_shape [4, 9] : tensor<36xf32> into tensor<4x9xf32>
  %s = tensor.extract_slice %r[0, 0] [4, 7] [1, 1] : tensor<4x9xf32> to tensor<4x7xf32>
  %e = tensor.empty() : tensor<7x4xf32>
  %t = linalg.transpose ins(%s : tensor<4x7xf32>) outs(%e : tensor<7x4xf32>) permutation = [1, 0]
  %y = linalg.matmul ins(%x, %t : tensor<2x7xf32>, tensor<7x4xf32>) outs(%out : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Two consumers of one chain: each gets its loop; the chain goes with the
// last.
// CHECK-LABEL: func.func @two_consumers(
// CHECK-COUNT-2: scf.for
// CHECK-NOT: mlg.
// CHECK: return
func.func @two_consumers(%x: tensor<1x2x5x5xf32>, %codes: tensor<4x6x3xi5>,
                         %basis: tensor<4x3x3xf32>, %out: tensor<1x4x3x3xf32>)
    -> (tensor<1x4x3x3xf32>, tensor<1x4x2x2xf32>) {
  %c = mlg.decode_pow2 %codes min_exponent -9 : tensor<4x6x3xi5> -> tensor<4x6x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<4x6x3xf32>, tensor<4x3x3xf32> -> tensor<4x6x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<4x6x3xf32> into tensor<72xf32>
  %w = tensor.expand_shape %f [[0, 1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<72xf32> into tensor<4x2x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>)
      outs(%out : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %e = tensor.empty() : tensor<1x4x2x2xf32>
  %z = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>)
      outs(%e : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %y, %z : tensor<1x4x3x3xf32>, tensor<1x4x2x2xf32>
}

// -----

// Constant codes are reordered at compile time, into
// [Co/2, split, kh, tap, channel, 2] = codes[(block*2 + f)*2 + s, ch*3 + kh,
// tap]: 1, 2, -3, 5, 2, 2, -4, 5, ... (codes[0, 0, 0], codes[1, 0, 0],
// codes[0, 3, 0], codes[1, 3, 0], then tap 1). Codes narrower than a byte
// are stored in bit planes, one group of 8 x 64 codes here (72 and zeros):
// byte [group, b, lane] holds in its bit m bit b of code (group, m, lane),
// so plane 0 begins 0x03 (bit 0 of code 0 = 1 and of code 64 = 7, which has
// m = 1) and 0x00 (codes 1 = 2 and 65 = 0). What runs is their
// expansion to i8 (the same shifts for all lanes, then the sign from bit 3),
// cropped to the 72 codes; no copy reads the stored order.
// CHECK-DAG: #[[PLANE0:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG: #[[PLANE3:.*]] = affine_map<(d0, d1, d2) -> (d0, 3, d2)>
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @constant_codes(
// CHECK-NOT: tensor<4x6x3xi4>
// CHECK: %[[PLANES:.*]] = arith.constant dense<"0x03000103020200010100010100010000010101000001000001000101010001010000010100010000010001010001000001000101000100000100010100010000020100000301000001010100000101010001000101010001010000010100000101000001000001000000000001000000010001000000010000000000010000000200010102000101000000010100000101000001010000010101000101010001010100010000010000000100000001000000000001000000010000000100000000000100020001000000010000000100000001000000000000000000010000000100000000000100000001000000010000000100000001000000010000000000"> : tensor<1x4x64xi8>
// CHECK: %[[CODES:.*]] = linalg.generic {indexing_maps = [#[[PLANE0]], #{{.*}}, #{{.*}}, #[[PLANE3]], #[[ID3]]], {{.*}}} ins(%[[PLANES]], %[[PLANES]], %[[PLANES]], %[[PLANES]] : {{.*}}) outs(%{{.*}} : tensor<1x8x64xi8>)
// CHECK-NEXT: ^bb0(%[[B0:[^:]*]]: i8, %[[B1:[^:]*]]: i8, %[[B2:[^:]*]]: i8, %[[B3:[^:]*]]: i8, %{{.*}}: i8):
// CHECK-NEXT:   %[[M:.*]] = linalg.index 1 : index
// CHECK-NEXT:   %[[SHIFT:.*]] = arith.index_cast %[[M]] : index to i8
// CHECK:        arith.shrui %[[B0]], %[[SHIFT]] : i8
// CHECK:        arith.shrui %[[B3]], %[[SHIFT]] : i8
// CHECK:        %[[ONE3:.*]] = arith.andi
// CHECK:        %[[BIT3:.*]] = arith.shli %[[ONE3]], %{{.*}} : i8
// CHECK:        %[[CODE:.*]] = arith.ori %{{.*}}, %[[BIT3]] : i8
// CHECK:        %[[FOUR:.*]] = arith.constant 4 : i8
// CHECK:        %[[HIGH:.*]] = arith.shli %[[CODE]], %[[FOUR]] : i8
// CHECK:        %[[SIGNED:.*]] = arith.shrsi %[[HIGH]], %[[FOUR]] : i8
// CHECK:        linalg.yield %[[SIGNED]] : i8
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[CODES]] {{\[}}[0, 1, 2]] : tensor<1x8x64xi8> into tensor<512xi8>
// CHECK: %[[CROP:.*]] = tensor.extract_slice %[[FLAT]][0] [72] [1]
// CHECK: %[[REORDERED:.*]] = tensor.expand_shape %[[CROP]] {{\[}}[0, 1, 2, 3, 4, 5]] output_shape [2, 1, 3, 3, 2, 2] : tensor<72xi8> into tensor<2x1x3x3x2x2xi8>
// CHECK: scf.for
// CHECK:   tensor.extract_slice %[[REORDERED]][
// CHECK-NOT: tensor<4x6x3xi4>
// CHECK-NOT: mlg.
// CHECK: return
func.func @constant_codes(%x: tensor<1x2x5x5xf32>, %basis: tensor<4x3x3xf32>,
                          %out: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %codes = arith.constant dense<[[[1, 2, 3], [4, 5, 6], [7, -1, -2], [-3, -4, -5], [-6, -7, 0], [1, 1, 1]],
                                 [[2, 2, 2], [3, 3, 3], [4, 4, 4], [5, 5, 5], [6, 6, 6], [7, 7, 7]],
                                 [[0, 1, 2], [3, 4, 5], [6, 7, -1], [-2, -3, -4], [-5, -6, -7], [0, 0, 0]],
                                 [[1, 0, 1], [0, 1, 0], [1, 0, 1], [0, 1, 0], [1, 0, 1], [0, 1, 0]]]> : tensor<4x6x3xi4>
  %c = mlg.decode_pow2 %codes min_exponent -4 : tensor<4x6x3xi4> -> tensor<4x6x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<4x6x3xf32>, tensor<4x3x3xf32> -> tensor<4x6x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<4x6x3xf32> into tensor<72xf32>
  %w = tensor.expand_shape %f [[0, 1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<72xf32> into tensor<4x2x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>)
      outs(%out : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %y : tensor<1x4x3x3xf32>
}

// 8-bit constant codes need no widening: the block loop reads the reordered
// constant, [Co/2, split, tap, row, 2] = codes[block*2 + f, row, tap].
// CHECK-LABEL: func.func @constant_codes_i8(
// CHECK: %[[REORDERED:.*]] = arith.constant dense<{{\[\[}}{{\[\[}}[-18, -9], [-15, -6], [-12, -3]], {{\[\[}}-17, -8], [-14, -5], [-11, -2]], {{\[\[}}-16, -7], [-13, -4], [-10, -1]]]], {{\[\[}}{{\[\[}}0, 9], [3, 12], [6, 15]], {{\[\[}}1, 10], [4, 13], [7, 16]], {{\[\[}}2, 11], [5, 14], [8, 17]]]]]> : tensor<2x1x3x3x2xi8>
// CHECK-NOT: ins(%[[REORDERED]]
// CHECK: scf.for
// CHECK:   tensor.extract_slice %[[REORDERED]][
// CHECK: return
func.func @constant_codes_i8(%x: tensor<2x7xf32>, %basis: tensor<4x3x3xf32>,
                             %out: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %codes = arith.constant dense<[[[-18, -17, -16], [-15, -14, -13], [-12, -11, -10]],
                                 [[-9, -8, -7], [-6, -5, -4], [-3, -2, -1]],
                                 [[0, 1, 2], [3, 4, 5], [6, 7, 8]],
                                 [[9, 10, 11], [12, 13, 14], [15, 16, 17]]]> : tensor<4x3x3xi8>
  %c = mlg.decode_pow2 %codes min_exponent -120 : tensor<4x3x3xi8> -> tensor<4x3x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<4x3x3xf32>, tensor<4x3x3xf32> -> tensor<4x3x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<4x3x3xf32> into tensor<36xf32>
  %r = tensor.expand_shape %f [[0, 1]] output_shape [4, 9] : tensor<36xf32> into tensor<4x9xf32>
  %s = tensor.extract_slice %r[0, 0] [4, 7] [1, 1] : tensor<4x9xf32> to tensor<4x7xf32>
  %e = tensor.empty() : tensor<7x4xf32>
  %t = linalg.transpose ins(%s : tensor<4x7xf32>) outs(%e : tensor<7x4xf32>) permutation = [1, 0]
  %y = linalg.matmul ins(%x, %t : tensor<2x7xf32>, tensor<7x4xf32>) outs(%out : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// A splat becomes an i8 splat of the reordered shape: nothing runs.
// CHECK-LABEL: func.func @splat_codes(
// CHECK: %[[SPLAT:.*]] = arith.constant dense<3> : tensor<2x1x3x3x2x2xi8>
// CHECK-NOT: ins(%[[SPLAT]]
// CHECK: scf.for
// CHECK:   tensor.extract_slice %[[SPLAT]][
// CHECK: return
func.func @splat_codes(%x: tensor<1x2x5x5xf32>, %basis: tensor<4x3x3xf32>,
                       %out: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %codes = arith.constant dense<3> : tensor<4x6x3xi5>
  %c = mlg.decode_pow2 %codes min_exponent -9 : tensor<4x6x3xi5> -> tensor<4x6x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<4x6x3xf32>, tensor<4x3x3xf32> -> tensor<4x6x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<4x6x3xf32> into tensor<72xf32>
  %w = tensor.expand_shape %f [[0, 1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<72xf32> into tensor<4x2x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>)
      outs(%out : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %y : tensor<1x4x3x3xf32>
}

// -----

// NHWC: the filter is W transposed to HWCF; each block is generated in HWCF
// and convolved as it is, into its slice along the last dimension.
// CHECK-LABEL: func.func @nhwc(
// CHECK-SAME: %[[X:.*]]: tensor<1x5x5x2xf32>
// CHECK: scf.for %[[O:[^ ]*]] = {{.*}} -> (tensor<1x3x3x4xf32>)
// CHECK:   %[[ACCB:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0, %[[O]]] [1, 3, 3, 2]
// CHECK:   %[[W:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<3x3x1x2x2xf32>)
// CHECK:   %[[HWCF:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1], [2, 3], [4]] : tensor<3x3x1x2x2xf32> into tensor<3x3x2x2xf32>
// CHECK-NOT: linalg.transpose
// CHECK:   %[[Y:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[X]], %[[HWCF]] : tensor<1x5x5x2xf32>, tensor<3x3x2x2xf32>) outs(%[[ACCB]] : tensor<1x3x3x2xf32>)
// CHECK:   tensor.insert_slice %[[Y]] into %{{.*}}[0, 0, 0, %[[O]]] [1, 3, 3, 2]
// CHECK-NOT: mlg.
// CHECK-NOT: linalg.transpose
// CHECK: return
func.func @nhwc(%xh: tensor<1x5x5x2xf32>, %codes: tensor<4x6x3xi5>,
                %basis: tensor<4x3x3xf32>, %outh: tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %c = mlg.decode_pow2 %codes min_exponent -9 : tensor<4x6x3xi5> -> tensor<4x6x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<4x6x3xf32>, tensor<4x3x3xf32> -> tensor<4x6x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<4x6x3xf32> into tensor<72xf32>
  %w = tensor.expand_shape %f [[0, 1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<72xf32> into tensor<4x2x3x3xf32>
  %e = tensor.empty() : tensor<3x3x2x4xf32>
  %t = linalg.transpose ins(%w : tensor<4x2x3x3xf32>) outs(%e : tensor<3x3x2x4xf32>) permutation = [2, 3, 1, 0]
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%xh, %t : tensor<1x5x5x2xf32>, tensor<3x3x2x4xf32>)
      outs(%outh : tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32>
  return %y : tensor<1x3x3x4xf32>
}

// -----

// Left to the generic lowering: coefficients that are not power-of-two
// codes, blocks that do not split into whole output channels (3 blocks for
// 2 channels), and a 3x3 weight whose block rows are not kernel rows
// (blocks [2, 9, 2] with 2-wide bases).
// CHECK-LABEL: func.func @left_alone(
// CHECK-NOT: scf.for
// CHECK-COUNT-3: mlg.generate_intra
// CHECK-NOT: scf.for
// CHECK: return
func.func @left_alone(%x: tensor<1x2x5x5xf32>, %u: tensor<4x6x3xf32>,
                      %basis: tensor<4x3x3xf32>, %codes3: tensor<3x4x3xi5>,
                      %basis3: tensor<3x3x3xf32>, %codes2: tensor<2x9x2xi5>,
                      %basis2: tensor<2x2x2xf32>, %out: tensor<1x4x3x3xf32>,
                      %out2: tensor<1x2x3x3xf32>)
    -> (tensor<1x4x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
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

  return %y, %y3, %y2 : tensor<1x4x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// An empty kernel (no kernel rows) has nothing to regenerate.
// CHECK-LABEL: func.func @empty_kernel(
// CHECK: mlg.generate_intra
// CHECK-NOT: scf.for
// CHECK: return
func.func @empty_kernel(%x: tensor<1x2x5x5xf32>, %codes: tensor<2x0x3xi5>,
                        %basis: tensor<2x3x3xf32>, %out: tensor<1x2x6x3xf32>) -> tensor<1x2x6x3xf32> {
  %c = mlg.decode_pow2 %codes min_exponent -9 : tensor<2x0x3xi5> -> tensor<2x0x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<2x0x3xf32>, tensor<2x3x3xf32> -> tensor<2x0x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<2x0x3xf32> into tensor<0xf32>
  %w = tensor.expand_shape %f [[0, 1, 2, 3]] output_shape [2, 2, 0, 3] : tensor<0xf32> into tensor<2x2x0x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<2x2x0x3xf32>)
      outs(%out : tensor<1x2x6x3xf32>) -> tensor<1x2x6x3xf32>
  return %y : tensor<1x2x6x3xf32>
}

// -----

// Marked dense (mlg-select-strategy): left to the generic lowering, which
// regenerates W whole; so is every unmarked consumer with
// default-strategy=dense, while a consumer marked tiled keeps its blocks.
// CHECK-LABEL: func.func @marked(
// CHECK:         mlg.generate_intra
// CHECK:         linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, mlg.strategy = "dense"
// CHECK:         scf.for
// CHECK-NOT:     mlg.generate_intra
// CHECK:         return
// WHOLE-LABEL: func.func @marked(
// WHOLE-COUNT-2: mlg.generate_intra
// WHOLE:         scf.for
// WHOLE-NOT:     mlg.generate_intra
// WHOLE:         return
func.func @marked(%x: tensor<1x2x5x5xf32>, %codes: tensor<4x6x3xi5>,
                  %basis: tensor<4x3x3xf32>, %out: tensor<1x4x3x3xf32>)
    -> (tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>) {
  %c = mlg.decode_pow2 %codes min_exponent -9 : tensor<4x6x3xi5> -> tensor<4x6x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<4x6x3xf32>, tensor<4x3x3xf32> -> tensor<4x6x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<4x6x3xf32> into tensor<72xf32>
  %w = tensor.expand_shape %f [[0, 1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<72xf32> into tensor<4x2x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, mlg.strategy = "dense", strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>)
      outs(%out : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %c2 = mlg.decode_pow2 %codes min_exponent -8 : tensor<4x6x3xi5> -> tensor<4x6x3xf32>
  %g2 = mlg.generate_intra %c2, %basis : tensor<4x6x3xf32>, tensor<4x3x3xf32> -> tensor<4x6x3xf32>
  %f2 = tensor.collapse_shape %g2 [[0, 1, 2]] : tensor<4x6x3xf32> into tensor<72xf32>
  %w2 = tensor.expand_shape %f2 [[0, 1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<72xf32> into tensor<4x2x3x3xf32>
  %y2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w2 : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>)
      outs(%out : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %c3 = mlg.decode_pow2 %codes min_exponent -7 : tensor<4x6x3xi5> -> tensor<4x6x3xf32>
  %g3 = mlg.generate_intra %c3, %basis : tensor<4x6x3xf32>, tensor<4x3x3xf32> -> tensor<4x6x3xf32>
  %f3 = tensor.collapse_shape %g3 [[0, 1, 2]] : tensor<4x6x3xf32> into tensor<72xf32>
  %w3 = tensor.expand_shape %f3 [[0, 1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<72xf32> into tensor<4x2x3x3xf32>
  %y3 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, mlg.strategy = "tiled", strides = dense<1> : tensor<2xi64>}
      ins(%x, %w3 : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>)
      outs(%out : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %y, %y2, %y3 : tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>
}

// -----

// A filled output: each block starts from the fill of its own shape, not
// from a slice of the accumulator (which the CPU lowering would otherwise
// read and, for NCHW, transpose per block).
// CHECK-LABEL: func.func @filled_output(
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         scf.for %[[O:[^ ]*]] = {{.*}} iter_args(%[[ACC:.*]] = %{{.*}})
// CHECK-NOT:       tensor.extract_slice %[[ACC]]
// CHECK:           %[[BLOCK:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<1x2x3x3xf32>)
// CHECK:           %[[Y:.*]] = linalg.conv_2d_nchw_fchw {{.*}} outs(%[[BLOCK]] : tensor<1x2x3x3xf32>)
// CHECK:           tensor.insert_slice %[[Y]] into %[[ACC]][0, %[[O]], 0, 0] [1, 2, 3, 3]
func.func @filled_output(%x: tensor<1x2x5x5xf32>, %codes: tensor<4x6x3xi5>,
                         %basis: tensor<4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x4x3x3xf32>
  %out = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %c = mlg.decode_pow2 %codes min_exponent -9 : tensor<4x6x3xi5> -> tensor<4x6x3xf32>
  %g = mlg.generate_intra %c, %basis : tensor<4x6x3xf32>, tensor<4x3x3xf32> -> tensor<4x6x3xf32>
  %f = tensor.collapse_shape %g [[0, 1, 2]] : tensor<4x6x3xf32> into tensor<72xf32>
  %w = tensor.expand_shape %f [[0, 1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<72xf32> into tensor<4x2x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>)
      outs(%out : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %y : tensor<1x4x3x3xf32>
}
