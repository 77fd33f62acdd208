//===- PTCOps.td - PTC operations --------------------------*- tablegen -*-===//
//
// One op per instruction of docs/isa.md. Attribute names are the ISA field
// names; the verifiers check them with the ISA library's own field ranges.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_PTC_IR_PTCOPS_TD
#define MLG_DIALECT_PTC_IR_PTCOPS_TD

include "mlg/Dialect/PTC/IR/PTCAttributes.td"
include "mlg/Dialect/PTC/IR/PTCDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/SymbolInterfaces.td"

//===----------------------------------------------------------------------===//
// Container, micro-ops and data
//===----------------------------------------------------------------------===//

def PTC_ProgramOp : PTC_Op<"program", [
    IsolatedFromAbove, NoTerminator, SingleBlock, SymbolTable,
    NoRegionArguments]> {
  let summary = "a PTC program: data segment, micro-op table, instructions";
  let description = [{
    Holds, in any order, the program's `ptc.data` tensors (the data
    segment), its `ptc.uop` micro-ops (the micro-op table, indexed by
    position) and its instruction ops (executed in order). The binary keeps
    the three kinds in separate sections; `--binary-to-ptc` lists data,
    then micro-ops, then instructions.

    ```mlir
    ptc.program {
      ptc.data @basis offset 0 = dense<[1, -2, 3]> : tensor<3xi3>
      ptc.uop dst 0 src 0 wgt 0
      ptc.cfg in_bits = 4
      ptc.finish
    }
    ```
  }];
  let regions = (region SizedRegion<1>:$bodyRegion);
  let assemblyFormat = "attr-dict-with-keyword $bodyRegion";
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins), [{
    $_state.addRegion()->emplaceBlock();
  }]>];
}

def PTC_DataOp : PTC_Op<"data", [Symbol, HasParent<"ProgramOp">]> {
  let summary = "a named, bit-packed tensor of the data segment";
  let description = [{
    An integer tensor stored bit-packed in the data segment at byte
    `offset`, which is also its DRAM byte address (the data segment is
    loaded at DRAM address 0), so LOAD instructions address it by number.
    The element type gives the packed width: `iN` (signless: signed
    two's-complement codes) or `uiN` (unsigned), N in [1, 16]; rank at
    most 4; `offset` a multiple of 16; tensors of a program do not overlap.

    ```mlir
    ptc.data @coeff_v offset 32 = dense<[[0, 5], [7, 1]]> : tensor<2x2xui3>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, I64Attr:$offset,
                       AnyIntElementsAttr:$value);
  let assemblyFormat = "$sym_name `offset` $offset `=` $value attr-dict";
  let hasVerifier = 1;
}

def PTC_UopOp : PTC_Op<"uop", [HasParent<"ProgramOp">]> {
  let summary = "one 32-bit micro-op of the micro-op table";
  let description = [{
    Buffer row indices for one step of a GEMM, ALU or GEN loop nest:
    `dst` (11 bits), `src` (11 bits; GEN's `a`), `wgt` (10 bits; GEN's `b`).
    The n-th `ptc.uop` of a program is entry n of the table that
    `ptc.load uop` copies on chip.
  }];
  let arguments = (ins I64Attr:$dst, I64Attr:$src, I64Attr:$wgt);
  let assemblyFormat = "`dst` $dst `src` $src `wgt` $wgt attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Instructions
//===----------------------------------------------------------------------===//

/// An op that encodes to exactly one instruction word. `fields` are the
/// word's fields after the header; the dependency flags come last.
class PTC_InstructionOp<string mnemonic, dag fields, string format>
    : PTC_Op<mnemonic, [HasParent<"ProgramOp">]> {
  let arguments = !con(fields, (ins OptionalAttr<PTC_DepFlagsAttr>:$deps));
  let assemblyFormat = !strconcat(format, " (`deps` `` $deps^)? attr-dict");
  let hasVerifier = 1;
}

defvar PTC_MemFields = (ins PTC_MemId:$mem_id, I64Attr:$sram_base,
    I64Attr:$dram_base, I64Attr:$y_size, I64Attr:$x_size, I64Attr:$x_stride,
    I64Attr:$y_pad0, I64Attr:$y_pad1, I64Attr:$x_pad0, I64Attr:$x_pad1,
    OptionalAttr<I64Attr>:$elem_bits);
defvar PTC_MemFormat = [{
  $mem_id `sram` $sram_base `dram` $dram_base `rows` $y_size `cols` $x_size
  `stride` $x_stride `pad` ` ` `[` $y_pad0 `,` $y_pad1 `,` $x_pad0 `,` $x_pad1 `]`
  (`bits` $elem_bits^)?
}];

def PTC_LoadOp : PTC_InstructionOp<"load", PTC_MemFields, PTC_MemFormat> {
  let summary = "LOAD: 2-D strided, padded DMA from DRAM into a buffer";
  let description = [{
    Reads `rows` x `cols` elements of `bits` bits each (bit-packed in DRAM,
    row `y` starting at element `y * stride` after byte address `dram`),
    sign-extends them into the buffer's lanes starting at row `sram`, and
    fills `pad = [top, bottom, left, right]` zero rows and columns around
    them. `ptc.load uop` copies `cols` micro-ops starting at table entry
    `dram` and has no `bits`.

    ```mlir
    ptc.load basis sram 0 dram 0 rows 5 cols 3 stride 3 pad [0, 0, 0, 0] bits 3 deps<push_next>
    ```
  }];
}

def PTC_StoreOp : PTC_InstructionOp<"store", PTC_MemFields, PTC_MemFormat> {
  let summary = "STORE: DMA from the OUT or ACC buffer to DRAM";
  let description = [{
    The inverse of LOAD for `out` and `acc`: packs each element to `bits`
    bits (two's complement, truncated) into DRAM. Stores are unpadded.
  }];
}

defvar PTC_LoopFormat = [{
  `uops` ` ` `[` $uop_bgn `,` $uop_end `)` `iter` $iter_out `x` $iter_in
  `dst` ` ` `[` $dst_out `,` $dst_in `]`
}];

def PTC_GemmOp : PTC_InstructionOp<"gemm",
    (ins UnitAttr:$reset, I64Attr:$uop_bgn, I64Attr:$uop_end,
         I64Attr:$iter_out, I64Attr:$iter_in, I64Attr:$dst_out,
         I64Attr:$dst_in, I64Attr:$src_out, I64Attr:$src_in,
         I64Attr:$wgt_out, I64Attr:$wgt_in),
    !strconcat("(`reset` $reset^)?", PTC_LoopFormat, [{
      `src` ` ` `[` $src_out `,` $src_in `]` `wgt` ` ` `[` $wgt_out `,` $wgt_in `]`
    }])> {
  let summary = "GEMM: photonic matrix-multiply loop over micro-ops";
  let description = [{
    For `i < iter_out`, `j < iter_in`, each micro-op `u` in
    `[uop_bgn, uop_end)`: `acc[u.dst + i*dst_out + j*dst_in] +=
    inp[u.src + i*src_out + j*src_in] * wgt[u.wgt + i*wgt_out + j*wgt_in]^T`
    on the core's intrinsic tiles; with `reset` the addressed accumulator
    tiles are set to 0 instead (as in VTA). The operand widths,
    accumulation depth and weight source come from CFG.

    ```mlir
    ptc.gemm reset uops [0, 4) iter 2 x 3 dst [12, 1] src [9, 3] wgt [0, 1]
    ```
  }];
}

def PTC_FinishOp : PTC_InstructionOp<"finish", (ins), ""> {
  let summary = "FINISH: end of program";
}

def PTC_AluOp : PTC_InstructionOp<"alu",
    (ins PTC_AluOpcode:$alu_op, UnitAttr:$reset, I64Attr:$uop_bgn,
         I64Attr:$uop_end, I64Attr:$iter_out, I64Attr:$iter_in,
         I64Attr:$dst_out, I64Attr:$dst_in, I64Attr:$src_out,
         I64Attr:$src_in, OptionalAttr<I64Attr>:$imm),
    !strconcat("$alu_op (`reset` $reset^)?", PTC_LoopFormat, [{
      `src` ` ` `[` $src_out `,` $src_in `]` (`imm` $imm^)?
    }])> {
  let summary = "ALU: requantization, ReLU, clipping on the accumulator";
  let description = [{
    The GEMM loop nest with `acc[dst] = op(acc[dst], x)`, where `x` is the
    signed 16-bit `imm` when present (the ISA's `use_imm`) and
    `acc[src]` otherwise; `reset` sets `acc[dst]` to 0 instead.
    `min`/`max`/`add`/`mul`: as named; `shr`: arithmetic shift right;
    `shl`: shift left; `shladd`: `acc[dst] + (acc[src] << imm)` (shift 0
    without `imm`); `clip`: clamp to `[-x - 1, x]`.

    ```mlir
    ptc.alu max uops [0, 1) iter 1 x 16 dst [0, 1] src [0, 1] imm 0
    ```
  }];
}

def PTC_GenOp : PTC_InstructionOp<"gen",
    (ins I64Attr:$level, UnitAttr:$requant, I64Attr:$uop_bgn,
         I64Attr:$uop_end, I64Attr:$iter_out, I64Attr:$iter_in,
         I64Attr:$dst_out, I64Attr:$dst_in, I64Attr:$a_out, I64Attr:$a_in,
         I64Attr:$b_out, I64Attr:$b_in),
    !strconcat("`level` $level (`requant` $requant^)?", PTC_LoopFormat, [{
      `a` ` ` `[` $a_out `,` $a_in `]` `b` ` ` `[` $b_out `,` $b_in `]`
    }])> {
  let summary = "GEN: on-core weight generation (MLG level 1 or 2)";
  let description = [{
    The GEMM loop nest run on the photonic core to generate weights into
    WGT. Level 1: `wgt[dst] = coeff_u[a] * basis[b]`; level 2:
    `wgt[dst] = coeff_v[a] * wgt[b]` (the level-1 result). Results pass the
    ADC and, with `requant`, the REQ_SCALE/REQ_SHIFT/W_BITS requantizer
    before the WGT write.

    ```mlir
    ptc.gen level 2 requant uops [0, 2) iter 4 x 1 dst [2, 0] a [1, 0] b [0, 0]
    ```
  }];
}

def PTC_RecompOp : PTC_InstructionOp<"recomp",
    (ins PTC_RecompMem:$mem, I64Attr:$dst, I64Attr:$src,
         I64Attr:$n_slices, I64Attr:$slice_bits, I64Attr:$slice_stride,
         UnitAttr:$signed_msb, I64Attr:$len, I64Attr:$out_bits,
         UnitAttr:$round, OptionalAttr<I64Attr>:$rshift),
    [{
      $mem `dst` $dst `src` $src `len` $len `slices` $n_slices
      `slice_bits` $slice_bits `stride` $slice_stride `out_bits` $out_bits
      (`signed_msb` $signed_msb^)? (`round` $round^)? (`rshift` $rshift^)?
    }]> {
  let summary = "RECOMP: shift-add recomposition of bit-sliced operands";
  let description = [{
    For `j < len`: `mem[dst + j] = sum_{s < n_slices} w_s *
    mem[src + s*stride + j]` with `w_s = 2^(s*slice_bits)`, the most
    significant slice's weight negated with `signed_msb`. The sum is shifted
    right by `max(0, n_slices * slice_bits - out_bits) + rshift` (`round`:
    to nearest, else truncated); the result saturates to `out_bits` signed
    bits. `rshift` (0 to 63; absent means 0) scales down sums of slices
    wider than `slice_bits`. Recombines GEN passes over slices of operands
    wider than the core, and bit-plane bases.

    ```mlir
    ptc.recomp wgt dst 64 src 0 len 32 slices 2 slice_bits 3 stride 32 out_bits 8 signed_msb
    ptc.recomp wgt dst 0 src 8 len 4 slices 2 slice_bits 3 stride 4 out_bits 4 round rshift 5
    ```
  }];
}

def PTC_ShaddOp : PTC_InstructionOp<"shadd",
    (ins I64Attr:$dst, I64Attr:$code, I64Attr:$basis, I64Attr:$len,
         I64Attr:$start, I64Attr:$rank, I64Attr:$n_cols,
         UnitAttr:$round, OptionalAttr<I64Attr>:$rshift,
         OptionalAttr<I64Attr>:$n_rep, OptionalAttr<I64Attr>:$dst_stride,
         OptionalAttr<I64Attr>:$code_stride,
         OptionalAttr<I64Attr>:$basis_stride),
    [{
      `wgt` $dst `code` $code `basis` $basis `len` $len `start` $start
      `rank` $rank `cols` $n_cols (`round` $round^)? (`rshift` $rshift^)?
      (`repeat` $n_rep^ `strides` ` ` `[` $dst_stride `,` $code_stride `,`
       $basis_stride `]`)?
    }]> {
  let summary = "SHADD: SmartDeal shift-add weight generation";
  let description = [{
    Generates `len` weight codes into WGT from power-of-two codes in
    `coeff_u` and integer basis codes in `basis`, digitally (no multiplier,
    DAC or ADC). Operands are flat element indices. For `e < len`, with
    `p = start + e`, `r = p / n_cols`, `col = p % n_cols`:
    `wgt[dst + e] = sat_{w_bits}(shr(sum_{j < rank}
    pow2(coeff_u[code + r*rank + j]) * basis[basis + j*n_cols + col],
    rshift))`, where `pow2(c) * b` is 0 for `c = 0` and
    `sign(c) * (b << (|c| - 1))` otherwise (the code of `mlg.decode_pow2`
    with its `min_exponent` folded into the layer's scale). `round` rounds
    the right shift to nearest; `rshift` (0 to 63) is absent for 0.
    `repeat n strides [d, c, b]` runs it `n` times, repeat `i` from
    `dst + i*d`, `code + i*c`, `basis + i*b` (absent: once); a SmartDeal
    weight tile is one SHADD with a repeat per output channel.

    ```mlir
    ptc.shadd wgt 0 code 0 basis 0 len 192 start 0 rank 3 cols 3 round rshift 2
    ptc.shadd wgt 0 code 0 basis 0 len 24 start 0 rank 3 cols 3 round rshift 2 repeat 48 strides [24, 24, 9]
    ```
  }];
}

def PTC_CfgOp : PTC_InstructionOp<"cfg", (ins PTC_CfgReg:$reg,
                                              I64Attr:$value),
                                  "$reg `=` $value"> {
  let summary = "CFG: write a configuration register";
  let description = [{
    Registers and their legal values: `in_bits`, `w_bits`, `adc_bits` in
    [1, 16]; `t_acc` in [1, 255]; `sign_mode` (0 coherent, 1 two passes),
    `wsrc` (0 WGT, 1 GEN stream), `dataflow` (0 output-, 1 weight-
    stationary) in {0, 1}; `req_shift` in [0, 63]; `req_scale` and `req_zp`
    32-bit signed; `noise_seed` any 64-bit value; `adc_fs_bits` (the ADC's
    calibrated full scale in bits, 0 = the worst case of the operand widths)
    in [0, 48].

    ```mlir
    ptc.cfg adc_bits = 8
    ```
  }];
}

def PTC_ProgOp : PTC_InstructionOp<"prog", (ins I64Attr:$wgt_idx,
                                                I64Attr:$core_mask),
                                   "`wgt` $wgt_idx `cores` $core_mask"> {
  let summary = "PROG: program weight-stationary meshes from WGT";
  let description = [{
    Weight-stationary presets only: writes the weights at WGT row
    `wgt_idx` into the meshes of the cores in `core_mask` (8 bits, not 0).
  }];
}

def PTC_FenceOp : PTC_InstructionOp<"fence", (ins I64Attr:$queue_mask),
                                    "`queues` $queue_mask"> {
  let summary = "FENCE: wait until token queues drain";
  let description = [{
    Waits until every queue selected by `queue_mask` (bit 0 load->compute,
    1 compute->load, 2 compute->store, 3 store->compute; not 0) is empty.
  }];
}

//===----------------------------------------------------------------------===//
// Layer markers (format version 2: the layer table for per-layer reports)
//===----------------------------------------------------------------------===//

def PTC_LayerOp : PTC_Op<"layer", [HasParent<"ProgramOp">]> {
  let summary = "start of a named layer (a range of instructions)";
  let description = [{
    The instructions from this marker to the next `ptc.layer` or
    `ptc.end_layer` (or the end of the program) form the layer `name`, which
    simulators report separately. A layer holds at least one instruction.
    Host inputs and outputs are `ptc.data` tensors with the discardable
    attribute `role = "input"` or `role = "output"`.

    ```mlir
    ptc.layer "conv1"
    ```
  }];
  let arguments = (ins StrAttr:$name);
  let assemblyFormat = "$name attr-dict";
  let hasVerifier = 1;
}

def PTC_EndLayerOp : PTC_Op<"end_layer", [HasParent<"ProgramOp">]> {
  let summary = "end of the current layer";
  let description = [{
    Ends the layer opened by the preceding `ptc.layer`; the instructions
    up to the next `ptc.layer` belong to no layer.
  }];
  let assemblyFormat = "attr-dict";
}

#endif // MLG_DIALECT_PTC_IR_PTCOPS_TD
