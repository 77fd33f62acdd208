// mlg-run --report-memory: the peak resident memory of the first run, above
// what was resident before the library was loaded. An entry point whose run
// needs a 16 MiB intermediate reports at least that much; one on four floats
// reports far less. Outputs are still written, and --bench still runs.
// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: mlgc -q model.mlir -o lib.so
// RUN: %python -c "import numpy as np; np.save('x.npy', np.array(1, np.float32)); np.save('v.npy', np.ones(4, np.float32))"
// RUN: mlg-run lib.so --entry large --input x.npy --output y.npy --report-memory > large.txt
// RUN: FileCheck %s --check-prefix=LINE < large.txt
// RUN: mlg-run lib.so --entry small --input v.npy --output n.npy --report-memory --bench 3 > small.txt
// RUN: FileCheck %s --check-prefix=SMALL < small.txt
// RUN: %python check.py large.txt small.txt | FileCheck %s --check-prefix=SIZES
// RUN: %python -c "import numpy as np; print(np.load('y.npy'), np.load('n.npy').tolist())" | FileCheck %s --check-prefix=OUTPUT
// RUN: mlg-run lib.so --entry small --input v.npy --output n.npy | FileCheck %s --check-prefix=QUIET --allow-empty

// LINE:  mlg-run: large: peak resident memory of the first run: {{[0-9]+\.[0-9]+}} MiB above the {{[0-9]+\.[0-9]+}} MiB resident before loading the library
// SMALL: mlg-run: small: peak resident memory of the first run: {{[0-9]+\.[0-9]+}} MiB above
// SMALL: mlg-run: small: 3 runs after 1 warm-up
// SIZES: large at least 15 MiB: True
// SIZES: small under 4 MiB: True
// OUTPUT: 2048.0 [-1.0, -1.0, -1.0, -1.0]
// QUIET-NOT: peak resident

//--- check.py
import re, sys
def peak(path):
    return float(re.search(r"first run: ([0-9.]+) MiB", open(path).read()).group(1))
print("large at least 15 MiB:", peak(sys.argv[1]) >= 15.0)
print("small under 4 MiB:", peak(sys.argv[2]) < 4.0)

//--- model.mlir
#id = affine_map<(i, j) -> (i, j)>
#tr = affine_map<(i, j) -> (j, i)>
#all = affine_map<(i, j) -> ()>
// The maximum over a transposed 2048x2048 matrix of x + row index: the
// transpose is a 16 MiB buffer.
func.func @large(%x: tensor<f32>) -> tensor<f32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2048x2048xf32>
  %a = linalg.generic {indexing_maps = [#all, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<f32>) outs(%e : tensor<2048x2048xf32>) {
  ^bb0(%v: f32, %o: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    %r = arith.addf %v, %f : f32
    linalg.yield %r : f32
  } -> tensor<2048x2048xf32>
  %e2 = tensor.empty() : tensor<2048x2048xf32>
  %t = linalg.transpose ins(%a : tensor<2048x2048xf32>) outs(%e2 : tensor<2048x2048xf32>) permutation = [1, 0]
  %s0 = tensor.empty() : tensor<f32>
  %s1 = linalg.fill ins(%zero : f32) outs(%s0 : tensor<f32>) -> tensor<f32>
  %s = linalg.generic {indexing_maps = [#id, #all], iterator_types = ["reduction", "reduction"]}
      ins(%t : tensor<2048x2048xf32>) outs(%s1 : tensor<f32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.maxnumf %v, %o : f32
    linalg.yield %r : f32
  } -> tensor<f32>
  return %s : tensor<f32>
}

func.func @small(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %y = linalg.negf ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
