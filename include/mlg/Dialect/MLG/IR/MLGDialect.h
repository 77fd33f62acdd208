//===- MLGDialect.h - MLG dialect -------------------------------*- C++ -*-===//

#ifndef MLG_DIALECT_MLG_IR_MLGDIALECT_H
#define MLG_DIALECT_MLG_IR_MLGDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "mlg/Dialect/MLG/IR/MLGDialect.h.inc"

#endif // MLG_DIALECT_MLG_IR_MLGDIALECT_H
