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
  // expected-error @+1 {{'host_shape' needs a 'role' and a 'scale'}}
  ptc.data @x offset 0 = dense<0> : tensor<8x24xi4> {scale = 0.125 : f64, host_shape = array<i64: 8, 24>, host_layout = "identity"}
}

// -----

ptc.program {
  // expected-error @+1 {{'host_shape' needs a 'role' and a 'scale'}}
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
