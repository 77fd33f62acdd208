//===- PTCDialect.cpp - PTC dialect ---------------------------------------===//

#include "mlg/Dialect/PTC/IR/PTCDialect.h"
#include "mlg/Dialect/PTC/IR/PTCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::mlg::ptc;

#include "mlg/Dialect/PTC/IR/PTCDialect.cpp.inc"
#include "mlg/Dialect/PTC/IR/PTCEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "mlg/Dialect/PTC/IR/PTCAttributes.cpp.inc"

void PTCDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mlg/Dialect/PTC/IR/PTC.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mlg/Dialect/PTC/IR/PTCAttributes.cpp.inc"
      >();
}
