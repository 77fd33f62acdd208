//===- MLGToLinalg.h - Reference lowering of mlg to linalg ------*- C++ -*-===//

#ifndef MLG_CONVERSION_MLGTOLINALG_MLGTOLINALG_H
#define MLG_CONVERSION_MLGTOLINALG_MLGTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
class OpBuilder;
class Location;
class Value;

namespace mlg {

#define GEN_PASS_DECL_CONVERTMLGTOLINALG
#include "mlg/Conversion/Passes.h.inc"

/// Patterns rewriting every mlg op into linalg on tensors.
void populateMLGToLinalgPatterns(RewritePatternSet &patterns);

/// Builds `linalg` ops computing the weight `V * (U (x) basis)` from its
/// generators; `coeffIn` and `coeffOut` may be null (level absent).
Value buildGeneratedWeight(OpBuilder &builder, Location loc, Value basis,
                           Value coeffIn, Value coeffOut);

} // namespace mlg
} // namespace mlir

#endif // MLG_CONVERSION_MLGTOLINALG_MLGTOLINALG_H
