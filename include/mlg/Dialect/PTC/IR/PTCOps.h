//===- PTCOps.h - PTC operations --------------------------------*- C++ -*-===//

#ifndef MLG_DIALECT_PTC_IR_PTCOPS_H
#define MLG_DIALECT_PTC_IR_PTCOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"

#include "mlg/Dialect/PTC/IR/PTCDialect.h"

#include "mlg/Dialect/PTC/IR/PTCEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mlg/Dialect/PTC/IR/PTCAttributes.h.inc"

#define GET_OP_CLASSES
#include "mlg/Dialect/PTC/IR/PTC.h.inc"

namespace mlir::mlg::ptc {
/// Discardable attribute of `ptc.data` (binary symbol role): "input" or
/// "output" marks a tensor the host writes before or reads after a run,
/// "activation" a zero-initialised tensor the program writes and reads
/// (an intermediate result; format version 3).
inline constexpr llvm::StringLiteral kRoleAttrName = "role";
/// The host's float view of an input/output (binary format version 3):
/// `scale` (f64: codes = round(x / scale)), `host_shape` (the float shape,
/// array<i64>) and `host_layout` ("identity" or "nchw_pixels"), see
/// docs/ptc-sim.md §3. `scale` alone is allowed and stays in the dialect.
inline constexpr llvm::StringLiteral kScaleAttrName = "scale";
inline constexpr llvm::StringLiteral kHostShapeAttrName = "host_shape";
inline constexpr llvm::StringLiteral kHostLayoutAttrName = "host_layout";
/// Optional with "nchw_pixels" and a rank-4 host shape (i64, 0 to 65535):
/// zero pixels stored left and right of every image row.
inline constexpr llvm::StringLiteral kHostRowPaddingAttrName =
    "host_row_padding";
/// Discardable attribute of `ptc.data`: "global_sram" places the tensor in
/// the global SRAM window (binary symbol flag bit 3): `offset` counts from
/// isa::kGlobalSramBase, the value must be zero. Absent: DRAM.
inline constexpr llvm::StringLiteral kSpaceAttrName = "space";
inline constexpr llvm::StringLiteral kGlobalSramSpace = "global_sram";
/// The LOAD/STORE address of a ptc.data (its offset, plus the window base
/// for a global SRAM tensor).
uint64_t getDataAddress(DataOp op);
} // namespace mlir::mlg::ptc

#endif // MLG_DIALECT_PTC_IR_PTCOPS_H
