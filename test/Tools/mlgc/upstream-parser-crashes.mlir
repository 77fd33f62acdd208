// MLIR 22's linalg parser crashes on a malformed `dimensions`/`permutation`
// array (found by mlg-pipeline-fuzzer), its verifier on repeated broadcast
// dimensions: mlgc scans the text first and refuses such an array with a
// located error and exit code 1 (docs/errors.md, "Known limits").
// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: not mlgc -q broadcast.mlir -o out.so 2>&1 | FileCheck %s --check-prefix=BROADCAST
// RUN: not mlgc -q transpose.mlir -o out.so 2>&1 | FileCheck %s --check-prefix=TRANSPOSE
// RUN: not mlgc -q repeated.mlir -o out.so 2>&1 | FileCheck %s --check-prefix=REPEATED
// RUN: ls | FileCheck %s --check-prefix=LEFT
// Well-formed arrays, the generic form and the words in comments pass.
// RUN: mlgc -q ok.mlir --emit=mlir -o ok.out.mlir

// BROADCAST: broadcast.mlir:3:89: error: 'dimensions': expected a list of integers '[a, b, ...]' (MLIR 22's linalg parser and verifier crash on such an array)
// TRANSPOSE: transpose.mlir:3:92: error: 'permutation': expected a list of integers '[a, b, ...]'
// REPEATED:  repeated.mlir:3:88: error: 'dimensions': the list repeats 0
// LEFT-NOT:  out.so

//--- broadcast.mlir
func.func @f(%x: tensor<6xf32>) -> tensor<2x6xf32> {
  %e = tensor.empty() : tensor<2x6xf32>
  %b = linalg.broadcast ins(%x : tensor<6xf32>) outs(%e : tensor<2x6xf32>) dimensions = *0]
  return %b : tensor<2x6xf32>
}

//--- transpose.mlir
func.func @f(%x: tensor<3x6xf32>) -> tensor<6x3xf32> {
  %e = tensor.empty() : tensor<6x3xf32>
  %t = linalg.transpose ins(%x : tensor<3x6xf32>) outs(%e : tensor<6x3xf32>) permutation = [1, x]
  return %t : tensor<6x3xf32>
}

//--- repeated.mlir
// The shapes agree: the verifier reaches the repeated dimension and crashed.
func.func @f(%x: tensor<i32>, %e: tensor<32x2xi32>) -> tensor<32x2xi32> {
  %b = linalg.broadcast ins(%x : tensor<i32>) outs(%e : tensor<32x2xi32>) dimensions = [0, 0]
  return %b : tensor<32x2xi32>
}

//--- ok.mlir
// A comment may say permutation = anything.
func.func @f(%x: tensor<3x6xf32>, %y: tensor<6xf32>) -> (tensor<6x3xf32>, tensor<2x6xf32>) {
  %e = tensor.empty() : tensor<6x3xf32>
  %t = linalg.transpose ins(%x : tensor<3x6xf32>) outs(%e : tensor<6x3xf32>) permutation = [1, 0]
  %f = tensor.empty() : tensor<2x6xf32>
  %b = "linalg.broadcast"(%y, %f) <{dimensions = array<i64: 0>}> ({
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }) : (tensor<6xf32>, tensor<2x6xf32>) -> tensor<2x6xf32>
  return %t, %b : tensor<6x3xf32>, tensor<2x6xf32>
}
