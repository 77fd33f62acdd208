// Bad options are reported with the option's name and the pass fails.
// RUN: not mlg-opt %s --mlg-select-strategy="force=fast" 2>&1 | FileCheck %s --check-prefix=FORCE
// RUN: not mlg-opt %s --mlg-select-strategy="force=auto" 2>&1 | FileCheck %s --check-prefix=AUTO
// RUN: not mlg-opt %s --mlg-select-strategy="l2-size=-1" 2>&1 | FileCheck %s --check-prefix=SIZE
// RUN: not mlg-opt %s --mlg-select-strategy="l1-size=4096 l2-size=2048 l3-size=8192" 2>&1 | FileCheck %s --check-prefix=ORDER
// RUN: not mlg-opt %s --mlg-select-strategy="peak-gflops=0" 2>&1 | FileCheck %s --check-prefix=PEAK
// RUN: not mlg-opt %s --mlg-select-strategy="bandwidth=-2.5" 2>&1 | FileCheck %s --check-prefix=BW
// RUN: not mlg-opt %s --mlg-select-strategy="cache-bandwidth=400,200" 2>&1 | FileCheck %s --check-prefix=CACHEBW
// RUN: not mlg-opt %s --mlg-select-strategy="kernel-efficiency=0.7,0.3,0.15" 2>&1 | FileCheck %s --check-prefix=EFFICIENCY
// RUN: not mlg-opt %s --mlg-select-strategy="kernel-efficiency=0.7,0.3,0.15,1.5" 2>&1 | FileCheck %s --check-prefix=EFFICIENCY
// RUN: mlg-opt %s --mlg-select-strategy="kernel-efficiency=1,1,1,1" | FileCheck %s --check-prefix=OK
// RUN: not mlg-opt %s --mlg-select-strategy="smartdeal-efficiency=0.5" 2>&1 | FileCheck %s --check-prefix=SD-EFFICIENCY
// RUN: not mlg-opt %s --mlg-select-strategy="smartdeal-efficiency=0.5,0" 2>&1 | FileCheck %s --check-prefix=SD-EFFICIENCY
// RUN: mlg-opt %s --mlg-select-strategy="smartdeal-efficiency=1,1" | FileCheck %s --check-prefix=OK

// FORCE: error: mlg-select-strategy: option 'force' must be dense, factorized or tiled, got 'fast'
// AUTO: error: mlg-select-strategy: option 'force' must be dense, factorized or tiled, got 'auto'
// SIZE: error: mlg-select-strategy: option 'l2-size' must be >= 0 (0: the host's), got -1
// ORDER: error: mlg-select-strategy: cache sizes must not decrease from L1 to L3, got 4096, 2048, 8192
// PEAK: error: mlg-select-strategy: option 'peak-gflops' must be > 0, got 0
// BW: error: mlg-select-strategy: option 'bandwidth' must be > 0, got -2.5
// CACHEBW: error: mlg-select-strategy: option 'cache-bandwidth' takes three values > 0 (L1, L2, L3 in GB/s)
// EFFICIENCY: error: mlg-select-strategy: option 'kernel-efficiency' takes four values in (0, 1] (convolution, pointwise, depthwise, generation)
// SD-EFFICIENCY: error: mlg-select-strategy: option 'smartdeal-efficiency' takes two values in (0, 1] (block by block, whole)
// OK: mlg.generated_matmul {{.*}} strategy

func.func @f(%x: tensor<1x8xf32>, %b: tensor<4x8xf32>) -> tensor<1x4xf32> {
  %y = mlg.generated_matmul %x basis(%b) : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
