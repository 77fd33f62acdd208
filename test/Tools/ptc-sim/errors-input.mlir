// Bad inputs (.npy files and bindings): an error, exit code 1, and no output
// file written.
// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: %python %S/Inputs/ptc_reference.py gen gemm %t
// RUN: mlg-translate --ptc-to-binary ok.mlir -o ok.bin

// The intact program runs and writes its output.
// RUN: ptc-sim -q ok.bin --model=%S/Inputs/tiny.json --input x.npy --output ok.npy
// RUN: test -f ok.npy

// Bad inputs: wrong shape, non-integer, out of the element range, missing
// file, too many inputs, unknown name.
// RUN: %python -c "import numpy as np; np.save('shape.npy', np.zeros((2, 8), np.float32)); np.save('frac.npy', np.full((3, 2, 4), 0.5, np.float32)); np.save('big.npy', np.full((3, 2, 4), 9, np.float32))"
// RUN: not ptc-sim ok.bin --model=%S/Inputs/tiny.json --input shape.npy --output out.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: ptc-sim: error: shape.npy: shape (2, 8) does not match input 'x' of shape (3, 2, 4)
// RUN: not ptc-sim ok.bin --model=%S/Inputs/tiny.json --input frac.npy --output out.npy 2>&1 | FileCheck %s --check-prefix=FRAC
// FRAC: ptc-sim: error: frac.npy: element 0 (0.500000) is not an integer code for input 'x'
// RUN: not ptc-sim ok.bin --model=%S/Inputs/tiny.json --input big.npy --output out.npy 2>&1 | FileCheck %s --check-prefix=BIG
// BIG: ptc-sim: error: big.npy: input 'x': {{.*}}9{{.*}}
// RUN: not ptc-sim ok.bin --model=%S/Inputs/tiny.json --input absent.npy --output out.npy 2>&1 | FileCheck %s --check-prefix=ABSENT
// ABSENT: ptc-sim: error: {{.*}}absent.npy
// RUN: not ptc-sim ok.bin --model=%S/Inputs/tiny.json --input x.npy --input x.npy 2>&1 | FileCheck %s --check-prefix=EXTRA
// EXTRA: ptc-sim: error: 2 --input files given, the program has 1 inputs
// RUN: not ptc-sim ok.bin --model=%S/Inputs/tiny.json --input nope=x.npy 2>&1 | FileCheck %s --check-prefix=NAME
// NAME: ptc-sim: error: the program has no input 'nope'

// No failed run left an output file behind.
// RUN: %python %S/../../Target/PTC/Inputs/ptcbin.py absent out.npy


//--- ok.mlir
ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<3x2x4xi4> {role = "input"}
  ptc.data @y offset 16 = dense<0> : tensor<3x8xi4> {role = "output"}
  ptc.load inp sram 0 dram 0 rows 3 cols 8 stride 8 pad [0, 0, 0, 0] bits 4 deps<push_next>
  ptc.gemm reset uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0] deps<pop_prev|push_next>
  ptc.store acc sram 0 dram 16 rows 3 cols 8 stride 8 pad [0, 0, 0, 0] bits 4 deps<pop_prev|push_prev>
  ptc.finish deps<pop_next>
}
