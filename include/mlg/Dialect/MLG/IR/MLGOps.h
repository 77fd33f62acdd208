//===- MLGOps.h - MLG operations --------------------------------*- C++ -*-===//

#ifndef MLG_DIALECT_MLG_IR_MLGOPS_H
#define MLG_DIALECT_MLG_IR_MLGOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "mlg/Dialect/MLG/IR/MLGAttributes.h"
#include "mlg/Dialect/MLG/IR/MLGDialect.h"
#include "mlg/Dialect/MLG/Utils/QuantGrid.h"

#define GET_OP_CLASSES
#include "mlg/Dialect/MLG/IR/MLG.h.inc"

#endif // MLG_DIALECT_MLG_IR_MLGOPS_H
