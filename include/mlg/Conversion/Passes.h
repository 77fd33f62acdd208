//===- Passes.h - MLG conversion passes -------------------------*- C++ -*-===//

#ifndef MLG_CONVERSION_PASSES_H
#define MLG_CONVERSION_PASSES_H

#include "mlg/Conversion/MLGToLinalg/MLGToLinalg.h"
#include "mlg/Conversion/MLGToLinalg/Strategies.h"
#include "mlg/Conversion/MLGToPTC/MLGToPTC.h"
#include "mlg/Dialect/PTC/IR/PTCDialect.h"

namespace mlir::mlg {

#define GEN_PASS_REGISTRATION
#include "mlg/Conversion/Passes.h.inc"

} // namespace mlir::mlg

#endif // MLG_CONVERSION_PASSES_H
