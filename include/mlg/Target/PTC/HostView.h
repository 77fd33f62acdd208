//===- HostView.h - Float host tensors <-> a symbol's codes -----*- C++ -*-===//
//
// The host side of a program input or output with a host view (Binary.h,
// docs/ptc-sim.md §3): a float tensor in the host's shape and layout becomes
// the symbol's integer codes, and the codes of an output become floats.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_PTC_HOSTVIEW_H
#define MLG_TARGET_PTC_HOSTVIEW_H

#include "mlg/Target/PTC/Binary.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace mlg::ptc::bin {

/// For each host element in row-major host order, the row-major index of
/// the symbol element that holds it. `symbol.host` must be set.
std::vector<uint64_t> getHostElementPositions(const DataSymbol &symbol);

/// The symbol's codes for a host float tensor (row-major, host shape):
/// clip(round-half-to-even(x / scale)) to the element range, every symbol
/// element the host does not cover zero. Fails on a NaN or infinity,
/// naming the element.
llvm::Expected<std::vector<int64_t>>
quantizeHostTensor(const DataSymbol &symbol, llvm::ArrayRef<float> values);

/// The host float tensor (row-major, host shape) of the symbol's codes:
/// code * scale; symbol elements the host does not cover are dropped.
std::vector<float> dequantizeHostTensor(const DataSymbol &symbol,
                                        llvm::ArrayRef<int64_t> codes);

} // namespace mlg::ptc::bin

#endif // MLG_TARGET_PTC_HOSTVIEW_H
