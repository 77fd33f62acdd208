// Malformed syntax is reported at the offending token.
// RUN: mlg-opt %s -split-input-file -verify-diagnostics

// midrise: a negative axis is rejected by the parser.
func.func @negative_axis(%c: tensor<4xi3>) {
  // expected-error @+1 {{midrise grid axis must be >= 0, got -1}}
  %0 = mlg.dequantize %c as midrise<axis = -1, scales = [1.0]> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midrise: `scale =` without a value.
func.func @missing_scale(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected floating point literal}}
  %0 = mlg.dequantize %c as midrise<scale = > : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midrise: an empty per-channel scale list.
func.func @empty_scales(%c: tensor<4xi3>) {
  // expected-error @+1 {{midrise grid needs at least one scale}}
  %0 = mlg.dequantize %c as midrise<axis = 0, scales = []> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midrise: a zero scale is caught while parsing the attribute.
func.func @non_positive_scale(%c: tensor<4xi3>) {
  // expected-error @+1 {{midrise scale #1 must be finite and positive, got 0.000000e+00}}
  %0 = mlg.dequantize %c as midrise<axis = 0, scales = [1.0, 0.0, 2.0, 3.0]> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// dequantize: the `as` keyword is missing.
func.func @missing_as(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected 'as'}}
  %0 = mlg.dequantize %c midrise<scale = 1.0> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// generated_conv2d: unknown layout keyword.
func.func @unknown_layout(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'layout' [nchw_fchw, nhwc_hwcf]}}
  %0 = mlg.generated_conv2d nchw %x basis(%w) : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// generated_matmul: unknown strategy keyword.
func.func @unknown_strategy(%x: tensor<8x16xf32>, %w: tensor<10x16xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'strategy' [auto, tiled, factorized, dense]}}
  %0 = mlg.generated_matmul %x basis(%w) strategy fastest : (tensor<8x16xf32>, tensor<10x16xf32>) -> tensor<8x10xf32>
  return
}

// -----

// generated_matmul: unknown operand keyword.
func.func @unknown_operand_keyword(%x: tensor<8x16xf32>, %w: tensor<10x16xf32>) {
  // expected-error @+1 {{expected ':'}}
  %0 = mlg.generated_matmul %x basis(%w) weights(%w) : (tensor<8x16xf32>, tensor<10x16xf32>) -> tensor<8x10xf32>
  return
}

// -----

// dequantize: truncated op, the types are missing.
func.func @truncated_op(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected ':'}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0>
  return
}

// -----

// dequantize: truncated op, the result type is missing.
func.func @missing_arrow(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected '->'}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<4xi3>, tensor<4xf32>
  return
}

// -----

// midrise: unknown keyword instead of `scale` / `axis`.
func.func @unknown_midrise_keyword(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected 'scale'}}
  %0 = mlg.dequantize %c as midrise<step = 1.0> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midrise: per channel needs `scales`, not `scale`.
func.func @per_channel_scale_keyword(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected 'scales'}}
  %0 = mlg.dequantize %c as midrise<axis = 0, scale = [1.0]> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midrise: comma missing between axis and scales.
func.func @missing_comma(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected ','}}
  %0 = mlg.dequantize %c as midrise<axis = 0 scales = [1.0, 1.0, 1.0, 1.0]> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midrise: axis after the scale is not accepted.
func.func @axis_last(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected '>'}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0, axis = 0> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midrise: trailing comma in the scale list.
func.func @trailing_comma(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected floating point literal}}
  %0 = mlg.dequantize %c as midrise<axis = 0, scales = [1.0, 1.0, 1.0, 1.0,]> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midrise: an integer literal is not a scale.
func.func @integer_scale(%c: tensor<4xi3>) {
  // expected-error @+2 {{unexpected decimal integer literal for a floating point value}}
  // expected-note @+1 {{add a trailing dot to make the literal a float}}
  %0 = mlg.dequantize %c as midrise<scale = 1> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midrise: a float literal is not an axis.
func.func @float_axis(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected integer value}}
  %0 = mlg.dequantize %c as midrise<axis = 0.0, scales = [1.0]> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// dequantize: the custom form takes `midrise<...>`, not the prefixed attribute.
func.func @prefixed_midrise(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected non-function type}}
  %0 = mlg.dequantize %c as #mlg.midrise<scale = 1.0> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// dequantize: unknown grid keyword.
func.func @unknown_grid(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected non-function type}}
  %0 = mlg.dequantize %c as midtread<scale = 1.0> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// Generic form: unknown mlg attribute.
func.func @unknown_attribute(%c: tensor<4xi3>) {
  // expected-error @+1 {{unknown attribute `midtread` in dialect `mlg`}}
  %0 = "mlg.dequantize"(%c) <{grid = #mlg.midtread<scale = 1.0>}> : (tensor<4xi3>) -> tensor<4xf32>
  return
}

// -----

// Generic form: a negative midrise axis is rejected by the attribute parser.
func.func @generic_negative_axis(%c: tensor<4xi3>) {
  // expected-error @+1 {{midrise grid axis must be >= 0, got -2}}
  %0 = "mlg.dequantize"(%c) <{grid = #mlg.midrise<axis = -2, scales = [1.0]>}> : (tensor<4xi3>) -> tensor<4xf32>
  return
}

// -----

// generated_conv2d: unknown attribute keyword (`stride` for `strides`).
func.func @unknown_attribute_keyword(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+1 {{expected ':'}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) stride [1, 1] : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// generated_conv2d: clauses out of the printed order.
func.func @clauses_out_of_order(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+1 {{expected ':'}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) padding [0, 0, 0, 0] strides [1, 1] : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// generated_conv2d: `groups` takes an integer, not an array.
func.func @groups_array(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+1 {{invalid kind of attribute specified}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) groups [1] : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// generated_conv2d: the `basis` keyword is missing.
func.func @missing_basis(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+1 {{expected 'basis'}}
  %0 = mlg.generated_conv2d nchw_fchw %x (%w) : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// generated_conv2d: the layout is missing.
func.func @missing_layout(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'layout'}}
  %0 = mlg.generated_conv2d %x basis(%w) : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// generated_conv2d: fewer operand types than operands.
func.func @operand_type_count(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+1 {{number of operands and types do not match: got 2 operands and 1 types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) : (tensor<1x8x8x8xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// generated_matmul: a conv-only clause (`groups`).
func.func @matmul_groups(%x: tensor<8x16xf32>, %w: tensor<10x16xf32>) {
  // expected-error @+1 {{expected ':'}}
  %0 = mlg.generated_matmul %x basis(%w) groups 2 : (tensor<8x16xf32>, tensor<10x16xf32>) -> tensor<8x10xf32>
  return
}

// -----

// generated_matmul: the basis operand is not parenthesized.
func.func @basis_without_parens(%x: tensor<8x16xf32>, %w: tensor<10x16xf32>) {
  // expected-error @+1 {{expected '('}}
  %0 = mlg.generated_matmul %x basis %w : (tensor<8x16xf32>, tensor<10x16xf32>) -> tensor<8x10xf32>
  return
}

// -----

// generate_intra: comma missing between the operands.
func.func @intra_missing_comma(%u: tensor<4x8x2xf32>, %b: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{expected ','}}
  %0 = mlg.generate_intra %u %b : tensor<4x8x2xf32>, tensor<4x2x3x3xf32> -> tensor<4x8x3x3xf32>
  return
}

// -----

// generated_conv2d: the input ends in the middle of the op.
func.func @ends_mid_op(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @below {{expected ')'}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) coeff_in(
