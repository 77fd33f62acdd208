// RECOMP of two 3-bit slices (signed top slice) into 6 bits exactly, into
// 4 bits with rounding, and with an extra right shift (rshift: alone with
// rounding, and on top of the excess, truncated), against numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/ptc_reference.py gen recomp %t
// RUN: mlg-translate --ptc-to-binary %s -o %t/prog.bin
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input slices=%t/slices.npy --output %t/out.npy
// RUN: %python %S/Inputs/ptc_reference.py check recomp %t | FileCheck %s

// CHECK: recomp: 32 values match

ptc.program {
  ptc.data @slices offset 0 = dense<0> : tensor<2x2x4xi4> {role = "input"}
  ptc.data @out offset 16 = dense<0> : tensor<4x2x4xi8> {role = "output"}
  ptc.load acc sram 0 dram 0 rows 2 cols 8 stride 8 pad [0, 0, 0, 0] bits 4
  ptc.recomp acc dst 2 src 0 len 1 slices 2 slice_bits 3 stride 1 out_bits 6 signed_msb
  ptc.recomp acc dst 3 src 0 len 1 slices 2 slice_bits 3 stride 1 out_bits 4 signed_msb round
  ptc.recomp acc dst 4 src 0 len 1 slices 2 slice_bits 3 stride 1 out_bits 6 signed_msb round rshift 2
  ptc.recomp acc dst 5 src 0 len 1 slices 2 slice_bits 3 stride 1 out_bits 4 signed_msb rshift 1 deps<push_next>
  ptc.store acc sram 2 dram 16 rows 4 cols 8 stride 8 pad [0, 0, 0, 0] bits 8 deps<pop_prev|push_prev>
  ptc.finish deps<pop_next>
}
