//===- ISA.h - Photonic tensor core instruction set -------------*- C++ -*-===//
//
// The 128-bit instruction words and 32-bit micro-ops of the MLG photonic
// tensor core (PTC), as plain C++ structs with an encoder, a validating
// decoder and a printer. Independent of MLIR so that a simulator or a cost
// model can decode programs without a context. docs/isa.md is the prose
// specification; every field's position, width and legal range is defined
// once, here, by the `forEachField` lists.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_PTC_ISA_H
#define MLG_TARGET_PTC_ISA_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlg::ptc::isa {

/// Address map of LOAD/STORE `dram_base` (docs/ptc-sim.md §1.3): DRAM is
/// [0, kGlobalSramBase); the global SRAM is a window of the model's
/// `global_sram.size` bytes from kGlobalSramBase.
inline constexpr uint64_t kGlobalSramBase = 0x8000'0000;

/// A 128-bit instruction word: bit i of the word is bit i of `lo` for i < 64
/// and bit i - 64 of `hi` otherwise. Stored little-endian (lo first) in files.
struct Word {
  uint64_t lo = 0;
  uint64_t hi = 0;

  uint64_t getBits(unsigned lsb, unsigned width) const;
  void setBits(unsigned lsb, unsigned width, uint64_t value);
  bool operator==(const Word &other) const {
    return lo == other.lo && hi == other.hi;
  }
};

/// 4-bit opcodes; the order of `Instruction`'s alternatives follows them.
enum class Opcode : uint8_t {
  Load = 0,
  Store = 1,
  Gemm = 2,
  Finish = 3,
  Alu = 4,
  Gen = 5,
  Recomp = 6,
  Cfg = 7,
  Prog = 8,
  Fence = 9,
  Shadd = 10,
};
inline constexpr unsigned kNumOpcodes = 11;

/// On-chip buffers addressed by LOAD/STORE (`mem_id`).
enum class MemId : uint8_t {
  Uop = 0,
  Wgt = 1,
  Inp = 2,
  Acc = 3,
  Out = 4,
  Basis = 5,
  CoeffU = 6,
  CoeffV = 7,
  Scale = 8,
};
inline constexpr unsigned kNumMemIds = 9;

/// ALU operations on the accumulator buffer.
enum class AluOp : uint8_t {
  Min = 0,
  Max = 1,
  Add = 2,
  Shr = 3,
  Mul = 4,
  Shl = 5,
  ShlAdd = 6,
  Clip = 7,
};

/// Configuration registers written by CFG.
enum class CfgReg : uint8_t {
  InBits = 0,
  WBits = 1,
  AdcBits = 2,
  TAcc = 3,
  SignMode = 4,
  WSrc = 5,
  ReqScale = 6,
  ReqShift = 7,
  ReqZp = 8,
  Dataflow = 9,
  NoiseSeed = 10,
  AdcFsBits = 11,
};
inline constexpr unsigned kNumCfgRegs = 12;

/// Buffer a RECOMP reads and writes.
enum class RecompMem : uint8_t { Acc = 0, Wgt = 1 };

/// The three decoupled modules (VTA's access/execute split).
enum class Module : uint8_t { Load, Compute, Store };

/// How a field's bits map to its value.
enum class FieldEncoding : uint8_t {
  Unsigned, ///< value = bits
  Signed,   ///< value = two's-complement bits
  MinusOne, ///< value = bits + 1 (widths and counts that are never 0)
};

/// One field of an instruction word or micro-op: its name (also the
/// attribute name in the `ptc` dialect), bit position, width, encoding and
/// legal value range (inclusive).
struct FieldSpec {
  const char *name;
  unsigned lsb;
  unsigned width;
  FieldEncoding encoding;
  int64_t min;
  int64_t max;
};

// Every field is an int64_t, whatever its width: a value from IR or a test
// reaches validate() intact and is rejected by name instead of being
// silently truncated. Enum fields hold their ISA code (getMemId() etc.).

/// Dependency-token flags, bits [7:4] of every instruction.
struct Deps {
  int64_t popPrev = 0;
  int64_t popNext = 0;
  int64_t pushPrev = 0;
  int64_t pushNext = 0;

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    fn(FieldSpec{"pop_prev", 4, 1, FieldEncoding::Unsigned, 0, 1},
       self.popPrev);
    fn(FieldSpec{"pop_next", 5, 1, FieldEncoding::Unsigned, 0, 1},
       self.popNext);
    fn(FieldSpec{"push_prev", 6, 1, FieldEncoding::Unsigned, 0, 1},
       self.pushPrev);
    fn(FieldSpec{"push_next", 7, 1, FieldEncoding::Unsigned, 0, 1},
       self.pushNext);
  }
};

/// Shared layout of LOAD and STORE: a 2-D strided DMA with padding between a
/// bit-packed DRAM region and an on-chip buffer.
struct MemInsn {
  Deps deps;
  int64_t memId = 2;    ///< MemId (default INP)
  int64_t sramBase = 0; ///< buffer row
  int64_t dramBase = 0; ///< DRAM byte address
  int64_t ySize = 1;    ///< rows
  int64_t xSize = 1;    ///< elements per row
  int64_t xStride = 1;  ///< DRAM elements between row starts
  int64_t yPad0 = 0, yPad1 = 0, xPad0 = 0, xPad1 = 0;
  int64_t elemBits = 8; ///< packed DRAM element width; 0 for UOP loads

  MemId getMemId() const { return static_cast<MemId>(memId); }

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    Deps::forEachField(self.deps, fn);
    fn(FieldSpec{"mem_id", 8, 4, FieldEncoding::Unsigned, 0, kNumMemIds - 1},
       self.memId);
    fn(FieldSpec{"sram_base", 12, 16, FieldEncoding::Unsigned, 0, 0xFFFF},
       self.sramBase);
    fn(FieldSpec{"dram_base", 28, 32, FieldEncoding::Unsigned, 0, 0xFFFFFFFFll},
       self.dramBase);
    fn(FieldSpec{"y_size", 60, 16, FieldEncoding::Unsigned, 1, 0xFFFF},
       self.ySize);
    fn(FieldSpec{"x_size", 76, 16, FieldEncoding::Unsigned, 1, 0xFFFF},
       self.xSize);
    fn(FieldSpec{"x_stride", 92, 16, FieldEncoding::Unsigned, 0, 0xFFFF},
       self.xStride);
    fn(FieldSpec{"y_pad0", 108, 4, FieldEncoding::Unsigned, 0, 15}, self.yPad0);
    fn(FieldSpec{"y_pad1", 112, 4, FieldEncoding::Unsigned, 0, 15}, self.yPad1);
    fn(FieldSpec{"x_pad0", 116, 4, FieldEncoding::Unsigned, 0, 15}, self.xPad0);
    fn(FieldSpec{"x_pad1", 120, 4, FieldEncoding::Unsigned, 0, 15}, self.xPad1);
    // UOP loads carry no element width: the field is 0 and the value 0;
    // encode/decode special-case it (see ISA.cpp).
    fn(FieldSpec{"elem_bits", 124, 4, FieldEncoding::MinusOne, 1, 16},
       self.elemBits);
  }
};

struct LoadInsn : MemInsn {
  static constexpr Opcode kOpcode = Opcode::Load;
};
struct StoreInsn : MemInsn {
  static constexpr Opcode kOpcode = Opcode::Store;
};

/// Loop nest over micro-ops: acc[dst] += inp[src]^T * wgt[wgt].
struct GemmInsn {
  static constexpr Opcode kOpcode = Opcode::Gemm;
  Deps deps;
  int64_t reset = 0;
  int64_t uopBgn = 0, uopEnd = 1;
  int64_t iterOut = 1, iterIn = 1;
  int64_t dstOut = 0, dstIn = 0;
  int64_t srcOut = 0, srcIn = 0;
  int64_t wgtOut = 0, wgtIn = 0;

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    Deps::forEachField(self.deps, fn);
    fn(FieldSpec{"reset", 8, 1, FieldEncoding::Unsigned, 0, 1}, self.reset);
    fn(FieldSpec{"uop_bgn", 9, 13, FieldEncoding::Unsigned, 0, 0x1FFF},
       self.uopBgn);
    fn(FieldSpec{"uop_end", 22, 14, FieldEncoding::Unsigned, 1, 0x3FFF},
       self.uopEnd);
    fn(FieldSpec{"iter_out", 36, 14, FieldEncoding::Unsigned, 1, 0x3FFF},
       self.iterOut);
    fn(FieldSpec{"iter_in", 50, 14, FieldEncoding::Unsigned, 1, 0x3FFF},
       self.iterIn);
    fn(FieldSpec{"dst_out", 64, 11, FieldEncoding::Unsigned, 0, 0x7FF},
       self.dstOut);
    fn(FieldSpec{"dst_in", 75, 11, FieldEncoding::Unsigned, 0, 0x7FF},
       self.dstIn);
    fn(FieldSpec{"src_out", 86, 11, FieldEncoding::Unsigned, 0, 0x7FF},
       self.srcOut);
    fn(FieldSpec{"src_in", 97, 11, FieldEncoding::Unsigned, 0, 0x7FF},
       self.srcIn);
    fn(FieldSpec{"wgt_out", 108, 10, FieldEncoding::Unsigned, 0, 0x3FF},
       self.wgtOut);
    fn(FieldSpec{"wgt_in", 118, 10, FieldEncoding::Unsigned, 0, 0x3FF},
       self.wgtIn);
  }
};

/// End of program.
struct FinishInsn {
  static constexpr Opcode kOpcode = Opcode::Finish;
  Deps deps;

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    Deps::forEachField(self.deps, fn);
  }
};

/// Element-wise integer op over the accumulator, same loop nest as GEMM.
struct AluInsn {
  static constexpr Opcode kOpcode = Opcode::Alu;
  Deps deps;
  int64_t reset = 0;
  int64_t uopBgn = 0, uopEnd = 1;
  int64_t iterOut = 1, iterIn = 1;
  int64_t dstOut = 0, dstIn = 0;
  int64_t srcOut = 0, srcIn = 0;
  int64_t aluOp = 0; ///< AluOp
  int64_t useImm = 0;
  int64_t imm = 0;

  AluOp getAluOp() const { return static_cast<AluOp>(aluOp); }

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    Deps::forEachField(self.deps, fn);
    fn(FieldSpec{"reset", 8, 1, FieldEncoding::Unsigned, 0, 1}, self.reset);
    fn(FieldSpec{"uop_bgn", 9, 13, FieldEncoding::Unsigned, 0, 0x1FFF},
       self.uopBgn);
    fn(FieldSpec{"uop_end", 22, 14, FieldEncoding::Unsigned, 1, 0x3FFF},
       self.uopEnd);
    fn(FieldSpec{"iter_out", 36, 14, FieldEncoding::Unsigned, 1, 0x3FFF},
       self.iterOut);
    fn(FieldSpec{"iter_in", 50, 14, FieldEncoding::Unsigned, 1, 0x3FFF},
       self.iterIn);
    fn(FieldSpec{"dst_out", 64, 11, FieldEncoding::Unsigned, 0, 0x7FF},
       self.dstOut);
    fn(FieldSpec{"dst_in", 75, 11, FieldEncoding::Unsigned, 0, 0x7FF},
       self.dstIn);
    fn(FieldSpec{"src_out", 86, 11, FieldEncoding::Unsigned, 0, 0x7FF},
       self.srcOut);
    fn(FieldSpec{"src_in", 97, 11, FieldEncoding::Unsigned, 0, 0x7FF},
       self.srcIn);
    fn(FieldSpec{"alu_op", 108, 3, FieldEncoding::Unsigned, 0, 7}, self.aluOp);
    fn(FieldSpec{"use_imm", 111, 1, FieldEncoding::Unsigned, 0, 1},
       self.useImm);
    fn(FieldSpec{"imm", 112, 16, FieldEncoding::Signed, -32768, 32767},
       self.imm);
  }
};

/// On-core weight generation (MLG level 1: W1 = U * B; level 2: W = V * W1).
struct GenInsn {
  static constexpr Opcode kOpcode = Opcode::Gen;
  Deps deps;
  int64_t level = 1;
  int64_t uopBgn = 0, uopEnd = 1;
  int64_t iterOut = 1, iterIn = 1;
  int64_t dstOut = 0, dstIn = 0;
  int64_t aOut = 0, aIn = 0;
  int64_t bOut = 0, bIn = 0;
  int64_t requant = 0;

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    Deps::forEachField(self.deps, fn);
    fn(FieldSpec{"level", 8, 2, FieldEncoding::Unsigned, 1, 2}, self.level);
    fn(FieldSpec{"uop_bgn", 10, 13, FieldEncoding::Unsigned, 0, 0x1FFF},
       self.uopBgn);
    fn(FieldSpec{"uop_end", 23, 14, FieldEncoding::Unsigned, 1, 0x3FFF},
       self.uopEnd);
    fn(FieldSpec{"iter_out", 37, 13, FieldEncoding::Unsigned, 1, 0x1FFF},
       self.iterOut);
    fn(FieldSpec{"iter_in", 50, 13, FieldEncoding::Unsigned, 1, 0x1FFF},
       self.iterIn);
    fn(FieldSpec{"dst_out", 63, 11, FieldEncoding::Unsigned, 0, 0x7FF},
       self.dstOut);
    fn(FieldSpec{"dst_in", 74, 11, FieldEncoding::Unsigned, 0, 0x7FF},
       self.dstIn);
    fn(FieldSpec{"a_out", 85, 11, FieldEncoding::Unsigned, 0, 0x7FF},
       self.aOut);
    fn(FieldSpec{"a_in", 96, 11, FieldEncoding::Unsigned, 0, 0x7FF}, self.aIn);
    fn(FieldSpec{"b_out", 107, 10, FieldEncoding::Unsigned, 0, 0x3FF},
       self.bOut);
    fn(FieldSpec{"b_in", 117, 10, FieldEncoding::Unsigned, 0, 0x3FF}, self.bIn);
    fn(FieldSpec{"requant", 127, 1, FieldEncoding::Unsigned, 0, 1},
       self.requant);
  }
};

/// Shift-add recomposition of bit slices:
/// dst[j] = sum_s w_s * src[src + s*slice_stride + j], w_s = 2^(s*slice_bits),
/// shifted right by max(0, n_slices*slice_bits - out_bits) + rshift.
struct RecompInsn {
  static constexpr Opcode kOpcode = Opcode::Recomp;
  Deps deps;
  int64_t mem = 0; ///< RecompMem
  int64_t dst = 0, src = 0;
  int64_t numSlices = 1, sliceBits = 1, sliceStride = 0;
  int64_t signedMsb = 0;
  int64_t len = 1;
  int64_t outBits = 8;
  int64_t round = 0;
  int64_t rshift = 0; ///< extra right shift (slices wider than slice_bits)

  RecompMem getMem() const { return static_cast<RecompMem>(mem); }

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    Deps::forEachField(self.deps, fn);
    fn(FieldSpec{"mem", 8, 2, FieldEncoding::Unsigned, 0, 1}, self.mem);
    fn(FieldSpec{"dst", 10, 16, FieldEncoding::Unsigned, 0, 0xFFFF}, self.dst);
    fn(FieldSpec{"src", 26, 16, FieldEncoding::Unsigned, 0, 0xFFFF}, self.src);
    fn(FieldSpec{"n_slices", 42, 3, FieldEncoding::MinusOne, 1, 8},
       self.numSlices);
    fn(FieldSpec{"slice_bits", 45, 4, FieldEncoding::MinusOne, 1, 16},
       self.sliceBits);
    fn(FieldSpec{"slice_stride", 49, 16, FieldEncoding::Unsigned, 0, 0xFFFF},
       self.sliceStride);
    fn(FieldSpec{"signed_msb", 65, 1, FieldEncoding::Unsigned, 0, 1},
       self.signedMsb);
    fn(FieldSpec{"len", 66, 16, FieldEncoding::Unsigned, 1, 0xFFFF}, self.len);
    fn(FieldSpec{"out_bits", 82, 4, FieldEncoding::MinusOne, 1, 16},
       self.outBits);
    fn(FieldSpec{"round", 86, 1, FieldEncoding::Unsigned, 0, 1}, self.round);
    fn(FieldSpec{"rshift", 87, 6, FieldEncoding::Unsigned, 0, 63},
       self.rshift);
  }
};

/// Write a configuration register.
struct CfgInsn {
  static constexpr Opcode kOpcode = Opcode::Cfg;
  Deps deps;
  int64_t reg = 0; ///< CfgReg
  int64_t value = 0;

  CfgReg getReg() const { return static_cast<CfgReg>(reg); }

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    Deps::forEachField(self.deps, fn);
    fn(FieldSpec{"reg", 8, 8, FieldEncoding::Unsigned, 0, kNumCfgRegs - 1},
       self.reg);
    fn(FieldSpec{"value", 16, 64, FieldEncoding::Signed, INT64_MIN, INT64_MAX},
       self.value);
  }
};

/// Weight-stationary presets only: program the mesh from WGT.
struct ProgInsn {
  static constexpr Opcode kOpcode = Opcode::Prog;
  Deps deps;
  int64_t wgtIdx = 0;
  int64_t coreMask = 1;

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    Deps::forEachField(self.deps, fn);
    fn(FieldSpec{"wgt_idx", 8, 16, FieldEncoding::Unsigned, 0, 0xFFFF},
       self.wgtIdx);
    fn(FieldSpec{"core_mask", 24, 8, FieldEncoding::Unsigned, 1, 0xFF},
       self.coreMask);
  }
};

/// Wait until the selected token queues are empty.
struct FenceInsn {
  static constexpr Opcode kOpcode = Opcode::Fence;
  Deps deps;
  int64_t queueMask = 0xF; ///< bit 0 L->C, 1 C->L, 2 C->S, 3 S->C

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    Deps::forEachField(self.deps, fn);
    fn(FieldSpec{"queue_mask", 8, 4, FieldEncoding::Unsigned, 1, 15},
       self.queueMask);
  }
};

/// SmartDeal shift-add weight generation (docs/isa.md, SHADD): for
/// i < n_rep and e < len, with p = start + e, r = p / n_cols,
/// col = p % n_cols, and the repeat's operands d = dst + i*dst_stride,
/// c = code + i*code_stride, b = basis + i*basis_stride,
///   wgt[d + e] = sat_{W_BITS}(shr_{rshift}(sum_{j < rank}
///       pow2(coeff_u[c + r*rank + j]) * basis[b + j*n_cols + col]))
/// where pow2(c) * b = 0 for c = 0, else sign(c) * (b << (|c| - 1)).
/// Operands are flat element indices of their buffers; no multiplier, no
/// DAC or ADC: purely digital. The repeat generates one run per output
/// channel of a weight tile (dst_stride = BLOCK_IN) in one instruction.
struct ShaddInsn {
  static constexpr Opcode kOpcode = Opcode::Shadd;
  Deps deps;
  int64_t dst = 0;   ///< first wgt element written
  int64_t code = 0;  ///< coeff_u element of the block's code row 0
  int64_t basis = 0; ///< basis element of B[0][0]
  int64_t len = 1;   ///< elements written per repeat
  int64_t start = 0; ///< block position of the first element
  int64_t rank = 1;  ///< terms per element (rows of B)
  int64_t numCols = 1;
  int64_t rshift = 0; ///< right shift of the sum (per-channel scale)
  int64_t round = 0;  ///< round the shift to nearest instead of truncating
  int64_t numRepeats = 1; ///< runs; each advances the three operands
  int64_t dstStride = 0, codeStride = 0, basisStride = 0;

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    Deps::forEachField(self.deps, fn);
    fn(FieldSpec{"dst", 8, 20, FieldEncoding::Unsigned, 0, 0xFFFFF}, self.dst);
    fn(FieldSpec{"code", 28, 18, FieldEncoding::Unsigned, 0, 0x3FFFF},
       self.code);
    fn(FieldSpec{"basis", 46, 16, FieldEncoding::Unsigned, 0, 0xFFFF},
       self.basis);
    fn(FieldSpec{"len", 62, 10, FieldEncoding::Unsigned, 1, 1023}, self.len);
    fn(FieldSpec{"start", 72, 8, FieldEncoding::Unsigned, 0, 255}, self.start);
    fn(FieldSpec{"rank", 80, 3, FieldEncoding::MinusOne, 1, 8}, self.rank);
    fn(FieldSpec{"n_cols", 83, 4, FieldEncoding::MinusOne, 1, 16},
       self.numCols);
    fn(FieldSpec{"rshift", 87, 6, FieldEncoding::Unsigned, 0, 63}, self.rshift);
    fn(FieldSpec{"round", 93, 1, FieldEncoding::Unsigned, 0, 1}, self.round);
    fn(FieldSpec{"n_rep", 94, 6, FieldEncoding::MinusOne, 1, 64},
       self.numRepeats);
    fn(FieldSpec{"dst_stride", 100, 10, FieldEncoding::Unsigned, 0, 1023},
       self.dstStride);
    fn(FieldSpec{"code_stride", 110, 8, FieldEncoding::Unsigned, 0, 255},
       self.codeStride);
    fn(FieldSpec{"basis_stride", 118, 10, FieldEncoding::Unsigned, 0, 1023},
       self.basisStride);
  }
};

/// One instruction; the alternative index equals the opcode.
using Instruction =
    std::variant<LoadInsn, StoreInsn, GemmInsn, FinishInsn, AluInsn, GenInsn,
                 RecompInsn, CfgInsn, ProgInsn, FenceInsn, ShaddInsn>;

/// 32-bit micro-op: indices into the destination, source and weight buffers
/// (GEN reads them as dst, a, b).
struct Uop {
  int64_t dst = 0, src = 0, wgt = 0;

  template <typename Self, typename Fn>
  static void forEachField(Self &self, Fn &&fn) {
    fn(FieldSpec{"dst", 0, 11, FieldEncoding::Unsigned, 0, 0x7FF}, self.dst);
    fn(FieldSpec{"src", 11, 11, FieldEncoding::Unsigned, 0, 0x7FF}, self.src);
    fn(FieldSpec{"wgt", 22, 10, FieldEncoding::Unsigned, 0, 0x3FF}, self.wgt);
  }
};

//===----------------------------------------------------------------------===//
// Queries
//===----------------------------------------------------------------------===//

Opcode getOpcode(const Instruction &insn);
llvm::StringRef getMnemonic(Opcode opcode);
std::optional<Opcode> symbolizeMnemonic(llvm::StringRef mnemonic);
llvm::StringRef stringifyMemId(MemId id);
llvm::StringRef stringifyAluOp(AluOp op);
llvm::StringRef stringifyCfgReg(CfgReg reg);
llvm::StringRef stringifyRecompMem(RecompMem mem);

/// The module that executes `insn` (LOADs of UOP, ACC and SCALE run in the
/// compute module, as in VTA).
Module getModule(const Instruction &insn);

/// Every field of an opcode's word, header included, in bit order.
std::vector<FieldSpec> getFieldLayout(Opcode opcode);
std::vector<FieldSpec> getUopFieldLayout();

/// A default-valued (valid) instruction of the given opcode.
Instruction makeInstruction(Opcode opcode);

/// Inclusive legal range of a CFG register's value.
std::pair<int64_t, int64_t> getCfgValueRange(CfgReg reg);

//===----------------------------------------------------------------------===//
// Encoding
//===----------------------------------------------------------------------===//

/// Checks every field against its range and the cross-field rules of
/// docs/isa.md. Messages name the instruction and the field.
llvm::Error validate(const Instruction &insn);
llvm::Error validate(const Uop &uop);

/// Encodes an instruction; fails with validate()'s message if it is invalid.
llvm::Expected<Word> encode(const Instruction &insn);
llvm::Expected<uint32_t> encode(const Uop &uop);

/// Decodes a word: rejects unknown opcodes, non-zero reserved bits and any
/// field validate() rejects.
llvm::Expected<Instruction> decode(const Word &word);
Uop decodeUop(uint32_t word);

/// `gemm reset=1 uop_bgn=0 ...`: mnemonic then every non-header field, enum
/// values by name, then the set dependency flags.
void print(const Instruction &insn, llvm::raw_ostream &os);
void print(const Uop &uop, llvm::raw_ostream &os);

/// Markdown tables of every instruction's fields (used by docs/isa.md).
void printLayoutTables(llvm::raw_ostream &os);

//===----------------------------------------------------------------------===//
// Dependency tokens
//===----------------------------------------------------------------------===//

/// The four token queues, in the bit order of FENCE's queue_mask.
enum class Queue : uint8_t {
  LoadToCompute = 0,
  ComputeToLoad = 1,
  ComputeToStore = 2,
  StoreToCompute = 3,
};

/// Outcome of running a program's token protocol without timing.
struct TokenReport {
  /// For each module (Load, Compute, Store), the index of the instruction it
  /// is blocked at, or none if it ran to the end of its stream.
  std::optional<size_t> blockedAt[3];
  /// Tokens left in each queue when execution stopped.
  uint64_t leftover[4] = {0, 0, 0, 0};

  bool deadlocked() const {
    return blockedAt[0] || blockedAt[1] || blockedAt[2];
  }
};

/// Runs the three modules' in-order instruction streams against the token
/// queues (docs/isa.md, "Dependency tokens"), ignoring everything but the
/// dependency flags and FENCE: an instruction waits for a token in each
/// queue it pops, for room in each queue it pushes (`queueDepth` tokens; 0
/// means unbounded), and FENCE for its queues to be empty. A program whose
/// report is deadlocked cannot finish on any timing.
TokenReport runTokens(llvm::ArrayRef<Instruction> program,
                      unsigned queueDepth = 0);

} // namespace mlg::ptc::isa

#endif // MLG_TARGET_PTC_ISA_H
