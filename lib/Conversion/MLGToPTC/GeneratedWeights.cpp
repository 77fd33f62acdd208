//===- GeneratedWeights.cpp - MLG-generated weights on the core -----------===//

#include "GeneratedWeights.h"
#include "CoreGrids.h"
#include "ProgramEmitter.h"
#include "SmartDealWeights.h"

#include "mlg/Compression/Decomposition.h"
#include "mlg/Compression/SmartDeal.h"
#include "mlg/Dialect/MLG/IR/MLGAttributes.h"
#include "mlg/Dialect/MLG/IR/MLGOps.h"
#include "mlg/Dialect/MLG/Transforms/ConstantData.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::mlg;
using namespace mlir::mlg::ptc_lowering;

unsigned ptc_lowering::adcFullScaleBits(unsigned inBits, unsigned wBits,
                                        int64_t terms) {
  return inBits + wBits - 1 +
         llvm::Log2_64_Ceil(static_cast<uint64_t>(std::max<int64_t>(terms, 1)));
}

int64_t ptc_lowering::convertAdc(int64_t x, unsigned fullScaleBits,
                                 unsigned adcBits) {
  unsigned shift = fullScaleBits > adcBits ? fullScaleBits - adcBits : 0;
  int64_t bias = shift ? int64_t{1} << (shift - 1) : 0;
  int64_t hi = (int64_t{1} << (adcBits - 1)) - 1;
  return std::clamp((x + bias) >> shift, -hi - 1, hi) * (int64_t{1} << shift);
}

namespace {

int64_t saturate(int64_t v, unsigned bits) {
  int64_t hi = (int64_t{1} << (bits - 1)) - 1;
  return std::clamp(v, -hi - 1, hi);
}

/// Odd levels m = 2c + 1 of an mlg.dequantize of constant codes on a
/// midrise grid, per tensor or per channel of dimension 0.
struct OddLevels {
  std::vector<int64_t> levels;
  SmallVector<int64_t> shape;
  double scale = 0;
  std::vector<double> channelScales;
  unsigned bits = 0;
};

FailureOr<OddLevels> readOddLevels(Value value, Location loc, StringRef role) {
  auto deq = value.getDefiningOp<DequantizeOp>();
  if (!deq)
    return emitError(loc, "PTC lowering: the generator's ")
           << role << " must be an mlg.dequantize of constant codes";
  auto grid = dyn_cast<MidriseAttr>(deq.getGrid());
  if (!grid || (!grid.isPerTensor() && grid.getAxis() != 0))
    return emitError(loc, "PTC lowering: the generator's ")
           << role
           << " must use a midrise grid, per tensor or per channel of "
              "dimension 0";
  FailureOr<std::vector<int64_t>> codes = readIntegerCodes(deq.getCodes());
  if (failed(codes))
    return emitError(loc, "PTC lowering: the generator's ")
           << role << " codes must be a dense integer constant";
  OddLevels result;
  if (grid.isPerTensor())
    result.scale = grid.getScales()[0];
  else
    llvm::append_range(result.channelScales, grid.getScales().asArrayRef());
  RankedTensorType type = deq.getCodes().getType();
  result.bits = type.getElementTypeBitWidth();
  result.shape.assign(type.getShape().begin(), type.getShape().end());
  for (int64_t c : *codes)
    result.levels.push_back(2 * c + 1);
  return result;
}

/// A power-of-two V: the values of mlg.decode_pow2 of constant codes.
FailureOr<OddLevels> readPow2Values(DecodePow2Op decode, Location loc,
                                    std::vector<double> &values) {
  FailureOr<std::vector<int64_t>> codes = readIntegerCodes(decode.getCodes());
  if (failed(codes))
    return emitError(loc, "PTC lowering: the generator's power-of-two V "
                          "codes must be a dense integer constant");
  OddLevels result;
  RankedTensorType type = decode.getCodes().getType();
  result.bits = decode.getBitWidth();
  result.shape.assign(type.getShape().begin(), type.getShape().end());
  values.clear();
  for (int64_t c : *codes)
    values.push_back(
        compression::decodePow2Code(c, decode.getSmallestExponent()));
  return result;
}

int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}

/// Smallest s >= 0 with round(v / 2^s) (half up) in [lo, hi] for every v.
int64_t shiftToFit(ArrayRef<int64_t> values, int64_t lo, int64_t hi) {
  int64_t s = 0;
  auto fits = [&](int64_t shift) {
    int64_t bias = shift ? int64_t{1} << (shift - 1) : 0;
    return llvm::all_of(values, [&](int64_t v) {
      int64_t r = (v + bias) >> shift;
      return r >= lo && r <= hi;
    });
  };
  while (s < 40 && !fits(s))
    ++s;
  return s;
}

/// The shift s in [fit - 3, fit] (fit = shiftToFit) whose codes
/// clamp(round(v / 2^s), lo, hi) * 2^s are closest to `values` in squared
/// error: clipping the few largest values for a finer step usually wins.
int64_t bestShift(ArrayRef<int64_t> values, int64_t lo, int64_t hi) {
  const int64_t fit = shiftToFit(values, lo, hi);
  int64_t best = fit;
  double bestError = -1;
  for (int64_t shift = std::max<int64_t>(0, fit - 3); shift <= fit; ++shift) {
    int64_t bias = shift ? int64_t{1} << (shift - 1) : 0;
    double error = 0;
    for (int64_t v : values) {
      int64_t q =
          std::clamp((v + bias) >> shift, lo, hi) * (int64_t{1} << shift);
      error += static_cast<double>(q - v) * static_cast<double>(q - v);
    }
    if (bestError < 0 || error < bestError) {
      bestError = error;
      best = shift;
    }
  }
  return best;
}

} // namespace

FailureOr<std::shared_ptr<GeneratedWeights>>
ptc_lowering::matchGenerators(Value basis, Value coeffIn, Value coeffOut,
                              int64_t outChannels, int64_t inChannels,
                              int64_t taps, Location loc) {
  auto result = std::make_shared<GeneratedWeights>();
  GeneratorLevels &g = result->levels;
  g.level1 = static_cast<bool>(coeffIn);
  g.level2 = static_cast<bool>(coeffOut);
  g.outChannels = outChannels;
  g.inChannels = inChannels;
  g.taps = taps;
  FailureOr<OddLevels> b =
      readOddLevels(basis, loc, g.level1 ? "basis" : "level-1 kernels");
  if (failed(b))
    return failure();
  g.basis = std::move(b->levels);
  g.scaleB = b->scale;
  g.channelScaleB = std::move(b->channelScales);
  g.bitsB = b->bits;
  g.bc = b->shape[0];
  if (g.level1) {
    FailureOr<OddLevels> u = readOddLevels(coeffIn, loc, "U");
    if (failed(u))
      return failure();
    if (u->shape.size() != 3 || u->shape[0] != g.bc ||
        u->shape[1] != inChannels ||
        product(b->shape) != g.bc * u->shape[2] * taps)
      return emitError(loc, "PTC lowering: U and the basis disagree on "
                            "their shapes");
    g.bi = u->shape[2];
    g.coeffU = std::move(u->levels);
    g.scaleU = u->scale;
    g.channelScaleU = std::move(u->channelScales);
    g.bitsU = u->bits;
  } else if (product(b->shape) != g.bc * inChannels * taps) {
    return emitError(loc, "PTC lowering: level-1 kernel shape mismatch");
  }
  if (g.level2) {
    auto decode = coeffOut.getDefiningOp<DecodePow2Op>();
    FailureOr<OddLevels> v = decode ? readPow2Values(decode, loc, g.pow2V)
                                    : readOddLevels(coeffOut, loc, "V");
    if (failed(v))
      return failure();
    if (v->shape.size() != 2 || v->shape[0] != outChannels ||
        v->shape[1] != g.bc)
      return emitError(loc, "PTC lowering: V and the level-1 kernels "
                            "disagree on Bc");
    g.coeffV = std::move(v->levels);
    g.scaleV = v->scale;
    g.channelScaleV = std::move(v->channelScales);
    g.bitsV = v->bits;
  } else if (g.bc != g.outChannels) {
    return emitError(loc, "PTC lowering: level 1 alone needs Bc = Co");
  }
  return result;
}

FailureOr<std::shared_ptr<GeneratedWeights>>
ptc_lowering::matchGeneratedFilter(Value filter, Location loc) {
  FailureOr<std::shared_ptr<GeneratedWeights>> smartDeal =
      matchSmartDealFilter(filter, loc);
  if (failed(smartDeal) || *smartDeal)
    return smartDeal;
  auto cross = filter.getDefiningOp<GenerateCrossOp>();
  auto intra = cross ? cross.getKernels().getDefiningOp<GenerateIntraOp>()
                     : filter.getDefiningOp<GenerateIntraOp>();
  if (!cross && !intra)
    return std::shared_ptr<GeneratedWeights>();
  // The filter [Co][Ci][taps...] (taps flattened; a matmul's [Co][Ci] has
  // one tap).
  auto type = cast<RankedTensorType>(filter.getType());
  if (!type.hasStaticShape() || type.getRank() < 2)
    return emitError(loc, "PTC lowering: generated filter must be static");
  return matchGenerators(intra ? intra.getBasis() : cross.getKernels(),
                         intra ? intra.getCoeff() : Value(),
                         cross ? cross.getCoeff() : Value(), type.getDimSize(0),
                         type.getDimSize(1),
                         product(type.getShape().drop_front(2)), loc);
}

/// W1[bc][c][t] as integers (units: the product of the midrise half-steps).
static std::vector<int64_t> level1Integers(const GeneratorLevels &g) {
  if (!g.level1)
    return g.basis;
  std::vector<int64_t> w1(g.bc * g.inChannels * g.taps, 0);
  for (int64_t b = 0; b < g.bc; ++b)
    for (int64_t c = 0; c < g.inChannels; ++c)
      for (int64_t t = 0; t < g.taps; ++t) {
        int64_t sum = 0;
        for (int64_t i = 0; i < g.bi; ++i)
          sum += g.coeffU[(b * g.inChannels + c) * g.bi + i] *
                 g.basis[(b * g.bi + i) * g.taps + t];
        w1[(b * g.inChannels + c) * g.taps + t] = sum;
      }
  return w1;
}

std::vector<double>
ptc_lowering::generatedFilter(const GeneratedWeights &weights) {
  return weights.smartDeal ? smartDealFilter(*weights.smartDeal)
                           : dequantizedFilter(weights.levels);
}

/// The value of one W1 level of basis group `b` (level 1: basis times U).
static double level1Step(const GeneratorLevels &g, int64_t b) {
  return g.basisStep(b) * (g.level1 ? g.uStep(b) : 1.0);
}

std::vector<double> ptc_lowering::dequantizedFilter(const GeneratorLevels &g) {
  std::vector<int64_t> w1 = level1Integers(g);
  const int64_t k = g.inChannels * g.taps;
  std::vector<double> w(g.outChannels * k, 0.0);
  if (!g.level2) {
    for (int64_t o = 0; o < g.outChannels; ++o)
      for (int64_t j = 0; j < k; ++j)
        w[o * k + j] = level1Step(g, o) * static_cast<double>(w1[o * k + j]);
    return w;
  }
  const bool perTensor = g.pow2V.empty() && g.channelScaleV.empty() &&
                         g.channelScaleB.empty() && g.channelScaleU.empty();
  if (perTensor) {
    // One product of scales times an exact integer sum (docs/dialect.md).
    const double scale = g.scaleV / 2 * level1Step(g, 0);
    for (int64_t o = 0; o < g.outChannels; ++o)
      for (int64_t j = 0; j < k; ++j) {
        int64_t sum = 0;
        for (int64_t b = 0; b < g.bc; ++b)
          sum += g.coeffV[o * g.bc + b] * w1[b * k + j];
        w[o * k + j] = scale * static_cast<double>(sum);
      }
    return w;
  }
  for (int64_t o = 0; o < g.outChannels; ++o)
    for (int64_t b = 0; b < g.bc; ++b) {
      const double v = g.vValue(o, b) * level1Step(g, b);
      for (int64_t j = 0; j < k; ++j)
        w[o * k + j] += v * static_cast<double>(w1[b * k + j]);
    }
  return w;
}

/// The core's weights as a float filter [o][c][t]: the codes (K order
/// t * Ci + c) times their scales.
static std::vector<double> coreFilter(const GeneratedWeights &weights) {
  const GeneratorLevels &g = weights.levels;
  std::vector<double> filter(weights.codes.size());
  for (int64_t o = 0; o < g.outChannels; ++o)
    for (int64_t c = 0; c < g.inChannels; ++c)
      for (int64_t t = 0; t < g.taps; ++t)
        filter[(o * g.inChannels + c) * g.taps + t] =
            weights.scaleOf(o) *
            static_cast<double>(
                weights.codes[(o * g.taps + t) * g.inChannels + c]);
  return filter;
}

LogicalResult ptc_lowering::planGeneration(GeneratedWeights &weights,
                                           const CoreGeometry &geometry,
                                           std::string &whyNot) {
  if (weights.smartDeal)
    return planSmartDeal(weights, geometry, whyNot);
  llvm::raw_string_ostream why(whyNot);
  GeneratorLevels &g = weights.levels;
  const unsigned inBits = geometry.inputBits, wBits = geometry.weightBits;
  const unsigned adcBits = geometry.adcBits;
  auto fitsBits = [](unsigned levelBits, unsigned laneBits) {
    // Odd levels of q bits reach 2^q - 1, a signed lane 2^(b-1) - 1.
    return levelBits + 1 <= laneBits;
  };
  const int64_t k = g.inChannels * g.taps;
  // The float filter, taken before the first operand is put on the core's
  // grids (which replaces its levels), to measure the core's weights
  // against.
  std::optional<std::vector<double>> filter;
  auto keepFilter = [&] {
    if (!filter)
      filter = dequantizedFilter(g);
  };
  auto measureError = [&] {
    if (filter)
      weights.coreRelativeError =
          compression::relativeError(*filter, coreFilter(weights));
  };
  // The value of one level of the basis and of U, per basis group: the
  // grids' steps, times the steps of the core's grids where those replace
  // the stored levels.
  std::vector<double> basisStep(g.bc), uStep(g.bc, 1.0);
  for (int64_t b = 0; b < g.bc; ++b) {
    basisStep[b] = g.basisStep(b);
    if (g.level1)
      uStep[b] = g.uStep(b);
  }
  auto regrid = [](std::vector<int64_t> &levels, std::vector<double> &steps,
                   int64_t top, bool oddLevels) {
    std::vector<double> values(levels.begin(), levels.end());
    RowGrid grid = regridRows(values, steps.size(), top, oddLevels);
    levels = std::move(grid.levels);
    for (size_t r = 0; r < steps.size(); ++r)
      steps[r] *= grid.steps[r];
  };
  if (!fitsBits(g.bitsB, inBits)) {
    keepFilter();
    regrid(g.basis, basisStep, (int64_t{1} << (inBits - 1)) - 1, false);
    g.bitsB = inBits - 1;
    weights.regriddedBasis = true;
  }
  // U wider than two weight digits (|h| <= 2^(qu - 1 - p) must fit):
  // midrise levels of 2 w_bits - 2 bits, as the split needs.
  if (g.level1 && g.bitsU > 2 * wBits - 2) {
    keepFilter();
    g.bitsU = 2 * wBits - 2;
    regrid(g.coeffU, uStep, (int64_t{1} << g.bitsU) - 1, true);
    weights.regriddedU = true;
  }
  const int64_t lowBits = wBits - 1; // the low digit l of c = 2^p h + l
  std::vector<int64_t> w1Codes;      // W1 as the core holds it, [bc][c][t]
  if (g.level1) {
    weights.splitU = !fitsBits(g.bitsU, wBits);
    // Level 1 runs with t_acc = 1: one ADC window per basis vector.
    const unsigned fs1 = adcFullScaleBits(inBits, wBits, 1);
    std::vector<int64_t> high(g.bc * k), low(g.bc * k);
    std::vector<int64_t> exact = level1Integers(g);
    for (int64_t b = 0; b < g.bc; ++b)
      for (int64_t c = 0; c < g.inChannels; ++c)
        for (int64_t t = 0; t < g.taps; ++t) {
          int64_t hi = 0, lo = 0;
          for (int64_t i = 0; i < g.bi; ++i) {
            int64_t m = g.coeffU[(b * g.inChannels + c) * g.bi + i];
            int64_t basis = g.basis[(b * g.bi + i) * g.taps + t];
            int64_t h = 0, l = m;
            if (weights.splitU) {
              int64_t code = (m - 1) / 2; // m = 2c + 1, exactly
              int64_t half = int64_t{1} << (lowBits - 1);
              int64_t digit =
                  ((code + half) & ((int64_t{1} << lowBits) - 1)) - half;
              h = (code - digit) >> lowBits;
              l = 2 * digit + 1;
            }
            hi = std::clamp<int64_t>(hi + convertAdc(h * basis, fs1, adcBits),
                                     INT32_MIN, INT32_MAX);
            lo = std::clamp<int64_t>(lo + convertAdc(l * basis, fs1, adcBits),
                                     INT32_MIN, INT32_MAX);
          }
          const int64_t idx = (b * g.inChannels + c) * g.taps + t;
          if (hi != saturate(hi, 8) || lo != saturate(lo, 8) ||
              hi * (int64_t{1} << wBits) + lo != exact[idx]) {
            why << "level-1 partial sums "
                   "exceed the 8-bit weight lanes or the ADC "
                   "(Bi = "
                << g.bi << ")";
            return failure();
          }
          high[idx] = hi;
          low[idx] = lo;
          weights.maxLevel1 = std::max(weights.maxLevel1, std::abs(exact[idx]));
        }
    // RECOMP: W1 codes in the bits of their consumer (the input DAC of
    // level 2, or the weight DAC when level 1 is the last level).
    const unsigned outBits = g.level2 ? inBits : wBits;
    const int64_t top = (int64_t{1} << (outBits - 1)) - 1;
    int64_t need = bestShift(exact, -top - 1, top);
    // Slice layouts: low at slice 0, high at slice wBits / sliceBits (zero
    // rows between); the shift is max(0, n * sliceBits - outBits) + rshift.
    // Take the smallest shift >= need, then the fewest slices.
    int64_t best = -1;
    auto consider = [&](int64_t n, int64_t sb, int64_t highSlice) {
      int64_t excess = std::max<int64_t>(0, n * sb - outBits);
      int64_t rshift = std::max<int64_t>(0, need - excess);
      if (rshift > 63)
        return;
      int64_t shift = excess + rshift;
      if (best < 0 || shift < best ||
          (shift == best && n < weights.recompSlices)) {
        best = shift;
        weights.recompSlices = n;
        weights.recompSliceBits = sb;
        weights.highSlice = highSlice;
        weights.recompRshift = rshift;
      }
    };
    if (!weights.splitU) {
      consider(1, outBits, 0);
    } else {
      for (int64_t sb = 1; sb <= static_cast<int64_t>(wBits); ++sb)
        if (wBits % sb == 0)
          for (int64_t n = wBits / sb + 1; n <= 8; ++n)
            consider(n, sb, wBits / sb);
    }
    if (best < 0) {
      why << "level-1 kernels need a right "
             "shift of "
          << need << " bits, beyond what RECOMP can apply";
      return failure();
    }
    weights.level1Shift = best;
    w1Codes.resize(g.bc * k);
    const int64_t excess = weights.level1Shift;
    for (size_t i = 0; i < w1Codes.size(); ++i) {
      int64_t sum =
          low[i] + (weights.splitU
                        ? high[i] * (int64_t{1} << (weights.highSlice *
                                                    weights.recompSliceBits))
                        : 0);
      if (excess > 0)
        sum = (sum + (int64_t{1} << (excess - 1))) >> excess;
      w1Codes[i] = saturate(sum, outBits);
    }
  } else {
    w1Codes = g.basis;
    weights.maxLevel1 = 0;
    for (int64_t v : w1Codes)
      weights.maxLevel1 = std::max(weights.maxLevel1, std::abs(v));
  }

  // The value of one W1 code per basis group.
  std::vector<double> w1Step(g.bc);
  for (int64_t b = 0; b < g.bc; ++b)
    w1Step[b] = basisStep[b] * uStep[b] *
                std::ldexp(1.0, static_cast<int>(weights.level1Shift));
  const bool uniformW1 = llvm::all_equal(w1Step);
  if (!g.level2) {
    weights.codes = std::move(w1Codes); // [o = bc][c][t]
    // To the K order of the GEMM (t * Ci + c).
    std::vector<int64_t> codes(weights.codes.size());
    for (int64_t o = 0; o < g.outChannels; ++o)
      for (int64_t c = 0; c < g.inChannels; ++c)
        for (int64_t t = 0; t < g.taps; ++t)
          codes[o * k + t * g.inChannels + c] =
              weights.codes[(o * g.inChannels + c) * g.taps + t];
    weights.codes = std::move(codes);
    weights.weightScale = w1Step[0];
    weights.channelWeightScale.clear();
    if (!uniformW1)
      weights.channelWeightScale = w1Step;
    measureError();
    return success();
  }

  // V onto the weight DAC: as stored when its levels fit and one W1 step
  // serves every basis group; else each row of V[o][b] * w1Step[b] on its
  // own grid, the error weighted by the energy of W1[b] (what it scales).
  std::vector<double> rowStep(g.outChannels);
  if (g.pow2V.empty() && fitsBits(g.bitsV, wBits) && uniformW1) {
    for (int64_t o = 0; o < g.outChannels; ++o)
      rowStep[o] = g.vStep(o) * w1Step[0];
  } else {
    keepFilter();
    std::vector<double> values(g.outChannels * g.bc), energy(g.bc, 0.0);
    for (int64_t o = 0; o < g.outChannels; ++o)
      for (int64_t b = 0; b < g.bc; ++b)
        values[o * g.bc + b] = g.vValue(o, b) * w1Step[b];
    for (int64_t b = 0; b < g.bc; ++b)
      for (int64_t j = 0; j < k; ++j)
        energy[b] += static_cast<double>(w1Codes[b * k + j]) *
                     static_cast<double>(w1Codes[b * k + j]);
    RowGrid grid = regridRows(values, g.outChannels,
                              (int64_t{1} << (wBits - 1)) - 1, false, energy);
    g.coeffV = std::move(grid.levels);
    rowStep = std::move(grid.steps);
    g.pow2V.clear();
    g.bitsV = wBits - 1;
    weights.regriddedV = true;
  }

  // Level 2: x[o][j] = sum_bc V[o][bc] W1[bc][j]; one GEN step per block of
  // BLOCK_OUT basis kernels, t_acc steps per ADC window.
  const int64_t blocks = (g.bc + geometry.blockOut - 1) / geometry.blockOut;
  std::vector<int64_t> exact(g.outChannels * k, 0);
  for (int64_t o = 0; o < g.outChannels; ++o)
    for (int64_t b = 0; b < g.bc; ++b) {
      const int64_t v = g.coeffV[o * g.bc + b];
      for (int64_t j = 0; j < k; ++j)
        exact[o * k + j] += v * w1Codes[b * k + j];
    }
  for (int64_t x : exact)
    weights.maxLevel2 = std::max(weights.maxLevel2, std::abs(x));
  const int64_t wTop = (int64_t{1} << (wBits - 1)) - 1;
  const int64_t want = bestShift(exact, -wTop - 1, wTop);
  // One ADC window per GEN step (t_acc 1) with the full scale calibrated
  // (CFG adc_fs_bits) so that the ADC itself rounds to the code step 2^want;
  // requant then only drops the zero bits (req_scale 1, req_shift want).
  weights.level2TimeAccumulation = 1;
  weights.level2FullScaleBits = static_cast<int64_t>(adcBits) + want;
  weights.level2AdcShift = want;
  weights.level2ReqShift = want;
  const int64_t bestTacc = 1;
  const unsigned fs2 = static_cast<unsigned>(weights.level2FullScaleBits);
  weights.codes.assign(g.outChannels * k, 0);
  std::vector<int64_t> column(g.bc);
  for (int64_t o = 0; o < g.outChannels; ++o)
    for (int64_t j = 0; j < k; ++j) {
      int64_t run = 0;
      for (int64_t first = 0; first < blocks; first += bestTacc) {
        int64_t window = 0;
        int64_t last = std::min(g.bc, (first + bestTacc) * geometry.blockOut);
        for (int64_t b = first * geometry.blockOut; b < last; ++b)
          window += g.coeffV[o * g.bc + b] * w1Codes[b * k + j];
        run = std::clamp<int64_t>(run + convertAdc(window, fs2, adcBits),
                                  INT32_MIN, INT32_MAX);
      }
      weights.codes[o * k + j] =
          std::clamp<int64_t>(run >> weights.level2ReqShift, -wTop - 1, wTop);
    }
  // To the K order of the GEMM (t * Ci + c) from the filter's (c, t).
  std::vector<int64_t> codes(weights.codes.size());
  for (int64_t o = 0; o < g.outChannels; ++o)
    for (int64_t c = 0; c < g.inChannels; ++c)
      for (int64_t t = 0; t < g.taps; ++t)
        codes[o * k + t * g.inChannels + c] =
            weights.codes[o * k + c * g.taps + t];
  weights.codes = std::move(codes);
  const double unit = std::ldexp(1.0, static_cast<int>(weights.level2ReqShift));
  weights.weightScale = rowStep[0] * unit;
  weights.channelWeightScale.clear();
  if (!llvm::all_equal(rowStep))
    for (double step : rowStep)
      weights.channelWeightScale.push_back(step * unit);
  measureError();
  return success();
}

//===----------------------------------------------------------------------===//
// Emission
//===----------------------------------------------------------------------===//

#include "ProgramBuilder.h"

namespace {

/// The coefficient digit of U's level m in piece `piece` (0: the low digit
/// 2 l + 1, or m itself without the split; 1: the high digit h).
int64_t uDigit(int64_t m, int piece, bool split, unsigned wBits) {
  if (!split)
    return piece == 0 ? m : 0;
  const int64_t lowBits = wBits - 1, half = int64_t{1} << (lowBits - 1);
  int64_t code = (m - 1) / 2;
  int64_t digit = ((code + half) & ((int64_t{1} << lowBits) - 1)) - half;
  return piece == 0 ? 2 * digit + 1 : (code - digit) >> lowBits;
}

int64_t uPieces(const GeneratedWeights &w) { return w.splitU ? 2 : 1; }

/// coeff_u rows are input-channel-block major, so that a segment's blocks
/// are consecutive rows: [cc][piece][i][bc block].
int64_t coeffURow(const GeneratedWeights &w, const GeneratedLayout &l,
                  int64_t piece, int64_t i, int64_t bcb, int64_t cc) {
  return cc * l.uRowsPerCc + (piece * w.levels.bi + i) * l.bcBlocks + bcb;
}

int64_t basisRow(const GeneratedWeights &w, const GeneratedLayout &l, int64_t i,
                 int64_t t, int64_t bcb) {
  return (i * w.levels.taps + t) * l.bcBlocks + bcb;
}

using ptc::DepFlags;

DepFlags take(DepFlags &flags) {
  DepFlags f = flags;
  flags = DepFlags::none;
  return f;
}

/// Compute module: level 1 of chunk kc (tap, input-channel block) for bc
/// block bcb into wgt row `dst`: one GEN run per U digit into its RECOMP
/// slice row, then RECOMP to `outBits`. `uRow(piece, i, bcb, cc)` is the
/// coeff_u row holding those coefficients; `flags` go on the first
/// instruction and are consumed.
template <typename URowFn>
void emitLevel1Chunk(ProgramBuilder &e, const GeneratedWeights &w,
                     const CoreGeometry &g, const GeneratedLayout &l,
                     int64_t bcb, int64_t kc, int64_t dst, int64_t outBits,
                     URowFn uRow, DepFlags &flags) {
  const int64_t tap = kc / l.ccCount, cc = kc % l.ccCount;
  SmallVector<std::tuple<int64_t, int64_t, int64_t>> entries;
  for (int64_t p = 0; p < uPieces(w); ++p)
    for (int64_t i = 0; i < w.levels.bi; ++i)
      entries.push_back({l.scratchBase + (p ? w.highSlice : 0),
                         uRow(p, i, bcb, cc), basisRow(w, l, i, tap, bcb)});
  int64_t first = e.uopSequence(entries);
  e.gen(1, false, first, first + entries.size(), 1, 0, 0, 0, take(flags));
  e.recompWgt(dst, l.scratchBase, w.recompSlices, w.recompSliceBits, outBits,
              w.recompRshift, take(flags));
}

} // namespace

GeneratedLayout ptc_lowering::layoutGeneratedLayer(const GeneratedWeights &w,
                                                   const CoreGeometry &g,
                                                   int64_t inColumns,
                                                   int64_t slotRows,
                                                   int64_t segmentChunks,
                                                   bool w1PerSegment) {
  if (w.smartDeal)
    return layoutSmartDealLayer(w, g, inColumns, slotRows);
  const GeneratorLevels &lv = w.levels;
  GeneratedLayout l;
  l.inColumns = inColumns;
  l.kChunks = lv.taps * inColumns / g.blockIn;
  l.bcBlocks = (lv.bc + g.blockOut - 1) / g.blockOut;
  l.outBlocks = (lv.outChannels + g.blockOut - 1) / g.blockOut;
  const int64_t ccCount = inColumns / g.blockIn;
  l.ccCount = ccCount;
  if (lv.level1) {
    l.uRowsPerCc = uPieces(w) * lv.bi * l.bcBlocks;
    l.coeffURows = l.uRowsPerCc * ccCount;
    l.uCcPerHalf = g.coeffURows / 2 / l.uRowsPerCc;
    l.basisRows = lv.bi * lv.taps * l.bcBlocks;
    l.uReload = !coeffUFits(l, g);
  }
  if (lv.level2) {
    l.coeffVRows = l.outBlocks * l.bcBlocks;
    l.vReload = !coeffVFits(l, g);
  }
  // Level-2-only layers load their kernels whole.
  l.w1PerSegment = w1PerSegment && lv.level1 && lv.level2;
  l.level1Staged = lv.level1 && lv.level2 && l.uReload && !l.w1PerSegment;
  l.w1Chunks = l.w1PerSegment ? segmentChunks : l.kChunks;
  l.w1Base = slotRows;
  l.scratchBase = l.w1Base + (lv.level2 ? l.bcBlocks * l.w1Chunks : 0);
  l.scratchRows = lv.level1 ? w.recompSlices : 0;
  return l;
}

bool ptc_lowering::coeffUFits(const GeneratedLayout &l, const CoreGeometry &g) {
  return l.coeffURows <= g.coeffURows;
}

bool ptc_lowering::coeffVFits(const GeneratedLayout &l, const CoreGeometry &g) {
  return l.coeffVRows <= g.coeffVRows;
}

LogicalResult ptc_lowering::checkGeneratorBuffers(const GeneratedLayout &l,
                                                  const CoreGeometry &g,
                                                  std::string &whyNot) {
  if (l.smartDeal)
    return checkSmartDealBuffers(l, g, whyNot);
  llvm::raw_string_ostream why(whyNot);
  if (l.basisRows > g.basisRows)
    why << "the basis needs " << l.basisRows << " rows, the buffer holds "
        << g.basisRows;
  else if (l.uReload && l.uCcPerHalf < 1)
    why << "coeff_u needs " << l.uRowsPerCc << " rows per input block "
        << "reloaded in halves of " << g.coeffURows / 2;
  else if (l.vReload && 2 * l.bcBlocks > g.coeffVRows)
    why << "coeff_v needs " << l.bcBlocks << " rows per output block "
        << "reloaded in halves of " << g.coeffVRows / 2;
  return success(whyNot.empty());
}

int64_t ptc_lowering::generatedScratchRows(const GeneratedLayout &l) {
  return l.scratchBase + l.scratchRows - l.w1Base;
}

bool ptc_lowering::level1PerSegment(const GeneratedWeights &w,
                                    const GeneratedLayout &whole,
                                    const CoreGeometry &g) {
  return w.levels.level1 && w.levels.level2 &&
         2 + generatedScratchRows(whole) > g.wgtRows;
}

bool ptc_lowering::uReloadedPerSegment(const GeneratedWeights &w,
                                       const GeneratedLayout &whole,
                                       const CoreGeometry &g) {
  return whole.uReload && (level1PerSegment(w, whole, g) || !w.levels.level2);
}

void ptc_lowering::addGeneratorData(ProgramBuilder &e, StringRef name,
                                    const GeneratedWeights &w,
                                    const CoreGeometry &g, GeneratedLayout &l) {
  if (w.smartDeal)
    return addSmartDealData(e, name, w, g, l);
  const GeneratorLevels &lv = w.levels;
  const int64_t bo = g.blockOut, bin = g.blockIn;
  if (lv.level1) {
    // coeff_u rows [piece][i][bc block][ci chunk]: [c = bc][k = ci].
    std::vector<int64_t> u(l.coeffURows * bo * bin, 0);
    for (int64_t p = 0; p < uPieces(w); ++p)
      for (int64_t i = 0; i < lv.bi; ++i)
        for (int64_t b = 0; b < lv.bc; ++b)
          for (int64_t c = 0; c < lv.inChannels; ++c) {
            int64_t row = coeffURow(w, l, p, i, b / bo, c / bin);
            u[(row * bo + b % bo) * bin + c % bin] =
                uDigit(lv.coeffU[(b * lv.inChannels + c) * lv.bi + i], p,
                       w.splitU, g.weightBits);
          }
    l.coeffU = e.addData((name + "_coeff_u").str(), {l.coeffURows, bo * bin},
                         g.weightBits, u, "", 0);
    // basis rows [i][tap][bc block]: [c = bc].
    std::vector<int64_t> basis(l.basisRows * bo, 0);
    for (int64_t b = 0; b < lv.bc; ++b)
      for (int64_t i = 0; i < lv.bi; ++i)
        for (int64_t t = 0; t < lv.taps; ++t)
          basis[basisRow(w, l, i, t, b / bo) * bo + b % bo] =
              lv.basis[(b * lv.bi + i) * lv.taps + t];
    l.basis = e.addData((name + "_basis").str(), {l.basisRows, bo}, g.inputBits,
                        basis, "", 0);
  } else {
    // The level-1 kernels as wgt rows [bc block][K chunk]: [c = bc][k],
    // K = tap * inColumns + ci.
    std::vector<int64_t> w1(l.bcBlocks * l.kChunks * bo * bin, 0);
    for (int64_t b = 0; b < lv.bc; ++b)
      for (int64_t c = 0; c < lv.inChannels; ++c)
        for (int64_t t = 0; t < lv.taps; ++t) {
          int64_t kk = t * l.inColumns + c;
          int64_t row = (b / bo) * l.kChunks + kk / bin;
          w1[(row * bo + b % bo) * bin + kk % bin] =
              lv.basis[(b * lv.inChannels + c) * lv.taps + t];
        }
    l.w1 =
        e.addData((name + "_kernels").str(), {l.bcBlocks * l.kChunks, bo * bin},
                  g.inputBits, w1, "", 0);
  }
  if (lv.level2) {
    // coeff_v rows [out block][bc block]: [o][c = bc].
    std::vector<int64_t> v(l.coeffVRows * bo * bo, 0);
    for (int64_t o = 0; o < lv.outChannels; ++o)
      for (int64_t b = 0; b < lv.bc; ++b)
        v[((o / bo * l.bcBlocks + b / bo) * bo + o % bo) * bo + b % bo] =
            lv.coeffV[o * lv.bc + b];
    l.coeffV = e.addData((name + "_coeff_v").str(), {l.coeffVRows, bo * bo},
                         g.weightBits, v, "", 0);
  }
}

void ptc_lowering::emitGeneratorLoads(ProgramBuilder &e,
                                      const GeneratedWeights &w,
                                      const CoreGeometry &g,
                                      const GeneratedLayout &l,
                                      DepFlags &firstLoad) {
  // SmartDeal codes and bases are loaded per generation only.
  if (l.smartDeal)
    return;
  const int64_t bo = g.blockOut, bin = g.blockIn;
  if (l.coeffU >= 0) {
    if (!l.uReload)
      e.memory(false, ptc::MemId::coeff_u, 0, l.coeffU, l.coeffURows * bo,
               bin, bin, g.weightBits, 0, take(firstLoad));
    e.memory(false, ptc::MemId::basis, 0, l.basis, l.basisRows, bo, bo,
             g.inputBits, 0, take(firstLoad));
  }
  if (l.w1 >= 0)
    e.memory(false, ptc::MemId::wgt, l.w1Base, l.w1,
             l.bcBlocks * l.kChunks * bo, bin, bin, g.inputBits, 0,
             take(firstLoad));
  if (l.coeffV >= 0 && !l.vReload)
    e.memory(false, ptc::MemId::coeff_v, 0, l.coeffV, l.coeffVRows * bo, bo, bo,
             g.weightBits, 0, take(firstLoad));
  // RECOMP slices between the low and high digit rows must read zeros.
  if (l.scratchRows > uPieces(w))
    e.memory(false, ptc::MemId::wgt, l.scratchBase, l.zeros, l.scratchRows * bo,
             bin, 0, g.inputBits, 0, take(firstLoad));
}

void ptc_lowering::emitStagedLevel1(
    ProgramBuilder &e, const GeneratedWeights &w, const CoreGeometry &g,
    const GeneratedLayout &l, GenerationState &state, DepFlags &firstLoad) {
  const int64_t bo = g.blockOut, bin = g.blockIn;
  const int64_t halfRows = l.uCcPerHalf * l.uRowsPerCc;
  const int64_t groups = (l.ccCount + l.uCcPerHalf - 1) / l.uCcPerHalf;
  const int64_t taps = l.kChunks / l.ccCount;
  e.cfg(ptc::CfgReg::t_acc, 1);
  e.cfg(ptc::CfgReg::adc_fs_bits, 0);
  for (int64_t group = 0; group < groups; ++group) {
    // Load module: the group's U rows into its half, once the GENs of the
    // group two before (the half's previous contents) have run.
    const int64_t firstCc = group * l.uCcPerHalf;
    const int64_t count = std::min(l.uCcPerHalf, l.ccCount - firstCc);
    const int64_t halfBase = (group % 2) * halfRows;
    DepFlags loadFlags = take(firstLoad) |
                         when(group >= 2, DepFlags::pop_next) |
                         DepFlags::push_next;
    e.memory(false, ptc::MemId::coeff_u, halfBase,
             l.coeffU + firstCc * l.uRowsPerCc * bo * bin * g.weightBits / 8,
             count * l.uRowsPerCc * bo, bin, bin, g.weightBits, 0, loadFlags);
    // Compute module: every tap of the group's input-channel blocks.
    auto uRow = [&](int64_t p, int64_t i, int64_t bcb, int64_t cc) {
      return halfBase + coeffURow(w, l, p, i, bcb, cc - firstCc);
    };
    DepFlags computeFlags = DepFlags::pop_prev;
    for (int64_t cc = firstCc; cc < firstCc + count; ++cc)
      for (int64_t tap = 0; tap < taps; ++tap)
        for (int64_t bcb = 0; bcb < l.bcBlocks; ++bcb) {
          const int64_t kc = tap * l.ccCount + cc;
          emitLevel1Chunk(e, w, g, l, bcb, kc, l.w1Base + bcb * l.kChunks + kc,
                          g.inputBits, uRow, computeFlags);
        }
    // The half is free for the load two groups on.
    if (group + 2 < groups)
      e.cfg(ptc::CfgReg::t_acc, 1, DepFlags::push_prev);
  }
  // The level-2 generation that follows (emitGeneratedRows) sets its own
  // configuration and then the GEMM's.
  state.level1Done = true;
}

void ptc_lowering::emitGeneratorReloads(
    ProgramBuilder &e, const GeneratedWeights &w, const CoreGeometry &g,
    const GeneratedLayout &l, int64_t ob, int64_t kcBegin, int64_t kcEnd,
    GenerationState &state, DepFlags &firstLoad) {
  const int64_t bo = g.blockOut, bin = g.blockIn;
  const bool level1Needed =
      w.levels.level1 && (!w.levels.level2 || l.w1PerSegment ||
                          !state.level1Done);
  if (l.uReload && level1Needed) {
    // The segment's consecutive chunks have distinct input-channel blocks
    // (at most uCcPerHalf, planned so): one or two runs of rows.
    const int64_t chunks = kcEnd - kcBegin;
    const int64_t first = kcBegin % l.ccCount;
    const int64_t halfRows = l.uCcPerHalf * l.uRowsPerCc;
    state.uHalfBase = (state.uLoads++ % 2) * halfRows;
    state.uFirstCc = first;
    const int64_t head = std::min(chunks, l.ccCount - first);
    auto load = [&](int64_t cc, int64_t count, int64_t at) {
      e.memory(false, ptc::MemId::coeff_u, state.uHalfBase + at * l.uRowsPerCc,
               l.coeffU + cc * l.uRowsPerCc * bo * bin * g.weightBits / 8,
               count * l.uRowsPerCc * bo, bin, bin, g.weightBits, 0,
               take(firstLoad));
    };
    load(first, head, 0);
    if (chunks > head)
      load(0, chunks - head, head);
  }
  if (l.vReload && state.vBlock != ob) {
    state.vBlock = ob;
    state.vHalfBase = (state.vLoads++ % 2) * l.bcBlocks;
    e.memory(false, ptc::MemId::coeff_v, state.vHalfBase,
             l.coeffV + ob * l.bcBlocks * bo * bo * g.weightBits / 8,
             l.bcBlocks * bo, bo, bo, g.weightBits, 0, take(firstLoad));
  }
}

void ptc_lowering::emitGeneratedRows(
    ProgramBuilder &e, const GeneratedWeights &w, const CoreGeometry &g,
    const GeneratedLayout &l, int64_t ob, int64_t kcBegin, int64_t kcEnd,
    int64_t wgtBase, GenerationState &state, DepFlags &computeFirst) {
  const GeneratorLevels &lv = w.levels;
  const int64_t ccCount = l.inColumns / g.blockIn;
  // The coeff_u row in the buffer: the whole tensor, or the reloaded half.
  auto uRow = [&](int64_t p, int64_t i, int64_t bcb, int64_t cc) {
    if (!l.uReload)
      return coeffURow(w, l, p, i, bcb, cc);
    const int64_t at = (cc - state.uFirstCc + ccCount) % ccCount;
    return state.uHalfBase + coeffURow(w, l, p, i, bcb, at);
  };
  auto level1 = [&](int64_t bcb, int64_t kc, int64_t dst, int64_t outBits) {
    emitLevel1Chunk(e, w, g, l, bcb, kc, dst, outBits, uRow, computeFirst);
  };
  // The level-1 kernels of chunk kc start at row w1Chunk(kc) of each bc
  // block's w1Chunks rows.
  int64_t w1First = 0;
  const bool level1Runs =
      lv.level1 && (!lv.level2 || l.w1PerSegment || !state.level1Done);
  if (level1Runs) {
    e.cfg(ptc::CfgReg::t_acc, 1, take(computeFirst));
    // Level-1 sums are exact at the worst-case full scale (checked when
    // the layer is prepared); the GEMM's calibrated one is set again below.
    e.cfg(ptc::CfgReg::adc_fs_bits, 0);
    if (!lv.level2) {
      for (int64_t kc = kcBegin; kc < kcEnd; ++kc)
        level1(ob, kc, wgtBase + kc - kcBegin, g.weightBits);
    } else if (l.w1PerSegment) {
      for (int64_t bcb = 0; bcb < l.bcBlocks; ++bcb)
        for (int64_t kc = kcBegin; kc < kcEnd; ++kc)
          level1(bcb, kc, l.w1Base + bcb * l.w1Chunks + kc - kcBegin,
                 g.inputBits);
      w1First = kcBegin;
    } else if (!state.level1Done) {
      for (int64_t bcb = 0; bcb < l.bcBlocks; ++bcb)
        for (int64_t kc = 0; kc < l.kChunks; ++kc)
          level1(bcb, kc, l.w1Base + bcb * l.kChunks + kc, g.inputBits);
      state.level1Done = true;
    }
  }
  if (lv.level2) {
    e.cfg(ptc::CfgReg::t_acc, w.level2TimeAccumulation, take(computeFirst));
    e.cfg(ptc::CfgReg::adc_fs_bits, w.level2FullScaleBits);
    e.cfg(ptc::CfgReg::req_scale, 1);
    e.cfg(ptc::CfgReg::req_shift, w.level2ReqShift);
    const int64_t vBase = l.vReload ? state.vHalfBase : ob * l.bcBlocks;
    SmallVector<std::tuple<int64_t, int64_t, int64_t>> entries;
    for (int64_t bcb = 0; bcb < l.bcBlocks; ++bcb)
      entries.push_back({wgtBase, vBase + bcb,
                         l.w1Base + bcb * l.w1Chunks + kcBegin - w1First});
    int64_t first = e.uopSequence(entries);
    e.gen(2, true, first, first + l.bcBlocks, kcEnd - kcBegin, 1, 0, 1,
          DepFlags::none);
  }
  // Back to the GEMM windows' ADC full scale and time accumulation.
  e.cfg(ptc::CfgReg::adc_fs_bits, l.gemmFullScaleBits);
  e.cfg(ptc::CfgReg::t_acc, g.timeAccumulation);
}
