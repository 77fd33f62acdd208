//===- PTC.td - PTC dialect umbrella -----------------------*- tablegen -*-===//

#ifndef MLG_DIALECT_PTC_IR_PTC_TD
#define MLG_DIALECT_PTC_IR_PTC_TD

include "mlg/Dialect/PTC/IR/PTCDialect.td"
include "mlg/Dialect/PTC/IR/PTCAttributes.td"
include "mlg/Dialect/PTC/IR/PTCOps.td"

#endif // MLG_DIALECT_PTC_IR_PTC_TD
