// CFG adc_fs_bits: the same GEMM (K = 12 in three steps, T_acc 2: two ADC
// windows) with the worst-case ADC full scale (F = 10, shift 2), with
// adc_fs_bits 9 (finer: shift 1) and 7 (shift 0: sums beyond the 8-bit
// codes saturate), against numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/ptc_reference.py gen adcfs %t
// RUN: mlg-translate --ptc-to-binary %s -o %t/prog.bin
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/x.npy --input %t/w.npy --output %t/out.npy
// RUN: %python %S/Inputs/ptc_reference.py check adcfs %t | FileCheck %s
// RUN: mlg-translate --ptc-to-asm %s | FileCheck %s --check-prefix=ASM

// CHECK: adcfs: 24 values match
// ASM: cfg reg=adc_fs_bits value=9
// ASM: cfg reg=adc_fs_bits value=7

ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<3x2x4xi4> {role = "input"}
  ptc.data @w offset 16 = dense<0> : tensor<3x4x4xi4> {role = "input"}
  ptc.data @y offset 48 = dense<0> : tensor<3x2x4xi16> {role = "output"}
  ptc.uop dst 0 src 0 wgt 0
  ptc.uop dst 1 src 0 wgt 0
  ptc.uop dst 2 src 0 wgt 0
  ptc.load uop sram 0 dram 0 rows 1 cols 3 stride 3 pad [0, 0, 0, 0]
  ptc.load wgt sram 0 dram 16 rows 3 cols 16 stride 16 pad [0, 0, 0, 0] bits 4
  ptc.load inp sram 0 dram 0 rows 3 cols 8 stride 8 pad [0, 0, 0, 0] bits 4 deps<push_next>
  ptc.gemm reset uops [0, 3) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0] deps<pop_prev>
  ptc.gemm uops [0, 1) iter 1 x 3 dst [0, 0] src [0, 1] wgt [0, 1]
  ptc.cfg adc_fs_bits = 9
  ptc.gemm uops [1, 2) iter 1 x 3 dst [0, 0] src [0, 1] wgt [0, 1]
  ptc.cfg adc_fs_bits = 7
  ptc.gemm uops [2, 3) iter 1 x 3 dst [0, 0] src [0, 1] wgt [0, 1] deps<push_next>
  ptc.store acc sram 0 dram 48 rows 3 cols 8 stride 8 pad [0, 0, 0, 0] bits 16 deps<pop_prev|push_prev>
  ptc.finish deps<pop_next>
}
