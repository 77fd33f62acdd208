// Runs four SmartDeal layers (a 3x3 convolution with two blocks per output
// channel, a cropped 1x1 convolution with stride 2, a cropped linear layer,
// an NHWC 3x3 convolution; Inputs/smartdeal_layers.py) through mlir-runner,
// once with the reference lowering of their generator chains and once after
// mlg-lower-generated rewrote their consumers into loops over blocks of
// output channels (tile-channels=4: 2 blocks of 4, 2 of 3, 5 of 1, one of
// 4). The printed outputs are identical (both sum the same exact products
// in the same order). mlg-decompose's codes are constants, which the
// lowering reorders at compile time and stores in bit planes (none is left
// in its stored shape); run a second time with each constant passed through
// a linalg.copy, the codes are reordered at run time instead, with the same
// printout.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/smartdeal_layers.py %t/layers.mlir
// RUN: mlg-opt %t/layers.mlir --mlg-decompose="family=smartdeal" -o %t/sd.mlir
// RUN: mlg-opt %t/sd.mlir --mlg-lower-generated="tile-channels=4" -o %t/lowered.mlir
// RUN: FileCheck %s --check-prefix=LOWERED < %t/lowered.mlir \
// RUN:   --implicit-check-not='tensor<16x192x3xi5>' --implicit-check-not='tensor<6x4x3xi5>' \
// RUN:   --implicit-check-not='tensor<4x48x3xi5>' --implicit-check-not='tensor<5x3x3xi5>'
// RUN: sed -E 's/^( *)%%([0-9a-z_]+) = mlg.decode_pow2 %%([0-9a-z_]+) (min_exponent -?[0-9]+) : (tensor<[0-9x]+xi5>)/\1%%copied_\2 = linalg.copy ins(%%\3 : \5) outs(%%\3 : \5) -> \5\n\1%%\2 = mlg.decode_pow2 %%copied_\2 \4 : \5/' \
// RUN:   %t/sd.mlir > %t/sd-copied.mlir
// RUN: mlg-opt %t/sd-copied.mlir --mlg-lower-generated="tile-channels=4" -o %t/lowered-copied.mlir
// RUN: FileCheck %s --check-prefix=RUNTIME < %t/lowered-copied.mlir
// RUN: mlg-opt %t/sd.mlir --mlg-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | grep -v "base@" > %t/reference.txt
// RUN: mlg-opt %t/lowered.mlir --mlg-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | grep -v "base@" > %t/lowered.txt
// RUN: diff %t/reference.txt %t/lowered.txt
// RUN: mlg-opt %t/lowered-copied.mlir --mlg-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | grep -v "base@" > %t/lowered-copied.txt
// RUN: diff %t/reference.txt %t/lowered-copied.txt
// RUN: FileCheck %s < %t/lowered.txt

// LOWERED-NOT: mlg.generate_intra
// 2x2x3x3x64x4 5-bit codes: 18 groups of 8 x 64 in 5 planes.
// LOWERED: arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<18x5x64xi8>
// LOWERED: scf.for {{.*}} -> (tensor<1x8x4x4xf32>)
// LOWERED: scf.for {{.*}} -> (tensor<1x6x3x3xf32>)
// LOWERED: linalg.conv_2d_nhwc_hwcf {{.*}} -> tensor<1x4x4x4xf32>
// LOWERED: scf.for {{.*}} -> (tensor<2x5xf32>)
// LOWERED-NOT: mlg.generate_intra

// RUNTIME: linalg.copy
// RUNTIME: linalg.generic {{.*}} ins(%{{.*}} : tensor<16x192x3xi5>) outs(%{{.*}} : tensor<2x2x3x3x64x4xi8>)
// RUNTIME-COUNT-3: linalg.copy
// RUNTIME-NOT: mlg.generate_intra

// Four printed tensors with numbers in them.
// CHECK: {{^\[\[\[\[-?[0-9]}}
// CHECK: {{^\[\[\[\[-?[0-9]}}
// CHECK: {{^\[\[-?[0-9]}}
// CHECK: {{^\[\[\[\[-?[0-9]}}
