// Activations are freed after their last use (mlg-cpu-dealloc-after-last-use):
// a chain of six 1x1 convolutions over 4 MiB activations peaks at a few
// activations alive at once, not at all six (20 MiB measured here; 40 MiB
// when every buffer was freed at the end).
// Under ASan resident memory counts the shadow memory and the quarantine.
// UNSUPPORTED: asan
// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: mlgc -q %s -o chain.so
// RUN: %python -c "import numpy as np; np.save('x.npy', np.ones((1, 16, 256, 256), np.float32))"
// RUN: mlg-run chain.so --input x.npy --output y.npy --report-memory > report.txt
// RUN: %python -c "import re; peak = float(re.search(r'first run: ([0-9.]+) MiB', open('report.txt').read()).group(1)); print('peak between 8 and 30 MiB:', 8 <= peak < 30)" | FileCheck %s
// RUN: %python -c "import numpy as np; y = np.load('y.npy'); print(y.shape, np.allclose(y, 16.0**6 * 0.125**6))" | FileCheck %s --check-prefix=VALUES

// CHECK: peak between 8 and 30 MiB: True
// VALUES: (1, 16, 256, 256) True

func.func @chain(%x: tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.125> : tensor<16x16x1x1xf32>
  %e0 = tensor.empty() : tensor<1x16x256x256xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  %c0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x16x256x256xf32>, tensor<16x16x1x1xf32>) outs(%f0 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  %e1 = tensor.empty() : tensor<1x16x256x256xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%c0, %w : tensor<1x16x256x256xf32>, tensor<16x16x1x1xf32>) outs(%f1 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  %e2 = tensor.empty() : tensor<1x16x256x256xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%c1, %w : tensor<1x16x256x256xf32>, tensor<16x16x1x1xf32>) outs(%f2 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  %e3 = tensor.empty() : tensor<1x16x256x256xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  %c3 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%c2, %w : tensor<1x16x256x256xf32>, tensor<16x16x1x1xf32>) outs(%f3 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  %e4 = tensor.empty() : tensor<1x16x256x256xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  %c4 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%c3, %w : tensor<1x16x256x256xf32>, tensor<16x16x1x1xf32>) outs(%f4 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  %e5 = tensor.empty() : tensor<1x16x256x256xf32>
  %f5 = linalg.fill ins(%zero : f32) outs(%e5 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  %c5 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%c4, %w : tensor<1x16x256x256xf32>, tensor<16x16x1x1xf32>) outs(%f5 : tensor<1x16x256x256xf32>) -> tensor<1x16x256x256xf32>
  return %c5 : tensor<1x16x256x256xf32>
}
