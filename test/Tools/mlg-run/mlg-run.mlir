// mlg-run on a library with two entry points: runs, benchmarks, .npy v1 and
// v2 inputs, outputs read back by numpy; every bad input is an error naming
// the file and the expectation (exit status 1) and writes no output.
// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: mlgc -q model.mlir -o lib.so
// RUN: %python make_inputs.py
// RUN: mlg-run lib.so --entry scale_shift --input x.npy --input s.npy --output y.npy --output sum.npy
// RUN: %python -c "import numpy as np; print(np.load('y.npy').tolist(), np.load('sum.npy').tolist(), np.load('y.npy').dtype)" | FileCheck %s --check-prefix=OUTPUT
// RUN: mlg-run %t/lib.so --entry negate --input v2.npy --output n.npy --bench 5 | FileCheck %s --check-prefix=BENCH
// RUN: %python -c "import numpy as np; print(np.load('n.npy').tolist())" | FileCheck %s --check-prefix=NEGATE

// RUN: not mlg-run lib.so --input x.npy --input s.npy --output o.npy --output p.npy 2>&1 | FileCheck %s --check-prefix=AMBIGUOUS
// RUN: not mlg-run lib.so --entry nope --input x.npy --output o.npy 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not mlg-run lib.so --entry scale_shift --input x.npy --output o.npy --output p.npy 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not mlg-run lib.so --entry scale_shift --input shape.npy --input s.npy --output o.npy --output p.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not mlg-run lib.so --entry scale_shift --input rank.npy --input s.npy --output o.npy --output p.npy 2>&1 | FileCheck %s --check-prefix=RANK
// RUN: not mlg-run lib.so --entry scale_shift --input f64.npy --input s.npy --output o.npy --output p.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: not mlg-run lib.so --entry scale_shift --input fortran.npy --input s.npy --output o.npy --output p.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// RUN: not mlg-run lib.so --entry scale_shift --input truncated.npy --input s.npy --output o.npy --output p.npy 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// RUN: not mlg-run lib.so --entry scale_shift --input model.mlir --input s.npy --output o.npy --output p.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// RUN: not mlg-run lib.so --entry scale_shift --input missing.npy --input s.npy --output o.npy --output p.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not mlg-run missing.so --input x.npy --output o.npy 2>&1 | FileCheck %s --check-prefix=NOLIB
// RUN: not mlg-run %t/x.npy --input x.npy --output o.npy 2>&1 | FileCheck %s --check-prefix=NOTLIB
// RUN: ls | FileCheck %s --check-prefix=LEFT

// OUTPUT: {{\[\[}}1.0, 3.0, 5.0], [7.0, 9.0, 11.0]] [8.0, 12.0, 16.0] float32
// BENCH:  mlg-run: negate: 5 runs after 1 warm-up: min {{[0-9.]+}} ms, median {{[0-9.]+}} ms, max {{[0-9.]+}} ms
// NEGATE: [-1.0, 2.0, -3.0, -0.5]

// AMBIGUOUS: mlg-run: error: lib.so has several entry points (scale_shift, negate); choose one with --entry
// UNKNOWN:   mlg-run: error: no entry point 'nope' in lib.so (entry points: scale_shift, negate)
// COUNT:     mlg-run: error: entry point 'scale_shift' takes 2 input(s), 1 --input given
// SHAPE:     mlg-run: error: shape.npy: shape (2, 4) (rank 2), but input #0 of 'scale_shift' expects float32 (2, 3) (rank 2)
// RANK:      mlg-run: error: rank.npy: shape (6,) (rank 1), but input #0 of 'scale_shift' expects float32 (2, 3) (rank 2)
// DTYPE:     mlg-run: error: f64.npy: dtype '<f8', expected '<f4' (little-endian float32)
// FORTRAN:   mlg-run: error: fortran.npy: Fortran-order array; expected C order
// TRUNCATED: mlg-run: error: truncated.npy: truncated data: shape (2, 3) of float32 needs 24 bytes, the file has 20
// MAGIC:     mlg-run: error: model.mlir: not an .npy file (bad magic string)
// MISSING:   mlg-run: error: missing.npy: cannot read: No such file or directory
// NOLIB:     mlg-run: error: cannot load 'missing.so': ./missing.so: cannot open shared object file
// NOTLIB:    mlg-run: error: cannot load '{{.*}}x.npy': {{.*}}x.npy: {{.*}}
// LEFT-NOT:  o.npy
// LEFT-NOT:  p.npy
// LEFT:      y.npy

//--- make_inputs.py
import numpy as np
np.save("x.npy", np.arange(6, dtype=np.float32).reshape(2, 3))
np.save("s.npy", np.array(1, dtype=np.float32))
with open("v2.npy", "wb") as f:
    np.lib.format.write_array(f, np.array([1, -2, 3, 0.5], dtype=np.float32), version=(2, 0))
np.save("shape.npy", np.zeros((2, 4), np.float32))
np.save("rank.npy", np.zeros(6, np.float32))
np.save("f64.npy", np.zeros((2, 3), np.float64))
np.save("fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
data = open("x.npy", "rb").read()
open("truncated.npy", "wb").write(data[:-4])

//--- model.mlir
#map = affine_map<(i, j) -> (i, j)>
#scalar = affine_map<(i, j) -> ()>
#col = affine_map<(i, j) -> (j)>
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
