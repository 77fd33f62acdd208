// Bad options are reported with the option's name and the pass fails.
// RUN: not mlg-opt %s --mlg-decompose="bi=-1" 2>&1 | FileCheck %s --check-prefix=NEGBI
// RUN: not mlg-opt %s --mlg-decompose="bc=-3" 2>&1 | FileCheck %s --check-prefix=NEGBC
// RUN: not mlg-opt %s --mlg-decompose="mode=best" 2>&1 | FileCheck %s --check-prefix=MODE
// RUN: not mlg-opt %s --mlg-decompose="mode=auto max-rel-error=0" 2>&1 | FileCheck %s --check-prefix=ERR
// RUN: not mlg-opt %s --mlg-decompose="refine-iterations=-2" 2>&1 | FileCheck %s --check-prefix=ITER
// RUN: not mlg-opt %s --mlg-decompose="cost-bits=3,6" 2>&1 | FileCheck %s --check-prefix=COST
// RUN: not mlg-opt %s --mlg-decompose="overrides=stem" 2>&1 | FileCheck %s --check-prefix=FORM
// RUN: not mlg-opt %s --mlg-decompose="overrides=stem=2:x" 2>&1 | FileCheck %s --check-prefix=NUM
// RUN: not mlg-opt %s --mlg-decompose="overrides=stem=dense,stem=1:2" 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: not mlg-opt %s --mlg-decompose="overrides=steam=dense" 2>&1 | FileCheck %s --check-prefix=NAME

// NEGBI: error: mlg-decompose: option 'bi' must be >= 0 (0 disables level 1), got -1
// NEGBC: error: mlg-decompose: option 'bc' must be >= 0 (0 disables level 2), got -3
// MODE: for the --mode option: Cannot find option named 'best'!
// ERR: error: mlg-decompose: option 'max-rel-error' must be in (0, 1], got 0
// ITER: error: mlg-decompose: option 'refine-iterations' must be >= 0, got -2
// COST: error: mlg-decompose: option 'cost-bits' takes three widths in [1, 64] (basis, U, V)
// FORM: error: mlg-decompose: override 'stem' is not NAME=BI:BC or NAME=dense
// NUM: error: mlg-decompose: override 'stem=2:x' needs non-negative integers BI:BC or 'dense'
// TWICE: error: mlg-decompose: layer 'stem' is overridden twice
// NAME: error: mlg-decompose: override names no layer: 'steam'

func.func @f(%x: tensor<1x3x8x8xf32>, %out: tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32> {
  %w = arith.constant dense<0.5> : tensor<8x3x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) outs(%out : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32> loc("stem")
  return %y : tensor<1x8x6x6xf32>
}
