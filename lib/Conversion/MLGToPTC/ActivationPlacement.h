//===- ActivationPlacement.h - Intermediate tensors in the global SRAM ----===//
//
// Chooses which intermediate results of a layer graph live in the global
// SRAM window (docs/ptc-sim.md §1.3) instead of DRAM: a first-fit allocator
// over live ranges, so tensors that are never live at the same time share
// bytes, and a tensor that does not fit stays in DRAM.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CONVERSION_MLGTOPTC_ACTIVATIONPLACEMENT_H
#define LIB_CONVERSION_MLGTOPTC_ACTIVATIONPLACEMENT_H

#include "DenseLayers.h"

#include <optional>

namespace mlir::mlg::ptc_lowering {

/// A tensor live from the layer that writes it (`first`) to the last layer
/// that reads it (`last`), both inclusive.
struct LiveTensor {
  int64_t first = 0, last = 0, bytes = 0;
};

/// Byte offsets (multiples of `alignment`) in a memory of `capacity` bytes,
/// first-fit in the order given; std::nullopt for a tensor that does not
/// fit. Two tensors whose live ranges intersect never share a byte.
SmallVector<std::optional<int64_t>>
placeLiveTensors(ArrayRef<LiveTensor> tensors, int64_t capacity,
                 int64_t alignment);

/// For each tensor of `net` (id 0: the network input, id l + 1: layer l's
/// result), its global SRAM offset, or std::nullopt for DRAM. The
/// network's results (the program's outputs) are always in DRAM, the other
/// results when they fit `capacity` bytes; the input only when
/// `stagedInputBytes` > 0 (a copy of that size, live from before layer 0 to
/// its last reader, placed first). `resultBytes[l]`: the packed size of
/// layer l's result.
SmallVector<std::optional<int64_t>>
placeIntermediateResults(const DenseNetwork &net, ArrayRef<int64_t> resultBytes,
                         int64_t capacity, int64_t stagedInputBytes = 0);

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_ACTIVATIONPLACEMENT_H
