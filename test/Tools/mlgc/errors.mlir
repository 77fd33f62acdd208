// Bad options, unreadable or invalid input and failing stages: a message
// (located when it concerns the input), exit status 1, and no output file.
// RUN: rm -rf %t && split-file %s %t
// RUN: not mlgc %t/ok.mlir --target=gpu -o %t/out.so 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not mlgc %t/ok.mlir --strategy=fastest -o %t/out.so 2>&1 | FileCheck %s --check-prefix=STRATEGY
// RUN: not mlgc %t/ok.mlir --compress="bogus=1" -o %t/out.so 2>&1 | FileCheck %s --check-prefix=OPTION
// RUN: not mlgc %t/ok.mlir --compress="bi=abc" -o %t/out.so 2>&1 | FileCheck %s --check-prefix=VALUE
// RUN: not mlgc %t/missing.mlir -o %t/out.so 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not mlgc -q %t/ok.mlir --emit=lib -o - 2>&1 | FileCheck %s --check-prefix=STDOUT
// RUN: not mlgc -q %t/syntax.mlir -o %t/out.so 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not mlgc -q %t/dynamic.mlir -o %t/out.so 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// RUN: not mlgc -q %t/integer.mlir -o %t/out.so 2>&1 | FileCheck %s --check-prefix=INTEGER
// RUN: not mlgc -q %t/reserved.mlir -o %t/out.so 2>&1 | FileCheck %s --check-prefix=RESERVED
// RUN: not mlgc -q %t/name.mlir -o %t/out.so 2>&1 | FileCheck %s --check-prefix=NAME
// RUN: not mlgc -q %t/conv.mlir --compress="precision-mode=budget max-memory-ratio=0.00001" -o %t/out.so 2>&1 | FileCheck %s --check-prefix=BUDGET
// RUN: env PATH=%t/empty not mlgc -q %t/ok.mlir -o %t/out.so 2>&1 | FileCheck %s --check-prefix=LINKER
// RUN: ls %t | FileCheck %s --check-prefix=LEFT
// The same input compiles, so the checks above test the errors only.
// RUN: mlgc -q %t/ok.mlir -o %t/ok.so && ls %t/ok.so %t/ok.h

// No output, header or temporary file is left behind:
// LEFT-NOT: out
// LEFT:     syntax.mlir

// STRATEGY: unknown --strategy 'fastest' (auto, dense, factorized or tiled)
// TARGET:   mlgc: error: unknown target 'gpu' (supported: cpu, ptc)
// OPTION:   mlgc: error: invalid --compress options 'bogus=1': <Pass-Options-Parser>: no such option bogus
// VALUE:    'abc' value invalid
// VALUE:    mlgc: error: invalid --compress options 'bi=abc'
// MISSING:  mlgc: error: cannot open input file '{{.*}}missing.mlir': No such file or directory
// STDOUT:   mlgc: error: --emit=obj and --emit=lib need an output file (-o)
// SYNTAX:   syntax.mlir:2:3: error: Dialect `bogus' not found for custom op 'bogus.op'
// DYNAMIC:  dynamic.mlir:1:1: error: entry point 'f': argument #0 has type 'tensor<?x4xf32>'; dynamic shapes are not supported by the C ABI yet
// INTEGER:  integer.mlir:1:1: error: entry point 'f': result #0 has type 'tensor<4xi32>'; the C ABI passes only ranked tensors of f32
// RESERVED: reserved.mlir:1:1: error: entry point name 'model' is reserved (mlg_model() returns the model description)
// NAME:     name.mlir:1:1: error: entry point 'a.b' is not a C identifier; rename it or make it private
// BUDGET:   conv.mlir:0:0: error: mlg-assign-precision: max-memory-ratio 1e-05 (0 bits) cannot be met
// LINKER:   mlgc: error: no linker found on PATH (looked for clang-22, clang, ld.lld-22, ld.lld)

//--- ok.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %y = linalg.negf ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

//--- syntax.mlir
func.func @f() {
  bogus.op
}

//--- dynamic.mlir
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}

//--- integer.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xi32> {
  %e = tensor.empty() : tensor<4xi32>
  %y = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e : tensor<4xi32>) {
  ^bb0(%a: f32, %o: i32):
    %c = arith.fptosi %a : f32 to i32
    linalg.yield %c : i32
  } -> tensor<4xi32>
  return %y : tensor<4xi32>
}

//--- reserved.mlir
func.func @model(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

//--- name.mlir
func.func @"a.b"(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

//--- conv.mlir
func.func @conv(%x: tensor<1x8x6x6xf32>) -> tensor<1x16x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<16x8x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x4x4xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x6x6xf32>, tensor<16x8x3x3xf32>) outs(%acc : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}
