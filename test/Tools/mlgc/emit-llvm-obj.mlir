// LLVM IR after -O3 for the host, object files, and the default output
// names; the weights stay read-only data at their stored integer width.
// RUN: rm -rf %t && mkdir -p %t
// RUN: mlgc -q --emit=llvm %s | FileCheck %s
// RUN: mlgc -q --emit=obj %s -o %t/model.o
// RUN: llvm-readobj --file-headers %t/model.o | FileCheck %s --check-prefix=OBJ
// RUN: llvm-nm --defined-only %t/model.o | FileCheck %s --check-prefix=SYMBOLS
// RUN: cp %s %t/net.mlir && cd %t && mlgc -q net.mlir && mlgc -q --emit=obj net.mlir
// RUN: ls %t | FileCheck %s --check-prefix=DEFAULT

// CHECK:     target datalayout =
// CHECK:     target triple = "x86_64
// i3 codes stay one byte per code (LLVM's layout of i3), not float32.
// CHECK-DAG: private unnamed_addr constant [4 x [64 x i3]] {{\[}}[64 x i3] [i3 -4, i3 -1, i3 2, i3 -3, i3 0,
// CHECK-DAG: define {{.*}}i32 @mlg_dequant(ptr noalias {{.*}}readonly{{.*}}, ptr noalias {{.*}})
// CHECK-DAG: define {{.*}}ptr @mlg_model()
// CHECK-DAG: attributes #{{[0-9]+}} = { {{.*}}"target-cpu"="{{[a-z0-9-]+}}" "target-features"="+

// OBJ: Format: elf64-x86-64
// OBJ: Type: Relocatable

// SYMBOLS-DAG: T mlg_dequant
// SYMBOLS-DAG: T mlg_model
// SYMBOLS-NOT: T _mlg
// SYMBOLS-NOT: T memrefCopy

// DEFAULT: net.h
// DEFAULT: net.mlir
// DEFAULT: net.o
// DEFAULT: net.so

func.func @dequant(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %codes = arith.constant dense<[[-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1],[3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0],[2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1],[1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2,1,-4,-1,2,-3,0,3,-2]]> : tensor<4x64xi3>
  %levels = mlg.dequantize %codes as midrise<scale = 5.000000e-01>
      : tensor<4x64xi3> -> tensor<4x64xf32>
  %e = tensor.empty() : tensor<4x64xf32>
  %y = linalg.add ins(%x, %levels : tensor<4x64xf32>, tensor<4x64xf32>) outs(%e : tensor<4x64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
