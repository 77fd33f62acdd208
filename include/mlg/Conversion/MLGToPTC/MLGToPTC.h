//===- MLGToPTC.h - Lowering to the photonic tensor core --------*- C++ -*-===//

#ifndef MLG_CONVERSION_MLGTOPTC_MLGTOPTC_H
#define MLG_CONVERSION_MLGTOPTC_MLGTOPTC_H

#include "mlir/Pass/Pass.h"

namespace mlir::mlg {

#define GEN_PASS_DECL_CONVERTMLGTOPTC
#include "mlg/Conversion/Passes.h.inc"

} // namespace mlir::mlg

#endif // MLG_CONVERSION_MLGTOPTC_MLGTOPTC_H
