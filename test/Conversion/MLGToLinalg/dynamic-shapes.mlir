// The reference lowering needs static shapes; each offending op is reported
// at its location and the pass fails.
// RUN: mlg-opt %s --convert-mlg-to-linalg -verify-diagnostics

func.func @dynamic_batch(%x: tensor<?x16xf32>, %wc: tensor<10x16xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{convert-mlg-to-linalg requires static shapes}}
  %0 = mlg.generated_matmul %x basis(%wc) : (tensor<?x16xf32>, tensor<10x16xf32>) -> tensor<?x10xf32>
  return %0 : tensor<?x10xf32>
}

func.func @dynamic_codes(%c: tensor<?xi4>) -> tensor<?xf32> {
  // expected-error @+1 {{convert-mlg-to-linalg requires static shapes}}
  %0 = mlg.dequantize %c as midrise<scale = 1.000000e+00> : tensor<?xi4> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
