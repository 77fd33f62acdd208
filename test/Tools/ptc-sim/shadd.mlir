// SHADD (SmartDeal shift-add generation) of four blocks from 3-bit packed
// power-of-two codes and 3-bit basis codes, one block in two pieces
// (`start`), then a GEMM with the generated weights, against numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/ptc_reference.py gen shadd %t
// RUN: mlg-translate --ptc-to-binary %s -o %t/prog.bin
// RUN: ptc-sim %t/prog.bin --model=%S/Inputs/tiny.json --input codes=%t/codes.npy --input basis=%t/basis.npy --input x=%t/x.npy --output %t/out.npy | FileCheck %s --check-prefix=REPORT
// RUN: %python %S/Inputs/ptc_reference.py check shadd %t | FileCheck %s

// CHECK: shadd: 8 values match

// The codes and the basis travel packed at 3 bits: 2 x 16 x 3 bits = 12
// bytes of weights, 4 bytes of x and 16 of output (+ 4 of micro-ops).
// REPORT:      layer insns load-cyc {{.*}} dram-B dram-wgt-B dram-act-B local-B
// REPORT-NEXT: program 13 {{.*}} 36 12 20 {{[0-9]+}} 0
// REPORT-NEXT: total 13 {{.*}} 36 12 20 {{[0-9]+}} 0
// REPORT:      by instruction class: {{.*}} shadd 5 (

ptc.program {
  ptc.data @codes offset 0 = dense<0> : tensor<4x2x2xi3> {role = "input"}
  ptc.data @basis offset 16 = dense<0> : tensor<4x2x2xi3> {role = "input"}
  ptc.data @x offset 32 = dense<0> : tensor<2x4xi4> {role = "input"}
  ptc.data @out offset 48 = dense<0> : tensor<2x4xi16> {role = "output"}
  ptc.uop dst 0 src 0 wgt 0
  ptc.load uop sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0]
  ptc.load coeff_u sram 0 dram 0 rows 1 cols 16 stride 16 pad [0, 0, 0, 0] bits 3
  ptc.load basis sram 0 dram 16 rows 1 cols 16 stride 16 pad [0, 0, 0, 0] bits 3
  ptc.load inp sram 0 dram 32 rows 1 cols 8 stride 8 pad [0, 0, 0, 0] bits 4 deps<push_next>
  ptc.shadd wgt 0 code 0 basis 0 len 4 start 0 rank 2 cols 2 round rshift 2 deps<pop_prev>
  ptc.shadd wgt 4 code 4 basis 4 len 4 start 0 rank 2 cols 2 round rshift 2
  ptc.shadd wgt 8 code 8 basis 8 len 4 start 0 rank 2 cols 2 round rshift 2
  ptc.shadd wgt 12 code 12 basis 12 len 1 start 0 rank 2 cols 2 round rshift 2
  ptc.shadd wgt 13 code 12 basis 12 len 3 start 1 rank 2 cols 2 round rshift 2
  ptc.gemm reset uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0]
  ptc.gemm uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0] deps<push_next>
  ptc.store acc sram 0 dram 48 rows 1 cols 8 stride 8 pad [0, 0, 0, 0] bits 16 deps<pop_prev|push_prev>
  ptc.finish deps<pop_next>
}
