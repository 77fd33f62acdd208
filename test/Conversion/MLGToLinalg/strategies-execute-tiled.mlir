// Runs the tiled strategy of mlg-lower-generated on small generated
// convolutions and matmuls (stride 2, padding, dilation 2, groups 2,
// depthwise, 1x1, no coeff_in, no coeff_out, bias, NHWC and NCHW, matmul)
// through mlg-reference-to-llvm and mlir-runner, and compares every output
// with the reference lowering of the same ops (relative error <= 1e-4).
// Tiles of 2 output channels exercise several blocks and the remainders.
// RUN: %python %S/Inputs/check_strategies.py mlg-opt mlir-runner %mlir_runner_utils %mlir_c_runner_utils "default-strategy=tiled tile-channels=2" | FileCheck %s

// CHECK: ok nchw_stride2_padding
// CHECK: ok nhwc_dilation2
// CHECK: ok nchw_groups2
// CHECK: ok nhwc_groups2_stride_dilation
// CHECK: ok nchw_depthwise_coeff_in
// CHECK: ok nhwc_depthwise_both_levels
// CHECK: ok nhwc_depthwise_coeff_out_only
// CHECK: ok nchw_depthwise_basis_only
// CHECK: ok nchw_1x1_stride2
// CHECK: ok nhwc_no_coeff_in
// CHECK: ok nchw_no_coeff_out
// CHECK: ok nhwc_no_levels
// CHECK: ok matmul_both_levels
// CHECK: ok matmul_no_coeff_in
// CHECK: ok matmul_no_coeff_out
// CHECK: ok matmul_no_levels
// CHECK: 16 passed, 0 failed
