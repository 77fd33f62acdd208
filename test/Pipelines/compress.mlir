// RUN: mlg-opt %s --mlg-compress="bi=2 bc=4 qb=3 qu=6 qv=3" | FileCheck %s
// The same output with one thread and with several, and on a second run.
// RUN: mlg-opt %s --mlg-compress="bi=2 bc=4 qb=3 qu=6 qv=3" -o %t.a.mlir
// RUN: mlg-opt %s --mlg-compress="bi=2 bc=4 qb=3 qu=6 qv=3" --mlir-disable-threading -o %t.b.mlir
// RUN: mlg-opt %s --mlg-compress="bi=2 bc=4 qb=3 qu=6 qv=3" -o %t.c.mlir
// RUN: diff %t.a.mlir %t.b.mlir
// RUN: diff %t.a.mlir %t.c.mlir
// The pipeline equals its two passes run by hand.
// RUN: mlg-opt %s --mlg-decompose="bi=2 bc=4 keep-source" --mlg-assign-precision="qb=3 qu=6 qv=3" -o %t.d.mlir
// RUN: diff %t.a.mlir %t.d.mlir
// Bad options of either stage fail the pipeline.
// RUN: not mlg-opt %s --mlg-compress="bi=-1" 2>&1 | FileCheck %s --check-prefix=BADBI
// RUN: not mlg-opt %s --mlg-compress="qu=0" 2>&1 | FileCheck %s --check-prefix=BADQU
// RUN: not mlg-opt %s --mlg-compress="precision-mode=budget precision-max-rel-error=0.0001 max-bits=3" 2>&1 | FileCheck %s --check-prefix=UNMET

// CHECK-LABEL: func.func @two_layers
// CHECK-DAG:     %[[BC:.+]] = arith.constant dense<{{.+}}> : tensor<4x2x3x3xi3>
// CHECK-DAG:     %[[UC:.+]] = arith.constant dense<{{.+}}> : tensor<4x3x2xi6>
// CHECK-DAG:     %[[VC:.+]] = arith.constant dense<{{.+}}> : tensor<8x4xi3>
// CHECK-DAG:     %[[B:.+]] = mlg.dequantize %[[BC]] as midrise<scale = {{.+}}> : tensor<4x2x3x3xi3> -> tensor<4x2x3x3xf32>
// CHECK-DAG:     %[[U:.+]] = mlg.dequantize %[[UC]] as midrise<scale = {{.+}}> : tensor<4x3x2xi6> -> tensor<4x3x2xf32>
// CHECK-DAG:     %[[V:.+]] = mlg.dequantize %[[VC]] as midrise<scale = {{.+}}> : tensor<8x4xi3> -> tensor<8x4xf32>
// CHECK:         %[[WC:.+]] = mlg.generate_intra %[[U]], %[[B]]
// CHECK:         %[[W:.+]] = mlg.generate_cross %[[V]], %[[WC]] {mlg.layer = "conv", mlg.rel_error = {{.+}} : f64}
// CHECK-NOT:     mlg.reference
// CHECK:         linalg.conv_2d_nchw_fchw {{.+}} ins(%{{.+}}, %[[W]] :
// The classifier stays dense, as in the official code.
// CHECK:         linalg.matmul ins(%{{.+}}, %cst{{.*}} : tensor<2x8xf32>, tensor<8x5xf32>)

// BADBI: error: mlg-decompose: option 'bi' must be >= 0 (0 disables level 1), got -1
// BADQU: error: mlg-assign-precision: option 'qu' must be in [1, 16] or 32 (keep float), got 0
// UNMET: error: {{.*}}mlg-assign-precision: layer 'conv' cannot meet max-rel-error 1e-04 even at max-bits 3

func.func @two_layers(%x: tensor<1x3x8x8xf32>, %out: tensor<1x8x6x6xf32>, %f: tensor<2x8xf32>, %fout: tensor<2x5xf32>) -> (tensor<1x8x6x6xf32>, tensor<2x5xf32>) {
  %w = arith.constant dense<[[[[0.001, 0.299, -0.274], [-0.891, -0.455, -0.992], [0.060, 1.340, -0.492]], [[-0.620, 0.490, 0.357], [0.105, -0.930, -0.029], [0.695, -1.344, -0.458]], [[-1.901, -1.290, -1.842], [-0.235, -1.267, 0.271], [0.157, -0.187, -2.517]]], [[[-0.539, -0.049, 0.113], [-1.530, -0.478, -0.979], [-0.809, 1.061, -0.808]], [[-0.033, 0.884, -0.584], [-0.112, 0.110, 0.064], [-1.225, 0.076, 1.359]], [[-1.547, 0.859, 0.119], [-0.641, 2.000, 0.762], [-1.199, 0.075, 0.577]]], [[[-0.189, 0.683, -0.067], [0.667, 1.439, -0.676], [0.203, -0.463, 0.127]], [[-1.187, -0.579, -0.196], [0.899, 1.145, -1.324], [-0.795, 0.647, -1.992]], [[-0.463, -0.097, 1.257], [0.689, -0.327, -0.369], [-0.250, 1.524, -0.428]]], [[[-0.304, 0.353, -0.121], [-0.197, -1.114, -0.012], [-0.444, 1.166, 0.653]], [[-0.024, 0.668, -0.340], [1.052, -0.005, 0.583], [-1.291, 0.347, -1.688]], [[-2.035, -0.304, -0.900], [0.164, 2.245, -0.832], [-0.624, 0.205, 0.493]]], [[[-0.176, -0.206, 0.702], [0.520, -1.034, -0.079], [0.035, -1.054, 0.260]], [[-0.858, 0.972, 0.193], [0.089, -0.591, -0.119], [-1.998, -1.131, 0.363]], [[-2.129, 0.847, -1.746], [0.757, -0.845, 0.779], [0.131, -1.537, 1.249]]], [[[1.442, -0.066, -0.274], [-0.160, -0.975, 1.099], [-0.543, -0.051, -0.793]], [[-0.626, -1.278, 1.257], [-0.154, 0.966, 0.013], [-0.694, -0.327, -0.560]], [[0.008, -0.375, -0.300], [-1.379, -0.807, 1.654], [-0.671, -1.054, 0.337]]], [[[1.407, -1.454, -0.209], [-0.632, -1.761, 0.735], [-0.023, 0.071, -0.752]], [[0.455, -0.539, -0.143], [-1.108, -1.216, 1.336], [-0.507, 0.292, -0.034]], [[-0.441, -0.508, 0.630], [-0.302, -0.151, 0.022], [1.177, 0.681, 0.383]]], [[[-0.564, -1.382, 0.950], [0.966, -0.141, 0.542], [0.781, 0.831, 0.921]], [[-0.456, 1.515, -1.247], [0.862, 0.494, 0.874], [1.879, 1.484, -1.145]], [[-1.689, 0.817, -1.015], [-0.012, 0.840, -1.644], [-2.110, 0.259, 0.044]]]]> : tensor<8x3x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) outs(%out : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32> loc("conv")
  %fw = arith.constant dense<[[0.868, 2.096, 0.773, 0.254, 0.154], [1.787, -0.927, -0.111, 0.460, 0.744], [-0.437, 0.307, -0.278, 0.120, -0.132], [-1.142, -0.021, 0.877, -0.967, -0.241], [0.665, -1.070, 0.183, -1.060, 1.135], [2.313, 2.022, -0.219, 0.740, 0.121], [0.102, 1.548, -1.319, 1.055, -0.049], [1.409, 0.187, -0.673, 0.277, 0.736]]> : tensor<8x5xf32>
  %z = linalg.matmul ins(%f, %fw : tensor<2x8xf32>, tensor<8x5xf32>) outs(%fout : tensor<2x5xf32>) -> tensor<2x5xf32> loc("fc")
  return %y, %z : tensor<1x8x6x6xf32>, tensor<2x5xf32>
}
