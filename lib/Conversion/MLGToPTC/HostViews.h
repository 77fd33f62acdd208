//===- HostViews.h - Host views of a lowered network's I/O ------*- C++ -*-===//
//
// The float tensors the host exchanges for a program's @input and @output
// (docs/ptc-sim.md §3): the network's NCHW or [M, K] input and its result,
// both stored as pixel rows with zero-padded channels (nchw_pixels).
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CONVERSION_MLGTOPTC_HOSTVIEWS_H
#define LIB_CONVERSION_MLGTOPTC_HOSTVIEWS_H

#include "DenseLayers.h"

#include "mlg/Dialect/PTC/IR/PTCOps.h"

#include "mlir/IR/Builders.h"

namespace mlir::mlg::ptc_lowering {

/// Gives `data` (an @input or @output carrying its scale) the host view
/// `hostShape` (the network's input or result shape) in the nchw_pixels
/// layout; the ptc.data verifier checks it against the symbol's shape.
inline void setPixelHostView(Operation *data, ArrayRef<int64_t> hostShape) {
  Builder b(data->getContext());
  data->setAttr(ptc::kHostShapeAttrName, b.getDenseI64ArrayAttr(hostShape));
  data->setAttr(ptc::kHostLayoutAttrName, b.getStringAttr("nchw_pixels"));
}

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_HOSTVIEWS_H
