// LLVM IR after -O3 for the host, object files, and the default output
// names; the weights stay read-only data at their stored integer width:
// bit-packed by default (3 bits a code), a byte a code without packing.
// RUN: rm -rf %t && mkdir -p %t
// RUN: mlgc -q --emit=llvm %s | FileCheck %s --check-prefixes=CHECK,PACKED
// RUN: mlgc -q --emit=llvm --pack-codes=false %s | FileCheck %s --check-prefixes=CHECK,BYTES
// The packed codes are unpacked correctly: all eight 3-bit codes, across
// byte boundaries, 0.5 * (c + 1/2) added to zeros.
// RUN: mlgc %s -o %t/dequant.so 2>&1 | FileCheck %s --check-prefix=STAGE
// RUN: %python -c "import numpy as np; np.save('%t/zeros.npy', np.zeros((4, 64), np.float32))"
// RUN: mlg-run %t/dequant.so --input %t/zeros.npy --output %t/levels.npy
// RUN: %python -c "import numpy as np; i, j = np.indices((4, 64)); c = (i * 7 + j * 3) %% 8 - 4; print('levels', 'ok' if np.array_equal(np.load('%t/levels.npy'), (0.5 * (c + 0.5)).astype(np.float32)) else 'WRONG')" | FileCheck %s --check-prefix=LEVELS
// RUN: mlgc -q --emit=obj %s -o %t/model.o
// RUN: llvm-readobj --file-headers %t/model.o | FileCheck %s --check-prefix=OBJ
// RUN: llvm-nm --defined-only %t/model.o | FileCheck %s --check-prefix=SYMBOLS
// RUN: cp %s %t/net.mlir && cd %t && mlgc -q net.mlir && mlgc -q --emit=obj net.mlir
// RUN: ls %t | FileCheck %s --check-prefix=DEFAULT

// CHECK:     target datalayout =
// CHECK:     target triple = "x86_64
// 256 codes of 3 bits: 96 bytes and a padding byte.
// PACKED-DAG: private unnamed_addr constant [97 x i8] c"
// PACKED-NOT: x i3]
// BYTES-DAG: private unnamed_addr constant [4 x [64 x i3]] {{\[}}[64 x i3] [i3 -4, i3 -1, i3 2, i3 -3, i3 0,
// CHECK-DAG: define {{.*}}i32 @mlg_dequant(ptr noalias {{.*}}readonly{{.*}}, ptr noalias {{.*}})
// CHECK-DAG: define {{.*}}ptr @mlg_model()
// CHECK-DAG: attributes #{{[0-9]+}} = { {{.*}}"target-cpu"="{{[a-z0-9-]+}}" "target-features"="+

// STAGE: lower to the LLVM dialect
// STAGE-NEXT: mlgc: 1 code constants bit-packed: 256 -> 97 bytes
// LEVELS: levels ok

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
