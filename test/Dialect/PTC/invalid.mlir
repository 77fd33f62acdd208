// Every verifier message names the ISA field, its legal range, width and bit
// position (from include/mlg/Target/PTC/ISA.h), or the rule that failed.
// RUN: mlg-opt %s -split-input-file -verify-diagnostics

ptc.program {
  // expected-error @+1 {{load: field 'sram_base' = 65536 is out of range [0, 65535] (16-bit field, bits [27:12])}}
  ptc.load inp sram 65536 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0] bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{field 'dram_base' = 4294967296 is out of range [0, 4294967295] (32-bit field, bits [59:28])}}
  ptc.load inp sram 0 dram 4294967296 rows 1 cols 1 stride 1 pad [0, 0, 0, 0] bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{field 'sram_base' = -1 is out of range [0, 65535]}}
  ptc.load inp sram -1 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0] bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{field 'y_size' = 0 is out of range [1, 65535] (16-bit field, bits [75:60])}}
  ptc.load inp sram 0 dram 0 rows 0 cols 1 stride 1 pad [0, 0, 0, 0] bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{field 'x_size' = 65536 is out of range [1, 65535] (16-bit field, bits [91:76])}}
  ptc.load inp sram 0 dram 0 rows 1 cols 65536 stride 1 pad [0, 0, 0, 0] bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{field 'x_stride' = 65536 is out of range [0, 65535] (16-bit field, bits [107:92])}}
  ptc.load inp sram 0 dram 0 rows 1 cols 1 stride 65536 pad [0, 0, 0, 0] bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{field 'x_pad1' = 16 is out of range [0, 15] (4-bit field, bits [123:120])}}
  ptc.load inp sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 16] bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{field 'elem_bits' = 17 is out of range [1, 16] (4-bit field, bits [127:124])}}
  ptc.load inp sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0] bits 17
}
// -----

ptc.program {
  // expected-error @+1 {{field 'elem_bits' = 0 is out of range [1, 16]}}
  ptc.load inp sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0] bits 0
}
// -----

ptc.program {
  // expected-error @+1 {{needs the packed DRAM element width ('bits', field 'elem_bits', 1 to 16)}}
  ptc.load wgt sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{moves whole 32-bit micro-ops and takes no 'bits'}}
  ptc.load uop sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0] bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{a uop load copies one unpadded row: y_size must be 1 and every pad 0}}
  ptc.load uop sram 0 dram 0 rows 2 cols 1 stride 1 pad [0, 0, 0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{runs in the load module, which has no previous module: pop_prev and push_prev must be 0}}
  ptc.load inp sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0] bits 8 deps<push_prev>
}
// -----

ptc.program {
  // expected-error @+1 {{field 'mem_id' = basis cannot be stored (expected out or acc)}}
  ptc.store basis sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0] bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{stores are unpadded: every pad must be 0}}
  ptc.store out sram 0 dram 0 rows 1 cols 1 stride 1 pad [1, 0, 0, 0] bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{runs in the store module, which has no next module: pop_next and push_next must be 0}}
  ptc.store acc sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0] bits 8 deps<pop_next>
}
// -----

ptc.program {
  // expected-error @+1 {{gemm: field 'uop_bgn' = 4 must be below 'uop_end' = 4}}
  ptc.gemm uops [4, 4) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{field 'uop_bgn' = 8192 is out of range [0, 8191] (13-bit field, bits [21:9])}}
  ptc.gemm uops [8192, 8193) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{field 'uop_end' = 16384 is out of range [1, 16383] (14-bit field, bits [35:22])}}
  ptc.gemm uops [0, 16384) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{field 'iter_out' = 0 is out of range [1, 16383] (14-bit field, bits [49:36])}}
  ptc.gemm uops [0, 1) iter 0 x 1 dst [0, 0] src [0, 0] wgt [0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{field 'iter_in' = 16384 is out of range [1, 16383] (14-bit field, bits [63:50])}}
  ptc.gemm uops [0, 1) iter 1 x 16384 dst [0, 0] src [0, 0] wgt [0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{field 'dst_out' = 2048 is out of range [0, 2047] (11-bit field, bits [74:64])}}
  ptc.gemm uops [0, 1) iter 1 x 1 dst [2048, 0] src [0, 0] wgt [0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{field 'src_in' = 2048 is out of range [0, 2047] (11-bit field, bits [107:97])}}
  ptc.gemm uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 2048] wgt [0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{field 'wgt_in' = 1024 is out of range [0, 1023] (10-bit field, bits [127:118])}}
  ptc.gemm uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 1024]
}
// -----

ptc.program {
  // expected-error @+1 {{alu: field 'imm' = 32768 is out of range [-32768, 32767] (16-bit field, bits [127:112])}}
  ptc.alu add uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 32768
}
// -----

ptc.program {
  // expected-error @+1 {{alu: field 'dst_in' = 2048 is out of range [0, 2047] (11-bit field, bits [85:75])}}
  ptc.alu mul uops [0, 1) iter 1 x 1 dst [0, 2048] src [0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{gen: field 'level' = 3 is out of range [1, 2] (2-bit field, bits [9:8])}}
  ptc.gen level 3 uops [0, 1) iter 1 x 1 dst [0, 0] a [0, 0] b [0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{gen: field 'level' = 0 is out of range [1, 2]}}
  ptc.gen level 0 uops [0, 1) iter 1 x 1 dst [0, 0] a [0, 0] b [0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{gen: field 'iter_out' = 8192 is out of range [1, 8191] (13-bit field, bits [49:37])}}
  ptc.gen level 1 uops [0, 1) iter 8192 x 1 dst [0, 0] a [0, 0] b [0, 0]
}
// -----

ptc.program {
  // expected-error @+1 {{gen: field 'b_in' = 1024 is out of range [0, 1023] (10-bit field, bits [126:117])}}
  ptc.gen level 1 uops [0, 1) iter 1 x 1 dst [0, 0] a [0, 0] b [0, 1024]
}
// -----

ptc.program {
  // expected-error @+1 {{recomp: field 'n_slices' = 9 is out of range [1, 8] (3-bit field, bits [44:42])}}
  ptc.recomp wgt dst 0 src 0 len 1 slices 9 slice_bits 3 stride 1 out_bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{recomp: field 'slice_bits' = 0 is out of range [1, 16] (4-bit field, bits [48:45])}}
  ptc.recomp wgt dst 0 src 0 len 1 slices 2 slice_bits 0 stride 1 out_bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{recomp: field 'len' = 0 is out of range [1, 65535] (16-bit field, bits [81:66])}}
  ptc.recomp acc dst 0 src 0 len 0 slices 2 slice_bits 3 stride 1 out_bits 8
}
// -----

ptc.program {
  // expected-error @+1 {{recomp: field 'out_bits' = 17 is out of range [1, 16] (4-bit field, bits [85:82])}}
  ptc.recomp acc dst 0 src 0 len 1 slices 2 slice_bits 3 stride 1 out_bits 17
}
// -----

ptc.program {
  // expected-error @+1 {{recomp: field 'rshift' = 64 is out of range [0, 63] (6-bit field, bits [92:87])}}
  ptc.recomp acc dst 0 src 0 len 1 slices 2 slice_bits 3 stride 1 out_bits 4 rshift 64
}
// -----

ptc.program {
  // expected-error @+1 {{cfg: field 'value' = 17 is out of range [1, 16] for register in_bits}}
  ptc.cfg in_bits = 17
}
// -----

ptc.program {
  // expected-error @+1 {{cfg: field 'value' = 0 is out of range [1, 255] for register t_acc}}
  ptc.cfg t_acc = 0
}
// -----

ptc.program {
  // expected-error @+1 {{cfg: field 'value' = 64 is out of range [0, 63] for register req_shift}}
  ptc.cfg req_shift = 64
}
// -----

ptc.program {
  // expected-error @+1 {{cfg: field 'value' = 2 is out of range [0, 1] for register wsrc}}
  ptc.cfg wsrc = 2
}
// -----

ptc.program {
  // expected-error @+1 {{cfg: field 'value' = 49 is out of range [0, 48] for register adc_fs_bits}}
  ptc.cfg adc_fs_bits = 49
}
// -----

ptc.program {
  // expected-error @+1 {{prog: field 'core_mask' = 0 is out of range [1, 255] (8-bit field, bits [31:24])}}
  ptc.prog wgt 0 cores 0
}
// -----

ptc.program {
  // expected-error @+1 {{prog: field 'wgt_idx' = 65536 is out of range [0, 65535] (16-bit field, bits [23:8])}}
  ptc.prog wgt 65536 cores 1
}
// -----

ptc.program {
  // expected-error @+1 {{fence: field 'queue_mask' = 16 is out of range [1, 15] (4-bit field, bits [11:8])}}
  ptc.fence queues 16
}
// -----

ptc.program {
  // expected-error @+1 {{fence: field 'queue_mask' = 0 is out of range [1, 15]}}
  ptc.fence queues 0
}
// -----

ptc.program {
  // expected-error @+1 {{uop: field 'dst' = 2048 is out of range [0, 2047] (11-bit field, bits [10:0])}}
  ptc.uop dst 2048 src 0 wgt 0
}
// -----

ptc.program {
  // expected-error @+1 {{uop: field 'wgt' = 1024 is out of range [0, 1023] (10-bit field, bits [31:22])}}
  ptc.uop dst 0 src 0 wgt 1024
}
// -----

ptc.program {
  // expected-error @+1 {{element type must be iN (signed codes) or uiN (unsigned codes) with N in [1, 16], got 'i17'}}
  ptc.data @d offset 0 = dense<[1, 2]> : tensor<2xi17>
}
// -----

ptc.program {
  // expected-error @+1 {{element type must be iN (signed codes) or uiN (unsigned codes) with N in [1, 16], got 'si4'}}
  ptc.data @d offset 0 = dense<[1, 2]> : tensor<2xsi4>
}
// -----

ptc.program {
  // expected-error @+1 {{'offset' = 8 must be a non-negative multiple of 16}}
  ptc.data @d offset 8 = dense<[1, 2]> : tensor<2xi4>
}
// -----

ptc.program {
  // expected-error @+1 {{rank 5 exceeds the maximum of 4}}
  ptc.data @d offset 0 = dense<1> : tensor<1x1x1x1x1xi4>
}

// -----

ptc.program {
  ptc.data @a offset 0 = dense<[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]> : tensor<17xi8>
  // expected-error @+1 {{overlaps @a, which occupies bytes [0, 17)}}
  ptc.data @b offset 16 = dense<[1]> : tensor<1xi8>
}

// -----

ptc.program {
  // expected-note @+1 {{see existing symbol definition here}}
  ptc.data @a offset 0 = dense<[1]> : tensor<1xi8>
  // expected-error @+1 {{redefinition of symbol named 'a'}}
  ptc.data @a offset 16 = dense<[1]> : tensor<1xi8>
}

// -----

ptc.program {
  ptc.uop dst 0 src 0 wgt 0
  // expected-error @+1 {{reads micro-ops [0, 2) but the program's table has 1}}
  ptc.load uop sram 0 dram 0 rows 1 cols 2 stride 2 pad [0, 0, 0, 0]
}

// -----

ptc.program {
  // expected-error @+1 {{cannot appear in a ptc.program (expected ptc.data, ptc.uop or an instruction)}}
  %zero = arith.constant 0 : i32
}

// -----

func.func @outside() {
  // expected-error @+1 {{expects parent op 'ptc.program'}}
  ptc.finish
  return
}

// -----

ptc.program {
  // expected-error @+1 {{expected 'x'}}
  ptc.gemm uops [0, 1) iter 1 1 dst [0, 0] src [0, 0] wgt [0, 0]
}

// -----

ptc.program {
  // expected-error @+1 {{has more elements than the 4 GiB DRAM address space can hold}}
  ptc.data @huge offset 0 = dense<1> : tensor<65536x65536x65536xi3>
}

// -----

ptc.program {
  // expected-error @+1 {{extends past DRAM [0, 2^31) into the global SRAM window}}
  ptc.data @edge offset 2147483632 = dense<1> : tensor<32xi8>
}

// -----

ptc.program {
  // expected-error @+1 {{extends past the 2 GiB global SRAM window}}
  ptc.data @edge offset 2147483632 = dense<0> : tensor<32xi8> {space = "global_sram"}
}

// -----

ptc.program {
  // expected-error @+1 {{'space' must be "global_sram", got "dram"}}
  ptc.data @a offset 0 = dense<0> : tensor<32xi8> {space = "dram"}
}

// -----

ptc.program {
  // expected-error @+1 {{in the global SRAM must be zero-initialised (dense<0>)}}
  ptc.data @a offset 0 = dense<1> : tensor<32xi8> {space = "global_sram"}
}

// -----

// Global SRAM tensors may share bytes (a compiler reuses dead tensors'
// space); a DRAM tensor at the same offset does not overlap them.
ptc.program {
  ptc.data @a offset 0 = dense<0> : tensor<32xi8> {space = "global_sram"}
  ptc.data @b offset 16 = dense<0> : tensor<32xi8> {space = "global_sram"}
  ptc.data @c offset 0 = dense<0> : tensor<32xi8>
  ptc.data @d offset 16 = dense<0> : tensor<32xi8>
  // expected-error @-1 {{overlaps @c, which occupies bytes [0, 32)}}
}

// -----

ptc.program {
  // expected-error @+1 {{shadd: field 'rank' = 9 is out of range [1, 8] (3-bit field, bits [82:80])}}
  ptc.shadd wgt 0 code 0 basis 0 len 3 start 0 rank 9 cols 3
}
// -----

ptc.program {
  // expected-error @+1 {{shadd: field 'dst' = 1048576 is out of range [0, 1048575] (20-bit field, bits [27:8])}}
  ptc.shadd wgt 1048576 code 0 basis 0 len 3 start 0 rank 3 cols 3
}
// -----

ptc.program {
  // expected-error @+1 {{shadd: field 'n_cols' = 17 is out of range [1, 16] (4-bit field, bits [86:83])}}
  ptc.shadd wgt 0 code 0 basis 0 len 3 start 0 rank 3 cols 17 round rshift 2
}
// -----

ptc.program {
  // expected-error @+1 {{shadd: field 'n_rep' = 65 is out of range [1, 64] (6-bit field, bits [99:94])}}
  ptc.shadd wgt 0 code 0 basis 0 len 24 start 0 rank 3 cols 1 repeat 65 strides [24, 72, 27]
}
// -----

ptc.program {
  // expected-error @+1 {{needs 'n_rep', 'dst_stride', 'code_stride' and 'basis_stride' together or none of them}}
  "ptc.shadd"() {dst = 0 : i64, code = 0 : i64, basis = 0 : i64, len = 3 : i64, start = 0 : i64, rank = 3 : i64, n_cols = 3 : i64, n_rep = 2 : i64} : () -> ()
}
