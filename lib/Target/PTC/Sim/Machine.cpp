//===- Machine.cpp - Buffers, DRAM, geometry and the ADC ------------------===//

#include "Machine.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>

using namespace mlg::ptc;
using namespace mlg::ptc::sim;
using isa::MemId;

//===----------------------------------------------------------------------===//
// Geometry
//===----------------------------------------------------------------------===//

Geometry Geometry::fromModel(const AcceleratorModel &model) {
  Geometry g;
  g.batch = model.intrinsicColumns();
  g.blockIn = model.intrinsicReduction();
  g.blockOut = model.intrinsicRows();
  auto set = [&](MemId mem, uint64_t elements, unsigned laneBits,
                 uint64_t sizeBytes) {
    unsigned i = static_cast<unsigned>(mem);
    g.rowElements[i] = elements;
    g.laneBits[i] = laneBits;
    uint64_t rowBits = elements * laneBits;
    g.depth[i] = rowBits ? sizeBytes * 8 / rowBits : 0;
  };
  auto size = [&](LocalBuffer b) { return model.getLocal(b).sizeBytes; };
  uint64_t accRow = uint64_t(g.batch) * g.blockOut;
  set(MemId::Uop, 1, 32, size(LocalBuffer::Uop));
  set(MemId::Inp, uint64_t(g.batch) * g.blockIn, 8, size(LocalBuffer::Inp));
  set(MemId::Wgt, uint64_t(g.blockOut) * g.blockIn, 8, size(LocalBuffer::Wgt));
  set(MemId::Acc, accRow, 32, size(LocalBuffer::Acc));
  // OUT mirrors ACC row for row (VTA's output buffer); SCALE has ACC's rows.
  set(MemId::Out, accRow, 32, size(LocalBuffer::Acc));
  set(MemId::Scale, accRow, 32, size(LocalBuffer::Acc));
  set(MemId::Basis, g.blockOut, 8, size(LocalBuffer::Basis));
  // The model's one COEFF buffer is split evenly between U and V.
  set(MemId::CoeffU, uint64_t(g.blockOut) * g.blockIn, 8,
      size(LocalBuffer::Coeff) / 2);
  set(MemId::CoeffV, uint64_t(g.blockOut) * g.blockOut, 8,
      size(LocalBuffer::Coeff) / 2);
  return g;
}

//===----------------------------------------------------------------------===//
// ADC
//===----------------------------------------------------------------------===//

unsigned mlg::ptc::sim::getAdcFullScaleBits(unsigned inBits, unsigned wBits,
                                            uint64_t terms) {
  return inBits + wBits - 1 + llvm::Log2_64_Ceil(std::max<uint64_t>(terms, 1));
}

int64_t mlg::ptc::sim::convertAdc(int64_t sum, unsigned fullScaleBits,
                                  unsigned adcBits, double noise) {
  unsigned shift = fullScaleBits > adcBits ? fullScaleBits - adcBits : 0;
  int64_t hi = (int64_t(1) << (adcBits - 1)) - 1, lo = -hi - 1;
  int64_t code;
  if (noise != 0) {
    double x = std::ldexp(static_cast<double>(sum), -int(shift)) + noise;
    double rounded = std::floor(x + 0.5);
    code = rounded < double(lo) ? lo : rounded > double(hi) ? hi
                                                            : int64_t(rounded);
  } else {
    // Round half up: floor((sum + 2^(s-1)) / 2^s), an arithmetic shift.
    int64_t biased = shift ? sum + (int64_t(1) << (shift - 1)) : sum;
    code = saturateSigned(biased >> shift, adcBits);
    (void)lo;
  }
  return code * (int64_t(1) << shift);
}

//===----------------------------------------------------------------------===//
// Noise
//===----------------------------------------------------------------------===//

void NoiseSource::seed(uint64_t value) {
  // splitmix64 of the seed, never 0 (xorshift's fixed point).
  uint64_t z = value + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  state = z ? z : 1;
  spare.reset();
}

double NoiseSource::uniform() {
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  uint64_t r = state * 0x2545F4914F6CDD1Dull;
  return (static_cast<double>(r >> 11) + 0.5) * 0x1.0p-53; // (0, 1)
}

double NoiseSource::next() {
  if (spare) {
    double value = *spare;
    spare.reset();
    return value;
  }
  double u = uniform(), v = uniform();
  double radius = std::sqrt(-2.0 * std::log(u));
  double angle = 6.283185307179586 * v;
  spare = radius * std::sin(angle);
  return radius * std::cos(angle);
}

//===----------------------------------------------------------------------===//
// Machine
//===----------------------------------------------------------------------===//

Machine::Machine(const AcceleratorModel &model, const Geometry &geometry,
                 const Options &options, bool allocate)
    : geometry(geometry), options(options) {
  cfg.inBits = model.inputBits;
  cfg.wBits = model.weightBits;
  cfg.adcBits = model.adcBits;
  cfg.tAcc = model.timeAccumulation;
  cfg.signMode = model.signPasses > 1 ? 1 : 0;
  cfg.dataflow = model.kind == CoreKind::WeightStationary ? 1 : 0;
  noise.seed(options.seed);
  if (!allocate)
    return;
  for (unsigned i = 0; i < isa::kNumMemIds; ++i)
    if (static_cast<MemId>(i) != MemId::Uop)
      buffers[i].assign(geometry.depth[i] * geometry.rowElements[i], 0);
  uops.assign(geometry.depth[static_cast<unsigned>(MemId::Uop)], isa::Uop());
  globalSram.assign(model.globalSram.sizeBytes, 0);
}

std::string Machine::getDeadlineMessage() const {
  return llvm::formatv("time limit of {0} s reached (--time-limit): "
                       "refusing to continue",
                       options.maxSeconds)
      .str();
}

std::optional<std::string> Machine::checkRows(MemId mem, uint64_t firstRow,
                                              uint64_t numRows,
                                              llvm::StringRef role) const {
  uint64_t depth = geometry.depth[static_cast<unsigned>(mem)];
  if (firstRow + numRows > depth)
    return (llvm::Twine(role) + " " + isa::stringifyMemId(mem) + " row " +
            llvm::Twine(firstRow + numRows - 1) + " is out of range [0, " +
            llvm::Twine(depth) + ")")
        .str();
  return std::nullopt;
}

std::optional<std::string> Machine::checkElements(MemId mem, uint64_t first,
                                                  uint64_t count) const {
  unsigned i = static_cast<unsigned>(mem);
  uint64_t lanes = geometry.depth[i] * geometry.rowElements[i];
  if (first + count > lanes)
    return (llvm::Twine(isa::stringifyMemId(mem)) + " elements [" +
            llvm::Twine(first) + ", " + llvm::Twine(first + count) +
            ") exceed the buffer's " + llvm::Twine(lanes) + " elements (" +
            llvm::Twine(geometry.depth[i]) + " rows of " +
            llvm::Twine(geometry.rowElements[i]) + ")")
        .str();
  return std::nullopt;
}

const int16_t *Machine::getGemmWeights(uint64_t r, unsigned wBits) {
  const uint64_t blockIn = geometry.blockIn, blockOut = geometry.blockOut;
  const uint64_t rowElements = (blockIn + 1) / 2 * 2 * blockOut;
  if (gemmWeightsGeneration.empty()) {
    uint64_t depth = geometry.depth[static_cast<unsigned>(MemId::Wgt)];
    gemmWeights.assign(depth * rowElements, 0);
    gemmWeightsGeneration.assign(depth, ~uint64_t(0));
    gemmWeightsBits.assign(depth, 0);
  }
  int16_t *packed = gemmWeights.data() + r * rowElements;
  if (gemmWeightsGeneration[r] != wgtGeneration || gemmWeightsBits[r] != wBits) {
    const int32_t *row = this->row(MemId::Wgt, r);
    int32_t hi = (int32_t(1) << (wBits - 1)) - 1, lo = -hi - 1;
    std::fill_n(packed, rowElements, 0); // the pad of an odd BLOCK_IN
    for (uint64_t o = 0; o < blockOut; ++o)
      for (uint64_t k = 0; k < blockIn; ++k)
        packed[((k / 2) * blockOut + o) * 2 + k % 2] =
            int16_t(std::clamp(row[o * blockIn + k], lo, hi));
    gemmWeightsGeneration[r] = wgtGeneration;
    gemmWeightsBits[r] = wBits;
  }
  return packed;
}

void Machine::mirrorAccRow(uint64_t r) {
  uint64_t n = geometry.rowElements[static_cast<unsigned>(MemId::Acc)];
  const int32_t *src = row(MemId::Acc, r);
  std::copy(src, src + n, row(MemId::Out, r));
}

std::optional<std::string> Machine::checkDram(uint64_t base,
                                              uint64_t firstElement,
                                              uint64_t numElements,
                                              unsigned bits, bool forWrite) {
  if (isGlobalSram(base)) {
    uint64_t start = offsetIn(base);
    uint64_t endByte =
        (start * 8 + (firstElement + numElements) * bits + 7) / 8;
    if (endByte > globalSram.size())
      return ("global SRAM access [" + llvm::Twine(start) + ", " +
              llvm::Twine(endByte) + ") (address 0x" +
              llvm::Twine::utohexstr(base) + ") exceeds the " +
              llvm::Twine(globalSram.size()) + "-byte global SRAM")
          .str();
    return std::nullopt;
  }
  uint64_t endBit = base * 8 + (firstElement + numElements) * bits;
  uint64_t endByte = (endBit + 7) / 8;
  if (endByte > isa::kGlobalSramBase)
    return ("DRAM access from byte " + llvm::Twine(base) + " up to byte " +
            llvm::Twine(endByte) +
            " straddles the global SRAM window at 0x80000000")
        .str();
  if (endByte > options.maxDramBytes)
    return ("DRAM access up to byte " + llvm::Twine(endByte) +
            " exceeds the simulated DRAM of " +
            llvm::Twine(options.maxDramBytes) + " bytes")
        .str();
  if (forWrite && endByte > dram.size())
    dram.resize(endByte, 0);
  return std::nullopt;
}

int64_t Machine::readDram(uint64_t base, uint64_t element, unsigned bits,
                          bool isSigned) const {
  const std::vector<uint8_t> &bytes = storage(base);
  uint64_t bit = offsetIn(base) * 8 + element * bits;
  uint64_t byte = bit / 8;
  uint32_t window = 0;
  for (unsigned k = 0; k < 4; ++k)
    if (byte + k < bytes.size())
      window |= uint32_t(bytes[byte + k]) << (8 * k);
  uint32_t raw = (window >> (bit % 8)) & ((uint32_t(1) << bits) - 1);
  if (isSigned && (raw >> (bits - 1)) & 1)
    return int64_t(raw) - (int64_t(1) << bits);
  return raw;
}

void Machine::readDramElements(uint64_t base, uint64_t first, uint64_t count,
                               unsigned bits, int64_t *out) const {
  const std::vector<uint8_t> &bytes = storage(base);
  uint64_t bit = offsetIn(base) * 8 + first * bits;
  const uint64_t mask = (uint64_t(1) << bits) - 1;
  const unsigned unused = 64 - bits;
  for (uint64_t i = 0; i < count; ++i, bit += bits) {
    uint64_t byte = bit / 8;
    if (byte + 8 > bytes.size()) {
      // The last bytes of DRAM: the bounds-checked path.
      for (; i < count; ++i, bit += bits)
        out[i] = readDram(base, first + i, bits, /*isSigned=*/true);
      return;
    }
    // An element of at most 16 bits lies in the 8 bytes from its first.
    uint64_t raw =
        (llvm::support::endian::read64le(&bytes[byte]) >> (bit % 8)) & mask;
    out[i] = int64_t(raw << unused) >> unused;
  }
}

void Machine::writeDramElements(uint64_t base, uint64_t first,
                                uint64_t count, unsigned bits,
                                const int32_t *values) {
  std::vector<uint8_t> &memory = storage(base);
  uint64_t bit = offsetIn(base) * 8 + first * bits;
  if ((bits == 8 || bits == 16) && bit % 8 == 0 &&
      bit / 8 + count * (bits / 8) <= memory.size()) {
    // Whole bytes, little-endian.
    uint8_t *bytes = memory.data() + bit / 8;
    for (uint64_t i = 0; i < count; ++i) {
      uint32_t raw = uint32_t(values[i]);
      if (bits == 8) {
        bytes[i] = uint8_t(raw);
      } else {
        bytes[2 * i] = uint8_t(raw);
        bytes[2 * i + 1] = uint8_t(raw >> 8);
      }
    }
    return;
  }
  for (uint64_t i = 0; i < count; ++i)
    writeDram(base, first + i, bits, values[i]);
}

void Machine::writeDram(uint64_t base, uint64_t element, unsigned bits,
                        int64_t value) {
  std::vector<uint8_t> &memory = storage(base);
  uint64_t bit = offsetIn(base) * 8 + element * bits;
  uint64_t raw = static_cast<uint64_t>(value) & ((uint64_t(1) << bits) - 1);
  uint64_t byte = bit / 8;
  if (byte + 8 <= memory.size()) {
    // Read-modify-write of the 8 bytes holding the element.
    uint64_t window = llvm::support::endian::read64le(&memory[byte]);
    uint64_t mask = ((uint64_t(1) << bits) - 1) << (bit % 8);
    window = (window & ~mask) | (raw << (bit % 8));
    llvm::support::endian::write64le(&memory[byte], window);
    return;
  }
  for (unsigned k = 0; k < bits; ++k, ++bit) {
    uint8_t mask = uint8_t(1u << (bit % 8));
    if ((raw >> k) & 1)
      memory[bit / 8] |= mask;
    else
      memory[bit / 8] &= uint8_t(~mask);
  }
}
