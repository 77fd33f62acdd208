// Options of convert-mlg-to-ptc: the fixed scale rule without calibration
// data, the calibrated ranges (activation-range), a bad model, a bad
// calibration file and a bad range rule (errors, exit code 1).
// RUN: mlg-opt %s --convert-mlg-to-ptc | FileCheck %s
// RUN: not mlg-opt %s --convert-mlg-to-ptc="model=no-such-model" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MODEL
// RUN: not mlg-opt %s --convert-mlg-to-ptc="calibration=%t.missing.npy" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CALIB
// RUN: %python -c "import numpy as np; np.save('%t.bad.npy', np.zeros((3, 5), np.float32))"
// RUN: not mlg-opt %s --convert-mlg-to-ptc="calibration=%t.bad.npy" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not mlg-opt %s --convert-mlg-to-ptc="activation-range=p99" -o /dev/null 2>&1 | FileCheck %s --check-prefix=RANGE
// Calibration rows: 1023 values spread over [-1, 1] and one outlier, 5.
// RUN: %python -c "import numpy as np; x = np.linspace(-1, 1, 1024, dtype=np.float32); x[0] = 5; np.save('%t.outlier.npy', x.reshape(128, 8))"
// RUN: mlg-opt %s --convert-mlg-to-ptc="calibration=%t.outlier.npy" | FileCheck %s --check-prefix=MSE
// RUN: mlg-opt %s --convert-mlg-to-ptc="calibration=%t.outlier.npy activation-range=max" | FileCheck %s --check-prefix=MAX

// Without calibration the input is taken in [-1, 1] (scale 1/7 for 4-bit
// codes) and the result bound is sum_k |W[k][o]| + |b[o]| = 8 * 0.5 + 1 = 5;
// the result keeps 4x headroom (scale 4 * 5/32767 for 16-bit codes).
// CHECK: ptc.data @input offset 0 = dense<0> : tensor<4x24xi4> {host_layout = "nchw_pixels", host_shape = array<i64: 4, 8>, role = "input", scale = 0.14285714285714285 : f64}
// CHECK: ptc.data @output offset {{[0-9]+}} = dense<0> : tensor<4x48xi16> {host_layout = "nchw_pixels", host_shape = array<i64: 4, 4>, role = "output", scale = 6.1037018951994385E-4 : f64}
// The layer is named after the first name in its location (here a fused
// one, as passes that merge ops leave them).
// CHECK: ptc.layer "fc_fused_0"
// CHECK-NOT: func.func

// With calibration, the default range of the 4-bit input codes is the clip
// with the least squared quantization error, searched on 128 steps of the
// maximum: 54/128 of 5 = 2.109375 (squared error 15.7, against 39.0 for
// the full range; a search over a fine grid in numpy gives 2.107), step
// 2.109375/7. `max` keeps the outlier: step 5/7. The network's result
// keeps its maximum with either (4.97, the last row: 8 * 0.5 * 0.99 + 1).
// MSE: ptc.data @input {{.*}} scale = 0.3013392857142857 : f64}
// MSE: ptc.data @output {{.*}} scale = 6.0702896781751647E-4 : f64}
// MAX: ptc.data @input {{.*}} scale = 0.7142857142857143 : f64}
// MAX: ptc.data @output {{.*}} scale = 6.0702896781751647E-4 : f64}

// RANGE: error: PTC lowering: activation-range must be mse or max, got 'p99'
// MODEL: error: PTC lowering:
// CALIB: error: PTC lowering: calibration:
// SHAPE: error: PTC lowering: calibration data must be [N, 8] floats

func.func @one_layer(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<8x4xf32>
  %b = arith.constant dense<1.0> : tensor<4xf32>
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32> loc(fused["options.mlir":1:1, "fc_fused"])
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%y, %b : tensor<4x4xf32>, tensor<4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}
