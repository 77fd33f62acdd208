// Every ptc op parses, prints, and re-parses to the same text, also through
// the generic form.
// RUN: mlg-opt %s | mlg-opt | FileCheck %s
// RUN: mlg-opt %s --mlir-print-op-generic | mlg-opt | FileCheck %s
// RUN: mlg-opt %s > %t.1 && mlg-opt %t.1 > %t.2 && diff %t.1 %t.2

// CHECK-LABEL: ptc.program {
ptc.program {
  // CHECK-NEXT: ptc.data @basis offset 0 = dense<{{\[\[}}1, -2, 3], [-4, 0, 2]]> : tensor<2x3xi3>
  ptc.data @basis offset 0 = dense<[[1, -2, 3], [-4, 0, 2]]> : tensor<2x3xi3>
  // CHECK-NEXT: ptc.data @coeff_v offset 16 = dense<[0, 5, 7, 1]> : tensor<4xui3>
  ptc.data @coeff_v offset 16 = dense<[0, 5, 7, 1]> : tensor<4xui3>
  // CHECK-NEXT: ptc.data @flags offset 32 = dense<[true, false]> : tensor<2xi1>
  ptc.data @flags offset 32 = dense<[true, false]> : tensor<2xi1>
  // CHECK-NEXT: ptc.uop dst 0 src 0 wgt 0
  ptc.uop dst 0 src 0 wgt 0
  // CHECK-NEXT: ptc.uop dst 2047 src 2047 wgt 1023
  ptc.uop dst 2047 src 2047 wgt 1023
  // CHECK-NEXT: ptc.cfg in_bits = 4
  ptc.cfg in_bits = 4
  // CHECK-NEXT: ptc.cfg req_scale = -2147483648
  ptc.cfg req_scale = -2147483648
  // CHECK-NEXT: ptc.cfg noise_seed = -1
  ptc.cfg noise_seed = -1
  // CHECK-NEXT: ptc.cfg adc_fs_bits = 48
  ptc.cfg adc_fs_bits = 48
  // CHECK-NEXT: ptc.load uop sram 0 dram 0 rows 1 cols 2 stride 2 pad [0, 0, 0, 0]{{$}}
  ptc.load uop sram 0 dram 0 rows 1 cols 2 stride 2 pad [0, 0, 0, 0]
  // CHECK-NEXT: ptc.load basis sram 65535 dram 4294967295 rows 65535 cols 65535 stride 65535 pad [15, 15, 15, 15] bits 16 deps<pop_next|push_next>
  ptc.load basis sram 65535 dram 4294967295 rows 65535 cols 65535 stride 65535 pad [15, 15, 15, 15] bits 16 deps<pop_next|push_next>
  // CHECK-NEXT: ptc.load acc sram 1 dram 2 rows 3 cols 4 stride 5 pad [1, 2, 3, 4] bits 1 deps<pop_prev|pop_next|push_prev|push_next>
  ptc.load acc sram 1 dram 2 rows 3 cols 4 stride 5 pad [1, 2, 3, 4] bits 1 deps<pop_prev|pop_next|push_prev|push_next>
  // CHECK-NEXT: ptc.gen level 1 uops [0, 2) iter 2 x 1 dst [2, 0] a [1, 0] b [0, 0] deps<pop_prev>
  ptc.gen level 1 uops [0, 2) iter 2 x 1 dst [2, 0] a [1, 0] b [0, 0] deps<pop_prev>
  // CHECK-NEXT: ptc.gen level 2 requant uops [8191, 16383) iter 8191 x 8191 dst [2047, 2047] a [2047, 2047] b [1023, 1023]
  ptc.gen level 2 requant uops [8191, 16383) iter 8191 x 8191 dst [2047, 2047] a [2047, 2047] b [1023, 1023]
  // CHECK-NEXT: ptc.recomp wgt dst 64 src 0 len 32 slices 2 slice_bits 3 stride 32 out_bits 8 signed_msb{{$}}
  ptc.recomp wgt dst 64 src 0 len 32 slices 2 slice_bits 3 stride 32 out_bits 8 signed_msb
  // CHECK-NEXT: ptc.recomp acc dst 0 src 1 len 1 slices 8 slice_bits 16 stride 0 out_bits 16 round
  ptc.recomp acc dst 0 src 1 len 1 slices 8 slice_bits 16 stride 0 out_bits 16 round
  // CHECK-NEXT: ptc.recomp acc dst 0 src 1 len 1 slices 2 slice_bits 3 stride 1 out_bits 4 rshift 63
  ptc.recomp acc dst 0 src 1 len 1 slices 2 slice_bits 3 stride 1 out_bits 4 rshift 63
  // CHECK-NEXT: ptc.shadd wgt 0 code 0 basis 0 len 192 start 0 rank 3 cols 3 round rshift 2
  ptc.shadd wgt 0 code 0 basis 0 len 192 start 0 rank 3 cols 3 round rshift 2
  // CHECK-NEXT: ptc.shadd wgt 0 code 0 basis 0 len 24 start 0 rank 3 cols 1 rshift 2 repeat 48 strides [24, 72, 27]
  ptc.shadd wgt 0 code 0 basis 0 len 24 start 0 rank 3 cols 1 rshift 2 repeat 48 strides [24, 72, 27]
  // CHECK-NEXT: ptc.gemm reset uops [0, 2) iter 2 x 3 dst [12, 1] src [9, 3] wgt [0, 1]
  ptc.gemm reset uops [0, 2) iter 2 x 3 dst [12, 1] src [9, 3] wgt [0, 1]
  // CHECK-NEXT: ptc.gemm uops [0, 1) iter 16383 x 16383 dst [2047, 2047] src [2047, 2047] wgt [1023, 1023] deps<pop_prev|push_prev>
  ptc.gemm uops [0, 1) iter 16383 x 16383 dst [2047, 2047] src [2047, 2047] wgt [1023, 1023] deps<pop_prev|push_prev>
  // CHECK-NEXT: ptc.alu shr uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 8
  ptc.alu shr uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 8
  // CHECK-NEXT: ptc.alu clip reset uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm -32768
  ptc.alu clip reset uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm -32768
  // CHECK-NEXT: ptc.alu shladd uops [0, 1) iter 1 x 1 dst [0, 0] src [4, 4]{{$}}
  ptc.alu shladd uops [0, 1) iter 1 x 1 dst [0, 0] src [4, 4]
  // CHECK-NEXT: ptc.store out sram 0 dram 4096 rows 4 cols 12 stride 12 pad [0, 0, 0, 0] bits 8 deps<pop_prev|push_prev>
  ptc.store out sram 0 dram 4096 rows 4 cols 12 stride 12 pad [0, 0, 0, 0] bits 8 deps<pop_prev|push_prev>
  // CHECK-NEXT: ptc.prog wgt 3 cores 255
  ptc.prog wgt 3 cores 255
  // CHECK-NEXT: ptc.fence queues 15
  ptc.fence queues 15
  // CHECK-NEXT: ptc.finish{{$}}
  ptc.finish
  // CHECK-NEXT: ptc.finish deps<pop_next>
  ptc.finish deps<pop_next>
}
