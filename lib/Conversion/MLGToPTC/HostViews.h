//===- HostViews.h - Host views of a lowered network's I/O ------*- C++ -*-===//
//
// The float tensors the host exchanges for a program's @input and @output
// (docs/ptc-sim.md §3): the network's NCHW or [M, K] input and its output,
// both stored as pixel rows with zero-padded channels (nchw_pixels).
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CONVERSION_MLGTOPTC_HOSTVIEWS_H
#define LIB_CONVERSION_MLGTOPTC_HOSTVIEWS_H

#include "DenseLayers.h"

#include "mlg/Dialect/PTC/IR/PTCOps.h"

#include "mlir/IR/Builders.h"

namespace mlir::mlg::ptc_lowering {

/// [N, Co, Ho, Wo] for an image network (Ho, Wo of its last strided or
/// k x k convolution, else the input's: 1x1 stride-1 layers keep them);
/// [rows, outFeatures] for a matmul chain.
inline SmallVector<int64_t> getOutputHostShape(const DenseNetwork &net) {
  const DenseLayer &last = net.layers.back();
  if (!net.isImage())
    return {net.rows, last.outFeatures};
  int64_t height = net.inputShape[2], width = net.inputShape[3];
  for (const DenseLayer &layer : llvm::reverse(net.layers))
    if (layer.conv) {
      height = layer.conv->outH;
      width = layer.conv->outW;
      break;
    }
  return {net.inputShape[0], last.outFeatures, height, width};
}

/// Gives `data` (an @input or @output carrying its scale) the host view
/// `hostShape` in the nchw_pixels layout; the ptc.data verifier checks it
/// against the symbol's [pixels][padded channels] shape.
inline void setPixelHostView(Operation *data, ArrayRef<int64_t> hostShape) {
  Builder b(data->getContext());
  data->setAttr(ptc::kHostShapeAttrName, b.getDenseI64ArrayAttr(hostShape));
  data->setAttr(ptc::kHostLayoutAttrName, b.getStringAttr("nchw_pixels"));
}

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_HOSTVIEWS_H
