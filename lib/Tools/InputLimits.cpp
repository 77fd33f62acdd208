//===- InputLimits.cpp - Resource limits on a tool's input IR -------------===//

#include "mlg/Tools/InputLimits.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/Support/MathExtras.h"

#include <optional>

namespace mlir::mlg {

namespace {
/// Elements of `type`'s static shape when they exceed `maxElements`.
std::optional<uint64_t> getExcessElements(ShapedType type,
                                          int64_t maxElements) {
  if (!type.hasRank())
    return std::nullopt;
  uint64_t elements = 1;
  for (int64_t size : type.getShape()) {
    if (ShapedType::isDynamic(size))
      continue;
    bool overflow = false;
    elements = llvm::SaturatingMultiply(elements, uint64_t(size), &overflow);
    if (overflow)
      return elements;
  }
  if (elements > uint64_t(maxElements))
    return elements;
  return std::nullopt;
}

/// The first too-large shaped type within `type` (functions, tuples...).
std::optional<std::pair<Type, uint64_t>> findExcess(Type type,
                                                    int64_t maxElements) {
  std::optional<std::pair<Type, uint64_t>> found;
  type.walk([&](ShapedType shaped) {
    if (found)
      return WalkResult::interrupt();
    if (std::optional<uint64_t> elements =
            getExcessElements(shaped, maxElements))
      found = {shaped, *elements};
    return WalkResult::advance();
  });
  return found;
}
} // namespace

LogicalResult checkInputLimits(ModuleOp module, int64_t maxElements) {
  // Pre-order: a function's signature is blamed on the function, before
  // any op of its body.
  WalkResult result = module->walk<WalkOrder::PreOrder>([&](Operation *op) {
    auto refuse = [&](Type type, uint64_t elements) {
      op->emitError() << type << " has "
                      << (elements == UINT64_MAX
                              ? std::string("more than 2^64")
                              : std::to_string(elements))
                      << " elements, more than the limit of " << maxElements
                      << " (--max-tensor-elements)";
      return WalkResult::interrupt();
    };
    for (Type type : op->getResultTypes())
      if (auto excess = findExcess(type, maxElements))
        return refuse(excess->first, excess->second);
    for (Type type : op->getOperandTypes())
      if (auto excess = findExcess(type, maxElements))
        return refuse(excess->first, excess->second);
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (Type type : block.getArgumentTypes())
          if (auto excess = findExcess(type, maxElements))
            return refuse(excess->first, excess->second);
    // Attributes: dense constants, function types, type attributes.
    std::optional<std::pair<Type, uint64_t>> inAttribute;
    op->getAttrDictionary().walk([&](Type type) {
      if (!inAttribute)
        if (auto shaped = dyn_cast<ShapedType>(type))
          if (std::optional<uint64_t> elements =
                  getExcessElements(shaped, maxElements))
            inAttribute = {type, *elements};
    });
    if (inAttribute)
      return refuse(inAttribute->first, inAttribute->second);
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

} // namespace mlir::mlg
