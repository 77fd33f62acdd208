//===- PTCDialect.h - PTC dialect -------------------------------*- C++ -*-===//

#ifndef MLG_DIALECT_PTC_IR_PTCDIALECT_H
#define MLG_DIALECT_PTC_IR_PTCDIALECT_H

#include "mlir/IR/Dialect.h"

#include "mlg/Dialect/PTC/IR/PTCDialect.h.inc"

#endif // MLG_DIALECT_PTC_IR_PTCDIALECT_H
