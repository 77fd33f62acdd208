// The host view attributes of ptc.data (scale, host_shape, host_layout):
// valid ones print back, inconsistent ones name the attribute.
// RUN: mlg-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK: ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {host_layout = "nchw_pixels", host_shape = array<i64: 2, 3, 2, 2>, role = "input", scale = 1.250000e-01 : f64}
// CHECK: ptc.data @m offset 96 = dense<0> : tensor<3x48xi16> {host_layout = "nchw_pixels", host_shape = array<i64: 3, 40>, role = "output", scale = 2.500000e-01 : f64}
// CHECK: ptc.data @y offset 400 = dense<0> : tensor<2x5xi8> {host_layout = "identity", host_shape = array<i64: 2, 5>, role = "output", scale = 1.000000e-01 : f64}
ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = 0.125 : f64, host_shape = array<i64: 2, 3, 2, 2>, host_layout = "nchw_pixels"}
  ptc.data @m offset 96 = dense<0> : tensor<3x48xi16> {role = "output", scale = 0.25 : f64, host_shape = array<i64: 3, 40>, host_layout = "nchw_pixels"}
  ptc.data @y offset 400 = dense<0> : tensor<2x5xi8> {role = "output", scale = 0.1 : f64, host_shape = array<i64: 2, 5>, host_layout = "identity"}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape': host shape [2, 3, 2, 3] with layout nchw_pixels needs a rank-2 symbol of N*H*W rows and at least C columns, the symbol is [8, 24]}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = 0.125 : f64, host_shape = array<i64: 2, 3, 2, 3>, host_layout = "nchw_pixels"}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape': host shape [2, 25, 2, 2] with layout nchw_pixels needs}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = 0.125 : f64, host_shape = array<i64: 2, 25, 2, 2>, host_layout = "nchw_pixels"}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape': host shape [8, 25] with layout identity must equal the symbol's shape [8, 24]}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = 1.0 : f64, host_shape = array<i64: 8, 25>, host_layout = "identity"}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape': host rank 5 is not in [1, 4]}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = 1.0 : f64, host_shape = array<i64: 1, 1, 1, 8, 24>, host_layout = "identity"}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape': host dimension 0 = -8 is not in [1, 2^32 - 1]}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = 1.0 : f64, host_shape = array<i64: -8, 24>, host_layout = "identity"}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_layout' must be "identity" or "nchw_pixels", got "nchw"}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = 0.125 : f64, host_shape = array<i64: 2, 3, 2, 2>, host_layout = "nchw"}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape' must be an array<i64>, got [8, 24]}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = 0.125 : f64, host_shape = [8, 24], host_layout = "identity"}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape' needs a 'role' ("input" or "output") and a 'scale'}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {scale = 0.125 : f64, host_shape = array<i64: 8, 24>, host_layout = "identity"}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape' needs a 'role' ("input" or "output") and a 'scale'}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", host_shape = array<i64: 8, 24>, host_layout = "identity"}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape' and 'host_layout' must be given together}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = 1.0 : f64, host_shape = array<i64: 8, 24>}
}

// -----

ptc.program {
  // expected-error @+1 {{'scale' must be a finite positive f64, got -1.000000e+00 : f64}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = -1.0 : f64}
}

// -----

ptc.program {
  // expected-error @+1 {{'scale' must be a finite positive f64, got 5.000000e-01 : f32}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {role = "input", scale = 0.5 : f32}
}

// -----

// An intermediate result (role "activation") has no host view.
ptc.program {
  // expected-error @+1 {{'host_shape' needs a 'role' ("input" or "output") and a 'scale'}}
  ptc.data @h offset 0 = dense<0> : tensor<2x4xi8> {role = "activation", scale = 0.5 : f64, host_shape = array<i64: 2, 4>, host_layout = "identity"}
}

// -----

// A scale alone is allowed on an activation (it stays in the dialect).
// CHECK: ptc.data @h offset 0 = dense<0> : tensor<2x4xi8> {role = "activation", scale = 5.000000e-01 : f64}
ptc.program {
  ptc.data @h offset 0 = dense<0> : tensor<2x4xi8> {role = "activation", scale = 0.5 : f64}
  ptc.finish
}

// -----

// Row padding: 2 images x 2 rows x (3 + 2 * 2) pixels.
// CHECK: ptc.data @x offset 0 = dense<0> : tensor<28x4xi8> {host_layout = "nchw_pixels", host_row_padding = 2 : i64, host_shape = array<i64: 2, 3, 2, 3>, role = "input", scale = 5.000000e-01 : f64}
ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<28x4xi8> {role = "input", scale = 0.5 : f64, host_shape = array<i64: 2, 3, 2, 3>, host_layout = "nchw_pixels", host_row_padding = 2}
  ptc.finish
}

// -----

ptc.program {
  // expected-error @+1 {{'host_row_padding' needs a 'host_shape'}}
  ptc.data @x offset 0 = dense<0> : tensor<28x4xi8> {role = "input", scale = 0.5 : f64, host_row_padding = 2}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape': host shape [2, 3, 2, 3] with layout nchw_pixels needs a rank-2 symbol of N*H*(W+2*1) rows and at least C columns, the symbol is [28, 4]}}
  ptc.data @x offset 0 = dense<0> : tensor<28x4xi8> {role = "input", scale = 0.5 : f64, host_shape = array<i64: 2, 3, 2, 3>, host_layout = "nchw_pixels", host_row_padding = 1}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape': row padding 1 needs layout nchw_pixels with a [N, C, H, W] host shape}}
  ptc.data @x offset 0 = dense<0> : tensor<28x4xi8> {role = "input", scale = 0.5 : f64, host_shape = array<i64: 28, 4>, host_layout = "identity", host_row_padding = 1}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape': row padding 70000 is not in [0, 65535]}}
  ptc.data @x offset 0 = dense<0> : tensor<28x4xi8> {role = "input", scale = 0.5 : f64, host_shape = array<i64: 2, 3, 2, 3>, host_layout = "nchw_pixels", host_row_padding = 70000}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_row_padding' must be an i64, got 1 : i32}}
  ptc.data @x offset 0 = dense<0> : tensor<28x4xi8> {role = "input", scale = 0.5 : f64, host_shape = array<i64: 2, 3, 2, 3>, host_layout = "nchw_pixels", host_row_padding = 1 : i32}
}
