//===- Quantization.cpp - Symmetric grid quantizers -----------------------===//
//
// Scales are chosen here; the grids themselves (code ranges, decoding,
// midtread encoding) are QuantGrid's.
//
//===----------------------------------------------------------------------===//

#include "mlg/Compression/Quantization.h"
#include "Numerics.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <optional>

using namespace mlir::mlg;
using namespace mlir::mlg::compression;

namespace {
/// Channels of a tensor: element i lies in channel (i / inner) % count.
struct Channels {
  int64_t count = 1, inner = 1;
  int64_t of(size_t i) const { return int64_t(i) / inner % count; }
};

/// Channel layout for `axis` (< 0: one channel), or nullopt when `shape` does
/// not describe `size` elements or `axis` is out of range.
std::optional<Channels> channelsFor(size_t size, llvm::ArrayRef<int64_t> shape,
                                    int64_t axis) {
  int64_t total = 1;
  for (int64_t d : shape)
    if (d < 0 || llvm::MulOverflow(total, d, total))
      return std::nullopt;
  if (total != int64_t(size) || axis >= int64_t(shape.size()))
    return std::nullopt;
  Channels c;
  if (axis < 0)
    return c;
  c.count = shape[axis];
  for (int64_t d : shape.drop_front(axis + 1))
    c.inner *= d;
  return c;
}

/// Midrise quantization of `values` with one scale per channel. Codes use the
/// official formula n = round((t/(2r)+0.5)(2^b-1)) (ties to even, as
/// torch.round), code = n - 2^(b-1); QuantGrid::encode would round ties away
/// from zero instead (e.g. t = 0 would go to -scale/2, not +scale/2).
QuantizedTensor midrise(llvm::ArrayRef<double> values, unsigned bits,
                        bool applyTanh, Channels ch, int64_t axis) {
  if (bits < 1 || bits > kMaxCodeBits || !allFinite(values))
    return {};
  // 1 bit is sign(x) * mean|x| in the official code, without tanh.
  bool tanh = applyTanh && bits > 1;
  std::vector<double> t(values.begin(), values.end());
  if (tanh)
    for (double &x : t)
      x = std::tanh(x);

  // r = max|t| per channel (bits >= 2), or E = mean|x| (1 bit).
  std::vector<double> range(ch.count, 0.0);
  std::vector<int64_t> counts(ch.count, 0);
  for (size_t i = 0; i < t.size(); ++i) {
    double &r = range[ch.of(i)];
    r = bits == 1 ? r + std::abs(t[i]) : std::max(r, std::abs(t[i]));
    ++counts[ch.of(i)];
  }
  if (bits == 1)
    for (int64_t c = 0; c < ch.count; ++c)
      range[c] = counts[c] ? range[c] / double(counts[c]) : 0.0;

  QuantizedTensor q;
  q.grid.scheme = GridScheme::Midrise;
  q.grid.bits = bits;
  q.grid.axis = axis;
  double levels = double((int64_t(1) << bits) - 1);
  for (double r : range)
    q.grid.scales.push_back(r == 0      ? kZeroMidriseScale
                            : bits == 1 ? 2 * r
                                        : 2 * r / levels);

  q.codes.resize(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    double r = range[ch.of(i)];
    if (r == 0) {
      q.codes[i] = 0; // all-zero channel: decodes to +kZeroMidriseScale/2
      continue;
    }
    if (bits == 1) {
      q.codes[i] = t[i] >= 0 ? 0 : -1; // +-E
      continue;
    }
    double n = std::nearbyint((t[i] / (2 * r) + 0.5) * levels);
    n = std::clamp(n, 0.0, levels);
    q.codes[i] = int64_t(n) + q.grid.minCode(); // n - 2^(b-1)
  }
  return q;
}
} // namespace

QuantizedTensor
mlir::mlg::compression::quantizeMidrise(llvm::ArrayRef<double> values,
                                        unsigned bits, bool applyTanh) {
  return midrise(values, bits, applyTanh, Channels{}, -1);
}

QuantizedTensor
mlir::mlg::compression::quantizeMidrisePerChannel(llvm::ArrayRef<double> values,
                                                  llvm::ArrayRef<int64_t> shape,
                                                  unsigned bits, int64_t axis) {
  std::optional<Channels> ch = channelsFor(values.size(), shape, axis);
  if (!ch || axis < 0)
    return {};
  return midrise(values, bits, /*applyTanh=*/false, *ch, axis);
}

QuantizedTensor
mlir::mlg::compression::quantizeMidtread(llvm::ArrayRef<double> values,
                                         llvm::ArrayRef<int64_t> shape,
                                         unsigned bits, int64_t axis) {
  std::optional<Channels> ch = channelsFor(values.size(), shape, axis);
  if (!ch || bits < 2 || bits > kMaxCodeBits || !allFinite(values))
    return {};
  std::vector<double> maxAbs(ch->count, 0.0);
  for (size_t i = 0; i < values.size(); ++i)
    maxAbs[ch->of(i)] = std::max(maxAbs[ch->of(i)], std::abs(values[i]));

  QuantizedTensor q;
  q.grid.scheme = GridScheme::Midtread;
  q.grid.bits = bits;
  q.grid.axis = axis < 0 ? -1 : axis;
  double maxCode = double(maxCodeFor(GridScheme::Midtread, bits));
  for (double m : maxAbs)
    q.grid.scales.push_back(m == 0 ? 1.0 : m / maxCode);
  q.codes.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    q.codes[i] = q.grid.encode(values[i], ch->of(i));
  return q;
}

std::vector<double>
mlir::mlg::compression::dequantize(const QuantizedTensor &q,
                                   llvm::ArrayRef<int64_t> shape) {
  std::optional<Channels> ch = channelsFor(q.codes.size(), shape, q.grid.axis);
  if (!q.isValid() || !ch ||
      int64_t(q.grid.scales.size()) != (q.grid.isPerTensor() ? 1 : ch->count))
    return {};
  std::vector<double> out(q.codes.size());
  for (size_t i = 0; i < q.codes.size(); ++i)
    out[i] = q.grid.decode(q.codes[i], ch->of(i));
  return out;
}
