//===- MLGDialect.cpp - MLG dialect ---------------------------------------===//

#include "mlg/Dialect/MLG/IR/MLGDialect.h"
#include "mlg/Dialect/MLG/IR/MLGAttributes.h"
#include "mlg/Dialect/MLG/IR/MLGOps.h"

using namespace mlir;
using namespace mlir::mlg;

#include "mlg/Dialect/MLG/IR/MLGDialect.cpp.inc"

void MLGDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mlg/Dialect/MLG/IR/MLG.cpp.inc"
      >();
  registerAttributes();
}
