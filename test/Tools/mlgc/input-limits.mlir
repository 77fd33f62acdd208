// Resource limits on the input (docs/errors.md): a tensor type is a few
// bytes of text but may stand for terabytes. mlgc refuses a module with a
// tensor of more than --max-tensor-elements (default 2^28) elements before
// any pass runs: a located error, exit code 1, no output file.
// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: not mlgc -q argument.mlir -o out.so 2>&1 | FileCheck %s --check-prefix=ARGUMENT
// RUN: not mlgc -q constant.mlir -o out.so 2>&1 | FileCheck %s --check-prefix=CONSTANT
// RUN: not mlgc -q overflow.mlir -o out.so 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// RUN: not mlgc -q --target=ptc constant.mlir -o out.ptc 2>&1 | FileCheck %s --check-prefix=CONSTANT
// RUN: not mlgc -q small.mlir --max-tensor-elements=1000 -o out.so 2>&1 | FileCheck %s --check-prefix=OPTION
// RUN: ls | FileCheck %s --check-prefix=LEFT
// The same small module compiles within the default limit.
// RUN: mlgc -q small.mlir --emit=mlir -o small.out.mlir

// ARGUMENT: argument.mlir:1:1: error: 'tensor<1x1000000x1000000xf32>' has 1000000000000 elements, more than the limit of 268435456 (--max-tensor-elements)
// CONSTANT: constant.mlir:2:8: error: 'tensor<100000x100000xf32>' has 10000000000 elements, more than the limit of 268435456 (--max-tensor-elements)
// OVERFLOW: overflow.mlir:2:8: error: 'tensor<9223372036854775807x4xf32>' has more than 2^64 elements, more than the limit of 268435456 (--max-tensor-elements)
// OPTION:   small.mlir:1:1: error: 'tensor<64x64xf32>' has 4096 elements, more than the limit of 1000 (--max-tensor-elements)
// LEFT-NOT: out

//--- argument.mlir
func.func @f(%x: tensor<1x1000000x1000000xf32>) -> tensor<1x1000000x1000000xf32> {
  return %x : tensor<1x1000000x1000000xf32>
}

//--- constant.mlir
func.func @f() -> tensor<2xf32> {
  %c = arith.constant dense<1.0> : tensor<100000x100000xf32>
  %z = arith.constant dense<0.0> : tensor<2xf32>
  return %z : tensor<2xf32>
}

//--- overflow.mlir
func.func @f() -> tensor<2xf32> {
  %c = tensor.empty() : tensor<9223372036854775807x4xf32>
  %z = arith.constant dense<0.0> : tensor<2xf32>
  return %z : tensor<2xf32>
}

//--- small.mlir
func.func @f(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  return %x : tensor<64x64xf32>
}
