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
/// Discardable attribute of `ptc.data`: "input" or "output" marks a tensor
/// the host writes before or reads after a run (binary symbol role).
inline constexpr llvm::StringLiteral kRoleAttrName = "role";
/// The host's float view of an input/output (binary format version 3):
/// `scale` (f64: codes = round(x / scale)), `host_shape` (the float shape,
/// array<i64>) and `host_layout` ("identity" or "nchw_pixels"), see
/// docs/ptc-sim.md §3. `scale` alone is allowed and stays in the dialect.
inline constexpr llvm::StringLiteral kScaleAttrName = "scale";
inline constexpr llvm::StringLiteral kHostShapeAttrName = "host_shape";
inline constexpr llvm::StringLiteral kHostLayoutAttrName = "host_layout";
} // namespace mlir::mlg::ptc

#endif // MLG_DIALECT_PTC_IR_PTCOPS_H
