//===- PTCInstructions.h - PTC ops <-> ISA structs --------------*- C++ -*-===//
//
// The one-to-one mapping between `ptc` ops and the ISA library's structs,
// shared by the op verifiers (which validate through the ISA's field
// ranges) and by the binary translations.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_PTC_IR_PTCINSTRUCTIONS_H
#define MLG_DIALECT_PTC_IR_PTCINSTRUCTIONS_H

#include "mlg/Dialect/PTC/IR/PTCOps.h"
#include "mlg/Target/PTC/ISA.h"

#include "mlir/IR/Builders.h"

namespace mlir::mlg::ptc {

/// True for the ops that encode to one instruction word.
bool isInstructionOp(Operation *op);

/// The ISA struct of an instruction op (isInstructionOp(op) must hold; the
/// op's attributes must have passed ODS verification).
::mlg::ptc::isa::Instruction toInstruction(Operation *op);

/// Builds the op of an instruction at the builder's insertion point.
Operation *buildInstructionOp(OpBuilder &builder, Location loc,
                              const ::mlg::ptc::isa::Instruction &insn);

/// The ISA micro-op of a `ptc.uop`.
::mlg::ptc::isa::Uop toUop(UopOp op);

} // namespace mlir::mlg::ptc

#endif // MLG_DIALECT_PTC_IR_PTCINSTRUCTIONS_H
