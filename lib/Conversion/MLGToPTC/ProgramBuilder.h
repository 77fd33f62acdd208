//===- ProgramBuilder.h - Building ptc ops for a program --------*- C++ -*-===//
//
// The ptc ops a lowering emits, built with their attributes from plain
// integers: data tensors laid out in the data segment, LOAD/STORE, GEMM,
// ALU, CFG, and the de-duplicated micro-op table.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CONVERSION_MLGTOPTC_PROGRAMBUILDER_H
#define LIB_CONVERSION_MLGTOPTC_PROGRAMBUILDER_H

#include "mlg/Dialect/PTC/IR/PTCOps.h"
#include "mlg/Target/PTC/ISA.h"

#include "mlir/IR/Builders.h"

#include <array>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

namespace mlir::mlg::ptc_lowering {

inline int64_t roundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

/// The byte address of element `element` of `bits`-bit elements stored from
/// `base`; a tile must start on a byte (reported at `loc` otherwise).
inline FailureOr<int64_t> byteAddressOf(Location loc, int64_t base,
                                        int64_t element, unsigned bits) {
  if (element * bits % 8)
    return emitError(loc, "PTC lowering: a tile does not start on a byte in "
                          "DRAM");
  return base + element * bits / 8;
}

namespace ptcir = mlir::mlg::ptc;

/// Builds the ops of one program; rows of the micro-op table are collected
/// and materialised at the end.
class ProgramBuilder {
public:
  ProgramBuilder(OpBuilder &b, Location loc)
      : b(b), loc(loc), ctx(b.getContext()) {}

  IntegerAttr i64(int64_t v) { return b.getI64IntegerAttr(v); }

  /// Appends a ptc.data of `bits`-bit signed codes; returns its address.
  int64_t addData(StringRef name, ArrayRef<int64_t> shape, unsigned bits,
                  ArrayRef<int64_t> codes, StringRef role, double scale) {
    auto type = RankedTensorType::get(shape, b.getIntegerType(bits));
    DenseElementsAttr value;
    if (codes.empty()) {
      value = DenseElementsAttr::get(type, APInt(bits, 0));
    } else {
      SmallVector<APInt> ints;
      for (int64_t c : codes)
        ints.push_back(APInt(bits, c, /*isSigned=*/true));
      value = DenseElementsAttr::get(type, ints);
    }
    int64_t offset = nextOffset;
    auto data =
        ptcir::DataOp::create(b, loc, b.getStringAttr(name), i64(offset),
                              cast<DenseIntElementsAttr>(value));
    lastData = data;
    if (!role.empty()) {
      data->setAttr("role", b.getStringAttr(role));
      data->setAttr("scale", b.getF64FloatAttr(scale));
    }
    int64_t bytes = (type.getNumElements() * bits + 7) / 8;
    nextOffset = roundUp(offset + bytes, 16);
    return offset;
  }

  /// Appends a zero ptc.data of `bits`-bit codes at `offset` in the global
  /// SRAM window; returns its LOAD/STORE address.
  int64_t addGlobalSramData(StringRef name, ArrayRef<int64_t> shape,
                            unsigned bits, int64_t offset) {
    auto type = RankedTensorType::get(shape, b.getIntegerType(bits));
    auto value = cast<DenseIntElementsAttr>(
        DenseElementsAttr::get(type, APInt(bits, 0)));
    lastData = ptcir::DataOp::create(b, loc, b.getStringAttr(name),
                                     i64(offset), value);
    lastData->setAttr(ptcir::kSpaceAttrName,
                      b.getStringAttr(ptcir::kGlobalSramSpace));
    return ::mlg::ptc::isa::kGlobalSramBase + offset;
  }

  int64_t uop(int64_t dst, int64_t src, int64_t wgt) {
    auto key = std::make_tuple(dst, src, wgt);
    auto [it, inserted] = uopIndex.try_emplace(key, uops.size());
    if (inserted)
      uops.push_back(key);
    return it->second;
  }

  /// Consecutive table entries holding `entries` in order (a GEN run must
  /// lie in one instruction); equal sequences share their entries.
  int64_t uopSequence(ArrayRef<std::tuple<int64_t, int64_t, int64_t>> entries) {
    std::vector<std::tuple<int64_t, int64_t, int64_t>> key(entries.begin(),
                                                          entries.end());
    auto [it, inserted] = sequenceIndex.try_emplace(key, uops.size());
    if (inserted)
      uops.append(entries.begin(), entries.end());
    return it->second;
  }

  void deps(SmallVectorImpl<NamedAttribute> &attrs, ptcir::DepFlags flags) {
    if (flags != ptcir::DepFlags::none)
      attrs.push_back(
          b.getNamedAttr("deps", ptcir::DepFlagsAttr::get(ctx, flags)));
  }

  template <typename OpTy> OpTy create(SmallVectorImpl<NamedAttribute> &attrs) {
    return OpTy::create(b, loc, TypeRange{}, ValueRange{}, attrs);
  }

  Operation *memory(bool store, ptcir::MemId mem, int64_t sram, int64_t dram,
                    int64_t rows, int64_t cols, int64_t stride,
                    std::optional<unsigned> bits, int64_t padBottom = 0,
                    ptcir::DepFlags flags = ptcir::DepFlags::none,
                    int64_t padTop = 0, int64_t padRight = 0) {
    SmallVector<NamedAttribute> attrs{
        b.getNamedAttr("mem_id", ptcir::MemIdAttr::get(ctx, mem)),
        b.getNamedAttr("sram_base", i64(sram)),
        b.getNamedAttr("dram_base", i64(dram)),
        b.getNamedAttr("y_size", i64(rows)),
        b.getNamedAttr("x_size", i64(cols)),
        b.getNamedAttr("x_stride", i64(stride)),
        b.getNamedAttr("y_pad0", i64(padTop)),
        b.getNamedAttr("y_pad1", i64(padBottom)),
        b.getNamedAttr("x_pad0", i64(0)),
        b.getNamedAttr("x_pad1", i64(padRight))};
    if (bits)
      attrs.push_back(b.getNamedAttr("elem_bits", i64(*bits)));
    deps(attrs, flags);
    if (store)
      return create<ptcir::StoreOp>(attrs);
    return create<ptcir::LoadOp>(attrs);
  }

  /// GEMM over `steps` consecutive inp/wgt rows into one acc row (one run).
  void gemm(bool reset, int64_t uopIdx, int64_t steps, ptcir::DepFlags flags) {
    SmallVector<NamedAttribute> attrs{
        b.getNamedAttr("uop_bgn", i64(uopIdx)),
        b.getNamedAttr("uop_end", i64(uopIdx + 1)),
        b.getNamedAttr("iter_out", i64(1)),
        b.getNamedAttr("iter_in", i64(steps)),
        b.getNamedAttr("dst_out", i64(0)),
        b.getNamedAttr("dst_in", i64(0)),
        b.getNamedAttr("src_out", i64(0)),
        b.getNamedAttr("src_in", i64(reset ? 0 : 1)),
        b.getNamedAttr("wgt_out", i64(0)),
        b.getNamedAttr("wgt_in", i64(reset ? 0 : 1))};
    if (reset)
      attrs.push_back(b.getNamedAttr("reset", b.getUnitAttr()));
    deps(attrs, flags);
    create<ptcir::GemmOp>(attrs);
  }

  /// ALU on the micro-op's rows; with `iterIn` > 1 the source row advances
  /// by `srcIn` per iteration (e.g. summing consecutive rows into one).
  void alu(ptcir::AluOpcode op, int64_t uopIdx, std::optional<int64_t> imm,
           ptcir::DepFlags flags = ptcir::DepFlags::none, int64_t iterIn = 1,
           int64_t srcIn = 0) {
    SmallVector<NamedAttribute> attrs{
        b.getNamedAttr("alu_op", ptcir::AluOpcodeAttr::get(ctx, op)),
        b.getNamedAttr("uop_bgn", i64(uopIdx)),
        b.getNamedAttr("uop_end", i64(uopIdx + 1)),
        b.getNamedAttr("iter_out", i64(1)),
        b.getNamedAttr("iter_in", i64(iterIn)),
        b.getNamedAttr("dst_out", i64(0)),
        b.getNamedAttr("dst_in", i64(0)),
        b.getNamedAttr("src_out", i64(0)),
        b.getNamedAttr("src_in", i64(srcIn))};
    if (imm)
      attrs.push_back(b.getNamedAttr("imm", i64(*imm)));
    deps(attrs, flags);
    create<ptcir::AluOp>(attrs);
  }

  /// GEN over micro-ops [uopBgn, uopEnd), `steps` inner iterations moving
  /// the destination by `dstIn`, the coefficient row by `aIn` and the
  /// basis / level-1 row by `bIn`.
  void gen(int64_t level, bool requant, int64_t uopBgn, int64_t uopEnd,
           int64_t steps, int64_t dstIn, int64_t aIn, int64_t bIn,
           ptcir::DepFlags flags) {
    SmallVector<NamedAttribute> attrs{
        b.getNamedAttr("level", i64(level)),
        b.getNamedAttr("uop_bgn", i64(uopBgn)),
        b.getNamedAttr("uop_end", i64(uopEnd)),
        b.getNamedAttr("iter_out", i64(1)),
        b.getNamedAttr("iter_in", i64(steps)),
        b.getNamedAttr("dst_out", i64(0)),
        b.getNamedAttr("dst_in", i64(dstIn)),
        b.getNamedAttr("a_out", i64(0)),
        b.getNamedAttr("a_in", i64(aIn)),
        b.getNamedAttr("b_out", i64(0)),
        b.getNamedAttr("b_in", i64(bIn))};
    if (requant)
      attrs.push_back(b.getNamedAttr("requant", b.getUnitAttr()));
    deps(attrs, flags);
    create<ptcir::GenOp>(attrs);
  }

  /// RECOMP of one wgt row from `slices` rows src, src + 1, ...
  void recompWgt(int64_t dst, int64_t src, int64_t slices, int64_t sliceBits,
                 int64_t outBits, int64_t rshift, ptcir::DepFlags flags) {
    SmallVector<NamedAttribute> attrs{
        b.getNamedAttr("mem", ptcir::RecompMemAttr::get(
                                  ctx, ptcir::RecompMem::wgt)),
        b.getNamedAttr("dst", i64(dst)),
        b.getNamedAttr("src", i64(src)),
        b.getNamedAttr("n_slices", i64(slices)),
        b.getNamedAttr("slice_bits", i64(sliceBits)),
        b.getNamedAttr("slice_stride", i64(1)),
        b.getNamedAttr("len", i64(1)),
        b.getNamedAttr("out_bits", i64(outBits)),
        b.getNamedAttr("round", b.getUnitAttr())};
    if (rshift)
      attrs.push_back(b.getNamedAttr("rshift", i64(rshift)));
    deps(attrs, flags);
    create<ptcir::RecompOp>(attrs);
  }

  /// SHADD (docs/isa.md): `reps` runs of `len` weights from `dst` on, each
  /// run's operands `strides` (dst, code, basis) after the previous one's.
  void shadd(int64_t dst, int64_t code, int64_t basis, int64_t len,
             int64_t rank, int64_t cols, int64_t rshift, int64_t reps,
             std::array<int64_t, 3> strides, ptcir::DepFlags flags) {
    SmallVector<NamedAttribute> attrs{
        b.getNamedAttr("dst", i64(dst)),
        b.getNamedAttr("code", i64(code)),
        b.getNamedAttr("basis", i64(basis)),
        b.getNamedAttr("len", i64(len)),
        b.getNamedAttr("start", i64(0)),
        b.getNamedAttr("rank", i64(rank)),
        b.getNamedAttr("n_cols", i64(cols)),
        b.getNamedAttr("round", b.getUnitAttr()),
        b.getNamedAttr("n_rep", i64(reps)),
        b.getNamedAttr("dst_stride", i64(strides[0])),
        b.getNamedAttr("code_stride", i64(strides[1])),
        b.getNamedAttr("basis_stride", i64(strides[2]))};
    if (rshift)
      attrs.push_back(b.getNamedAttr("rshift", i64(rshift)));
    deps(attrs, flags);
    create<ptcir::ShaddOp>(attrs);
  }

  void cfg(ptcir::CfgReg reg, int64_t value,
           ptcir::DepFlags flags = ptcir::DepFlags::none) {
    SmallVector<NamedAttribute> attrs{
        b.getNamedAttr("reg", ptcir::CfgRegAttr::get(ctx, reg)),
        b.getNamedAttr("value", i64(value))};
    deps(attrs, flags);
    create<ptcir::CfgOp>(attrs);
  }

  OpBuilder &b;
  Location loc;
  MLIRContext *ctx;
  int64_t nextOffset = 0;
  ptcir::DataOp lastData;
  std::map<std::tuple<int64_t, int64_t, int64_t>, int64_t> uopIndex;
  SmallVector<std::tuple<int64_t, int64_t, int64_t>> uops;
  std::map<std::vector<std::tuple<int64_t, int64_t, int64_t>>, int64_t>
      sequenceIndex;
};

inline ptcir::DepFlags when(bool condition, ptcir::DepFlags flags) {
  return condition ? flags : ptcir::DepFlags::none;
}

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_PROGRAMBUILDER_H
