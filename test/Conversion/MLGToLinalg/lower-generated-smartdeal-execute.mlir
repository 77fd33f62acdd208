// Runs four SmartDeal layers (a 3x3 convolution with two blocks per output
// channel, a cropped 1x1 convolution with stride 2, a cropped linear layer,
// an NHWC 3x3 convolution; Inputs/smartdeal_layers.py) through mlir-runner,
// once with the reference lowering of their generator chains and once after
// mlg-lower-generated rewrote their consumers into loops over blocks of
// output channels (tile-channels=4: 2 blocks of 4, 2 of 3, 5 of 1, one of
// 4). The printed outputs are identical (both sum the same exact products
// in the same order).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/smartdeal_layers.py %t/layers.mlir
// RUN: mlg-opt %t/layers.mlir --mlg-decompose="family=smartdeal" -o %t/sd.mlir
// RUN: mlg-opt %t/sd.mlir --mlg-lower-generated="tile-channels=4" -o %t/lowered.mlir
// RUN: FileCheck %s --check-prefix=LOWERED < %t/lowered.mlir
// RUN: mlg-opt %t/sd.mlir --mlg-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | grep -v "base@" > %t/reference.txt
// RUN: mlg-opt %t/lowered.mlir --mlg-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | grep -v "base@" > %t/lowered.txt
// RUN: diff %t/reference.txt %t/lowered.txt
// RUN: FileCheck %s < %t/lowered.txt

// LOWERED-NOT: mlg.generate_intra
// LOWERED: scf.for {{.*}} -> (tensor<1x8x4x4xf32>)
// LOWERED: scf.for {{.*}} -> (tensor<1x6x3x3xf32>)
// LOWERED: linalg.conv_2d_nhwc_hwcf {{.*}} -> tensor<1x4x4x4xf32>
// LOWERED: scf.for {{.*}} -> (tensor<2x5xf32>)
// LOWERED-NOT: mlg.generate_intra

// Four printed tensors with numbers in them.
// CHECK: {{^\[\[\[\[-?[0-9]}}
// CHECK: {{^\[\[\[\[-?[0-9]}}
// CHECK: {{^\[\[-?[0-9]}}
// CHECK: {{^\[\[\[\[-?[0-9]}}
