// RUN: mlg-opt %s --mlg-assign-precision="qb=2 qu=2 qv=2" --split-input-file | FileCheck %s
// RUN: mlg-opt %s --mlg-assign-precision="qb=32 qu=2 qv=2" --split-input-file | FileCheck %s --check-prefix=FLOAT

// mode=paper on a chain small enough to quantize by hand with the official
// DoReFa-symmetric midrise grid (r = max|x|, scale = 2r / (2^b - 1), code
// round((x / 2r + 1/2)(2^b - 1)) - 2^(b-1)):
//   basis {2, -1}:    r = 2, scale 4/3, codes [1, -1] -> {2, -2/3}
//   U     {1/2, -1}:  r = 1, scale 2/3, codes [0, -2] -> {1/3, -1}
//   V     {1, -1/4}:  r = 1, scale 2/3, codes [1, -1] -> {1, -1/3}
// Without mlg.reference the error is against the float generated weight:
// 0.22336 (numpy, float64); with the basis kept float 0.16214.

// CHECK-LABEL: func.func @chain
// CHECK-DAG:     %[[UC:.+]] = arith.constant dense<{{\[\[\[}}0], [-2]]]> : tensor<1x2x1xi2>
// CHECK-DAG:     %[[BC:.+]] = arith.constant dense<{{\[\[\[\[}}1, -1]]]]> : tensor<1x1x1x2xi2>
// CHECK-DAG:     %[[U:.+]] = mlg.dequantize %[[UC]] as midrise<scale = 0.66666666666666{{[0-9]*}}> : tensor<1x2x1xi2> -> tensor<1x2x1xf32>
// CHECK-DAG:     %[[B:.+]] = mlg.dequantize %[[BC]] as midrise<scale = 1.3333333333333{{[0-9]*}}> : tensor<1x1x1x2xi2> -> tensor<1x1x1x2xf32>
// CHECK-DAG:     %[[VC:.+]] = arith.constant dense<{{\[\[}}1], [-1]]> : tensor<2x1xi2>
// CHECK-DAG:     %[[V:.+]] = mlg.dequantize %[[VC]] as midrise<scale = 0.66666666666666{{[0-9]*}}> : tensor<2x1xi2> -> tensor<2x1xf32>
// CHECK:         %[[WC:.+]] = mlg.generate_intra %[[U]], %[[B]]
// CHECK:         mlg.generate_cross %[[V]], %[[WC]] {mlg.layer = "conv", mlg.quant_rel_error = 0.2233594719815{{[0-9]*}} : f64}
// CHECK-NOT:     arith.constant {{.*}}xf32>

// FLOAT-LABEL: func.func @chain
// FLOAT:         arith.constant dense<{{\[\[\[\[}}2.000000e+00, -1.000000e+00]]]]> : tensor<1x1x1x2xf32>
// FLOAT:         mlg.generate_cross {{.*}}mlg.quant_rel_error = 0.1621389346584{{[0-9]*}} : f64
func.func @chain() -> tensor<2x2x1x2xf32> {
  %u = arith.constant dense<[[[0.5], [-1.0]]]> : tensor<1x2x1xf32>
  %b = arith.constant dense<[[[[2.0, -1.0]]]]> : tensor<1x1x1x2xf32>
  %v = arith.constant dense<[[1.0], [-0.25]]> : tensor<2x1xf32>
  %wc = mlg.generate_intra %u, %b : tensor<1x2x1xf32>, tensor<1x1x1x2xf32> -> tensor<1x2x1x2xf32>
  %w = mlg.generate_cross %v, %wc {mlg.layer = "conv", mlg.rel_error = 0.0 : f64} : tensor<2x1xf32>, tensor<1x2x1x2xf32> -> tensor<2x2x1x2xf32>
  return %w : tensor<2x2x1x2xf32>
}

// -----

// Already quantized generators are left alone (the pass is idempotent).
// CHECK-LABEL: func.func @already_quantized
// CHECK:         %[[C:.+]] = arith.constant dense<1> : tensor<2x3xi3>
// CHECK-NEXT:    %[[V:.+]] = mlg.dequantize %[[C]] as midrise<scale = 2.500000e-01>
// CHECK-NEXT:    mlg.generate_cross %[[V]], %{{.+}} : tensor<2x3xf32>
func.func @already_quantized(%k: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %c = arith.constant dense<1> : tensor<2x3xi3>
  %v = mlg.dequantize %c as midrise<scale = 0.25> : tensor<2x3xi3> -> tensor<2x3xf32>
  %w = mlg.generate_cross %v, %k : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  return %w : tensor<2x4xf32>
}
