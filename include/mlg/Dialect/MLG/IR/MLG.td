//===- MLG.td - MLG dialect umbrella -----------------------*- tablegen -*-===//

#ifndef MLG_DIALECT_MLG_IR_MLG_TD
#define MLG_DIALECT_MLG_IR_MLG_TD

include "mlg/Dialect/MLG/IR/MLGDialect.td"
include "mlg/Dialect/MLG/IR/MLGAttributes.td"
include "mlg/Dialect/MLG/IR/MLGOps.td"

#endif // MLG_DIALECT_MLG_IR_MLG_TD
