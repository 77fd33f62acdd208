// mlg-opt scans its input for the arrays Debian's MLIR 22 linalg parser and
// verifier crash on (docs/errors.md, "Known limits") before parsing, and
// refuses them with a located error and exit code 1, from a file or stdin,
// leaving no output file.
// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: not mlg-opt broadcast.mlir -o out.mlir 2>&1 | FileCheck %s --check-prefix=BROADCAST
// RUN: not mlg-opt transpose.mlir --split-input-file -o out.mlir 2>&1 | FileCheck %s --check-prefix=TRANSPOSE
// RUN: not mlg-opt < repeated.mlir 2>&1 | FileCheck %s --check-prefix=STDIN
// RUN: ls | FileCheck %s --check-prefix=LEFT
// Well-formed arrays, the generic form and the words in comments pass, and
// the driver's own modes still work.
// RUN: mlg-opt ok.mlir -o ok.out.mlir
// RUN: FileCheck %s --check-prefix=OK < ok.out.mlir
// RUN: mlg-opt --show-dialects | FileCheck %s --check-prefix=DIALECTS
// RUN: not mlg-opt missing.mlir 2>&1 | FileCheck %s --check-prefix=MISSING

// BROADCAST: broadcast.mlir:3:89: error: 'dimensions': expected a list of integers '[a, b, ...]' (MLIR 22's linalg parser and verifier crash on such an array)
// TRANSPOSE: transpose.mlir:3:92: error: 'permutation': expected a list of integers '[a, b, ...]'
// STDIN: <stdin>:3:88: error: 'dimensions': the list repeats 0
// LEFT-NOT: out.mlir
// OK: linalg.transpose ins(%{{.*}} : tensor<3x6xf32>) outs(%{{.*}} : tensor<6x3xf32>) permutation = [1, 0]
// DIALECTS: mlg
// MISSING: cannot open input file 'missing.mlir'

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
func.func @f(%x: tensor<3x6xf32>) -> tensor<6x3xf32> {
  %e = tensor.empty() : tensor<6x3xf32>
  %t = linalg.transpose ins(%x : tensor<3x6xf32>) outs(%e : tensor<6x3xf32>) permutation = [1, 0]
  return %t : tensor<6x3xf32>
}
