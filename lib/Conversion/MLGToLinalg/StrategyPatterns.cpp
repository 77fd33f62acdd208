//===- StrategyPatterns.cpp - Shared parts of the strategy patterns -------===//

#include "StrategyPatterns.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::mlg;

bool mlir::mlg::hasStaticShapes(Operation *op) {
  auto isStatic = [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return !tensor || tensor.hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

ConvGeometry mlir::mlg::getConvGeometry(GeneratedConv2DOp op) {
  ConvGeometry geometry;
  geometry.nchw = op.getLayout() == ConvLayout::nchw_fchw;
  geometry.depthwise = op.getDepthwise();
  geometry.groups = op.getGroups();
  RankedTensorType resultType = op.getResult().getType();
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  auto basisType = cast<RankedTensorType>(op.getBasis().getType());
  int64_t channelDim = geometry.channelDim();
  geometry.inChannels = inputType.getDimSize(channelDim);
  geometry.outChannels = resultType.getDimSize(channelDim);
  geometry.groupIn = geometry.inChannels / geometry.groups;
  geometry.groupOut = geometry.outChannels / geometry.groups;
  geometry.kh = basisType.getDimSize(2);
  geometry.kw = basisType.getDimSize(3);
  geometry.resultShape.assign(resultType.getShape().begin(),
                              resultType.getShape().end());
  geometry.strides.assign(op.getStrides().begin(), op.getStrides().end());
  geometry.dilations.assign(op.getDilations().begin(),
                            op.getDilations().end());
  geometry.padding.assign(op.getPadding().begin(), op.getPadding().end());
  geometry.elementType = resultType.getElementType();
  return geometry;
}

/// Erases the dead ops of `ops`, users before producers.
static void eraseDeadOpsIn(RewriterBase &rewriter,
                           ArrayRef<Operation *> ops) {
  for (Operation *op : llvm::reverse(ops)) {
    for (Region &region : op->getRegions())
      for (Block &block : region) {
        SmallVector<Operation *> nested;
        for (Operation &inner : block)
          nested.push_back(&inner);
        eraseDeadOpsIn(rewriter, nested);
      }
    if (isOpTriviallyDead(op))
      rewriter.eraseOp(op);
  }
}

void mlir::mlg::eraseDeadOps(RewriterBase &rewriter, Operation *previous,
                             Operation *next) {
  SmallVector<Operation *> ops;
  Block::iterator it =
      previous ? std::next(previous->getIterator()) : next->getBlock()->begin();
  for (; &*it != next; ++it)
    ops.push_back(&*it);
  eraseDeadOpsIn(rewriter, ops);
}
