// Runs the reference lowering in mlir-runner and checks hand-computed numbers.
// RUN: mlg-opt %s --mlg-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<?x?x?x?xf32>) {
  %u = tensor.cast %t : tensor<?x?x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  // 3-bit midrise, scale 0.5: code c -> 0.5 * (c + 1/2), all eight codes.
  %codes = arith.constant dense<[-4, -3, -2, -1, 0, 1, 2, 3]> : tensor<8xi3>
  %levels = mlg.dequantize %codes as midrise<scale = 5.000000e-01>
      : tensor<8xi3> -> tensor<8xf32>
  %l = tensor.cast %levels : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%l) : (tensor<*xf32>) -> ()
  // CHECK: [-1.75, -1.25, -0.75, -0.25, 0.25, 0.75, 1.25, 1.75]

  // 3-bit midtread per row: row 0 scale 1, row 1 scale 0.25; x = scale * c.
  %tcodes = arith.constant dense<[[-3, 0, 3], [-3, 1, 2]]> : tensor<2x3xi3>
  %tlevels = mlg.dequantize %tcodes as !quant.uniform<i3<-3:3>:f32:0, {1.0, 0.25}>
      : tensor<2x3xi3> -> tensor<2x3xf32>
  %t = tensor.cast %tlevels : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%t) : (tensor<*xf32>) -> ()
  // CHECK: [-3, 0, 3]
  // CHECK: [-0.75, 0.25, 0.5]

  // Level 1: basis [Bc=1, Bi=2, 2, 2] = {[[1,0],[0,0]], [[0,0],[0,1]]},
  // U [1, Ci=2, 2] = [[1, 2], [3, -1]]:
  //   Wc[0,0] = 1*B0 + 2*B1 = [[1,0],[0,2]]; Wc[0,1] = 3*B0 - B1 = [[3,0],[0,-1]].
  %basis = arith.constant dense<[[[[1.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 1.0]]]]>
      : tensor<1x2x2x2xf32>
  %u = arith.constant dense<[[[1.0, 2.0], [3.0, -1.0]]]> : tensor<1x2x2xf32>
  %wc = mlg.generate_intra %u, %basis
      : tensor<1x2x2xf32>, tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32>
  %wcd = tensor.cast %wc : tensor<1x2x2x2xf32> to tensor<?x?x?x?xf32>
  call @print(%wcd) : (tensor<?x?x?x?xf32>) -> ()
  // CHECK:      {{\[}}[1, 0],
  // CHECK-NEXT: [0, 2]],
  // CHECK-NEXT: {{\[}}[3, 0],
  // CHECK-NEXT: [0, -1]]]]

  // Level 2: V [Co=2, Bc=1] = [[1], [-2]]: W[0] = Wc[0], W[1] = -2 * Wc[0].
  %v = arith.constant dense<[[1.0], [-2.0]]> : tensor<2x1xf32>
  %w = mlg.generate_cross %v, %wc
      : tensor<2x1xf32>, tensor<1x2x2x2xf32> -> tensor<2x2x2x2xf32>
  %wd = tensor.cast %w : tensor<2x2x2x2xf32> to tensor<?x?x?x?xf32>
  call @print(%wd) : (tensor<?x?x?x?xf32>) -> ()
  // CHECK:      {{\[}}[1, 0],
  // CHECK-NEXT: [0, 2]],
  // CHECK-NEXT: {{\[}}[3, 0],
  // CHECK-NEXT: [0, -1]]],
  // CHECK-NEXT: {{\[}}{{\[}}[-2, 0],
  // CHECK-NEXT: [0, -4]],
  // CHECK-NEXT: {{\[}}[-6, 0],
  // CHECK-NEXT: [0, 2]]]]

  // The fused conv with the same generators on a 1x2x3x3 input
  //   channel 0 = [[1,2,3],[4,5,6],[7,8,9]], channel 1 = all ones,
  // no padding: y[o,i,j] = sum_c W[o,c,0,0]*x[c,i,j] + W[o,c,1,1]*x[c,i+1,j+1].
  //   o = 0: x0[i,j] + 2*x0[i+1,j+1] + 3 - 1 = 3*x0[i,j] + 8 + 2 (x0[i+1,j+1] = x0[i,j] + 4)
  //          -> [[13, 16], [22, 25]], plus bias 0.5
  //   o = 1: -2 * (3*x0[i,j] + 10) -> [[-26, -32], [-44, -50]], plus bias -1
  %x = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],
                              [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]]]>
      : tensor<1x2x3x3xf32>
  %bias = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %y = mlg.generated_conv2d nchw_fchw %x basis(%basis) coeff_in(%u) coeff_out(%v) bias(%bias)
      : (tensor<1x2x3x3xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2xf32>,
         tensor<2x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %yd = tensor.cast %y : tensor<1x2x2x2xf32> to tensor<?x?x?x?xf32>
  call @print(%yd) : (tensor<?x?x?x?xf32>) -> ()
  // CHECK:      {{\[}}{{\[}}{{\[}}[13.5, 16.5],
  // CHECK-NEXT: [22.5, 25.5]],
  // CHECK-NEXT: {{\[}}[-27, -33],
  // CHECK-NEXT: [-45, -51]]]]

  // Same conv with padding 1 on every side, stride 2: Ho = (3+2-2)/2+1 = 2.
  // Output (i, j) reads padded rows/cols 2i, 2i+1 = input rows 2i-1, 2i.
  //   o = 0, (0,0): W[.,.,1,1] taps x[.,0,0]: 2*1 + (-1)*1 = 1
  //   o = 0, (0,1): taps x[.,0,2]: 2*3 - 1 = 5
  //   o = 0, (1,0): W[.,.,0,0] at x[.,1,-1] (pad) = 0, W[.,.,1,1] at x[.,2,0]: 2*7 - 1 = 13
  //   o = 0, (1,1): W00 at x[.,1,1]: 5 + 3 = 8; W11 at x[.,2,2]: 2*9 - 1 = 17 -> 25
  //   o = 1 is -2 times o = 0; no bias.
  %yp = mlg.generated_conv2d nchw_fchw %x basis(%basis) coeff_in(%u) coeff_out(%v)
      strides [2, 2] padding [1, 1, 1, 1]
      : (tensor<1x2x3x3xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2xf32>,
         tensor<2x1xf32>) -> tensor<1x2x2x2xf32>
  %ypd = tensor.cast %yp : tensor<1x2x2x2xf32> to tensor<?x?x?x?xf32>
  call @print(%ypd) : (tensor<?x?x?x?xf32>) -> ()
  // CHECK:      {{\[}}{{\[}}{{\[}}[1, 5],
  // CHECK-NEXT: [13, 25]],
  // CHECK-NEXT: {{\[}}[-2, -10],
  // CHECK-NEXT: [-26, -50]]]]

  // Depthwise, NHWC: one shared basis of Bi = 1 filter [[1, -1]] (1x2),
  // per-channel coefficients U = [[2], [-1]] -> W[c=0] = [[2, -2]],
  // W[c=1] = [[-1, 1]]. Input 1x1x3x2 (H=1, W=3, C=2):
  // channel 0 = [1, 2, 4], channel 1 = [10, 20, 40].
  //   c = 0: 2*x - 2*x' -> [2-4, 4-8] = [-2, -4]
  //   c = 1: -x + x'    -> [10, 20]
  %dwbasis = arith.constant dense<[[[[1.0, -1.0]]]]> : tensor<1x1x1x2xf32>
  %dwu = arith.constant dense<[[[2.0], [-1.0]]]> : tensor<1x2x1xf32>
  %dwx = arith.constant dense<[[[[1.0, 10.0], [2.0, 20.0], [4.0, 40.0]]]]>
      : tensor<1x1x3x2xf32>
  %dwy = mlg.generated_conv2d nhwc_hwcf %dwx basis(%dwbasis) coeff_in(%dwu)
      groups 2 depthwise
      : (tensor<1x1x3x2xf32>, tensor<1x1x1x2xf32>, tensor<1x2x1xf32>)
      -> tensor<1x1x2x2xf32>
  %dwyd = tensor.cast %dwy : tensor<1x1x2x2xf32> to tensor<?x?x?x?xf32>
  call @print(%dwyd) : (tensor<?x?x?x?xf32>) -> ()
  // CHECK:      {{\[}}{{\[}}{{\[}}[-2, 10],
  // CHECK-NEXT: [-4, 20]]]]

  // Linear: basis [Bc=2, Ci=3] = [[1,0,1],[0,1,0]], V [Co=3, Bc=2] =
  // [[1,0],[0,1],[1,1]] -> W = [[1,0,1],[0,1,0],[1,1,1]]; x = [[1,2,3]],
  // bias [0, 0, 10] -> y = [[4, 2, 16]].
  %lb = arith.constant dense<[[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]> : tensor<2x3xf32>
  %lv = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>
  %lx = arith.constant dense<[[1.0, 2.0, 3.0]]> : tensor<1x3xf32>
  %lbias = arith.constant dense<[0.0, 0.0, 10.0]> : tensor<3xf32>
  %ly = mlg.generated_matmul %lx basis(%lb) coeff_out(%lv) bias(%lbias)
      : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<3x2xf32>, tensor<3xf32>)
      -> tensor<1x3xf32>
  %lyu = tensor.cast %ly : tensor<1x3xf32> to tensor<*xf32>
  call @printMemrefF32(%lyu) : (tensor<*xf32>) -> ()
  // CHECK: {{\[}}[4, 2, 16]]

  // Power-of-two codes, 4 bits from 2^-2: 0 -> 0, c -> sign(c) 2^(|c| - 3),
  // so 1 -> 0.25, -3 -> -1, 7 -> 16 and -8, the extra code, -> -32.
  %pcodes = arith.constant dense<[0, 1, -1, 2, -3, 7, -7, -8]> : tensor<8xi4>
  %pow2 = mlg.decode_pow2 %pcodes min_exponent -2 : tensor<8xi4> -> tensor<8xf32>
  %p = tensor.cast %pow2 : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%p) : (tensor<*xf32>) -> ()
  // CHECK: [0, 0.25, -0.25, 0.5, -1, 16, -16, -32]
  return
}
