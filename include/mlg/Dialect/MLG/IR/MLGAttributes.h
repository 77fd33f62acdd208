//===- MLGAttributes.h - MLG attributes and enums ---------------*- C++ -*-===//

#ifndef MLG_DIALECT_MLG_IR_MLGATTRIBUTES_H
#define MLG_DIALECT_MLG_IR_MLGATTRIBUTES_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "mlg/Dialect/MLG/IR/MLGEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mlg/Dialect/MLG/IR/MLGAttributes.h.inc"

#endif // MLG_DIALECT_MLG_IR_MLGATTRIBUTES_H
