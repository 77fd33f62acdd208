// One case per verifier, type-inference and type-constraint condition of the
// mlg ops and of #mlg.midrise, each with the message mlg-opt prints.
// RUN: mlg-opt %s -split-input-file -verify-diagnostics

// dequantize: codes wider than 16 bits (i17).
func.func @codes_too_wide(%c: tensor<4xi17>) -> tensor<4xf32> {
  // expected-error @+1 {{'codes' element type must be an integer of 1 to 16 bits, got 'i17'}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<4xi17> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: codes narrower than 1 bit (i0 passes the ODS constraint).
func.func @codes_zero_width(%c: tensor<4xi0>) -> tensor<4xf32> {
  // expected-error @+1 {{'codes' element type must be an integer of 1 to 16 bits, got 'i0'}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<4xi0> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: result shape differs from the codes shape.
func.func @result_shape(%c: tensor<4x2xi4>) -> tensor<2x4xf32> {
  // expected-error @+1 {{result shape must equal 'codes' shape 'tensor<4x2xi4>', got 'tensor<2x4xf32>'}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<4x2xi4> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// dequantize: the result shape must match exactly, `?` included.
func.func @result_shape_dynamic(%c: tensor<?xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{result shape must equal 'codes' shape 'tensor<?xi4>', got 'tensor<4xf32>'}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<?xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: float codes (ODS type constraint).
func.func @float_codes(%c: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{operand #0 must be ranked tensor of signless integer values, but got 'tensor<4xf32>'}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: unsigned codes (ODS type constraint: signless only).
func.func @unsigned_codes(%c: tensor<4xui4>) -> tensor<4xf32> {
  // expected-error @+1 {{operand #0 must be ranked tensor of signless integer values, but got 'tensor<4xui4>'}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<4xui4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: integer result (ODS type constraint).
func.func @int_result(%c: tensor<4xi4>) -> tensor<4xi32> {
  // expected-error @+1 {{result #0 must be ranked tensor of floating-point values, but got 'tensor<4xi32>'}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0> : tensor<4xi4> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// dequantize: unranked codes (ODS type constraint, generic form).
func.func @unranked_codes(%c: tensor<*xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{operand #0 must be ranked tensor of signless integer values, but got 'tensor<*xi4>'}}
  %0 = "mlg.dequantize"(%c) <{grid = #mlg.midrise<scale = 1.0>}> : (tensor<*xi4>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: grid = 5 : i32 is neither #mlg.midrise nor !quant.uniform (generic form).
func.func @grid_int(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{attribute 'grid' failed to satisfy constraint: #mlg.midrise grid or !quant.uniform type}}
  %0 = "mlg.dequantize"(%c) <{grid = 5 : i32}> : (tensor<4xi4>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: a grid type that is not a !quant.uniform type.
func.func @grid_f32(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{attribute 'grid' failed to satisfy constraint: #mlg.midrise grid or !quant.uniform type}}
  %0 = mlg.dequantize %c as f32 : tensor<4xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: no grid attribute at all (generic form).
func.func @grid_missing(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{requires attribute 'grid'}}
  %0 = "mlg.dequantize"(%c) : (tensor<4xi4>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: midtread storage width (i8) differs from the codes width (i4).
func.func @midtread_width(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{midtread grid storage type must be i4 to match 'codes' element type, got 'i8'}}
  %0 = mlg.dequantize %c as !quant.uniform<i8<-127:127>:f32, 0.5> : tensor<4xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: unsigned midtread storage type.
func.func @midtread_unsigned(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{midtread grid storage type must be i4 to match 'codes' element type, got 'i4' (unsigned)}}
  %0 = mlg.dequantize %c as !quant.uniform<u4:f32, 0.5> : tensor<4xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: 1-bit midtread grid (only the zero level).
func.func @midtread_1bit(%c: tensor<4xi1>) -> tensor<4xf32> {
  // expected-error @+1 {{midtread grid needs at least 2 bits (1 bit has only the zero level)}}
  %0 = mlg.dequantize %c as !quant.uniform<i1:f32, 0.5> : tensor<4xi1> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: midtread storage range left at the asymmetric default [-8:7].
func.func @midtread_asymmetric(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{midtread grid storage range must be symmetric [-7:7] (written i4<-7:7>), got [-8:7]}}
  %0 = mlg.dequantize %c as !quant.uniform<i4:f32, 0.5> : tensor<4xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: midtread storage range narrower than symmetric [-7:7].
func.func @midtread_narrow(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{midtread grid storage range must be symmetric [-7:7] (written i4<-7:7>), got [-6:6]}}
  %0 = mlg.dequantize %c as !quant.uniform<i4<-6:6>:f32, 0.5> : tensor<4xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: midtread expressed type (f16) differs from the result element type (f32).
func.func @midtread_expressed(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{midtread grid expressed type must be the result element type 'f32', got 'f16'}}
  %0 = mlg.dequantize %c as !quant.uniform<i4<-7:7>:f16, 0.5> : tensor<4xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: non-zero midtread zero point, per tensor.
func.func @midtread_zero_point(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{midtread grid zero point must be 0, got 1}}
  %0 = mlg.dequantize %c as !quant.uniform<i4<-7:7>:f32, 0.5:1> : tensor<4xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: non-zero midtread zero point, per axis.
func.func @midtread_zero_points(%c: tensor<2x3xi4>) -> tensor<2x3xf32> {
  // expected-error @+1 {{midtread grid zero points must all be 0, got -2}}
  %0 = mlg.dequantize %c as !quant.uniform<i4<-7:7>:f32:0, {0.5, 0.25:-2}> : tensor<2x3xi4> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// dequantize: midtread quantized dimension out of range of the codes rank.
func.func @midtread_axis(%c: tensor<2x3xi4>) -> tensor<2x3xf32> {
  // expected-error @+1 {{grid axis 2 is out of range for 'codes' of rank 2}}
  %0 = mlg.dequantize %c as !quant.uniform<i4<-7:7>:f32:2, {0.5, 0.25}> : tensor<2x3xi4> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// dequantize: midrise axis out of range of the codes rank.
func.func @midrise_axis(%c: tensor<2x3xi4>) -> tensor<2x3xf32> {
  // expected-error @+1 {{grid axis 2 is out of range for 'codes' of rank 2}}
  %0 = mlg.dequantize %c as midrise<axis = 2, scales = [0.5, 0.25]> : tensor<2x3xi4> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// dequantize: midtread per-axis scale count differs from the axis size.
func.func @midtread_scale_count(%c: tensor<2x3xi4>) -> tensor<2x3xf32> {
  // expected-error @+1 {{grid must have one scale per index of 'codes' dimension 1: expected 3 scales, got 2}}
  %0 = mlg.dequantize %c as !quant.uniform<i4<-7:7>:f32:1, {0.5, 0.25}> : tensor<2x3xi4> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// dequantize: midrise per-channel scale count differs from the axis size.
func.func @midrise_scale_count(%c: tensor<2x3xi4>) -> tensor<2x3xf32> {
  // expected-error @+1 {{grid must have one scale per index of 'codes' dimension 0: expected 2 scales, got 3}}
  %0 = mlg.dequantize %c as midrise<axis = 0, scales = [0.5, 0.25, 0.125]> : tensor<2x3xi4> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// #mlg.midrise: empty per-channel scale list.
func.func @midrise_empty(%c: tensor<2x3xi4>) -> tensor<2x3xf32> {
  // expected-error @+1 {{midrise grid needs at least one scale}}
  %0 = mlg.dequantize %c as midrise<axis = 0, scales = []> : tensor<2x3xi4> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// #mlg.midrise: negative scale.
func.func @midrise_negative(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{midrise scale #0 must be finite and positive, got -5.000000e-01}}
  %0 = mlg.dequantize %c as midrise<scale = -0.5> : tensor<4xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// #mlg.midrise: zero scale in a per-channel list.
func.func @midrise_zero(%c: tensor<2x3xi4>) -> tensor<2x3xf32> {
  // expected-error @+1 {{midrise scale #1 must be finite and positive, got 0.000000e+00}}
  %0 = mlg.dequantize %c as midrise<axis = 1, scales = [0.5, 0.0, 0.25]> : tensor<2x3xi4> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// #mlg.midrise: infinite scale (hex literal).
func.func @midrise_inf(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{midrise scale #0 must be finite and positive, got INF}}
  %0 = mlg.dequantize %c as midrise<scale = 0x7FF0000000000000> : tensor<4xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// #mlg.midrise: NaN scale (hex literal).
func.func @midrise_nan(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{midrise scale #0 must be finite and positive, got nan}}
  %0 = mlg.dequantize %c as midrise<scale = 0x7FF8000000000000> : tensor<4xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dequantize: midrise scale rounds to zero in the result type (f16).
func.func @midrise_underflow(%c: tensor<4xi4>) -> tensor<4xf16> {
  // expected-error @+1 {{midrise scale 1.000000e-10 is not a finite non-zero 'f16' value}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0e-10> : tensor<4xi4> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// dequantize: midrise scale rounds to infinity in the result type (f16).
func.func @midrise_overflow(%c: tensor<4xi4>) -> tensor<4xf16> {
  // expected-error @+1 {{midrise scale 1.000000e+06 is not a finite non-zero 'f16' value}}
  %0 = mlg.dequantize %c as midrise<axis = 0, scales = [1.0, 1.0e6, 1.0, 1.0]> : tensor<4xi4> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// #mlg.midrise: the full attribute in the generic form is verified too.
func.func @midrise_generic(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{midrise scale #0 must be finite and positive, got 0.000000e+00}}
  %0 = "mlg.dequantize"(%c) <{grid = #mlg.midrise<scale = 0.0>}> : (tensor<4xi4>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// generate_intra: 'coeff' rank is not 3 [Bc, Ci, Bi].
func.func @intra_coeff_rank(%u: tensor<4x8xf32>, %b: tensor<4x2x3x3xf32>) -> tensor<4x8x3x3xf32> {
  // expected-error @+2 {{'coeff' must have rank 3 [Bc, Ci, Bi], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8xf32>, tensor<4x2x3x3xf32> -> tensor<4x8x3x3xf32>
  return %0 : tensor<4x8x3x3xf32>
}

// -----

// generate_intra: 'basis' rank below 2.
func.func @intra_basis_rank(%u: tensor<4x8x2xf32>, %b: tensor<4xf32>) -> tensor<4x8xf32> {
  // expected-error @+2 {{'basis' must have rank >= 2 [Bc, Bi, ...], got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xf32>, tensor<4xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// generate_intra: Bc of 'basis' differs from 'coeff'.
func.func @intra_bc(%u: tensor<4x8x2xf32>, %b: tensor<5x2x3x3xf32>) -> tensor<4x8x3x3xf32> {
  // expected-error @+2 {{'basis' dimension 0 (Bc) must be 4 like 'coeff' dimension 0, got 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xf32>, tensor<5x2x3x3xf32> -> tensor<4x8x3x3xf32>
  return %0 : tensor<4x8x3x3xf32>
}

// -----

// generate_intra: Bi of 'basis' differs from 'coeff'.
func.func @intra_bi(%u: tensor<4x8x2xf32>, %b: tensor<4x3x3x3xf32>) -> tensor<4x8x3x3xf32> {
  // expected-error @+2 {{'basis' dimension 1 (Bi) must be 2 like 'coeff' dimension 2, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xf32>, tensor<4x3x3x3xf32> -> tensor<4x8x3x3xf32>
  return %0 : tensor<4x8x3x3xf32>
}

// -----

// generate_intra: 'coeff' and 'basis' element types differ.
func.func @intra_elt(%u: tensor<4x8x2xf16>, %b: tensor<4x2x3x3xf32>) -> tensor<4x8x3x3xf32> {
  // expected-error @+2 {{'coeff' element type must be 'f32' like 'basis', got 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xf16>, tensor<4x2x3x3xf32> -> tensor<4x8x3x3xf32>
  return %0 : tensor<4x8x3x3xf32>
}

// -----

// generate_intra: result shape differs from the inferred one (InferTypeOpInterface).
func.func @intra_result(%u: tensor<4x8x2xf32>, %b: tensor<4x2x3x3xf32>) -> tensor<4x8x3x4xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<4x8x3x3xf32>' are incompatible with return type(s) of operation 'tensor<4x8x3x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xf32>, tensor<4x2x3x3xf32> -> tensor<4x8x3x4xf32>
  return %0 : tensor<4x8x3x4xf32>
}

// -----

// generate_intra: result element type differs from the inferred one.
func.func @intra_result_elt(%u: tensor<4x8x2xf32>, %b: tensor<4x2x3x3xf32>) -> tensor<4x8x3x3xf16> {
  // expected-error @+2 {{inferred type(s) 'tensor<4x8x3x3xf32>' are incompatible with return type(s) of operation 'tensor<4x8x3x3xf16>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xf32>, tensor<4x2x3x3xf32> -> tensor<4x8x3x3xf16>
  return %0 : tensor<4x8x3x3xf16>
}

// -----

// generate_intra: integer operand (ODS type constraint).
func.func @intra_int(%u: tensor<4x8x2xi8>, %b: tensor<4x2x3x3xf32>) -> tensor<4x8x3x3xf32> {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values, but got 'tensor<4x8x2xi8>'}}
  %0 = mlg.generate_intra %u, %b : tensor<4x8x2xi8>, tensor<4x2x3x3xf32> -> tensor<4x8x3x3xf32>
  return %0 : tensor<4x8x3x3xf32>
}

// -----

// generate_cross: 'coeff' rank is not 2 [Co, Bc].
func.func @cross_coeff_rank(%v: tensor<16x4x1xf32>, %wc: tensor<4x8x3x3xf32>) -> tensor<16x8x3x3xf32> {
  // expected-error @+2 {{'coeff' must have rank 2 [Co, Bc], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_cross %v, %wc : tensor<16x4x1xf32>, tensor<4x8x3x3xf32> -> tensor<16x8x3x3xf32>
  return %0 : tensor<16x8x3x3xf32>
}

// -----

// generate_cross: Bc of 'coeff' differs from 'kernels'.
func.func @cross_bc(%v: tensor<16x5xf32>, %wc: tensor<4x8x3x3xf32>) -> tensor<16x8x3x3xf32> {
  // expected-error @+2 {{'coeff' dimension 1 (Bc) must be 4, the number of basis kernels, got 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_cross %v, %wc : tensor<16x5xf32>, tensor<4x8x3x3xf32> -> tensor<16x8x3x3xf32>
  return %0 : tensor<16x8x3x3xf32>
}

// -----

// generate_cross: 'kernels' rank below 2.
func.func @cross_kernels_rank(%v: tensor<16x4xf32>, %wc: tensor<4xf32>) -> tensor<16xf32> {
  // expected-error @+2 {{'kernels' must have rank >= 2 [Bc, ...], got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_cross %v, %wc : tensor<16x4xf32>, tensor<4xf32> -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

// generate_cross: 'coeff' and 'kernels' element types differ.
func.func @cross_elt(%v: tensor<16x4xbf16>, %wc: tensor<4x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+2 {{'coeff' element type must be 'f32' like 'kernels', got 'bf16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_cross %v, %wc : tensor<16x4xbf16>, tensor<4x8xf32> -> tensor<16x8xf32>
  return %0 : tensor<16x8xf32>
}

// -----

// generate_cross: result shape differs from the inferred one.
func.func @cross_result(%v: tensor<16x4xf32>, %wc: tensor<4x8xf32>) -> tensor<8x16xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<16x8xf32>' are incompatible with return type(s) of operation 'tensor<8x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_cross %v, %wc : tensor<16x4xf32>, tensor<4x8xf32> -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// generate_cross: static result dimension where the inferred one is dynamic.
func.func @cross_result_dyn(%v: tensor<?x4xf32>, %wc: tensor<4x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<?x8xf32>' are incompatible with return type(s) of operation 'tensor<16x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_cross %v, %wc : tensor<?x4xf32>, tensor<4x8xf32> -> tensor<16x8xf32>
  return %0 : tensor<16x8xf32>
}

// -----

// generate_cross: dynamic result dimension where the inferred one is static.
func.func @cross_result_dyn2(%v: tensor<16x4xf32>, %wc: tensor<4x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<16x8xf32>' are incompatible with return type(s) of operation 'tensor<?x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generate_cross %v, %wc : tensor<16x4xf32>, tensor<4x8xf32> -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// generate_cross: unranked kernels (the custom form takes ranked tensors only).
func.func @cross_unranked(%v: tensor<16x4xf32>, %wc: tensor<*xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = mlg.generate_cross %v, %wc : tensor<16x4xf32>, tensor<*xf32> -> tensor<16x8xf32>
  return %0 : tensor<16x8xf32>
}

// -----

// generate_intra: memref result (ODS type constraint, generic form).
func.func @intra_memref_result(%u: tensor<4x8x2xf32>, %b: tensor<4x2xf32>) -> memref<4x8xf32> {
  // expected-error @+1 {{result #0 must be ranked tensor of floating-point values, but got 'memref<4x8xf32>'}}
  %0 = "mlg.generate_intra"(%u, %b) : (tensor<4x8x2xf32>, tensor<4x2xf32>) -> memref<4x8xf32>
  return %0 : memref<4x8xf32>
}

// -----

// generated_conv2d: 'input' rank is not 4 (nchw_fchw).
func.func @conv_input_rank(%x: tensor<8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'input' must have rank 4 [N, Ci, H, W], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) : (tensor<8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: 'input' rank is not 4 (nhwc_hwcf).
func.func @conv_input_rank_nhwc(%x: tensor<1x1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x14x14x16xf32> {
  // expected-error @+2 {{'input' must have rank 4 [N, H, W, Ci], got 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nhwc_hwcf %x basis(%b) : (tensor<1x1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x14x14x16xf32>
  return %0 : tensor<1x14x14x16xf32>
}

// -----

// generated_conv2d: 'basis' element type differs from 'input'.
func.func @conv_basis_elt(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf16>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'basis' element type must be 'f32' like 'input', got 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf16>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: 'strides' has 3 values.
func.func @conv_strides_size(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'strides' must have 2 values [h, w], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) strides [1, 1, 1] : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: a zero stride.
func.func @conv_strides_value(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'strides' values must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) strides [1, 0] : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: 'dilations' has 1 value.
func.func @conv_dilations_size(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'dilations' must have 2 values [h, w], got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) dilations [2] : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: a negative dilation.
func.func @conv_dilations_value(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'dilations' values must be >= 1, got -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) dilations [-1, 1] : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: 'padding' has 2 values.
func.func @conv_padding_size(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x16x16xf32> {
  // expected-error @+2 {{'padding' must have 4 values [top, left, bottom, right], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) padding [1, 1] : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %0 : tensor<1x16x16x16xf32>
}

// -----

// generated_conv2d: a negative padding.
func.func @conv_padding_value(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'padding' values must be >= 0, got -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) padding [0, 0, -1, 1] : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: groups < 1.
func.func @conv_groups(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'groups' must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) groups 0 : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: Ci differs from groups x generated kernel channels.
func.func @conv_channels(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'input' channels (Ci) must be 16 = groups x generated kernel channels (2 x 8), got 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) groups 2 : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: Ci (last dimension in nhwc_hwcf) differs from the kernel channels.
func.func @conv_channels_nhwc(%x: tensor<1x16x16x4xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x14x14x16xf32> {
  // expected-error @+2 {{'input' channels (Ci) must be 8 = groups x generated kernel channels (1 x 8), got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nhwc_hwcf %x basis(%b) : (tensor<1x16x16x4xf32>, tensor<16x8x3x3xf32>) -> tensor<1x14x14x16xf32>
  return %0 : tensor<1x14x14x16xf32>
}

// -----

// generated_conv2d: Co not divisible by groups.
func.func @conv_co_groups(%x: tensor<1x8x16x16xf32>, %b: tensor<6x2x3x3xf32>) -> tensor<1x6x14x14xf32> {
  // expected-error @+2 {{generated output channels (Co = 6) must be divisible by 'groups' (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) groups 4 : (tensor<1x8x16x16xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x14x14xf32>
  return %0 : tensor<1x6x14x14xf32>
}

// -----

// generated_conv2d: depthwise generator makes more than one kernel.
func.func @conv_dw_count(%x: tensor<1x8x16x16xf32>, %b: tensor<2x8x3x3xf32>) -> tensor<1x8x14x14xf32> {
  // expected-error @+2 {{depthwise generated kernel count must be 1 (the generator makes [1, Co, kh, kw]), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) groups 8 depthwise : (tensor<1x8x16x16xf32>, tensor<2x8x3x3xf32>) -> tensor<1x8x14x14xf32>
  return %0 : tensor<1x8x14x14xf32>
}

// -----

// generated_conv2d: depthwise with groups != Ci.
func.func @conv_dw_groups(%x: tensor<1x8x16x16xf32>, %b: tensor<1x8x3x3xf32>) -> tensor<1x8x14x14xf32> {
  // expected-error @+2 {{depthwise 'groups' must be 8, the number of input channels, got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) depthwise : (tensor<1x8x16x16xf32>, tensor<1x8x3x3xf32>) -> tensor<1x8x14x14xf32>
  return %0 : tensor<1x8x14x14xf32>
}

// -----

// generated_conv2d: depthwise Co not a multiple of groups = Ci.
func.func @conv_dw_co(%x: tensor<1x8x16x16xf32>, %b: tensor<1x12x3x3xf32>) -> tensor<1x12x14x14xf32> {
  // expected-error @+2 {{generated output channels (Co = 12) must be divisible by 'groups' (8)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) groups 8 depthwise : (tensor<1x8x16x16xf32>, tensor<1x12x3x3xf32>) -> tensor<1x12x14x14xf32>
  return %0 : tensor<1x12x14x14xf32>
}

// -----

// generated_conv2d: 'bias' rank is not 1.
func.func @conv_bias_rank(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>, %bias: tensor<1x16xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'bias' must have rank 1 [Co], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) bias(%bias) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<1x16xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: 'bias' size differs from Co.
func.func @conv_bias_size(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>, %bias: tensor<8xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'bias' size must be 16, the number of output channels, got 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) bias(%bias) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: 'bias' element type differs from 'input'.
func.func @conv_bias_elt(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>, %bias: tensor<16xf16>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'bias' element type must be 'f32' like 'input', got 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) bias(%bias) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<16xf16>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: dilated kernel taller than the padded input.
func.func @conv_kernel_height(%x: tensor<1x8x4x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x1x14xf32> {
  // expected-error @+2 {{the dilated kernel (height 5) is larger than the padded input (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) dilations [2, 1] : (tensor<1x8x4x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x1x14xf32>
  return %0 : tensor<1x16x1x14xf32>
}

// -----

// generated_conv2d: kernel wider than the padded input (nhwc_hwcf).
func.func @conv_kernel_width(%x: tensor<1x3x3x8xf32>, %b: tensor<16x8x3x5xf32>) -> tensor<1x1x1x16xf32> {
  // expected-error @+2 {{the dilated kernel (width 5) is larger than the padded input (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nhwc_hwcf %x basis(%b) padding [0, 1, 0, 0] : (tensor<1x3x3x8xf32>, tensor<16x8x3x5xf32>) -> tensor<1x1x1x16xf32>
  return %0 : tensor<1x1x1x16xf32>
}

// -----

// generated_conv2d: 'basis' rank is not 4 with coeff_in ([Bc, Bi, kh, kw]).
func.func @conv_basis_rank_u(%x: tensor<1x8x16x16xf32>, %b: tensor<4x2x9xf32>, %u: tensor<4x8x2xf32>) -> tensor<1x4x14x14xf32> {
  // expected-error @+2 {{'basis' must have rank 4 [Bc, Bi, kh, kw], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) : (tensor<1x8x16x16xf32>, tensor<4x2x9xf32>, tensor<4x8x2xf32>) -> tensor<1x4x14x14xf32>
  return %0 : tensor<1x4x14x14xf32>
}

// -----

// generated_conv2d: 'basis' rank is not 4 without coeff_in ([Bc, Ci, kh, kw]).
func.func @conv_basis_rank(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3x1xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'basis' must have rank 4 [Bc, Ci, kh, kw], got 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3x1xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: 'coeff_in' rank is not 3.
func.func @conv_u_rank(%x: tensor<1x8x16x16xf32>, %b: tensor<4x2x3x3xf32>, %u: tensor<8x2xf32>) -> tensor<1x4x14x14xf32> {
  // expected-error @+2 {{'coeff_in' must have rank 3 [Bc, Ci, Bi], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) : (tensor<1x8x16x16xf32>, tensor<4x2x3x3xf32>, tensor<8x2xf32>) -> tensor<1x4x14x14xf32>
  return %0 : tensor<1x4x14x14xf32>
}

// -----

// generated_conv2d: 'coeff_in' element type differs from 'basis'.
func.func @conv_u_elt(%x: tensor<1x8x16x16xf32>, %b: tensor<4x2x3x3xf32>, %u: tensor<4x8x2xbf16>) -> tensor<1x4x14x14xf32> {
  // expected-error @+2 {{'coeff_in' element type must be 'f32' like 'basis', got 'bf16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) : (tensor<1x8x16x16xf32>, tensor<4x2x3x3xf32>, tensor<4x8x2xbf16>) -> tensor<1x4x14x14xf32>
  return %0 : tensor<1x4x14x14xf32>
}

// -----

// generated_conv2d: Bc of 'basis' differs from 'coeff_in'.
func.func @conv_u_bc(%x: tensor<1x8x16x16xf32>, %b: tensor<4x2x3x3xf32>, %u: tensor<3x8x2xf32>) -> tensor<1x4x14x14xf32> {
  // expected-error @+2 {{'basis' dimension 0 (Bc) must be 3 like 'coeff_in' dimension 0, got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) : (tensor<1x8x16x16xf32>, tensor<4x2x3x3xf32>, tensor<3x8x2xf32>) -> tensor<1x4x14x14xf32>
  return %0 : tensor<1x4x14x14xf32>
}

// -----

// generated_conv2d: Bi of 'basis' differs from 'coeff_in'.
func.func @conv_u_bi(%x: tensor<1x8x16x16xf32>, %b: tensor<4x2x3x3xf32>, %u: tensor<4x8x3xf32>) -> tensor<1x4x14x14xf32> {
  // expected-error @+2 {{'basis' dimension 1 (Bi) must be 3 like 'coeff_in' dimension 2, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) : (tensor<1x8x16x16xf32>, tensor<4x2x3x3xf32>, tensor<4x8x3xf32>) -> tensor<1x4x14x14xf32>
  return %0 : tensor<1x4x14x14xf32>
}

// -----

// generated_conv2d: 'coeff_out' rank is not 2.
func.func @conv_v_rank(%x: tensor<1x8x16x16xf32>, %b: tensor<4x8x3x3xf32>, %v: tensor<16xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'coeff_out' must have rank 2 [Co, Bc], got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_out(%v) : (tensor<1x8x16x16xf32>, tensor<4x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: 'coeff_out' element type differs from 'basis'.
func.func @conv_v_elt(%x: tensor<1x8x16x16xf32>, %b: tensor<4x8x3x3xf32>, %v: tensor<16x4xf64>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'coeff_out' element type must be 'f32' like 'basis', got 'f64'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_out(%v) : (tensor<1x8x16x16xf32>, tensor<4x8x3x3xf32>, tensor<16x4xf64>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: Bc of 'coeff_out' differs from the basis kernel count.
func.func @conv_v_bc(%x: tensor<1x8x16x16xf32>, %b: tensor<4x8x3x3xf32>, %v: tensor<16x5xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'coeff_out' dimension 1 (Bc) must be 4, the number of basis kernels, got 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_out(%v) : (tensor<1x8x16x16xf32>, tensor<4x8x3x3xf32>, tensor<16x5xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: Bc of 'coeff_out' differs from the level-1 kernel count.
func.func @conv_uv_bc(%x: tensor<1x8x16x16xf32>, %b: tensor<4x2x3x3xf32>, %u: tensor<4x8x2xf32>, %v: tensor<16x2xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+2 {{'coeff_out' dimension 1 (Bc) must be 4, the number of basis kernels, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) : (tensor<1x8x16x16xf32>, tensor<4x2x3x3xf32>, tensor<4x8x2xf32>, tensor<16x2xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: result shape differs from the inferred one.
func.func @conv_result(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x16x16xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<1x16x14x14xf32>' are incompatible with return type(s) of operation 'tensor<1x16x16x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %0 : tensor<1x16x16x16xf32>
}

// -----

// generated_conv2d: result written in the other layout.
func.func @conv_result_layout(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x14x14x16xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<1x16x14x14xf32>' are incompatible with return type(s) of operation 'tensor<1x14x14x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x14x14x16xf32>
  return %0 : tensor<1x14x14x16xf32>
}

// -----

// generated_conv2d: integer input (ODS type constraint).
func.func @conv_int(%x: tensor<1x8x16x16xi8>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values, but got 'tensor<1x8x16x16xi8>'}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) : (tensor<1x8x16x16xi8>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: integer bias (ODS type constraint; operand #2 is the bias).
func.func @conv_int_bias(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>, %bias: tensor<16xi32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{operand #2 must be ranked tensor of floating-point values, but got 'tensor<16xi32>'}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) bias(%bias) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<16xi32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: unknown layout keyword.
func.func @conv_layout_kw(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'layout' [nchw_fchw, nhwc_hwcf]}}
  %0 = mlg.generated_conv2d nchw %x basis(%b) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: unknown strategy keyword (`automatic` is spelled `auto`).
func.func @conv_strategy_kw(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'strategy' [auto, tiled, factorized, dense]}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) strategy automatic : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: out-of-range layout enum value (generic form).
func.func @conv_layout_enum(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{Invalid attribute `layout` in property conversion: 7 : i32}}
  %0 = "mlg.generated_conv2d"(%x, %b) <{layout = 7 : i32, operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>}> : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: out-of-range strategy enum value (generic form).
func.func @conv_strategy_enum(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{Invalid attribute `strategy` in property conversion: 4 : i32}}
  %0 = "mlg.generated_conv2d"(%x, %b) <{layout = 0 : i32, strategy = 4 : i32, operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>}> : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: no layout attribute (generic form).
func.func @conv_layout_missing(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{requires attribute 'layout'}}
  %0 = "mlg.generated_conv2d"(%x, %b) <{operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>}> : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_conv2d: operandSegmentSizes disagrees with the operands (generic form).
func.func @conv_segments(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{operand count (2) does not match with the total size (3) specified in attribute 'operandSegmentSizes'}}
  %0 = "mlg.generated_conv2d"(%x, %b) <{layout = 0 : i32, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>}> : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// generated_matmul: 'input' rank is not 2.
func.func @mm_input_rank(%x: tensor<8xf32>, %w: tensor<10x8xf32>) -> tensor<8x10xf32> {
  // expected-error @+2 {{'input' must have rank 2 [M, Ci], got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<8xf32>, tensor<10x8xf32>) -> tensor<8x10xf32>
  return %0 : tensor<8x10xf32>
}

// -----

// generated_matmul: 'basis' element type differs from 'input'.
func.func @mm_basis_elt(%x: tensor<4x8xf32>, %w: tensor<10x8xf16>) -> tensor<4x10xf32> {
  // expected-error @+2 {{'basis' element type must be 'f32' like 'input', got 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<4x8xf32>, tensor<10x8xf16>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// generated_matmul: Ci of 'input' differs from the weight.
func.func @mm_ci(%x: tensor<4x8xf32>, %w: tensor<10x16xf32>) -> tensor<4x10xf32> {
  // expected-error @+2 {{'input' dimension 1 (Ci) must be 16 like the generated weight [Co, Ci], got 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<4x8xf32>, tensor<10x16xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// generated_matmul: Ci of 'input' differs from the weight generated with coeff_in.
func.func @mm_ci_u(%x: tensor<4x8xf32>, %b: tensor<6x3xf32>, %u: tensor<6x16x3xf32>) -> tensor<4x6xf32> {
  // expected-error @+2 {{'input' dimension 1 (Ci) must be 16 like the generated weight [Co, Ci], got 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%b) coeff_in(%u) : (tensor<4x8xf32>, tensor<6x3xf32>, tensor<6x16x3xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// generated_matmul: 'basis' rank is not 2 with coeff_in ([Bc, Bi]).
func.func @mm_basis_rank_u(%x: tensor<4x8xf32>, %b: tensor<6x3x1x1xf32>, %u: tensor<6x8x3xf32>) -> tensor<4x6xf32> {
  // expected-error @+2 {{'basis' must have rank 2 [Bc, Bi], got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%b) coeff_in(%u) : (tensor<4x8xf32>, tensor<6x3x1x1xf32>, tensor<6x8x3xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// generated_matmul: 'basis' rank is not 2 without coeff_in ([Bc, Ci]).
func.func @mm_basis_rank(%x: tensor<4x8xf32>, %w: tensor<10x8x1x1xf32>) -> tensor<4x10xf32> {
  // expected-error @+2 {{'basis' must have rank 2 [Bc, Ci], got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<4x8xf32>, tensor<10x8x1x1xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// generated_matmul: 'coeff_in' rank is not 3.
func.func @mm_u_rank(%x: tensor<4x8xf32>, %b: tensor<6x3xf32>, %u: tensor<6x8x3x1xf32>) -> tensor<4x6xf32> {
  // expected-error @+2 {{'coeff_in' must have rank 3 [Bc, Ci, Bi], got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%b) coeff_in(%u) : (tensor<4x8xf32>, tensor<6x3xf32>, tensor<6x8x3x1xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// generated_matmul: Bc of 'coeff_out' differs from the basis kernel count.
func.func @mm_v_bc(%x: tensor<4x8xf32>, %w: tensor<6x8xf32>, %v: tensor<10x4xf32>) -> tensor<4x10xf32> {
  // expected-error @+2 {{'coeff_out' dimension 1 (Bc) must be 6, the number of basis kernels, got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) coeff_out(%v) : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<10x4xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// generated_matmul: 'coeff_out' rank is not 2.
func.func @mm_v_rank(%x: tensor<4x8xf32>, %w: tensor<6x8xf32>, %v: tensor<10x6x1xf32>) -> tensor<4x10xf32> {
  // expected-error @+2 {{'coeff_out' must have rank 2 [Co, Bc], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) coeff_out(%v) : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<10x6x1xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// generated_matmul: 'bias' rank is not 1.
func.func @mm_bias_rank(%x: tensor<4x8xf32>, %w: tensor<10x8xf32>, %bias: tensor<1x10xf32>) -> tensor<4x10xf32> {
  // expected-error @+2 {{'bias' must have rank 1 [Co], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) bias(%bias) : (tensor<4x8xf32>, tensor<10x8xf32>, tensor<1x10xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// generated_matmul: 'bias' size differs from Co (Co comes from coeff_out).
func.func @mm_bias_size(%x: tensor<4x8xf32>, %w: tensor<6x8xf32>, %v: tensor<10x6xf32>, %bias: tensor<6xf32>) -> tensor<4x10xf32> {
  // expected-error @+2 {{'bias' size must be 10, the number of output channels, got 6}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) coeff_out(%v) bias(%bias) : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<10x6xf32>, tensor<6xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// generated_matmul: 'bias' element type differs from 'input'.
func.func @mm_bias_elt(%x: tensor<4x8xf32>, %w: tensor<10x8xf32>, %bias: tensor<10xbf16>) -> tensor<4x10xf32> {
  // expected-error @+2 {{'bias' element type must be 'f32' like 'input', got 'bf16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) bias(%bias) : (tensor<4x8xf32>, tensor<10x8xf32>, tensor<10xbf16>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// generated_matmul: result shape differs from the inferred one.
func.func @mm_result(%x: tensor<4x8xf32>, %w: tensor<10x8xf32>) -> tensor<10x4xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<4x10xf32>' are incompatible with return type(s) of operation 'tensor<10x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<4x8xf32>, tensor<10x8xf32>) -> tensor<10x4xf32>
  return %0 : tensor<10x4xf32>
}

// -----

// generated_matmul: unranked input (the custom form takes ranked tensors only).
func.func @mm_unranked(%x: tensor<*xf32>, %w: tensor<10x8xf32>) -> tensor<4x10xf32> {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values, but got 'tensor<*xf32>'}}
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<*xf32>, tensor<10x8xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// generated_matmul: unknown strategy keyword.
func.func @mm_strategy_kw(%x: tensor<4x8xf32>, %w: tensor<10x8xf32>) -> tensor<4x10xf32> {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'strategy' [auto, tiled, factorized, dense]}}
  %0 = mlg.generated_matmul %x basis(%w) strategy fused : (tensor<4x8xf32>, tensor<10x8xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// generated_matmul: 'coeff_in' element type differs from 'basis'.
func.func @mm_u_elt(%x: tensor<4x8xf32>, %b: tensor<6x3xf32>, %u: tensor<6x8x3xf16>) -> tensor<4x6xf32> {
  // expected-error @+2 {{'coeff_in' element type must be 'f32' like 'basis', got 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%b) coeff_in(%u) : (tensor<4x8xf32>, tensor<6x3xf32>, tensor<6x8x3xf16>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// generated_matmul: Bc of 'basis' differs from 'coeff_in'.
func.func @mm_u_bc(%x: tensor<4x8xf32>, %b: tensor<6x3xf32>, %u: tensor<5x8x3xf32>) -> tensor<4x6xf32> {
  // expected-error @+2 {{'basis' dimension 0 (Bc) must be 5 like 'coeff_in' dimension 0, got 6}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%b) coeff_in(%u) : (tensor<4x8xf32>, tensor<6x3xf32>, tensor<5x8x3xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// generated_matmul: Bi of 'basis' differs from 'coeff_in'.
func.func @mm_u_bi(%x: tensor<4x8xf32>, %b: tensor<6x3xf32>, %u: tensor<6x8x2xf32>) -> tensor<4x6xf32> {
  // expected-error @+2 {{'basis' dimension 1 (Bi) must be 2 like 'coeff_in' dimension 2, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%b) coeff_in(%u) : (tensor<4x8xf32>, tensor<6x3xf32>, tensor<6x8x2xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// generated_matmul: 'coeff_out' element type differs from 'basis'.
func.func @mm_v_elt(%x: tensor<4x8xf32>, %w: tensor<6x8xf32>, %v: tensor<10x6xbf16>) -> tensor<4x10xf32> {
  // expected-error @+2 {{'coeff_out' element type must be 'f32' like 'basis', got 'bf16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) coeff_out(%v) : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<10x6xbf16>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// generated_matmul: result element type differs from 'input'.
func.func @mm_result_elt(%x: tensor<4x8xf32>, %w: tensor<10x8xf32>) -> tensor<4x10xf16> {
  // expected-error @+2 {{inferred type(s) 'tensor<4x10xf32>' are incompatible with return type(s) of operation 'tensor<4x10xf16>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<4x8xf32>, tensor<10x8xf32>) -> tensor<4x10xf16>
  return %0 : tensor<4x10xf16>
}

// -----

// Dilation so large that the kernel span overflows int64.
func.func @conv_dilation_overflow(%x: tensor<1x8x16x16xf32>, %w: tensor<4x8x5x3xf32>) {
  // expected-error @+2 {{output height overflows int64 (padding, dilation or input size too large)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) dilations [4611686018427387904, 1] : (tensor<1x8x16x16xf32>, tensor<4x8x5x3xf32>) -> tensor<1x4x16x14xf32>
  return
}

// -----

// Padding whose sum with the input overflows int64.
func.func @conv_padding_overflow(%x: tensor<1x8x16x16xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+2 {{output height overflows int64}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) padding [9223372036854775807, 0, 9223372036854775807, 0] : (tensor<1x8x16x16xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x12x14xf32>
  return
}

// -----

// groups x kernel channels overflows int64.
func.func @conv_groups_overflow(%x: tensor<1x0x16x16xf32>, %w: tensor<0x4x3x3xf32>) {
  // expected-error @+2 {{groups x generated kernel channels (4611686018427387904 x 4) overflows int64}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) groups 4611686018427387904 : (tensor<1x0x16x16xf32>, tensor<0x4x3x3xf32>) -> tensor<1x0x14x14xf32>
  return
}

// -----

// A kernel with no rows.
func.func @conv_empty_kernel(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x0x3xf32>) {
  // expected-error @+2 {{generated kernel height must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%w) : (tensor<1x8x16x16xf32>, tensor<16x8x0x3xf32>) -> tensor<1x16x17x14xf32>
  return
}

// -----

// A type without infinity saturates a huge scale instead of overflowing.
func.func @midrise_scale_saturates(%c: tensor<4xi4>) -> tensor<4xf4E2M1FN> {
  // expected-error @+1 {{midrise scale 1.000000e+10 is not a finite non-zero 'f4E2M1FN' value}}
  %0 = mlg.dequantize %c as midrise<scale = 1.0e10> : tensor<4xi4> -> tensor<4xf4E2M1FN>
  return %0 : tensor<4xf4E2M1FN>
}

// -----

// decode_pow2: a one-bit code has no room for a sign and an exponent.
func.func @pow2_codes_too_narrow(%c: tensor<4xi1>) -> tensor<4xf32> {
  // expected-error @+1 {{'codes' element type must be an integer of 2 to 16 bits, got 'i1'}}
  %0 = mlg.decode_pow2 %c min_exponent 0 : tensor<4xi1> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// decode_pow2: result shape differs from the codes shape.
func.func @pow2_result_shape(%c: tensor<4x2xi4>) -> tensor<8xf32> {
  // expected-error @+1 {{result shape must equal 'codes' shape 'tensor<4x2xi4>', got 'tensor<8xf32>'}}
  %0 = mlg.decode_pow2 %c min_exponent 0 : tensor<4x2xi4> -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// decode_pow2: 2^-127 is below f32's normal range.
func.func @pow2_exponent_too_small(%c: tensor<4xi4>) -> tensor<4xf32> {
  // expected-error @+1 {{'min_exponent' must keep the exponents of 4-bit codes, [min_exponent, min_exponent + 7], within the normal exponents of 'f32', [-126, 127], got -127}}
  %0 = mlg.decode_pow2 %c min_exponent -127 : tensor<4xi4> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// decode_pow2: 5-bit codes from 2^0 reach 2^16, past f16's 2^15.
func.func @pow2_exponent_too_large(%c: tensor<4xi5>) -> tensor<4xf16> {
  // expected-error @+1 {{'min_exponent' must keep the exponents of 5-bit codes, [min_exponent, min_exponent + 15], within the normal exponents of 'f16', [-14, 15], got 1}}
  %0 = mlg.decode_pow2 %c min_exponent 1 : tensor<4xi5> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}
