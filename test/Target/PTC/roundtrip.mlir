// Every instruction, micro-ops and data tensors of every packing survive
// mlir -> binary -> mlir, and re-encoding gives the same bytes.
// RUN: mlg-translate --ptc-to-binary %s -o %t.bin
// RUN: mlg-translate --binary-to-ptc %t.bin -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: mlg-translate --ptc-to-binary %t.mlir -o %t.2.bin
// RUN: cmp %t.bin %t.2.bin
// The disassembly is also what mlg-opt prints for the source.
// RUN: mlg-opt %s > %t.src.mlir
// RUN: mlg-opt %t.mlir > %t.dis.mlir
// RUN: diff %t.src.mlir %t.dis.mlir
// The flags here are arbitrary, so the listing reports where modules block.
// RUN: mlg-translate --ptc-to-asm %s | FileCheck %s --check-prefix=TOKENS
// TOKENS: ; tokens: DEADLOCK: load blocked at #12 compute blocked at #15 store blocked at #37; left in queues l2c=0 c2l=0 c2s=0 s2c=0

// CHECK:      module {
// CHECK-NEXT:   ptc.program {
// CHECK-NEXT:     ptc.data @basis offset 0 = dense<{{\[\[}}1, -2, 3], [-4, 0, 2]]> : tensor<2x3xi3>
// CHECK-NEXT:     ptc.data @coeff_u offset 16 = dense<{{\[\[}}[-32, 31], [0, -1]]]> : tensor<1x2x2xi6>
// CHECK-NEXT:     ptc.data @coeff_v offset 32 = dense<[0, 5, 7, 1]> : tensor<4xui3>
// CHECK-NEXT:     ptc.data @planes offset 48 = dense<[true, false, true]> : tensor<3xi1>
// CHECK-NEXT:     ptc.data @wide offset 64 = dense<[-32768, 32767, 65]> : tensor<3xi16>
// CHECK-NEXT:     ptc.data @scales offset 80 = dense<65535> : tensor<1x1x1x1xui16>
// CHECK-NEXT:     ptc.data @scalar offset 96 = dense<-3> : tensor<i5>
// CHECK-NEXT:     ptc.uop dst 0 src 0 wgt 0
// CHECK-NEXT:     ptc.uop dst 1 src 2 wgt 3
// CHECK-NEXT:     ptc.uop dst 2047 src 2047 wgt 1023
// CHECK-NEXT:     ptc.cfg in_bits = 4
// CHECK-NEXT:     ptc.cfg w_bits = 8
// CHECK-NEXT:     ptc.cfg adc_bits = 8
// CHECK-NEXT:     ptc.cfg t_acc = 3
// CHECK-NEXT:     ptc.cfg sign_mode = 1
// CHECK-NEXT:     ptc.cfg wsrc = 0
// CHECK-NEXT:     ptc.cfg req_scale = -2147483648
// CHECK-NEXT:     ptc.cfg req_shift = 63
// CHECK-NEXT:     ptc.cfg req_zp = 2147483647
// CHECK-NEXT:     ptc.cfg dataflow = 1
// CHECK-NEXT:     ptc.cfg noise_seed = -9223372036854775808
// CHECK-NEXT:     ptc.load uop sram 0 dram 0 rows 1 cols 3 stride 3 pad [0, 0, 0, 0]{{$}}
// CHECK-NEXT:     ptc.load basis sram 0 dram 0 rows 2 cols 3 stride 3 pad [1, 2, 3, 4] bits 3 deps<pop_next|push_next>
// CHECK-NEXT:     ptc.load coeff_u sram 65535 dram 16 rows 65535 cols 65535 stride 65535 pad [15, 15, 15, 15] bits 6
// CHECK-NEXT:     ptc.load coeff_v sram 0 dram 4294967295 rows 1 cols 4 stride 0 pad [0, 0, 0, 0] bits 3
// CHECK-NEXT:     ptc.load scale sram 7 dram 80 rows 1 cols 1 stride 1 pad [0, 0, 0, 0] bits 16 deps<pop_prev|pop_next|push_prev|push_next>
// CHECK-NEXT:     ptc.load wgt sram 1 dram 2 rows 3 cols 4 stride 5 pad [0, 0, 0, 0] bits 1
// CHECK-NEXT:     ptc.load inp sram 1 dram 2 rows 3 cols 4 stride 5 pad [0, 0, 0, 0] bits 8
// CHECK-NEXT:     ptc.load acc sram 1 dram 2 rows 3 cols 4 stride 5 pad [0, 0, 0, 0] bits 16
// CHECK-NEXT:     ptc.load out sram 1 dram 2 rows 3 cols 4 stride 5 pad [0, 0, 0, 0] bits 8
// CHECK-NEXT:     ptc.gen level 1 uops [0, 2) iter 2 x 1 dst [2, 0] a [1, 0] b [0, 0] deps<pop_prev>
// CHECK-NEXT:     ptc.gen level 2 requant uops [8191, 16383) iter 8191 x 8191 dst [2047, 2047] a [2047, 2047] b [1023, 1023]
// CHECK-NEXT:     ptc.recomp wgt dst 64 src 0 len 32 slices 2 slice_bits 3 stride 32 out_bits 8 signed_msb{{$}}
// CHECK-NEXT:     ptc.recomp acc dst 65535 src 65535 len 65535 slices 8 slice_bits 16 stride 65535 out_bits 16 signed_msb round rshift 63
// CHECK-NEXT:     ptc.shadd wgt 0 code 0 basis 0 len 1 start 0 rank 1 cols 1{{$}}
// CHECK-NEXT:     ptc.shadd wgt 1048575 code 262143 basis 65535 len 1023 start 255 rank 8 cols 16 round rshift 63 repeat 64 strides [1023, 255, 1023]
// CHECK-NEXT:     ptc.shadd wgt 0 code 0 basis 0 len 1 start 0 rank 1 cols 1 repeat 1 strides [0, 0, 1]
// CHECK-NEXT:     ptc.gemm reset uops [0, 2) iter 2 x 3 dst [12, 1] src [9, 3] wgt [0, 1]
// CHECK-NEXT:     ptc.gemm uops [8191, 16383) iter 16383 x 16383 dst [2047, 2047] src [2047, 2047] wgt [1023, 1023] deps<pop_prev|push_prev>
// CHECK-NEXT:     ptc.alu min uops [0, 1) iter 1 x 1 dst [0, 0] src [1, 1]{{$}}
// CHECK-NEXT:     ptc.alu max uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 0
// CHECK-NEXT:     ptc.alu add uops [0, 1) iter 1 x 1 dst [0, 0] src [1, 1]
// CHECK-NEXT:     ptc.alu shr uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 8
// CHECK-NEXT:     ptc.alu mul uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 32767
// CHECK-NEXT:     ptc.alu shl uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 2
// CHECK-NEXT:     ptc.alu shladd reset uops [0, 1) iter 1 x 1 dst [0, 0] src [4, 4] imm 3
// CHECK-NEXT:     ptc.alu clip uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm -32768 deps<push_next>
// CHECK-NEXT:     ptc.store out sram 0 dram 4096 rows 4 cols 12 stride 12 pad [0, 0, 0, 0] bits 8 deps<pop_prev>
// CHECK-NEXT:     ptc.store acc sram 65535 dram 4294967295 rows 65535 cols 65535 stride 65535 pad [0, 0, 0, 0] bits 16 deps<pop_prev|push_prev>
// CHECK-NEXT:     ptc.prog wgt 65535 cores 255
// CHECK-NEXT:     ptc.fence queues 15
// CHECK-NEXT:     ptc.fence queues 1
// CHECK-NEXT:     ptc.finish deps<pop_prev|pop_next>
// CHECK-NEXT:     ptc.finish{{$}}
// CHECK-NEXT:   }
// CHECK-NEXT: }

ptc.program {
  ptc.data @basis offset 0 = dense<[[1, -2, 3], [-4, 0, 2]]> : tensor<2x3xi3>
  ptc.data @coeff_u offset 16 = dense<[[[-32, 31], [0, -1]]]> : tensor<1x2x2xi6>
  ptc.data @coeff_v offset 32 = dense<[0, 5, 7, 1]> : tensor<4xui3>
  ptc.data @planes offset 48 = dense<[true, false, true]> : tensor<3xi1>
  ptc.data @wide offset 64 = dense<[-32768, 32767, 65]> : tensor<3xi16>
  ptc.data @scales offset 80 = dense<65535> : tensor<1x1x1x1xui16>
  ptc.data @scalar offset 96 = dense<-3> : tensor<i5>
  ptc.uop dst 0 src 0 wgt 0
  ptc.uop dst 1 src 2 wgt 3
  ptc.uop dst 2047 src 2047 wgt 1023
  ptc.cfg in_bits = 4
  ptc.cfg w_bits = 8
  ptc.cfg adc_bits = 8
  ptc.cfg t_acc = 3
  ptc.cfg sign_mode = 1
  ptc.cfg wsrc = 0
  ptc.cfg req_scale = -2147483648
  ptc.cfg req_shift = 63
  ptc.cfg req_zp = 2147483647
  ptc.cfg dataflow = 1
  ptc.cfg noise_seed = -9223372036854775808
  ptc.load uop sram 0 dram 0 rows 1 cols 3 stride 3 pad [0, 0, 0, 0]
  ptc.load basis sram 0 dram 0 rows 2 cols 3 stride 3 pad [1, 2, 3, 4] bits 3 deps<pop_next|push_next>
  ptc.load coeff_u sram 65535 dram 16 rows 65535 cols 65535 stride 65535 pad [15, 15, 15, 15] bits 6
  ptc.load coeff_v sram 0 dram 4294967295 rows 1 cols 4 stride 0 pad [0, 0, 0, 0] bits 3
  ptc.load scale sram 7 dram 80 rows 1 cols 1 stride 1 pad [0, 0, 0, 0] bits 16 deps<pop_prev|pop_next|push_prev|push_next>
  ptc.load wgt sram 1 dram 2 rows 3 cols 4 stride 5 pad [0, 0, 0, 0] bits 1
  ptc.load inp sram 1 dram 2 rows 3 cols 4 stride 5 pad [0, 0, 0, 0] bits 8
  ptc.load acc sram 1 dram 2 rows 3 cols 4 stride 5 pad [0, 0, 0, 0] bits 16
  ptc.load out sram 1 dram 2 rows 3 cols 4 stride 5 pad [0, 0, 0, 0] bits 8
  ptc.gen level 1 uops [0, 2) iter 2 x 1 dst [2, 0] a [1, 0] b [0, 0] deps<pop_prev>
  ptc.gen level 2 requant uops [8191, 16383) iter 8191 x 8191 dst [2047, 2047] a [2047, 2047] b [1023, 1023]
  ptc.recomp wgt dst 64 src 0 len 32 slices 2 slice_bits 3 stride 32 out_bits 8 signed_msb
  ptc.recomp acc dst 65535 src 65535 len 65535 slices 8 slice_bits 16 stride 65535 out_bits 16 signed_msb round rshift 63
  ptc.shadd wgt 0 code 0 basis 0 len 1 start 0 rank 1 cols 1
  ptc.shadd wgt 1048575 code 262143 basis 65535 len 1023 start 255 rank 8 cols 16 round rshift 63 repeat 64 strides [1023, 255, 1023]
  ptc.shadd wgt 0 code 0 basis 0 len 1 start 0 rank 1 cols 1 repeat 1 strides [0, 0, 1]
  ptc.gemm reset uops [0, 2) iter 2 x 3 dst [12, 1] src [9, 3] wgt [0, 1]
  ptc.gemm uops [8191, 16383) iter 16383 x 16383 dst [2047, 2047] src [2047, 2047] wgt [1023, 1023] deps<pop_prev|push_prev>
  ptc.alu min uops [0, 1) iter 1 x 1 dst [0, 0] src [1, 1]
  ptc.alu max uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 0
  ptc.alu add uops [0, 1) iter 1 x 1 dst [0, 0] src [1, 1]
  ptc.alu shr uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 8
  ptc.alu mul uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 32767
  ptc.alu shl uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 2
  ptc.alu shladd reset uops [0, 1) iter 1 x 1 dst [0, 0] src [4, 4] imm 3
  ptc.alu clip uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm -32768 deps<push_next>
  ptc.store out sram 0 dram 4096 rows 4 cols 12 stride 12 pad [0, 0, 0, 0] bits 8 deps<pop_prev>
  ptc.store acc sram 65535 dram 4294967295 rows 65535 cols 65535 stride 65535 pad [0, 0, 0, 0] bits 16 deps<pop_prev|push_prev>
  ptc.prog wgt 65535 cores 255
  ptc.fence queues 15
  ptc.fence queues 1
  ptc.finish deps<pop_prev|pop_next>
  ptc.finish
}
