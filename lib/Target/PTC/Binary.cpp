//===- Binary.cpp - PTC program file format -------------------------------===//

#include "mlg/Target/PTC/Binary.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

using namespace mlg::ptc;
using namespace mlg::ptc::bin;
using llvm::StringRef;

// Header field offsets (docs/isa.md, "File format").
namespace {
enum HeaderField : uint32_t {
  kVersionAt = 8,
  kHeaderBytesAt = 12,
  kFileBytesAt = 16,
  kFlagsAt = 20,
  kCodeOffsetAt = 24,
  kCodeCountAt = 28,
  kUopOffsetAt = 32,
  kUopCountAt = 36,
  kDataOffsetAt = 40,
  kDataBytesAt = 44,
  kSymtabOffsetAt = 48,
  kSymbolCountAt = 52,
  kStrtabOffsetAt = 56,
  kStrtabBytesAt = 60,
};

// Symbol entry field offsets.
enum SymbolField : uint32_t {
  kNameOffsetAt = 0,
  kNameBytesAt = 4,
  kSymDataOffsetAt = 8,
  kSymDataBytesAt = 12,
  kElemBitsAt = 16,
  kSymFlagsAt = 17,
  kRankAt = 18,
  kSymReservedAt = 19,
  kDimsAt = 20,
  kSymReserved2At = 36,
};

// Host view entry field offsets (format version 3).
enum HostViewField : uint32_t {
  kViewSymbolAt = 0,
  kViewLayoutAt = 4,
  kViewRankAt = 5,
  kViewRowPaddingAt = 6,
  kViewScaleAt = 8,
  kViewDimsAt = 16,
};
} // namespace

static llvm::Error errorAt(uint64_t offset, const llvm::Twine &message) {
  return llvm::createStringError("offset " + llvm::Twine(offset) + ": " +
                                 message);
}

uint64_t DataSymbol::getNumElements() const {
  uint64_t count = 1;
  for (uint32_t dim : shape)
    count *= dim;
  return count;
}

uint64_t mlg::ptc::bin::getPackedBytes(uint64_t numElements,
                                       unsigned elemBits) {
  return (numElements * elemBits + 7) / 8;
}

//===----------------------------------------------------------------------===//
// Host views
//===----------------------------------------------------------------------===//

uint64_t HostView::getNumElements() const {
  uint64_t count = 1;
  for (uint32_t dim : shape)
    count *= dim;
  return count;
}

llvm::StringRef mlg::ptc::bin::getSymbolRoleName(SymbolRole role) {
  switch (role) {
  case SymbolRole::Data:
    return "data";
  case SymbolRole::Input:
    return "input";
  case SymbolRole::Output:
    return "output";
  case SymbolRole::Activation:
    return "activation";
  }
  llvm_unreachable("unknown symbol role");
}

llvm::StringRef mlg::ptc::bin::getHostLayoutName(HostLayout layout) {
  return layout == HostLayout::Identity ? "identity" : "nchw_pixels";
}

std::optional<HostLayout> mlg::ptc::bin::parseHostLayout(StringRef name) {
  if (name == "identity")
    return HostLayout::Identity;
  if (name == "nchw_pixels")
    return HostLayout::NchwPixels;
  return std::nullopt;
}

/// The shortest decimal that reads back as exactly `value`.
static std::string formatScale(double value) {
  char text[32];
  std::to_chars_result result = std::to_chars(text, text + sizeof(text), value);
  return std::string(text, result.ptr);
}

static std::string formatDims(llvm::ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os);
  os << ']';
  return text;
}

llvm::Error mlg::ptc::bin::checkHostShape(HostLayout layout,
                                          llvm::ArrayRef<int64_t> hostShape,
                                          llvm::ArrayRef<int64_t> symbolShape,
                                          int64_t rowPadding) {
  if (hostShape.empty() || hostShape.size() > kMaxSymbolRank)
    return llvm::createStringError("host rank " +
                                   llvm::Twine(hostShape.size()) +
                                   " is not in [1, " +
                                   llvm::Twine(kMaxSymbolRank) + "]");
  for (auto [dim, size] : llvm::enumerate(hostShape))
    if (size < 1 || size > UINT32_MAX)
      return llvm::createStringError("host dimension " + llvm::Twine(dim) +
                                     " = " + llvm::Twine(size) +
                                     " is not in [1, 2^32 - 1]");
  if (rowPadding < 0 || rowPadding > UINT16_MAX)
    return llvm::createStringError("row padding " + llvm::Twine(rowPadding) +
                                   " is not in [0, 65535]");
  if (rowPadding &&
      (layout != HostLayout::NchwPixels || hostShape.size() != 4))
    return llvm::createStringError(
        "row padding " + llvm::Twine(rowPadding) +
        " needs layout nchw_pixels with a [N, C, H, W] host shape");
  if (layout == HostLayout::Identity) {
    if (hostShape != symbolShape)
      return llvm::createStringError(
          "host shape " + formatDims(hostShape) +
          " with layout identity must equal the symbol's shape " +
          formatDims(symbolShape));
    return llvm::Error::success();
  }
  if (hostShape.size() != 2 && hostShape.size() != 4)
    return llvm::createStringError(
        "host shape " + formatDims(hostShape) +
        " with layout nchw_pixels must be [N, C, H, W] or [N, K]");
  // Rows N*H*(W+2p), compared step by step so that nothing overflows.
  uint64_t rows = hostShape[0];
  bool rowsMatch = symbolShape.size() == 2;
  for (size_t dim = 2; dim < hostShape.size() && rowsMatch; ++dim) {
    rowsMatch = rows <= uint64_t(symbolShape[0]);
    rows *= hostShape[dim] + (dim == 3 ? 2 * rowPadding : 0);
  }
  if (!rowsMatch || rows != uint64_t(symbolShape[0]) ||
      hostShape[1] > symbolShape[1]) {
    std::string rowRule =
        rowPadding ? "N*H*(W+2*" + std::to_string(rowPadding) + ")" : "N*H*W";
    return llvm::createStringError(
        "host shape " + formatDims(hostShape) +
        " with layout nchw_pixels needs a rank-2 symbol of " + rowRule +
        " rows and at least C columns, the symbol is " +
        formatDims(symbolShape));
  }
  return llvm::Error::success();
}

/// The checks a host view must pass for `symbol` (writer and reader).
static llvm::Error checkHostView(const DataSymbol &symbol) {
  const HostView &view = *symbol.host;
  if (!isHostVisible(symbol.role))
    return llvm::createStringError(
        "a host view needs an input or output symbol");
  if (!std::isfinite(view.scale) || !(view.scale > 0))
    return llvm::createStringError("scale " + formatScale(view.scale) +
                                   " is not a finite positive number");
  std::vector<int64_t> hostShape(view.shape.begin(), view.shape.end());
  std::vector<int64_t> symbolShape(symbol.shape.begin(), symbol.shape.end());
  return checkHostShape(view.layout, hostShape, symbolShape, view.rowPadding);
}

//===----------------------------------------------------------------------===//
// Bit packing
//===----------------------------------------------------------------------===//

llvm::Expected<std::vector<uint8_t>>
mlg::ptc::bin::packElements(llvm::ArrayRef<int64_t> values, unsigned elemBits,
                            bool isSigned) {
  if (elemBits < 1 || elemBits > 16)
    return llvm::createStringError("element width %u is not in [1, 16]",
                                   elemBits);
  int64_t lo = isSigned ? -(int64_t(1) << (elemBits - 1)) : 0;
  int64_t hi = isSigned ? (int64_t(1) << (elemBits - 1)) - 1
                        : (int64_t(1) << elemBits) - 1;
  std::vector<uint8_t> bytes(getPackedBytes(values.size(), elemBits), 0);
  uint64_t bit = 0;
  for (auto [index, value] : llvm::enumerate(values)) {
    if (value < lo || value > hi)
      return llvm::createStringError(
          "element %zu = %lld does not fit %u %s bits", index,
          static_cast<long long>(value), elemBits,
          isSigned ? "signed" : "unsigned");
    uint64_t raw = static_cast<uint64_t>(value) & ((1u << elemBits) - 1);
    for (unsigned b = 0; b < elemBits; ++b, ++bit)
      if ((raw >> b) & 1)
        bytes[bit / 8] |= uint8_t(1u << (bit % 8));
  }
  return bytes;
}

std::vector<int64_t>
mlg::ptc::bin::unpackElements(llvm::ArrayRef<uint8_t> bytes, uint64_t count,
                              unsigned elemBits, bool isSigned) {
  std::vector<int64_t> values;
  values.reserve(count);
  uint64_t bit = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t raw = 0;
    for (unsigned b = 0; b < elemBits; ++b, ++bit)
      raw |= uint64_t((bytes[bit / 8] >> (bit % 8)) & 1) << b;
    int64_t value = static_cast<int64_t>(raw);
    if (isSigned && ((raw >> (elemBits - 1)) & 1))
      value -= int64_t(1) << elemBits;
    values.push_back(value);
  }
  return values;
}

//===----------------------------------------------------------------------===//
// Writer
//===----------------------------------------------------------------------===//

/// Checks one symbol's own fields (not its relation to other symbols).
static llvm::Error checkSymbol(const DataSymbol &symbol) {
  auto fail = [&](const llvm::Twine &message) {
    return llvm::createStringError("data symbol '" + symbol.name +
                                   "': " + message);
  };
  if (symbol.name.empty())
    return llvm::createStringError("data symbol with an empty name");
  if (symbol.elemBits < 1 || symbol.elemBits > 16)
    return fail("element width " + llvm::Twine(symbol.elemBits) +
                " is not in [1, 16]");
  if (symbol.shape.size() > kMaxSymbolRank)
    return fail("rank " + llvm::Twine(symbol.shape.size()) +
                " exceeds the maximum of " + llvm::Twine(kMaxSymbolRank));
  if (llvm::is_contained(symbol.shape, 0u))
    return fail("has a zero-sized dimension");
  if (symbol.offset % kDataAlignment)
    return fail("offset " + llvm::Twine(symbol.offset) +
                " is not a multiple of " + llvm::Twine(kDataAlignment));
  uint64_t expected = getPackedBytes(symbol.getNumElements(), symbol.elemBits);
  if (symbol.bytes.size() != expected)
    return fail("holds " + llvm::Twine(symbol.bytes.size()) +
                " bytes, its shape and width need " + llvm::Twine(expected));
  if (symbol.space == SymbolSpace::Dram &&
      uint64_t(symbol.offset) + expected > isa::kGlobalSramBase)
    return fail("extends past DRAM [0, 2^31) into the global SRAM window");
  if (symbol.space == SymbolSpace::GlobalSram) {
    if (uint64_t(symbol.offset) + expected > kMaxGlobalSramBytes)
      return fail("extends past the first " +
                  llvm::Twine(kMaxGlobalSramBytes >> 20) +
                  " MiB of the global SRAM window (the file format's limit)");
    if (llvm::any_of(symbol.bytes, [](uint8_t byte) { return byte != 0; }))
      return fail("lies in the global SRAM and must be zero-initialised");
  }
  if (symbol.host)
    if (llvm::Error error = checkHostView(symbol))
      return fail("host view: " + llvm::toString(std::move(error)));
  return llvm::Error::success();
}

unsigned mlg::ptc::bin::getFormatVersion(const Program &program) {
  if (llvm::any_of(program.symbols, [](const DataSymbol &symbol) {
        return symbol.host || symbol.role == SymbolRole::Activation ||
               symbol.space == SymbolSpace::GlobalSram;
      }))
    return 3;
  bool usesVersion2 =
      !program.layers.empty() ||
      llvm::any_of(program.symbols, [](const DataSymbol &symbol) {
        return symbol.role != SymbolRole::Data;
      });
  return usesVersion2 ? 2 : 1;
}

static size_t getNumHostViews(const Program &program) {
  return llvm::count_if(program.symbols,
                        [](const DataSymbol &symbol) { return symbol.host; });
}

llvm::Expected<Layout> mlg::ptc::bin::computeLayout(const Program &program) {
  for (auto [index, insn] : llvm::enumerate(program.instructions))
    if (llvm::Error error = isa::validate(insn))
      return llvm::createStringError("instruction #" + llvm::Twine(index) +
                                     ": " + llvm::toString(std::move(error)));
  for (auto [index, uop] : llvm::enumerate(program.uops))
    if (llvm::Error error = isa::validate(uop))
      return llvm::createStringError("micro-op #" + llvm::Twine(index) + ": " +
                                     llvm::toString(std::move(error)));

  llvm::StringSet<> names;
  uint64_t dataBytes = 0;
  uint64_t strtabBytes = 0;
  for (const DataSymbol &symbol : program.symbols) {
    if (llvm::Error error = checkSymbol(symbol))
      return std::move(error);
    if (!names.insert(symbol.name).second)
      return llvm::createStringError("data symbol '" + symbol.name +
                                     "' is defined twice");
    if (symbol.space == SymbolSpace::Dram)
      dataBytes =
          std::max<uint64_t>(dataBytes, symbol.offset + symbol.bytes.size());
    strtabBytes += symbol.name.size() + 1;
  }
  uint32_t previousEnd = 0;
  for (auto [index, layer] : llvm::enumerate(program.layers)) {
    if (layer.name.empty())
      return llvm::createStringError("layer #" + llvm::Twine(index) +
                                     " has an empty name");
    if (layer.first >= layer.end || layer.end > program.instructions.size() ||
        layer.first < previousEnd)
      return llvm::createStringError(
          "layer '" + layer.name + "' covers instructions [" +
          llvm::Twine(layer.first) + ", " + llvm::Twine(layer.end) +
          "): layers must be non-empty, in program order, disjoint and "
          "within the " +
          llvm::Twine(program.instructions.size()) + " instructions");
    previousEnd = layer.end;
    strtabBytes += layer.name.size() + 1;
  }
  // Overlaps of DRAM tensors, in address order. Global SRAM tensors may
  // overlap: they have no initial bytes, and a compiler reuses the bytes of
  // tensors that are no longer live.
  std::vector<const DataSymbol *> byOffset;
  for (const DataSymbol &symbol : program.symbols)
    if (symbol.space == SymbolSpace::Dram)
      byOffset.push_back(&symbol);
  std::sort(byOffset.begin(), byOffset.end(),
            [](const DataSymbol *a, const DataSymbol *b) {
              return a->getAddress() != b->getAddress()
                         ? a->getAddress() < b->getAddress()
                         : a->name < b->name;
            });
  for (size_t i = 1; i < byOffset.size(); ++i)
    if (byOffset[i - 1]->getAddress() + byOffset[i - 1]->bytes.size() >
        byOffset[i]->getAddress())
      return llvm::createStringError("data symbols '" + byOffset[i - 1]->name +
                                     "' and '" + byOffset[i]->name +
                                     "' overlap");

  Layout layout;
  uint64_t at = kHeaderBytes;
  layout.codeOffset = at;
  at += uint64_t(program.instructions.size()) * kInstructionBytes;
  layout.uopOffset = at;
  at += uint64_t(program.uops.size()) * kUopBytes;
  at = llvm::alignTo(at, kDataAlignment);
  layout.dataOffset = at;
  layout.dataBytes = dataBytes;
  at += dataBytes;
  at = llvm::alignTo(at, 4);
  layout.symtabOffset = at;
  at += uint64_t(program.symbols.size()) * kSymbolBytes;
  layout.strtabOffset = at;
  layout.strtabBytes = strtabBytes;
  at += strtabBytes;
  if (!program.layers.empty()) {
    at = llvm::alignTo(at, 4);
    layout.layerOffset = at;
    at += 4 + uint64_t(program.layers.size()) * kLayerBytes;
  }
  if (getNumHostViews(program)) {
    at = llvm::alignTo(at, 4);
    layout.hostViewOffset = at;
    at += 4 + uint64_t(getNumHostViews(program)) * kHostViewBytes;
  }
  if (at > UINT32_MAX)
    return llvm::createStringError("program of " + llvm::Twine(at) +
                                   " bytes exceeds the 4 GiB format limit");
  layout.fileBytes = at;
  return layout;
}

static void put32(std::vector<uint8_t> &bytes, uint64_t at, uint32_t value) {
  llvm::support::endian::write32le(bytes.data() + at, value);
}

static void put64(std::vector<uint8_t> &bytes, uint64_t at, uint64_t value) {
  llvm::support::endian::write64le(bytes.data() + at, value);
}

llvm::Expected<std::vector<uint8_t>>
mlg::ptc::bin::writeBinary(const Program &program) {
  llvm::Expected<Layout> layoutOr = computeLayout(program);
  if (!layoutOr)
    return layoutOr.takeError();
  const Layout &layout = *layoutOr;
  std::vector<uint8_t> bytes(layout.fileBytes, 0);

  std::copy(std::begin(kMagic), std::end(kMagic), bytes.begin());
  put32(bytes, kVersionAt, getFormatVersion(program));
  put32(bytes, kHeaderBytesAt, kHeaderBytes);
  put32(bytes, kFileBytesAt, layout.fileBytes);
  put32(bytes, kFlagsAt,
        (program.layers.empty() ? 0 : kHeaderFlagLayers) |
            (layout.hostViewOffset ? kHeaderFlagHostViews : 0));
  put32(bytes, kCodeOffsetAt, layout.codeOffset);
  put32(bytes, kCodeCountAt, program.instructions.size());
  put32(bytes, kUopOffsetAt, layout.uopOffset);
  put32(bytes, kUopCountAt, program.uops.size());
  put32(bytes, kDataOffsetAt, layout.dataOffset);
  put32(bytes, kDataBytesAt, layout.dataBytes);
  put32(bytes, kSymtabOffsetAt, layout.symtabOffset);
  put32(bytes, kSymbolCountAt, program.symbols.size());
  put32(bytes, kStrtabOffsetAt, layout.strtabOffset);
  put32(bytes, kStrtabBytesAt, layout.strtabBytes);

  for (auto [index, insn] : llvm::enumerate(program.instructions)) {
    llvm::Expected<isa::Word> word = isa::encode(insn);
    if (!word) // computeLayout validated every instruction
      return word.takeError();
    uint64_t at = layout.codeOffset + index * kInstructionBytes;
    put64(bytes, at, word->lo);
    put64(bytes, at + 8, word->hi);
  }
  for (auto [index, uop] : llvm::enumerate(program.uops)) {
    llvm::Expected<uint32_t> word = isa::encode(uop);
    if (!word)
      return word.takeError();
    put32(bytes, layout.uopOffset + index * kUopBytes, *word);
  }
  uint32_t nameAt = 0;
  for (auto [index, symbol] : llvm::enumerate(program.symbols)) {
    if (symbol.space == SymbolSpace::Dram)
      std::copy(symbol.bytes.begin(), symbol.bytes.end(),
                bytes.begin() + layout.dataOffset + symbol.offset);
    uint64_t entry = layout.symtabOffset + index * kSymbolBytes;
    put32(bytes, entry + kNameOffsetAt, nameAt);
    put32(bytes, entry + kNameBytesAt, symbol.name.size());
    put32(bytes, entry + kSymDataOffsetAt, symbol.offset);
    put32(bytes, entry + kSymDataBytesAt, symbol.bytes.size());
    bytes[entry + kElemBitsAt] = symbol.elemBits;
    bytes[entry + kSymFlagsAt] =
        (symbol.isSigned ? 1 : 0) | (static_cast<unsigned>(symbol.role) << 1) |
        (symbol.space == SymbolSpace::GlobalSram ? kSymbolFlagGlobalSram : 0);
    bytes[entry + kRankAt] = symbol.shape.size();
    for (auto [dim, size] : llvm::enumerate(symbol.shape))
      put32(bytes, entry + kDimsAt + 4 * dim, size);
    std::copy(symbol.name.begin(), symbol.name.end(),
              bytes.begin() + layout.strtabOffset + nameAt);
    nameAt += symbol.name.size() + 1; // NUL-terminated for C readers
  }
  if (!program.layers.empty()) {
    put32(bytes, layout.layerOffset, program.layers.size());
    for (auto [index, layer] : llvm::enumerate(program.layers)) {
      uint64_t entry = layout.layerOffset + 4 + index * kLayerBytes;
      put32(bytes, entry, nameAt);
      put32(bytes, entry + 4, layer.name.size());
      put32(bytes, entry + 8, layer.first);
      put32(bytes, entry + 12, layer.end);
      std::copy(layer.name.begin(), layer.name.end(),
                bytes.begin() + layout.strtabOffset + nameAt);
      nameAt += layer.name.size() + 1;
    }
  }
  if (layout.hostViewOffset) {
    put32(bytes, layout.hostViewOffset, getNumHostViews(program));
    uint64_t entry = layout.hostViewOffset + 4;
    for (auto [index, symbol] : llvm::enumerate(program.symbols)) {
      if (!symbol.host)
        continue;
      put32(bytes, entry + kViewSymbolAt, index);
      bytes[entry + kViewLayoutAt] = static_cast<uint8_t>(symbol.host->layout);
      bytes[entry + kViewRankAt] = symbol.host->shape.size();
      llvm::support::endian::write16le(bytes.data() + entry + kViewRowPaddingAt,
                                       symbol.host->rowPadding);
      put64(bytes, entry + kViewScaleAt,
            llvm::bit_cast<uint64_t>(symbol.host->scale));
      for (auto [dim, size] : llvm::enumerate(symbol.host->shape))
        put32(bytes, entry + kViewDimsAt + 4 * dim, size);
      entry += kHostViewBytes;
    }
  }
  return bytes;
}

//===----------------------------------------------------------------------===//
// Reader
//===----------------------------------------------------------------------===//

namespace {
struct Section {
  StringRef name;
  uint32_t headerAt; ///< where its offset field sits in the header
  uint64_t offset;
  uint64_t bytes;
};
} // namespace

/// Reads the host view table at `tableAt` into the symbols of `program`.
static llvm::Error readHostViews(llvm::ArrayRef<uint8_t> bytes,
                                 uint64_t tableAt, uint64_t fileBytes,
                                 Program &program) {
  if (tableAt + 4 > fileBytes)
    return errorAt(fileBytes,
                   "truncated host view table: its count at offset " +
                       llvm::Twine(tableAt) + " lies past the end of the file");
  uint64_t count = llvm::support::endian::read32le(bytes.data() + tableAt);
  if (count == 0)
    return errorAt(tableAt, "host view table is empty (the header flag must "
                            "then be clear)");
  if (tableAt + 4 + count * kHostViewBytes > fileBytes)
    return errorAt(tableAt, "host view table of " + llvm::Twine(count) +
                                " entries extends past the end of the file");
  std::optional<uint32_t> previous;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t entry = tableAt + 4 + i * kHostViewBytes;
    auto get32 = [&](uint32_t field) {
      return llvm::support::endian::read32le(bytes.data() + entry + field);
    };
    auto fail = [&](uint32_t field, const llvm::Twine &message) {
      return errorAt(entry + field,
                     "host view #" + llvm::Twine(i) + ": " + message);
    };
    uint32_t index = get32(kViewSymbolAt);
    if (index >= program.symbols.size())
      return fail(kViewSymbolAt, "symbol index " + llvm::Twine(index) +
                                     " is not below the symbol count " +
                                     llvm::Twine(program.symbols.size()));
    if (previous && index <= *previous)
      return fail(kViewSymbolAt,
                  "symbol index " + llvm::Twine(index) +
                      " does not follow the previous entry's " +
                      llvm::Twine(*previous) + " (entries are in symbol order)");
    previous = index;
    DataSymbol &symbol = program.symbols[index];
    if (!isHostVisible(symbol.role))
      return fail(kViewSymbolAt, "symbol '" + symbol.name +
                                     "' is neither an input nor an output");
    HostView view;
    unsigned layout = bytes[entry + kViewLayoutAt];
    if (layout >= kNumHostLayouts)
      return fail(kViewLayoutAt, "layout " + llvm::Twine(layout) +
                                     " is unknown (0 identity, 1 nchw_pixels)");
    view.layout = static_cast<HostLayout>(layout);
    unsigned rank = bytes[entry + kViewRankAt];
    if (rank < 1 || rank > kMaxSymbolRank)
      return fail(kViewRankAt, "rank " + llvm::Twine(rank) + " is not in [1, " +
                                   llvm::Twine(kMaxSymbolRank) + "]");
    view.rowPadding = llvm::support::endian::read16le(bytes.data() + entry +
                                                      kViewRowPaddingAt);
    if (view.rowPadding && (view.layout != HostLayout::NchwPixels || rank != 4))
      return fail(kViewRowPaddingAt,
                  "row padding " + llvm::Twine(view.rowPadding) +
                      " needs layout nchw_pixels with a rank-4 host shape");
    view.scale = llvm::bit_cast<double>(
        llvm::support::endian::read64le(bytes.data() + entry + kViewScaleAt));
    if (!std::isfinite(view.scale) || !(view.scale > 0))
      return fail(kViewScaleAt, "scale " + formatScale(view.scale) +
                                    " is not a finite positive number");
    std::vector<int64_t> hostShape;
    for (unsigned d = 0; d < kMaxSymbolRank; ++d) {
      uint32_t size = get32(kViewDimsAt + 4 * d);
      if (d < rank && size == 0)
        return fail(kViewDimsAt + 4 * d, "dimension " + llvm::Twine(d) +
                                             " is 0");
      if (d >= rank && size != 0)
        return fail(kViewDimsAt + 4 * d,
                    "dimension " + llvm::Twine(d) +
                        " is beyond the rank and must be 0");
      if (d < rank) {
        view.shape.push_back(size);
        hostShape.push_back(size);
      }
    }
    std::vector<int64_t> symbolShape(symbol.shape.begin(), symbol.shape.end());
    if (llvm::Error error = checkHostShape(view.layout, hostShape,
                                           symbolShape, view.rowPadding))
      return fail(kViewDimsAt, "symbol '" + symbol.name + "': " +
                                   llvm::toString(std::move(error)));
    symbol.host = std::move(view);
  }
  return llvm::Error::success();
}

llvm::Expected<Program>
mlg::ptc::bin::readBinary(llvm::ArrayRef<uint8_t> bytes) {
  auto get32 = [&](uint64_t at) {
    return llvm::support::endian::read32le(bytes.data() + at);
  };
  auto get64 = [&](uint64_t at) {
    return llvm::support::endian::read64le(bytes.data() + at);
  };

  // Header.
  if (bytes.size() < sizeof(kMagic))
    return errorAt(bytes.size(), "file of " + llvm::Twine(bytes.size()) +
                                     " bytes is too short for the 8-byte "
                                     "magic");
  for (unsigned i = 0; i + 1 < sizeof(kMagic); ++i)
    if (bytes[i] != static_cast<uint8_t>(kMagic[i]))
      return errorAt(i, "bad magic: not an MLG PTC program (expected "
                        "\"MLGPTC\\0\\1\")");
  if (bytes[7] != static_cast<uint8_t>(kMagic[7]))
    return errorAt(7, "unsupported major format version " +
                          llvm::Twine(unsigned(bytes[7])) + " (expected 1)");
  if (bytes.size() < kHeaderBytes)
    return errorAt(bytes.size(),
                   "truncated header: file has " + llvm::Twine(bytes.size()) +
                       " bytes, the header needs " + llvm::Twine(kHeaderBytes));
  uint32_t version = get32(kVersionAt);
  if (version < 1 || version > kFormatVersion)
    return errorAt(kVersionAt, "unsupported format version " +
                                   llvm::Twine(version) + " (expected 1 to " +
                                   llvm::Twine(kFormatVersion) + ")");
  if (uint32_t size = get32(kHeaderBytesAt); size != kHeaderBytes)
    return errorAt(kHeaderBytesAt, "header size " + llvm::Twine(size) +
                                       " is not " + llvm::Twine(kHeaderBytes));
  uint32_t fileBytes = get32(kFileBytesAt);
  if (bytes.size() < fileBytes)
    return errorAt(bytes.size(), "truncated file: the header declares " +
                                     llvm::Twine(fileBytes) +
                                     " bytes, the file has " +
                                     llvm::Twine(bytes.size()));
  if (bytes.size() > fileBytes)
    return errorAt(fileBytes, llvm::Twine(bytes.size() - fileBytes) +
                                  " bytes follow the declared end of file");
  uint32_t headerFlags = get32(kFlagsAt);
  uint32_t knownFlags = (version >= 2 ? kHeaderFlagLayers : 0) |
                        (version >= 3 ? kHeaderFlagHostViews : 0);
  if (headerFlags & ~knownFlags)
    return errorAt(kFlagsAt, "reserved header flags " +
                                 llvm::Twine(headerFlags & ~knownFlags) +
                                 " must be 0 in format version " +
                                 llvm::Twine(version));

  // Sections: bounds, alignment, overlaps.
  uint32_t numInstructions = get32(kCodeCountAt);
  uint32_t numUops = get32(kUopCountAt);
  uint32_t numSymbols = get32(kSymbolCountAt);
  Section sections[] = {
      {"code", kCodeOffsetAt, get32(kCodeOffsetAt),
       uint64_t(numInstructions) * kInstructionBytes},
      {"uops", kUopOffsetAt, get32(kUopOffsetAt),
       uint64_t(numUops) * kUopBytes},
      {"data", kDataOffsetAt, get32(kDataOffsetAt), get32(kDataBytesAt)},
      {"symbols", kSymtabOffsetAt, get32(kSymtabOffsetAt),
       uint64_t(numSymbols) * kSymbolBytes},
      {"strings", kStrtabOffsetAt, get32(kStrtabOffsetAt),
       get32(kStrtabBytesAt)},
  };
  const uint32_t alignments[] = {kInstructionBytes, kUopBytes, kDataAlignment,
                                 4, 1};
  for (auto [section, alignment] : llvm::zip_equal(sections, alignments)) {
    if (section.offset < kHeaderBytes)
      return errorAt(section.headerAt,
                     "section '" + section.name + "' at offset " +
                         llvm::Twine(section.offset) + " overlaps the header");
    if (section.offset % alignment)
      return errorAt(section.headerAt,
                     "section '" + section.name + "' at offset " +
                         llvm::Twine(section.offset) + " is not " +
                         llvm::Twine(alignment) + "-byte aligned");
    if (section.offset + section.bytes > fileBytes)
      return errorAt(section.headerAt + 4,
                     "section '" + section.name + "' [" +
                         llvm::Twine(section.offset) + ", " +
                         llvm::Twine(section.offset + section.bytes) +
                         ") extends past the end of the file (" +
                         llvm::Twine(fileBytes) + " bytes)");
  }
  std::vector<const Section *> ordered;
  for (const Section &section : sections)
    if (section.bytes)
      ordered.push_back(&section);
  std::sort(ordered.begin(), ordered.end(),
            [](const Section *a, const Section *b) {
              return a->offset != b->offset ? a->offset < b->offset
                                            : a->headerAt < b->headerAt;
            });
  for (size_t i = 1; i < ordered.size(); ++i)
    if (ordered[i - 1]->offset + ordered[i - 1]->bytes > ordered[i]->offset)
      return errorAt(ordered[i]->offset, "section '" + ordered[i]->name +
                                             "' overlaps section '" +
                                             ordered[i - 1]->name + "'");
  const Section &code = sections[0], &uops = sections[1], &data = sections[2],
                &symtab = sections[3], &strtab = sections[4];

  Program program;
  for (uint32_t i = 0; i < numInstructions; ++i) {
    uint64_t at = code.offset + uint64_t(i) * kInstructionBytes;
    isa::Word word;
    word.lo = get64(at);
    word.hi = get64(at + 8);
    llvm::Expected<isa::Instruction> insn = isa::decode(word);
    if (!insn)
      return errorAt(at, "instruction #" + llvm::Twine(i) + ": " +
                             llvm::toString(insn.takeError()));
    program.instructions.push_back(*insn);
  }
  for (uint32_t i = 0; i < numUops; ++i)
    program.uops.push_back(
        isa::decodeUop(get32(uops.offset + uint64_t(i) * kUopBytes)));

  llvm::StringSet<> names;
  for (uint32_t i = 0; i < numSymbols; ++i) {
    uint64_t entry = symtab.offset + uint64_t(i) * kSymbolBytes;
    auto fail = [&](uint32_t field, const llvm::Twine &message) {
      return errorAt(entry + field,
                     "symbol #" + llvm::Twine(i) + ": " + message);
    };
    DataSymbol symbol;
    uint64_t nameAt = get32(entry + kNameOffsetAt);
    uint64_t nameBytes = get32(entry + kNameBytesAt);
    if (nameBytes == 0)
      return fail(kNameBytesAt, "empty name");
    if (nameAt + nameBytes > strtab.bytes)
      return fail(kNameOffsetAt, "name [" + llvm::Twine(nameAt) + ", " +
                                     llvm::Twine(nameAt + nameBytes) +
                                     ") lies outside the string table (" +
                                     llvm::Twine(strtab.bytes) + " bytes)");
    const uint8_t *name = bytes.data() + strtab.offset + nameAt;
    symbol.name.assign(name, name + nameBytes);
    if (!names.insert(symbol.name).second)
      return fail(kNameOffsetAt, "name '" + symbol.name + "' is not unique");
    symbol.elemBits = bytes[entry + kElemBitsAt];
    if (symbol.elemBits < 1 || symbol.elemBits > 16)
      return fail(kElemBitsAt, "element width " + llvm::Twine(symbol.elemBits) +
                                   " is not in [1, 16]");
    uint8_t flags = bytes[entry + kSymFlagsAt];
    unsigned role = (flags >> 1) & 3;
    unsigned highestFlag = version < 2 ? 1 : version < 3 ? 7 : 15;
    if (flags > highestFlag || role > (version < 3 ? 2u : 3u))
      return fail(kSymFlagsAt,
                  "flags " + llvm::Twine(unsigned(flags)) +
                      (version < 2
                           ? " has bits other than bit 0 (signed)"
                           : " has an unknown role (bits 1-2: 0 data, 1 "
                             "input, 2 output; 3 activation needs format "
                             "version 3) or bits above " +
                                 llvm::Twine(version < 3 ? 2 : 3)));
    symbol.isSigned = flags & 1;
    symbol.role = static_cast<SymbolRole>(role);
    if (flags & kSymbolFlagGlobalSram)
      symbol.space = SymbolSpace::GlobalSram;
    unsigned rank = bytes[entry + kRankAt];
    if (rank > kMaxSymbolRank)
      return fail(kRankAt, "rank " + llvm::Twine(rank) +
                               " exceeds the maximum of " +
                               llvm::Twine(kMaxSymbolRank));
    if (bytes[entry + kSymReservedAt] != 0 || get32(entry + kSymReserved2At))
      return fail(bytes[entry + kSymReservedAt] ? kSymReservedAt
                                                : kSymReserved2At,
                  "reserved bytes must be 0");
    for (unsigned d = 0; d < kMaxSymbolRank; ++d) {
      uint32_t size = get32(entry + kDimsAt + 4 * d);
      if (d < rank && size == 0)
        return fail(kDimsAt + 4 * d, "dimension " + llvm::Twine(d) + " is 0");
      if (d >= rank && size != 0)
        return fail(kDimsAt + 4 * d, "dimension " + llvm::Twine(d) +
                                         " is beyond the rank and must be 0");
      if (d < rank)
        symbol.shape.push_back(size);
    }
    // Bound the element count before multiplying further.
    uint64_t numElements = 1;
    for (uint32_t size : symbol.shape) {
      numElements *= size;
      if (numElements > uint64_t(UINT32_MAX) * 8)
        return fail(kDimsAt, "shape has more elements than 4 GiB can hold");
    }
    symbol.offset = get32(entry + kSymDataOffsetAt);
    uint64_t dataBytes = get32(entry + kSymDataBytesAt);
    uint64_t expected = getPackedBytes(numElements, symbol.elemBits);
    if (dataBytes != expected)
      return fail(kSymDataBytesAt,
                  "size " + llvm::Twine(dataBytes) + " bytes does not match " +
                      llvm::Twine(numElements) + " elements of " +
                      llvm::Twine(symbol.elemBits) + " bits (" +
                      llvm::Twine(expected) + " bytes)");
    if (symbol.offset % kDataAlignment)
      return fail(kSymDataOffsetAt,
                  "data offset " + llvm::Twine(symbol.offset) +
                      " is not a multiple of " + llvm::Twine(kDataAlignment));
    if (symbol.space == SymbolSpace::GlobalSram) {
      // Zero-initialised, no bytes in the data segment.
      if (symbol.offset + dataBytes > kMaxGlobalSramBytes)
        return fail(kSymDataOffsetAt,
                    "global SRAM bytes [" + llvm::Twine(symbol.offset) + ", " +
                        llvm::Twine(symbol.offset + dataBytes) +
                        ") extend past the first " +
                        llvm::Twine(kMaxGlobalSramBytes >> 20) +
                        " MiB of the window (the file format's limit)");
      symbol.bytes.assign(dataBytes, 0);
      program.symbols.push_back(std::move(symbol));
      continue;
    }
    if (symbol.offset + dataBytes > isa::kGlobalSramBase)
      return fail(kSymDataOffsetAt,
                  "data [" + llvm::Twine(symbol.offset) + ", " +
                      llvm::Twine(symbol.offset + dataBytes) +
                      ") extends past DRAM [0, 2^31) into the global SRAM "
                      "window");
    if (symbol.offset + dataBytes > data.bytes)
      return fail(kSymDataOffsetAt, "data [" + llvm::Twine(symbol.offset) +
                                        ", " +
                                        llvm::Twine(symbol.offset + dataBytes) +
                                        ") lies outside the data segment (" +
                                        llvm::Twine(data.bytes) + " bytes)");
    const uint8_t *payload = bytes.data() + data.offset + symbol.offset;
    symbol.bytes.assign(payload, payload + dataBytes);
    program.symbols.push_back(std::move(symbol));
  }

  // Optional tables after the strings, each aligned to 4.
  uint64_t tableAt = llvm::alignTo(strtab.offset + strtab.bytes, 4);
  if (headerFlags & kHeaderFlagLayers) {
    if (tableAt + 4 > fileBytes)
      return errorAt(fileBytes, "truncated layer table: its count at offset " +
                                    llvm::Twine(tableAt) +
                                    " lies past the end of the file");
    uint64_t count = get32(tableAt);
    if (tableAt + 4 + count * kLayerBytes > fileBytes)
      return errorAt(tableAt, "layer table of " + llvm::Twine(count) +
                                  " entries extends past the end of the file");
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t entry = tableAt + 4 + i * kLayerBytes;
      uint64_t nameAt = get32(entry), nameBytes = get32(entry + 4);
      if (nameBytes == 0 || nameAt + nameBytes > strtab.bytes)
        return errorAt(entry, "layer #" + llvm::Twine(i) +
                                  ": name lies outside the string table");
      Layer layer;
      const uint8_t *name = bytes.data() + strtab.offset + nameAt;
      layer.name.assign(name, name + nameBytes);
      layer.first = get32(entry + 8);
      layer.end = get32(entry + 12);
      if (layer.first >= layer.end || layer.end > numInstructions ||
          (!program.layers.empty() && layer.first < program.layers.back().end))
        return errorAt(entry + 8,
                       "layer #" + llvm::Twine(i) + " covers instructions [" +
                           llvm::Twine(layer.first) + ", " +
                           llvm::Twine(layer.end) +
                           "): not a non-empty, ordered, disjoint range of "
                           "the program's " +
                           llvm::Twine(numInstructions) + " instructions");
      program.layers.push_back(std::move(layer));
    }
    tableAt += 4 + count * kLayerBytes;
  }
  if (headerFlags & kHeaderFlagHostViews)
    if (llvm::Error error = readHostViews(bytes, tableAt, fileBytes, program))
      return std::move(error);

  // Everything else (overlapping symbols, section order, padding) is caught
  // by comparing against the canonical encoding of what was read.
  llvm::Expected<std::vector<uint8_t>> canonical = writeBinary(program);
  if (!canonical)
    return errorAt(symtab.offset, llvm::toString(canonical.takeError()));
  if (canonical->size() != bytes.size())
    return errorAt(std::min<size_t>(canonical->size(), bytes.size()),
                   "sections are not in canonical order and size (the "
                   "canonical file has " +
                       llvm::Twine(canonical->size()) + " bytes)");
  for (size_t at = 0; at < bytes.size(); ++at)
    if ((*canonical)[at] != bytes[at])
      return errorAt(at, "byte differs from the canonical encoding (padding "
                         "must be zero and sections in canonical order)");
  return program;
}

//===----------------------------------------------------------------------===//
// Listing
//===----------------------------------------------------------------------===//

void mlg::ptc::bin::printAssembly(const Program &program,
                                  llvm::raw_ostream &os) {
  llvm::Expected<Layout> layoutOr = computeLayout(program);
  if (!layoutOr) {
    os << "; invalid program: " << llvm::toString(layoutOr.takeError()) << "\n";
    return;
  }
  const Layout &layout = *layoutOr;
  os << "; MLG PTC program, format version " << getFormatVersion(program)
     << ", " << layout.fileBytes << " bytes\n";
  os << llvm::format("; code    @0x%06x  %zu instructions\n", layout.codeOffset,
                     program.instructions.size());
  os << llvm::format("; uops    @0x%06x  %zu micro-ops\n", layout.uopOffset,
                     program.uops.size());
  os << llvm::format("; data    @0x%06x  %u bytes\n", layout.dataOffset,
                     layout.dataBytes);
  os << llvm::format("; symbols @0x%06x  %zu entries\n", layout.symtabOffset,
                     program.symbols.size());

  os << "\n.data\n";
  for (const DataSymbol &symbol : program.symbols) {
    if (symbol.space == SymbolSpace::GlobalSram)
      os << llvm::format("  --------  gsram 0x%08llx  ",
                         static_cast<unsigned long long>(symbol.getAddress()));
    else
      os << llvm::format("  0x%06x  dram 0x%08x  ",
                         layout.dataOffset + symbol.offset, symbol.offset);
    os << '@' << symbol.name << "  " << (symbol.isSigned ? 'i' : 'u')
       << symbol.elemBits << '[';
    llvm::interleave(symbol.shape, os, "x");
    os << "]  " << symbol.bytes.size() << " bytes";
    if (symbol.role != SymbolRole::Data)
      os << "  " << getSymbolRoleName(symbol.role);
    os << "\n";
  }

  os << "\n.uops\n";
  for (auto [index, uop] : llvm::enumerate(program.uops)) {
    llvm::Expected<uint32_t> word = isa::encode(uop);
    os << llvm::format("  0x%06x  #%-5zu %08x  ",
                       layout.uopOffset + index * kUopBytes, index,
                       word ? *word : 0u);
    if (!word)
      llvm::consumeError(word.takeError());
    isa::print(uop, os);
    os << '\n';
  }

  os << "\n.code\n";
  for (auto [index, insn] : llvm::enumerate(program.instructions)) {
    llvm::Expected<isa::Word> word = isa::encode(insn);
    isa::Word raw = word ? *word : isa::Word{};
    if (!word)
      llvm::consumeError(word.takeError());
    os << llvm::format("  0x%06x  #%-5zu %016llx%016llx  ",
                       layout.codeOffset + index * kInstructionBytes, index,
                       static_cast<unsigned long long>(raw.hi),
                       static_cast<unsigned long long>(raw.lo));
    isa::print(insn, os);
    os << '\n';
  }
  if (!program.layers.empty()) {
    os << llvm::format("\n.layers @0x%06x\n", layout.layerOffset);
    for (const Layer &layer : program.layers)
      os << "  " << layer.name << "  [" << layer.first << ", " << layer.end
         << ")\n";
  }

  if (layout.hostViewOffset) {
    os << llvm::format("\n.host_views @0x%06x\n", layout.hostViewOffset);
    for (const DataSymbol &symbol : program.symbols) {
      if (!symbol.host)
        continue;
      os << "  @" << symbol.name << "  " << getHostLayoutName(symbol.host->layout)
         << "  f32[";
      llvm::interleave(symbol.host->shape, os, "x");
      os << "]  scale " << formatScale(symbol.host->scale);
      if (symbol.host->rowPadding)
        os << "  row_padding " << symbol.host->rowPadding;
      os << '\n';
    }
  }

  // Whether the dependency flags let every module finish (unbounded queues).
  isa::TokenReport tokens = isa::runTokens(program.instructions);
  static constexpr const char *moduleNames[3] = {"load", "compute", "store"};
  os << "\n; tokens: ";
  if (!tokens.deadlocked()) {
    os << "every module runs to the end";
  } else {
    os << "DEADLOCK:";
    for (unsigned m = 0; m < 3; ++m)
      if (tokens.blockedAt[m])
        os << ' ' << moduleNames[m] << " blocked at #" << *tokens.blockedAt[m];
  }
  os << "; left in queues l2c=" << tokens.leftover[0]
     << " c2l=" << tokens.leftover[1] << " c2s=" << tokens.leftover[2]
     << " s2c=" << tokens.leftover[3] << '\n';
}
