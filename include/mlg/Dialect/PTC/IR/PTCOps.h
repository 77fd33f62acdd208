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

#endif // MLG_DIALECT_PTC_IR_PTCOPS_H
