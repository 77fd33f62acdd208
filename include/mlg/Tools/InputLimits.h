//===- InputLimits.h - Resource limits on a tool's input IR -----*- C++ -*-===//
//
// A tensor type is a few bytes of text but may stand for terabytes: a
// compiler fed `tensor<1000000x1000000xf32>` would die of an out-of-memory
// kill in the middle of a pass. Tools check their parsed input first and
// refuse such a module with a located error (docs/errors.md, "Resource
// limits").
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TOOLS_INPUTLIMITS_H
#define MLG_TOOLS_INPUTLIMITS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace mlir::mlg {

/// The largest statically shaped tensor or memref (operand, result, block
/// argument, function signature or attribute), in elements. 2^28 elements
/// are 1 GiB of f32: ten times the largest tensor of the benchmark models.
inline constexpr int64_t kDefaultMaxTensorElements = int64_t(1) << 28;

/// Emits an error at the first op whose types or attributes hold a shaped
/// type with more than `maxElements` elements (counted without overflow)
/// and fails.
LogicalResult checkInputLimits(ModuleOp module,
                               int64_t maxElements = kDefaultMaxTensorElements);

} // namespace mlir::mlg

#endif // MLG_TOOLS_INPUTLIMITS_H
