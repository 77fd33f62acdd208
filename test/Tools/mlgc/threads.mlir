// mlgc --threads: the same network compiled with 1 and 2 threads and run by
// mlg-run, also with MLG_NUM_THREADS choosing 1, more than compiled (2 is
// used) and an invalid value (ignored); every output matches numpy and the
// single-threaded library (threads=1 vs 2 relative difference <= 1e-6).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../Inputs/threads_check.py write %t
// RUN: mlgc -q %s -o %t/one.so
// RUN: mlgc -q %s --threads=2 -o %t/two.so
// RUN: mlg-run %t/one.so --input %t/x.npy --input %t/w.npy --input %t/a.npy --input %t/b.npy --input %t/e.npy --output %t/conv1.npy --output %t/mm1.npy --output %t/ew1.npy
// RUN: mlg-run %t/two.so --input %t/x.npy --input %t/w.npy --input %t/a.npy --input %t/b.npy --input %t/e.npy --output %t/conv2.npy --output %t/mm2.npy --output %t/ew2.npy
// RUN: env MLG_NUM_THREADS=1 mlg-run %t/two.so --input %t/x.npy --input %t/w.npy --input %t/a.npy --input %t/b.npy --input %t/e.npy --output %t/conv2e1.npy --output %t/mm2e1.npy --output %t/ew2e1.npy
// RUN: env MLG_NUM_THREADS=8 mlg-run %t/two.so --input %t/x.npy --input %t/w.npy --input %t/a.npy --input %t/b.npy --input %t/e.npy --output %t/conv2e8.npy --output %t/mm2e8.npy --output %t/ew2e8.npy
// RUN: env MLG_NUM_THREADS=many mlg-run %t/two.so --input %t/x.npy --input %t/w.npy --input %t/a.npy --input %t/b.npy --input %t/e.npy --output %t/conv2bad.npy --output %t/mm2bad.npy --output %t/ew2bad.npy
// RUN: %python %S/../Inputs/threads_check.py check %t 1 2 2e1 2e8 2bad | FileCheck %s
// Four parallel loops: the convolution, the matmul, the large elementwise op
// and the copy of its result into the caller's buffer.
// RUN: mlgc -q %s --threads=2 --emit=mlir | grep -c "omp.parallel" | FileCheck %s --check-prefix=REGIONS
// Only the threaded library calls (and needs) the OpenMP runtime.
// RUN: llvm-nm -D %t/one.so | FileCheck %s --check-prefix=ONE
// RUN: llvm-nm -D %t/two.so | FileCheck %s --check-prefix=TWO
// Bad values: a message, exit status 1, no output.
// RUN: not mlgc -q %s --threads=0 -o %t/bad.so 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not mlgc -q %s --threads=-3 -o %t/bad.so 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not ls %t/bad.so

// CHECK:      conv1: shape (1, 32, 30, 30) ok against numpy, same as conv1
// CHECK-NEXT: conv2: shape (1, 32, 30, 30) ok against numpy, same as conv1
// CHECK-NEXT: conv2e1: shape (1, 32, 30, 30) ok against numpy, same as conv1
// CHECK-NEXT: conv2e8: shape (1, 32, 30, 30) ok against numpy, same as conv1
// CHECK-NEXT: conv2bad: shape (1, 32, 30, 30) ok against numpy, same as conv1
// CHECK-NEXT: mm1: shape (64, 128) ok against numpy, same as mm1
// CHECK-NEXT: mm2: shape (64, 128) ok against numpy, same as mm1
// CHECK-NEXT: mm2e1: shape (64, 128) ok against numpy, same as mm1
// CHECK-NEXT: mm2e8: shape (64, 128) ok against numpy, same as mm1
// CHECK-NEXT: mm2bad: shape (64, 128) ok against numpy, same as mm1
// CHECK-NEXT: ew1: shape (1, 64, 64, 64) ok against numpy, same as ew1
// CHECK-NEXT: ew2: shape (1, 64, 64, 64) ok against numpy, same as ew1
// CHECK-NEXT: ew2e1: shape (1, 64, 64, 64) ok against numpy, same as ew1
// CHECK-NEXT: ew2e8: shape (1, 64, 64, 64) ok against numpy, same as ew1
// CHECK-NEXT: ew2bad: shape (1, 64, 64, 64) ok against numpy, same as ew1

// REGIONS: 4
// ONE-NOT: __kmpc
// TWO:     U __kmpc_fork_call

// ZERO:     mlgc: error: --threads must be at least 1, got 0
// NEGATIVE: mlgc: error: --threads must be at least 1, got -3

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// A 3x3 convolution 16 -> 32 channels at 32x32 with ReLU (4.1 M
// multiply-adds), a 64x256x128 matmul (2.1 M) and an elementwise op on
// 2^18 elements: all three split over threads (the small ReLU does not).
func.func @forward(%x: tensor<1x16x32x32xf32>, %w: tensor<32x16x3x3xf32>,
                   %a: tensor<64x256xf32>, %b: tensor<256x128xf32>,
                   %big: tensor<1x64x64x64xf32>)
    -> (tensor<1x32x30x30xf32>, tensor<64x128xf32>, tensor<1x64x64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x32x30x30xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x30x30xf32>) -> tensor<1x32x30x30xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x16x32x32xf32>, tensor<32x16x3x3xf32>) outs(%acc : tensor<1x32x30x30xf32>) -> tensor<1x32x30x30xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c : tensor<1x32x30x30xf32>) outs(%e : tensor<1x32x30x30xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x32x30x30xf32>
  %me = tensor.empty() : tensor<64x128xf32>
  %macc = linalg.fill ins(%zero : f32) outs(%me : tensor<64x128xf32>) -> tensor<64x128xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x128xf32>) outs(%macc : tensor<64x128xf32>) -> tensor<64x128xf32>
  %be = tensor.empty() : tensor<1x64x64x64xf32>
  %ew = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%big : tensor<1x64x64x64xf32>) outs(%be : tensor<1x64x64x64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %d = arith.addf %v, %v : f32
    %m = arith.maximumf %d, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x64x64x64xf32>
  return %r, %mm, %ew : tensor<1x32x30x30xf32>, tensor<64x128xf32>, tensor<1x64x64x64xf32>
}
