//===- Passes.h - MLG transformation passes ---------------------*- C++ -*-===//

#ifndef MLG_DIALECT_MLG_TRANSFORMS_PASSES_H
#define MLG_DIALECT_MLG_TRANSFORMS_PASSES_H

#include "mlg/Dialect/MLG/IR/MLGDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mlg {

/// How mlg-decompose chooses generator sizes.
enum class DecomposeMode { Paper, Auto };
/// Which generators mlg-decompose builds.
enum class GeneratorFamily { MLG, SmartDeal, MLGSmartDeal };
/// How mlg-assign-precision chooses bit widths.
enum class PrecisionMode { Paper, Budget };

#define GEN_PASS_DECL
#include "mlg/Dialect/MLG/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mlg/Dialect/MLG/Transforms/Passes.h.inc"

} // namespace mlir::mlg

#endif // MLG_DIALECT_MLG_TRANSFORMS_PASSES_H
