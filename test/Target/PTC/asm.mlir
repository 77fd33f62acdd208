// Golden --ptc-to-asm listing: section offsets, one line per data symbol,
// micro-op and instruction, each with its byte offset in the binary and its
// raw encoding (instruction words printed most significant byte first),
// and whether the dependency tokens let every module finish.
// The LOAD, GEN, RECOMP, GEMM and CFG words were checked by hand against
// the bit positions of docs/isa.md.
// RUN: mlg-translate --ptc-to-asm %s | FileCheck %s --match-full-lines
// The listing of the disassembled binary is the same.
// RUN: mlg-translate --ptc-to-binary %s -o %t.bin
// RUN: mlg-translate --binary-to-ptc %t.bin | mlg-translate --ptc-to-asm | FileCheck %s --match-full-lines

// CHECK:      ; MLG PTC program, format version 1, 418 bytes
// CHECK-NEXT: ; code    @0x000040  14 instructions
// CHECK-NEXT: ; uops    @0x000120  2 micro-ops
// CHECK-NEXT: ; data    @0x000130  18 bytes
// CHECK-NEXT: ; symbols @0x000144  2 entries
// CHECK-EMPTY:
// CHECK-NEXT: .data
// CHECK-NEXT:   0x000130  dram 0x00000000  @basis  i3[2x3]  3 bytes
// CHECK-NEXT:   0x000140  dram 0x00000010  @coeff_v  u3[4]  2 bytes
// CHECK-EMPTY:
// CHECK-NEXT: .uops
// CHECK-NEXT:   0x000120  #0     00000000  dst=0 src=0 wgt=0
// CHECK-NEXT:   0x000124  #1     00c01001  dst=1 src=2 wgt=3
// CHECK-EMPTY:
// CHECK-NEXT: .code
// CHECK-NEXT:   0x000040  #0     00000000000000000000000000040007  cfg reg=in_bits value=4
// CHECK-NEXT:   0x000050  #1     000000000000ffffffffffffffff0a07  cfg reg=noise_seed value=-1
// CHECK-NEXT:   0x000060  #2     00000000200020001000000000000000  load mem_id=uop sram_base=0 dram_base=0 y_size=1 x_size=2 x_stride=2 y_pad0=0 y_pad1=0 x_pad0=0 x_pad1=0 elem_bits=0
// CHECK-NEXT:   0x000070  #3     21100000300030002000000000000580  load mem_id=basis sram_base=0 dram_base=0 y_size=2 x_size=3 x_stride=3 y_pad0=0 y_pad1=0 x_pad0=1 x_pad1=1 elem_bits=3 push_next
// CHECK-NEXT:   0x000080  #4     00000000002000010004004001000115  gen level=1 uop_bgn=0 uop_end=2 iter_out=2 iter_in=1 dst_out=2 dst_in=0 a_out=1 a_in=0 b_out=0 b_in=0 requant=0 pop_prev
// CHECK-NEXT:   0x000090  #5     80000000002000010004008000800205  gen level=2 uop_bgn=0 uop_end=1 iter_out=4 iter_in=1 dst_out=2 dst_in=0 a_out=1 a_in=0 b_out=0 b_in=0 requant=1
// CHECK-NEXT:   0x0000a0  #6     00000000029c00820040440000010106  recomp mem=wgt dst=64 src=0 n_slices=2 slice_bits=3 slice_stride=32 signed_msb=1 len=32 out_bits=8 round=0 rshift=5
// CHECK-NEXT:   0x0000b0  #7     004000060240080c000c002000800102  gemm reset=1 uop_bgn=0 uop_end=2 iter_out=2 iter_in=3 dst_out=12 dst_in=1 src_out=9 src_in=3 wgt_out=0 wgt_in=1
// CHECK-NEXT:   0x0000c0  #8     0008b002000008000040001000400004  alu reset=0 uop_bgn=0 uop_end=1 iter_out=1 iter_in=16 dst_out=0 dst_in=1 src_out=0 src_in=1 alu_op=shr use_imm=1 imm=8
// CHECK-NEXT:   0x0000d0  #9     fffb9002000008000040001000400084  alu reset=0 uop_bgn=0 uop_end=1 iter_out=1 iter_in=16 dst_out=0 dst_in=1 src_out=0 src_in=1 alu_op=max use_imm=1 imm=-5 push_next
// CHECK-NEXT:   0x0000e0  #10    70000000c000c0004000010000000411  store mem_id=out sram_base=0 dram_base=4096 y_size=4 x_size=12 x_stride=12 y_pad0=0 y_pad1=0 x_pad0=0 x_pad1=0 elem_bits=8 pop_prev
// CHECK-NEXT:   0x0000f0  #11    000000000000000000000000ff000308  prog wgt_idx=3 core_mask=255
// CHECK-NEXT:   0x000100  #12    00000000000000000000000000000f09  fence queue_mask=15
// CHECK-NEXT:   0x000110  #13    00000000000000000000000000000003  finish
// CHECK-EMPTY:
// CHECK-NEXT: ; tokens: every module runs to the end; left in queues l2c=0 c2l=0 c2s=0 s2c=0

ptc.program {
  ptc.data @basis offset 0 = dense<[[1, -2, 3], [-4, 0, 2]]> : tensor<2x3xi3>
  ptc.data @coeff_v offset 16 = dense<[0, 5, 7, 1]> : tensor<4xui3>
  ptc.uop dst 0 src 0 wgt 0
  ptc.uop dst 1 src 2 wgt 3
  ptc.cfg in_bits = 4
  ptc.cfg noise_seed = -1
  ptc.load uop sram 0 dram 0 rows 1 cols 2 stride 2 pad [0, 0, 0, 0]
  ptc.load basis sram 0 dram 0 rows 2 cols 3 stride 3 pad [0, 0, 1, 1] bits 3 deps<push_next>
  ptc.gen level 1 uops [0, 2) iter 2 x 1 dst [2, 0] a [1, 0] b [0, 0] deps<pop_prev>
  ptc.gen level 2 requant uops [0, 1) iter 4 x 1 dst [2, 0] a [1, 0] b [0, 0]
  ptc.recomp wgt dst 64 src 0 len 32 slices 2 slice_bits 3 stride 32 out_bits 8 signed_msb rshift 5
  ptc.gemm reset uops [0, 2) iter 2 x 3 dst [12, 1] src [9, 3] wgt [0, 1]
  ptc.alu shr uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 8
  ptc.alu max uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm -5 deps<push_next>
  ptc.store out sram 0 dram 4096 rows 4 cols 12 stride 12 pad [0, 0, 0, 0] bits 8 deps<pop_prev>
  ptc.prog wgt 3 cores 255
  ptc.fence queues 15
  ptc.finish
}
