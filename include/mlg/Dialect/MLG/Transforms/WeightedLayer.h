//===- WeightedLayer.h - Convolutions and matmuls with weights --*- C++ -*-===//
//
// The layers compression acts on: a linalg convolution or matmul and the
// operand holding its weight, with the map between that operand's layout and
// the canonical generated kernel [Co, Ci, kh, kw] that mlg ops produce.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_MLG_TRANSFORMS_WEIGHTEDLAYER_H
#define MLG_DIALECT_MLG_TRANSFORMS_WEIGHTEDLAYER_H

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"

#include <string>
#include <vector>

namespace mlir::mlg {

enum class LayerKind { Conv2D, GroupedConv2D, DepthwiseConv2D, Linear };

/// "conv2d", "grouped_conv2d", "depthwise_conv2d" or "linear".
StringRef stringifyLayerKind(LayerKind kind);

struct WeightedLayer {
  Operation *op = nullptr;
  unsigned weightOperand = 0;
  LayerKind kind = LayerKind::Conv2D;
  /// Generator view of the weight: [co, ci, kh, kw] is what mlg ops generate
  /// (depthwise: co = 1, ci = channels, one shared set of bases; linear:
  /// kh = kw = 1 and the generated kernel is rank 2; grouped: co counts all
  /// groups' filters, ci the channels per group).
  int64_t co = 0, ci = 0, kh = 0, kw = 0;
  /// Output channels of the layer (differs from co for depthwise only).
  int64_t outChannels = 0;
  /// Multiply-accumulates of one execution of the op.
  int64_t macs = 0;

  /// Shape mlg ops generate: [co, ci, kh, kw], or [co, ci] for linear.
  SmallVector<int64_t> generatedShape() const;
  /// Shape of the weight operand.
  ArrayRef<int64_t> weightShape() const;
  Value weight() const { return op->getOperand(weightOperand); }

  /// Row-major weight operand data reordered to the generated layout.
  std::vector<double> toGenerated(ArrayRef<double> operandData) const;
  /// Emits the reshape/transpose taking a generated kernel to the operand's
  /// layout (returns `generated` itself when the layouts agree).
  Value fromGenerated(OpBuilder &b, Location loc, Value generated) const;
  /// The generated kernel [co, ci, kh, kw] the weight operand is made from
  /// when the ops between them are exactly what `fromGenerated` emits (the
  /// inverse match, for passes that fold the adaptation away); else null.
  Value matchGenerated() const;

private:
  friend FailureOr<WeightedLayer> matchWeightedLayer(Operation *,
                                                     std::string *);
  /// Reshape of the generated kernel before transposing: to this shape when
  /// non-empty (grouped: split co; depthwise: drop the unit co).
  SmallVector<int64_t> reshapedShape;
  SmallVector<ReassociationIndices> reassociation;
  bool expand = false;
  /// linalg.transpose permutation applied after the reshape (empty: none).
  SmallVector<int64_t> permutation;
};

/// The weighted layer `op` is, if it is one of the supported linalg ops with
/// static shapes. Otherwise failure, and `whyNot` explains when `op` is a
/// convolution or matmul that is not supported (left empty for other ops).
FailureOr<WeightedLayer> matchWeightedLayer(Operation *op,
                                            std::string *whyNot = nullptr);

/// The layer's name: its outermost name location (`loc("layer1.0.conv1")`),
/// else `#index`.
std::string layerName(Operation *op, unsigned index);

} // namespace mlir::mlg

#endif // MLG_DIALECT_MLG_TRANSFORMS_WEIGHTEDLAYER_H
