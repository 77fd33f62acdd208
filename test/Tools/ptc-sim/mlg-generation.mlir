// MLG weight generation on the core: GEN level 1 (W1 = U . B, two basis
// vectors accumulated over two micro-ops into one ADC window, requantized),
// GEN level 2 (W = V . W1, requantized to w_bits), then a GEMM with the
// generated weights (two taps), against numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/ptc_reference.py gen mlg %t
// RUN: mlg-translate --ptc-to-binary %s -o %t/prog.bin
// RUN: ptc-sim %t/prog.bin --model=%S/Inputs/tiny.json --input %t/u.npy --input %t/basis.npy --input %t/v.npy --input %t/x.npy --output %t/out.npy | FileCheck %s
// RUN: %python %S/Inputs/ptc_reference.py check mlg %t | FileCheck %s --check-prefix=NUMPY

// CHECK: generate 11
// CHECK: gemm 4 
// CHECK: by instruction class: load 5 ({{.*}}) store 1 ({{.*}}) gemm 2 ({{.*}}) finish 1 ({{.*}}) gen 2 ({{.*}}) cfg 4
// Level 1: 2 taps x 2 micro-ops x 16 MACs; level 2: 2 x 64; GEMM 2 x 32.
// CHECK: steps 9, MACs 256,

// NUMPY: mlg: 8 values match

ptc.program {
  ptc.data @u offset 0 = dense<0> : tensor<2x4x4xi4> {role = "input"}
  ptc.data @basis offset 16 = dense<0> : tensor<2x2x4xi4> {role = "input"}
  ptc.data @v offset 32 = dense<0> : tensor<4x4xi4> {role = "input"}
  ptc.data @x offset 48 = dense<0> : tensor<2x2x4xi4> {role = "input"}
  ptc.data @y offset 64 = dense<0> : tensor<2x4xi16> {role = "output"}
  // Level 1: W1_t[bc][ci] = sum_i U_i[bc][ci] * B[bc][i][t] (basis row 2i+t).
  ptc.uop dst 0 src 0 wgt 0
  ptc.uop dst 0 src 1 wgt 2
  // Level 2: W_t = V . W1_t into wgt row 2 + t.
  ptc.uop dst 2 src 0 wgt 0
  // GEMM: acc[0] += X_t . W_t^T.
  ptc.uop dst 0 src 0 wgt 2
  ptc.layer "generate"
  ptc.load uop sram 0 dram 0 rows 1 cols 4 stride 4 pad [0, 0, 0, 0]
  ptc.load coeff_u sram 0 dram 0 rows 2 cols 16 stride 16 pad [0, 0, 0, 0] bits 4
  ptc.load basis sram 0 dram 16 rows 4 cols 4 stride 4 pad [0, 0, 0, 0] bits 4
  ptc.load coeff_v sram 0 dram 32 rows 1 cols 16 stride 16 pad [0, 0, 0, 0] bits 4
  ptc.load inp sram 0 dram 48 rows 2 cols 8 stride 8 pad [0, 0, 0, 0] bits 4 deps<push_next>
  ptc.cfg req_scale = 1
  ptc.cfg req_shift = 1
  ptc.gen level 1 requant uops [0, 2) iter 2 x 1 dst [1, 0] a [0, 0] b [1, 0] deps<pop_prev>
  ptc.cfg req_scale = 3
  ptc.cfg req_shift = 2
  ptc.gen level 2 requant uops [2, 3) iter 2 x 1 dst [1, 0] a [0, 0] b [1, 0]
  ptc.layer "gemm"
  ptc.gemm reset uops [3, 4) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0]
  ptc.gemm uops [3, 4) iter 1 x 2 dst [0, 0] src [0, 1] wgt [0, 1] deps<push_next>
  ptc.store acc sram 0 dram 64 rows 1 cols 8 stride 8 pad [0, 0, 0, 0] bits 16 deps<pop_prev|push_prev>
  ptc.finish deps<pop_next>
}
