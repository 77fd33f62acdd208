//===- HostView.cpp - Float host tensors <-> a symbol's codes -------------===//

#include "mlg/Target/PTC/HostView.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <string>

using namespace mlg::ptc;
using namespace mlg::ptc::bin;

std::vector<uint64_t>
mlg::ptc::bin::getHostElementPositions(const DataSymbol &symbol) {
  const HostView &view = *symbol.host;
  std::vector<uint64_t> positions;
  positions.reserve(view.getNumElements());
  if (view.layout == HostLayout::Identity) {
    for (uint64_t i = 0, e = view.getNumElements(); i < e; ++i)
      positions.push_back(i);
    return positions;
  }
  // nchw_pixels: host (n, c, h, w) is symbol row (n*H + h)*W + w, column c.
  uint64_t images = view.shape[0], channels = view.shape[1];
  uint64_t height = view.shape.size() == 4 ? view.shape[2] : 1;
  uint64_t width = view.shape.size() == 4 ? view.shape[3] : 1;
  uint64_t columns = symbol.shape[1];
  for (uint64_t n = 0; n < images; ++n)
    for (uint64_t c = 0; c < channels; ++c)
      for (uint64_t h = 0; h < height; ++h)
        for (uint64_t w = 0; w < width; ++w)
          positions.push_back(((n * height + h) * width + w) * columns + c);
  return positions;
}

/// "(i0, i1, ...)": the multi-index of row-major element `index`.
static std::string formatIndex(uint64_t index,
                               llvm::ArrayRef<uint32_t> shape) {
  std::vector<uint64_t> digits(shape.size());
  for (size_t dim = shape.size(); dim-- > 0;) {
    digits[dim] = index % shape[dim];
    index /= shape[dim];
  }
  std::string text = "(";
  for (auto [dim, digit] : llvm::enumerate(digits))
    text += (dim ? ", " : "") + std::to_string(digit);
  return text + ")";
}

llvm::Expected<std::vector<int64_t>>
mlg::ptc::bin::quantizeHostTensor(const DataSymbol &symbol,
                                  llvm::ArrayRef<float> values) {
  const HostView &view = *symbol.host;
  if (values.size() != view.getNumElements())
    return llvm::createStringError(
        "%zu values given, the host shape holds %llu", values.size(),
        static_cast<unsigned long long>(view.getNumElements()));
  double lo = symbol.isSigned ? -std::ldexp(1.0, symbol.elemBits - 1) : 0;
  double hi = symbol.isSigned ? std::ldexp(1.0, symbol.elemBits - 1) - 1
                              : std::ldexp(1.0, symbol.elemBits) - 1;
  std::vector<int64_t> codes(symbol.getNumElements(), 0);
  std::vector<uint64_t> positions = getHostElementPositions(symbol);
  for (size_t index = 0; index < values.size(); ++index) {
    float value = values[index];
    uint64_t position = positions[index];
    if (!std::isfinite(value))
      return llvm::createStringError(
          "element " + std::to_string(index) + " " +
          formatIndex(index, view.shape) + " is " + std::to_string(value) +
          ", not a finite number");
    // nearbyint rounds half to even (the default rounding mode), as
    // numpy's round does.
    double code = std::nearbyint(static_cast<double>(value) / view.scale);
    codes[position] = static_cast<int64_t>(std::clamp(code, lo, hi));
  }
  return codes;
}

std::vector<float>
mlg::ptc::bin::dequantizeHostTensor(const DataSymbol &symbol,
                                    llvm::ArrayRef<int64_t> codes) {
  std::vector<float> values;
  values.reserve(symbol.host->getNumElements());
  for (uint64_t position : getHostElementPositions(symbol))
    values.push_back(static_cast<float>(codes[position] * symbol.host->scale));
  return values;
}
