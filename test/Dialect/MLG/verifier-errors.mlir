// Every verifier and shape-inference condition of the mlg dialect, one case
// each, with the message it must print.
// RUN: mlg-opt %s -split-input-file -verify-diagnostics

// codes wider than 16 bits
func.func @case0(%c: tensor<4xi17>) {
  // expected-error @+1 {{'codes' element type must be an integer of 1 to 16 bits, got 'i17'}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<4xi17> -> tensor<4xf32>
  return
}

// -----

// result shape differs from the codes
func.func @case1(%c: tensor<4xi3>) {
  // expected-error @+1 {{result shape must equal 'codes' shape}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<4xi3> -> tensor<5xf32>
  return
}

// -----

// midrise scale overflows the result type
func.func @case2(%c: tensor<4xi3>) {
  // expected-error @+1 {{midrise scale 1.000000e+10 is not a finite non-zero 'f16' value}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0e10> : tensor<4xi3> -> tensor<4xf16>
  return
}

// -----

// midrise axis out of range
func.func @case3(%c: tensor<4x2xi3>) {
  // expected-error @+1 {{grid axis 2 is out of range for 'codes' of rank 2}}
  %0 = mlg.dequantize %c as midrise<axis = 2, scales = [1.0]> : tensor<4x2xi3> -> tensor<4x2xf32>
  return
}

// -----

// midrise: one scale per channel
func.func @case4(%c: tensor<4x2xi3>) {
  // expected-error @+1 {{grid must have one scale per index of 'codes' dimension 0: expected 4 scales, got 2}}
  %0 = mlg.dequantize %c as midrise<axis = 0, scales = [1.0, 2.0]> : tensor<4x2xi3> -> tensor<4x2xf32>
  return
}

// -----

// midtread storage width differs from the codes
func.func @case5(%c: tensor<4xi3>) {
  // expected-error @+1 {{midtread grid storage type must be i3 to match 'codes' element type, got 'i4'}}
  %0 = mlg.dequantize %c as !quant.uniform<i4<-7:7>:f32, 0.5> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midtread with unsigned storage
func.func @case6(%c: tensor<4xi3>) {
  // expected-error @+1 {{midtread grid storage type must be i3 to match 'codes' element type, got 'i3' (unsigned)}}
  %0 = mlg.dequantize %c as !quant.uniform<u3:f32, 0.5> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midtread needs two bits
func.func @case7(%c: tensor<4xi1>) {
  // expected-error @+1 {{midtread grid needs at least 2 bits}}
  %0 = mlg.dequantize %c as !quant.uniform<i1:f32, 0.5> : tensor<4xi1> -> tensor<4xf32>
  return
}

// -----

// midtread storage range must be symmetric
func.func @case8(%c: tensor<4xi3>) {
  // expected-error @+1 {{midtread grid storage range must be symmetric [-3:3] (written i3<-3:3>), got [-4:3]}}
  %0 = mlg.dequantize %c as !quant.uniform<i3:f32, 0.5> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midtread expressed type must be the result element type
func.func @case9(%c: tensor<4xi3>) {
  // expected-error @+1 {{midtread grid expressed type must be the result element type 'f32', got 'f16'}}
  %0 = mlg.dequantize %c as !quant.uniform<i3<-3:3>:f16, 0.5> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midtread zero point per tensor
func.func @case10(%c: tensor<4xi3>) {
  // expected-error @+1 {{midtread grid zero point must be 0, got 1}}
  %0 = mlg.dequantize %c as !quant.uniform<i3<-3:3>:f32, 0.5:1> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

// midtread zero points per axis
func.func @case11(%c: tensor<2x2xi3>) {
  // expected-error @+1 {{midtread grid zero points must all be 0, got 1}}
  %0 = mlg.dequantize %c as !quant.uniform<i3<-3:3>:f32:0, {0.5, 0.5:1}> : tensor<2x2xi3> -> tensor<2x2xf32>
  return
}

// -----

// midtread axis out of range
func.func @case12(%c: tensor<2xi3>) {
  // expected-error @+1 {{grid axis 1 is out of range for 'codes' of rank 1}}
  %0 = mlg.dequantize %c as !quant.uniform<i3<-3:3>:f32:1, {0.5, 0.5}> : tensor<2xi3> -> tensor<2xf32>
  return
}

// -----

// midtread: one scale per channel
func.func @case13(%c: tensor<2x2xi3>) {
  // expected-error @+1 {{grid must have one scale per index of 'codes' dimension 0: expected 2 scales, got 3}}
  %0 = mlg.dequantize %c as !quant.uniform<i3<-3:3>:f32:0, {0.5, 0.5, 0.5}> : tensor<2x2xi3> -> tensor<2x2xf32>
  return
}

// -----

// codes must be signless integers
func.func @case14(%c: tensor<4xf32>) {
  // expected-error @+1 {{must be ranked tensor of signless integer values}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

// the result must be floating point
func.func @case15(%c: tensor<4xi3>) {
  // expected-error @+1 {{must be ranked tensor of floating-point values}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<4xi3> -> tensor<4xi32>
  return
}

// -----

// the grid must be a midrise attribute or a quant.uniform type
func.func @case16(%c: tensor<4xi3>) {
  // expected-error @+1 {{attribute 'grid' failed to satisfy constraint: #mlg.midrise grid or !quant.uniform type}}
  %0 = "mlg.dequantize"(%c) <{grid = 5 : i32}> : (tensor<4xi3>) -> tensor<4xf32>
  return
}

// -----

// level 1: coeff rank
func.func @case17(%u: tensor<4x8xf32>, %b: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{'coeff' must have rank 3 [Bc, Ci, Bi], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8xf32>, tensor<4x2x3x3xf32> -> tensor<4x8x3x3xf32>
  return
}

// -----

// level 1: basis rank
func.func @case18(%u: tensor<4x8x2xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'basis' must have rank >= 2 [Bc, Bi, ...], got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xf32>, tensor<4xf32> -> tensor<4x8xf32>
  return
}

// -----

// level 1: Bc mismatch
func.func @case19(%u: tensor<4x8x2xf32>, %b: tensor<3x2x3x3xf32>) {
  // expected-error @+2 {{'basis' dimension 0 (Bc) must be 4 like 'coeff' dimension 0, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xf32>, tensor<3x2x3x3xf32> -> tensor<4x8x3x3xf32>
  return
}

// -----

// level 1: Bi mismatch
func.func @case20(%u: tensor<4x8x2xf32>, %b: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'basis' dimension 1 (Bi) must be 2 like 'coeff' dimension 2, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xf32>, tensor<4x3x3x3xf32> -> tensor<4x8x3x3xf32>
  return
}

// -----

// level 1: element types
func.func @case21(%u: tensor<4x8x2xf16>, %b: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{'coeff' element type must be 'f32' like 'basis', got 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xf16>, tensor<4x2x3x3xf32> -> tensor<4x8x3x3xf32>
  return
}

// -----

// level 1: written result type
func.func @case22(%u: tensor<4x8x2xf32>, %b: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4x8x3x3xf32>' are incompatible with return type(s) of operation 'tensor<4x8x3x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xf32>, tensor<4x2x3x3xf32> -> tensor<4x8x3x2xf32>
  return
}

// -----

// level 2: coeff rank
func.func @case23(%v: tensor<16x4x1xf32>, %k: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{'coeff' must have rank 2 [Co, Bc], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_cross %v, %k : tensor<16x4x1xf32>, tensor<4x8x3x3xf32> -> tensor<16x8x3x3xf32>
  return
}

// -----

// level 2: Bc mismatch
func.func @case24(%v: tensor<16x5xf32>, %k: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{'coeff' dimension 1 (Bc) must be 4, the number of basis kernels, got 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_cross %v, %k : tensor<16x5xf32>, tensor<4x8x3x3xf32> -> tensor<16x8x3x3xf32>
  return
}

// -----

// level 2: kernels rank
func.func @case25(%v: tensor<16x4xf32>, %k: tensor<4xf32>) {
  // expected-error @+2 {{'kernels' must have rank >= 2 [Bc, ...], got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_cross %v, %k : tensor<16x4xf32>, tensor<4xf32> -> tensor<16xf32>
  return
}

// -----

// level 2: element types
func.func @case26(%v: tensor<16x4xf64>, %k: tensor<4x8xf32>) {
  // expected-error @+2 {{'coeff' element type must be 'f32' like 'kernels', got 'f64'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_cross %v, %k : tensor<16x4xf64>, tensor<4x8xf32> -> tensor<16x8xf32>
  return
}

// -----

// generation operands must be floating point
func.func @case27(%v: tensor<16x4xi8>, %k: tensor<4x8xf32>) {
  // expected-error @+1 {{must be ranked tensor of floating-point values}}
  %0 = mlg.generate_cross %v, %k : tensor<16x4xi8>, tensor<4x8xf32> -> tensor<16x8xf32>
  return
}

// -----

// conv: input rank
func.func @case28(%x: tensor<8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{'input' must have rank 4 [N, Ci, H, W], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) : (tensor<8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: NHWC input rank names its layout
func.func @case29(%x: tensor<8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{'input' must have rank 4 [N, H, W, Ci], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nhwc_hwcf %x basis(%w) : (tensor<8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// conv: basis element type
func.func @case30(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf16>) {
  // expected-error @+2 {{'basis' element type must be 'f32' like 'input', got 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: strides size
func.func @case31(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{'strides' must have 2 values [h, w], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) strides [1, 1, 1] : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: strides positive
func.func @case32(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{'strides' values must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) strides [0, 1] : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: dilations positive
func.func @case33(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{'dilations' values must be >= 1, got -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) dilations [1, -1] : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: padding size
func.func @case34(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{'padding' must have 4 values [top, left, bottom, right], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) padding [1, 1] : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

// conv: padding non-negative
func.func @case35(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{'padding' values must be >= 0, got -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) padding [1, -1, 1, 1] : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

// conv: groups positive
func.func @case36(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{'groups' must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) groups 0 : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: basis rank with coeff_in
func.func @case37(%x: tensor<1x8x8x8xf32>, %b: tensor<4x2x9xf32>, %u: tensor<4x8x2xf32>) {
  // expected-error @+2 {{'basis' must have rank 4 [Bc, Bi, kh, kw], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) : (tensor<1x8x8x8xf32>, tensor<4x2x9xf32>, tensor<4x8x2xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: basis rank without coeff_in
func.func @case38(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+2 {{'basis' must have rank 4 [Bc, Ci, kh, kw], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) : (tensor<1x8x8x8xf32>, tensor<4x8xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: coeff_in rank
func.func @case39(%x: tensor<1x8x8x8xf32>, %b: tensor<4x2x3x3xf32>, %u: tensor<4x8xf32>) {
  // expected-error @+2 {{'coeff_in' must have rank 3 [Bc, Ci, Bi], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) : (tensor<1x8x8x8xf32>, tensor<4x2x3x3xf32>, tensor<4x8xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: coeff_in Bi
func.func @case40(%x: tensor<1x8x8x8xf32>, %b: tensor<4x2x3x3xf32>, %u: tensor<4x8x3xf32>) {
  // expected-error @+2 {{'basis' dimension 1 (Bi) must be 3 like 'coeff_in' dimension 2, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) : (tensor<1x8x8x8xf32>, tensor<4x2x3x3xf32>, tensor<4x8x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: coeff_out rank
func.func @case41(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>, %v: tensor<16xf32>) {
  // expected-error @+2 {{'coeff_out' must have rank 2 [Co, Bc], got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) coeff_out(%v) : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// conv: coeff_out Bc
func.func @case42(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>, %v: tensor<16x3xf32>) {
  // expected-error @+2 {{'coeff_out' dimension 1 (Bc) must be 4, the number of basis kernels, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) coeff_out(%v) : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>, tensor<16x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// conv: input channels against groups
func.func @case43(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{'input' channels (Ci) must be 16 = groups x generated kernel channels (2 x 8), got 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) groups 2 : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: output channels divisible by groups
func.func @case44(%x: tensor<1x8x8x8xf32>, %w: tensor<5x4x3x3xf32>) {
  // expected-error @+2 {{generated output channels (Co = 5) must be divisible by 'groups' (2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) groups 2 : (tensor<1x8x8x8xf32>, tensor<5x4x3x3xf32>) -> tensor<1x5x6x6xf32>
  return
}

// -----

// conv: depthwise generator makes one kernel
func.func @case45(%x: tensor<1x8x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+2 {{depthwise generated kernel count must be 1 (the generator makes [1, Co, kh, kw]), got 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) groups 8 depthwise : (tensor<1x8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

// conv: depthwise needs groups = Ci
func.func @case46(%x: tensor<1x8x8x8xf32>, %w: tensor<1x8x3x3xf32>) {
  // expected-error @+2 {{depthwise 'groups' must be 8, the number of input channels, got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) groups 4 depthwise : (tensor<1x8x8x8xf32>, tensor<1x8x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

// conv: bias rank
func.func @case47(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>, %bias: tensor<4x1xf32>) {
  // expected-error @+2 {{'bias' must have rank 1 [Co], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) bias(%bias) : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>, tensor<4x1xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: bias size
func.func @case48(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>, %bias: tensor<5xf32>) {
  // expected-error @+2 {{'bias' size must be 4, the number of output channels, got 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) bias(%bias) : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>, tensor<5xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: bias element type
func.func @case49(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>, %bias: tensor<4xf16>) {
  // expected-error @+2 {{'bias' element type must be 'f32' like 'input', got 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) bias(%bias) : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>, tensor<4xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv: kernel taller than the padded input
func.func @case50(%x: tensor<1x8x4x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{the dilated kernel (height 5) is larger than the padded input (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) dilations [2, 1] : (tensor<1x8x4x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x1x6xf32>
  return
}

// -----

// conv: kernel wider than the padded input
func.func @case51(%x: tensor<1x8x8x2xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{the dilated kernel (width 3) is larger than the padded input (2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) : (tensor<1x8x8x2xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x1xf32>
  return
}

// -----

// conv: written result type
func.func @case52(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

// matmul: input rank
func.func @case53(%x: tensor<2x8x16xf32>, %w: tensor<10x16xf32>) {
  // expected-error @+2 {{'input' must have rank 2 [M, Ci], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<2x8x16xf32>, tensor<10x16xf32>) -> tensor<2x10xf32>
  return
}

// -----

// matmul: basis rank without coeff_in
func.func @case54(%x: tensor<8x16xf32>, %w: tensor<10x16x1x1xf32>) {
  // expected-error @+2 {{'basis' must have rank 2 [Bc, Ci], got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<8x16xf32>, tensor<10x16x1x1xf32>) -> tensor<8x10xf32>
  return
}

// -----

// matmul: basis rank with coeff_in
func.func @case55(%x: tensor<8x16xf32>, %b: tensor<4x2x1xf32>, %u: tensor<4x16x2xf32>) {
  // expected-error @+2 {{'basis' must have rank 2 [Bc, Bi], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%b) coeff_in(%u) : (tensor<8x16xf32>, tensor<4x2x1xf32>, tensor<4x16x2xf32>) -> tensor<8x4xf32>
  return
}

// -----

// matmul: input features
func.func @case56(%x: tensor<8x16xf32>, %w: tensor<10x12xf32>) {
  // expected-error @+2 {{'input' dimension 1 (Ci) must be 12 like the generated weight [Co, Ci], got 16}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<8x16xf32>, tensor<10x12xf32>) -> tensor<8x10xf32>
  return
}

// -----

// matmul: bias size
func.func @case57(%x: tensor<8x16xf32>, %w: tensor<10x16xf32>, %bias: tensor<16xf32>) {
  // expected-error @+2 {{'bias' size must be 10, the number of output channels, got 16}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) bias(%bias) : (tensor<8x16xf32>, tensor<10x16xf32>, tensor<16xf32>) -> tensor<8x10xf32>
  return
}

