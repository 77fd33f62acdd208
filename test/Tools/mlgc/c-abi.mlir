// A C program built against the generated header calls the library directly
// and through the model description: several entry points, several outputs,
// a rank-0 tensor, inputs left untouched.
// RUN: rm -rf %t && split-file %s %t
// RUN: mlgc -q %t/model.mlir -o %t/libabi.so
// RUN: FileCheck %s --check-prefix=HEADER < %t/libabi.h
// RUN: clang-22 -std=c11 -Wall -Werror -I%t %t/main.c -L%t -labi -Wl,-rpath,%t -o %t/main
// RUN: %t/main | FileCheck %s
// RUN: llvm-nm -D --defined-only %t/libabi.so | FileCheck %s --check-prefix=SYMBOLS

// HEADER:      MLG C ABI version 1
// HEADER:      #ifndef MLG_LIBABI_H
// HEADER:      #define MLG_ABI_VERSION 1u
// HEADER:      const mlg_model_t *mlg_model(void);
// HEADER:      /* scale_shift
// HEADER-NEXT:  *   in0: f32[2x3]
// HEADER-NEXT:  *   in1: f32[]
// HEADER-NEXT:  *   out0: f32[2x3]
// HEADER-NEXT:  *   out1: f32[3]
// HEADER-NEXT:  */
// HEADER-NEXT: #define MLG_SCALE_SHIFT_IN0_RANK 2
// HEADER-NEXT: #define MLG_SCALE_SHIFT_IN0_SHAPE {2, 3}
// HEADER-NEXT: #define MLG_SCALE_SHIFT_IN0_SIZE 6
// HEADER-NEXT: #define MLG_SCALE_SHIFT_IN1_RANK 0
// HEADER-NEXT: #define MLG_SCALE_SHIFT_IN1_SIZE 1
// HEADER:      int32_t mlg_scale_shift(const float *in0, const float *in1, float *out0, float *out1);
// HEADER:      int32_t mlg_negate(const float *in0, float *out0);

// SYMBOLS-NOT: T {{.*}}impl
// SYMBOLS-DAG: T mlg_model
// SYMBOLS-DAG: T mlg_negate
// SYMBOLS-DAG: T mlg_scale_shift
// SYMBOLS-NOT: T {{.*}}impl

// CHECK:      abi 1, 2 entries
// CHECK-NEXT: entry scale_shift: 2 inputs, 2 outputs
// CHECK-NEXT:   in0 dtype 1 rank 2 shape 2 3
// CHECK-NEXT:   in1 dtype 1 rank 0 shape
// CHECK-NEXT:   out0 dtype 1 rank 2 shape 2 3
// CHECK-NEXT:   out1 dtype 1 rank 1 shape 3
// CHECK-NEXT: entry negate: 1 inputs, 1 outputs
// CHECK-NEXT:   in0 dtype 1 rank 1 shape 4
// CHECK-NEXT:   out0 dtype 1 rank 1 shape 4
// CHECK-NEXT: direct: 0 | 1 3 5 7 9 11 | 8 12 16 | x 0 1 2 3 4 5
// CHECK-NEXT: invoke: 0 | 1 3 5 7 9 11 | 8 12 16
// CHECK-NEXT: negate: 0 | -1 2 -3 -0.5

//--- model.mlir
#map = affine_map<(i, j) -> (i, j)>
#scalar = affine_map<(i, j) -> ()>
#col = affine_map<(i, j) -> (j)>
// out0 = 2 * x + s; out1 = column sums of out0
func.func @scale_shift(%x: tensor<2x3xf32>, %s: tensor<f32>) -> (tensor<2x3xf32>, tensor<3xf32>) {
  %two = arith.constant 2.0 : f32
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %y = linalg.generic {indexing_maps = [#map, #scalar, #map], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<2x3xf32>, tensor<f32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %two : f32
    %r = arith.addf %m, %b : f32
    linalg.yield %r : f32
  } -> tensor<2x3xf32>
  %ce = tensor.empty() : tensor<3xf32>
  %c0 = linalg.fill ins(%zero : f32) outs(%ce : tensor<3xf32>) -> tensor<3xf32>
  %sum = linalg.generic {indexing_maps = [#map, #col], iterator_types = ["reduction", "parallel"]}
      ins(%y : tensor<2x3xf32>) outs(%c0 : tensor<3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<3xf32>
  return %y, %sum : tensor<2x3xf32>, tensor<3xf32>
}

func.func @negate(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %y = linalg.negf ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

//--- main.c
#include "libabi.h"

#include <stdio.h>
#include <string.h>

static void print(const float *v, int n) {
  for (int i = 0; i < n; ++i)
    printf(" %g", v[i]);
}

int main(void) {
  const mlg_model_t *model = mlg_model();
  printf("abi %u, %u entries\n", model->abi_version, model->num_entries);
  for (uint32_t e = 0; e < model->num_entries; ++e) {
    const mlg_entry_t *entry = &model->entries[e];
    printf("entry %s: %d inputs, %d outputs\n", entry->name, entry->num_inputs,
           entry->num_outputs);
    for (int k = 0; k < entry->num_inputs + entry->num_outputs; ++k) {
      int in = k < entry->num_inputs;
      const mlg_tensor_t *t =
          in ? &entry->inputs[k] : &entry->outputs[k - entry->num_inputs];
      printf("  %s%d dtype %d rank %d shape", in ? "in" : "out",
             in ? k : k - entry->num_inputs, t->dtype, t->rank);
      for (int d = 0; d < t->rank; ++d)
        printf(" %lld", (long long)t->shape[d]);
      printf("\n");
    }
  }

  float x[MLG_SCALE_SHIFT_IN0_SIZE] = {0, 1, 2, 3, 4, 5};
  float s = 1;
  float y[MLG_SCALE_SHIFT_OUT0_SIZE], sum[MLG_SCALE_SHIFT_OUT1_SIZE];
  printf("direct: %d |", mlg_scale_shift(x, &s, y, sum));
  print(y, 6);
  printf(" |");
  print(sum, 3);
  printf(" | x");
  print(x, 6);
  printf("\n");

  memset(y, 0, sizeof y);
  memset(sum, 0, sizeof sum);
  void *ins[] = {x, &s}, *outs[] = {y, sum};
  printf("invoke: %d |", model->entries[0].invoke(ins, outs));
  print(y, 6);
  printf(" |");
  print(sum, 3);
  printf("\n");

  float v[4] = {1, -2, 3, 0.5}, w[4];
  printf("negate: %d |", mlg_negate(v, w));
  print(w, 4);
  printf("\n");
  return 0;
}
