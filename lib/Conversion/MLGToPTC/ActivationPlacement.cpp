//===- ActivationPlacement.cpp - Intermediate tensors in the global SRAM --===//

#include "ActivationPlacement.h"

#include "ProgramBuilder.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::mlg;
using namespace mlir::mlg::ptc_lowering;

SmallVector<std::optional<int64_t>>
ptc_lowering::placeLiveTensors(ArrayRef<LiveTensor> tensors, int64_t capacity,
                               int64_t alignment) {
  SmallVector<std::optional<int64_t>> offsets(tensors.size());
  for (size_t t = 0; t < tensors.size(); ++t) {
    const LiveTensor &tensor = tensors[t];
    // Byte ranges of the placed tensors live at the same time, by offset.
    SmallVector<std::pair<int64_t, int64_t>> busy;
    for (size_t other = 0; other < t; ++other)
      if (offsets[other] && tensors[other].first <= tensor.last &&
          tensor.first <= tensors[other].last)
        busy.push_back({*offsets[other], *offsets[other] + tensors[other].bytes});
    std::sort(busy.begin(), busy.end());
    // The lowest aligned gap that holds the tensor.
    int64_t candidate = 0;
    for (auto [begin, end] : busy) {
      if (candidate + tensor.bytes <= begin)
        break;
      candidate = std::max(candidate, roundUp(end, alignment));
    }
    if (candidate + tensor.bytes <= capacity)
      offsets[t] = candidate;
  }
  return offsets;
}

SmallVector<std::optional<int64_t>> ptc_lowering::placeIntermediateResults(
    const DenseNetwork &net, ArrayRef<int64_t> resultBytes, int64_t capacity,
    int64_t stagedInputBytes) {
  const int64_t numLayers = net.layers.size();
  // A tensor is live from the layer that writes it (-1: the staging before
  // layer 0) to its last reader, e.g. across a residual block.
  auto liveTensor = [&](int64_t id, int64_t first, int64_t bytes) {
    LiveTensor tensor{first, first, bytes};
    for (int64_t reader = first + 1; reader < numLayers; ++reader)
      if (llvm::is_contained(net.layers[reader].inputs, id))
        tensor.last = reader;
    return tensor;
  };
  SmallVector<LiveTensor> tensors;
  SmallVector<int64_t> idOf;
  if (stagedInputBytes > 0) {
    tensors.push_back(liveTensor(0, -1, stagedInputBytes));
    idOf.push_back(0);
  }
  for (int64_t l = 0; l < numLayers; ++l) {
    if (net.outputIndex(l) >= 0)
      continue;
    tensors.push_back(liveTensor(l + 1, l, resultBytes[l]));
    idOf.push_back(l + 1);
  }
  SmallVector<std::optional<int64_t>> placed =
      placeLiveTensors(tensors, capacity, /*alignment=*/16);
  SmallVector<std::optional<int64_t>> offsets(numLayers + 1);
  for (auto [index, id] : llvm::enumerate(idOf))
    offsets[id] = placed[index];
  return offsets;
}
