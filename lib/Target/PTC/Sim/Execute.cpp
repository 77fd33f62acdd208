//===- Execute.cpp - Functional semantics of each PTC instruction ---------===//
//
// docs/isa.md §4 with the operand geometry of docs/ptc-sim.md. Every
// function returns an error message (std::nullopt on success) that the
// caller prefixes with the instruction and its file offset.
//
//===----------------------------------------------------------------------===//

#include "Execute.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

using namespace mlg::ptc;
using namespace mlg::ptc::sim;
using isa::MemId;

namespace {
/// The (i, j, u) loop nest of GEMM, ALU and GEN, with the uop range checked.
template <typename Fn>
std::optional<std::string>
forEachStep(Machine &m, int64_t uopBgn, int64_t uopEnd, int64_t iterOut,
            int64_t iterIn, int64_t dstOut, int64_t dstIn, int64_t srcOut,
            int64_t srcIn, int64_t wgtOut, int64_t wgtIn, Fn &&body) {
  if (uint64_t(uopEnd) > m.uops.size())
    return ("micro-ops [" + llvm::Twine(uopBgn) + ", " + llvm::Twine(uopEnd) +
            ") exceed the uop buffer's " + llvm::Twine(m.uops.size()) +
            " entries")
        .str();
  // Reading the clock every few thousand steps keeps its cost negligible.
  constexpr uint64_t kStepsPerClockCheck = 4096;
  uint64_t untilClockCheck = kStepsPerClockCheck;
  for (int64_t i = 0; i < iterOut; ++i)
    for (int64_t j = 0; j < iterIn; ++j)
      for (int64_t k = uopBgn; k < uopEnd; ++k) {
        if (--untilClockCheck == 0) {
          untilClockCheck = kStepsPerClockCheck;
          if (m.isPastDeadline())
            return m.getDeadlineMessage();
        }
        const isa::Uop &u = m.uops[k];
        uint64_t d = u.dst + i * dstOut + j * dstIn;
        uint64_t s = u.src + i * srcOut + j * srcIn;
        uint64_t w = u.wgt + i * wgtOut + j * wgtIn;
        if (std::optional<std::string> error = body(d, s, w))
          return error;
      }
  return std::nullopt;
}

/// One row of a GEMM step: out[o] += sum_k x[k] * w[o][k] for o < blockOut,
/// with `pairs` = Machine::getGemmWeights (pairs of k per output) and `xp`
/// the input as 32-bit pairs (x[2p] low, x[2p+1] high). Operand lanes hold
/// 8-bit values, so every 32-bit sum is exact.
void gemmRow(const uint32_t *xp, const int16_t *pairs, unsigned numPairs,
             unsigned blockOut, int64_t *out) {
  unsigned o = 0;
#if defined(__SSE2__)
  // SSE2 (every x86-64): pmaddwd does 8 multiplies and 4 pair sums.
  for (; o + 4 <= blockOut; o += 4) {
    __m128i sum = _mm_setzero_si128();
    for (unsigned p = 0; p < numPairs; ++p) {
      __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i *>(
          pairs + (uint64_t(p) * blockOut + o) * 2));
      sum = _mm_add_epi32(
          sum, _mm_madd_epi16(w, _mm_set1_epi32(int32_t(xp[p]))));
    }
    alignas(16) int32_t lanes[4];
    _mm_store_si128(reinterpret_cast<__m128i *>(lanes), sum);
    for (unsigned l = 0; l < 4; ++l)
      out[o + l] += lanes[l];
  }
#endif
  for (; o < blockOut; ++o) {
    int32_t sum = 0;
    for (unsigned p = 0; p < numPairs; ++p) {
      const int16_t *w = pairs + (uint64_t(p) * blockOut + o) * 2;
      sum += int32_t(int16_t(xp[p])) * w[0] +
             int32_t(int16_t(xp[p] >> 16)) * w[1];
    }
    out[o] += sum;
  }
}

/// dst[e] = op(dst[e], x) for `lanes` lanes, x = src[e], or `imm` without
/// `src`: one loop per ALU operation, so that each vectorizes.
template <typename Op>
void applyLanes(int32_t *dst, const int32_t *src, int32_t imm, uint64_t lanes,
                Op op) {
  if (src)
    for (uint64_t e = 0; e < lanes; ++e)
      dst[e] = op(dst[e], src[e]);
  else
    for (uint64_t e = 0; e < lanes; ++e)
      dst[e] = op(dst[e], imm);
}

/// Copies `n` lanes saturated to the DAC's signed `bits` range.
void saturateInto(const int32_t *src, uint64_t n, unsigned bits,
                  int16_t *dst) {
  int32_t hi = (int32_t(1) << (bits - 1)) - 1, lo = -hi - 1;
  for (uint64_t e = 0; e < n; ++e)
    dst[e] = int16_t(std::clamp(src[e], lo, hi));
}

/// Accumulates analog partial sums per destination row: consecutive steps
/// with the same destination form a run; every `tAcc` steps of a run (one
/// time-integration window) pass the ADC and are added to the run's 32-bit
/// digital sum.
class AnalogAccumulator {
public:
  AnalogAccumulator(Machine &m, uint64_t lanes, unsigned fullScaleBits)
      : m(m), fullScaleBits(fullScaleBits), chunk(lanes, 0), run(lanes, 0) {}

  /// Starts a step on row `d`; ends the current run first if `d` differs.
  /// Returns the analog scratch to add this step's products to.
  int64_t *beginStep(uint64_t d, const std::function<void(uint64_t,
                                                          const int64_t *)>
                                     &finishRun) {
    if (active && (d != dst || stepsInChunk == m.cfg.tAcc))
      convertChunk();
    if (active && d != dst)
      endRun(finishRun);
    dst = d;
    active = true;
    ++stepsInChunk;
    return chunk.data();
  }
  void finish(const std::function<void(uint64_t, const int64_t *)> &finishRun) {
    if (active) {
      convertChunk();
      endRun(finishRun);
    }
  }
  uint64_t conversions = 0;

private:
  void convertChunk() {
    if (!stepsInChunk)
      return;
    double sigma = m.options.noiseStd;
    if (sigma != 0) {
      for (size_t e = 0; e < chunk.size(); ++e) {
        int64_t digital = convertAdc(chunk[e], fullScaleBits, m.cfg.adcBits,
                                     sigma * m.noise.next());
        // The digital sum is a saturating 32-bit scratch.
        run[e] = saturateSigned(run[e] + digital, 32);
      }
    } else {
      // convertAdc without noise, inlined for the hot loop.
      unsigned adcBits = m.cfg.adcBits;
      unsigned shift = fullScaleBits > adcBits ? fullScaleBits - adcBits : 0;
      int64_t bias = shift ? int64_t(1) << (shift - 1) : 0;
      int64_t hi = (int64_t(1) << (adcBits - 1)) - 1, lo = -hi - 1;
      const int64_t runHi = INT32_MAX, runLo = INT32_MIN;
      for (size_t e = 0; e < chunk.size(); ++e) {
        int64_t code = std::clamp((chunk[e] + bias) >> shift, lo, hi);
        run[e] = std::clamp(run[e] + code * (int64_t(1) << shift), runLo,
                            runHi);
      }
    }
    std::fill(chunk.begin(), chunk.end(), 0);
    conversions += chunk.size();
    stepsInChunk = 0;
  }
  void endRun(const std::function<void(uint64_t, const int64_t *)> &finishRun) {
    finishRun(dst, run.data());
    std::fill(run.begin(), run.end(), 0);
    active = false;
  }

  Machine &m;
  unsigned fullScaleBits;
  std::vector<int64_t> chunk, run;
  uint64_t dst = 0;
  unsigned stepsInChunk = 0;
  bool active = false;
};
} // namespace

//===----------------------------------------------------------------------===//
// LOAD / STORE
//===----------------------------------------------------------------------===//

std::optional<std::string> sim::executeLoad(Machine &m,
                                            const isa::LoadInsn &insn,
                                            const bin::Program &program,
                                            ExecStats &stats) {
  MemId mem = insn.getMemId();
  if (mem == MemId::Uop) {
    uint64_t first = insn.dramBase, count = insn.xSize;
    if (first + count > program.uops.size())
      return ("micro-op table entries [" + llvm::Twine(first) + ", " +
              llvm::Twine(first + count) + ") exceed the program's " +
              llvm::Twine(program.uops.size()) + " micro-ops")
          .str();
    if (auto error = m.checkRows(mem, insn.sramBase, count, "destination"))
      return error;
    std::copy_n(program.uops.begin() + first, count,
                m.uops.begin() + insn.sramBase);
    stats.dramBits = count * 32;
    stats.localBits = count * 32;
    return std::nullopt;
  }
  uint64_t width = insn.xPad0 + insn.xSize + insn.xPad1;
  uint64_t height = insn.yPad0 + insn.ySize + insn.yPad1;
  uint64_t rowElems = m.geometry.rowElements[static_cast<unsigned>(mem)];
  uint64_t first = uint64_t(insn.sramBase) * rowElems;
  if (auto error = m.checkElements(mem, first, width * height))
    return error;
  uint64_t lastElement =
      uint64_t(insn.ySize - 1) * insn.xStride + uint64_t(insn.xSize);
  if (auto error =
          m.checkDram(insn.dramBase, 0, lastElement, insn.elemBits, false))
    return error;
  unsigned bits = insn.elemBits;
  // One padded row at a time: zeros, then the DRAM elements, then zeros.
  std::vector<int64_t> line(width, 0);
  for (uint64_t y = 0; y < height; ++y) {
    bool padRow = y < uint64_t(insn.yPad0) || y >= insn.yPad0 + uint64_t(insn.ySize);
    if (padRow)
      std::fill(line.begin(), line.end(), 0);
    else
      m.readDramElements(insn.dramBase, (y - insn.yPad0) * insn.xStride,
                         insn.xSize, bits, line.data() + insn.xPad0);
    for (uint64_t x = 0; x < width; ++x)
      m.writeLane(mem, first + y * width + x, line[x]);
  }
  if (mem == MemId::Acc) {
    uint64_t endRow = (first + width * height + rowElems - 1) / rowElems;
    for (uint64_t r = insn.sramBase; r < endRow; ++r)
      m.mirrorAccRow(r);
  }
  (Machine::isGlobalSram(insn.dramBase) ? stats.globalSramBits
                                         : stats.dramBits) =
      uint64_t(insn.ySize) * insn.xSize * bits;
  stats.localBits =
      width * height * m.geometry.laneBits[static_cast<unsigned>(mem)];
  return std::nullopt;
}

std::optional<std::string> sim::executeStore(Machine &m,
                                             const isa::StoreInsn &insn,
                                             ExecStats &stats) {
  MemId mem = insn.getMemId();
  uint64_t rowElems = m.geometry.rowElements[static_cast<unsigned>(mem)];
  uint64_t first = uint64_t(insn.sramBase) * rowElems;
  uint64_t count = uint64_t(insn.ySize) * insn.xSize;
  if (auto error = m.checkElements(mem, first, count))
    return error;
  uint64_t lastElement =
      uint64_t(insn.ySize - 1) * insn.xStride + uint64_t(insn.xSize);
  if (auto error =
          m.checkDram(insn.dramBase, 0, lastElement, insn.elemBits, true))
    return error;
  const std::vector<int32_t> &buffer = m.buffers[static_cast<unsigned>(mem)];
  for (uint64_t y = 0; y < uint64_t(insn.ySize); ++y)
    m.writeDramElements(insn.dramBase, y * insn.xStride, insn.xSize,
                        insn.elemBits, &buffer[first + y * insn.xSize]);
  (Machine::isGlobalSram(insn.dramBase) ? stats.globalSramBits
                                         : stats.dramBits) =
      count * insn.elemBits;
  stats.localBits = count * 32;
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// GEMM
//===----------------------------------------------------------------------===//

std::optional<std::string> sim::executeGemm(Machine &m,
                                            const isa::GemmInsn &insn,
                                            ExecStats &stats) {
  if (m.cfg.wsrc != 0)
    return std::string("GEMM with wsrc = 1 (analog GEN stream) is not "
                       "simulated; generate into wgt first");
  const Geometry &g = m.geometry;
  const unsigned batch = g.batch, blockIn = g.blockIn, blockOut = g.blockOut;
  const uint64_t accLanes = uint64_t(batch) * blockOut;
  unsigned fullScale = m.cfg.adcFullScaleBits(uint64_t(m.cfg.tAcc) * blockIn);
  AnalogAccumulator analog(m, accLanes, fullScale);
  std::vector<int16_t> inp(uint64_t(batch) * blockIn);
  const unsigned numPairs = (blockIn + 1) / 2;
  std::vector<uint32_t> inputPairs(numPairs);
  auto addToAcc = [&](uint64_t d, const int64_t *run) {
    int32_t *acc = m.row(MemId::Acc, d);
    for (uint64_t e = 0; e < accLanes; ++e)
      acc[e] = wrap32(int64_t(acc[e]) + run[e]);
    m.mirrorAccRow(d);
  };
  std::function<void(uint64_t, const int64_t *)> finishRun = addToAcc;
  auto error = forEachStep(
      m, insn.uopBgn, insn.uopEnd, insn.iterOut, insn.iterIn, insn.dstOut,
      insn.dstIn, insn.srcOut, insn.srcIn, insn.wgtOut, insn.wgtIn,
      [&](uint64_t d, uint64_t s, uint64_t w) -> std::optional<std::string> {
        if (auto e = m.checkRows(MemId::Acc, d, 1, "destination"))
          return e;
        ++stats.steps;
        if (insn.reset) {
          analog.finish(finishRun);
          std::fill_n(m.row(MemId::Acc, d), accLanes, 0);
          m.mirrorAccRow(d);
          ++stats.resetSteps;
          stats.localBits += accLanes * 32;
          return std::nullopt;
        }
        if (auto e = m.checkRows(MemId::Inp, s, 1, "source"))
          return e;
        if (auto e = m.checkRows(MemId::Wgt, w, 1, "weight"))
          return e;
        saturateInto(m.row(MemId::Inp, s), inp.size(), m.cfg.inBits,
                     inp.data());
        const int16_t *wgt = m.getGemmWeights(w, m.cfg.wBits);
        int64_t *chunk = analog.beginStep(d, finishRun);
        // acc[d][b][o] += sum_k inp[s][b][k] * wgt[w][o][k]
        for (unsigned b = 0; b < batch; ++b) {
          const int16_t *x = inp.data() + uint64_t(b) * blockIn;
          for (unsigned p = 0; p < numPairs; ++p) {
            uint16_t hi = 2 * p + 1 < blockIn ? uint16_t(x[2 * p + 1]) : 0;
            inputPairs[p] = uint32_t(uint16_t(x[2 * p])) | uint32_t(hi) << 16;
          }
          gemmRow(inputPairs.data(), wgt, numPairs, blockOut,
                  chunk + uint64_t(b) * blockOut);
        }
        stats.macs += uint64_t(batch) * blockIn * blockOut;
        stats.localBits += (inp.size() + uint64_t(blockOut) * blockIn) * 8 +
                           2 * accLanes * 32;
        return std::nullopt;
      });
  if (error)
    return error;
  analog.finish(finishRun);
  stats.adcConversions = analog.conversions;
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// ALU
//===----------------------------------------------------------------------===//

std::optional<std::string> sim::executeAlu(Machine &m, const isa::AluInsn &insn,
                                           ExecStats &stats) {
  const uint64_t lanes = m.geometry.rowElements[static_cast<unsigned>(
      MemId::Acc)];
  isa::AluOp op = insn.getAluOp();
  auto shiftOf = [](int64_t x) { return unsigned(std::clamp<int64_t>(x, 0, 31)); };
  return forEachStep(
      m, insn.uopBgn, insn.uopEnd, insn.iterOut, insn.iterIn, insn.dstOut,
      insn.dstIn, insn.srcOut, insn.srcIn, 0, 0,
      [&](uint64_t d, uint64_t s, uint64_t) -> std::optional<std::string> {
        if (auto e = m.checkRows(MemId::Acc, d, 1, "destination"))
          return e;
        bool readsSrc = !insn.reset && (!insn.useImm || op == isa::AluOp::ShlAdd);
        if (readsSrc)
          if (auto e = m.checkRows(MemId::Acc, s, 1, "source"))
            return e;
        ++stats.steps;
        int32_t *dst = m.row(MemId::Acc, d);
        if (insn.reset) {
          std::fill_n(dst, lanes, 0);
        } else {
          // x = acc[s] (and always for shladd, whose imm is the shift), else
          // the immediate. 32-bit lanes: add, mul and the shifts wrap.
          const int32_t *src = readsSrc ? m.row(MemId::Acc, s) : nullptr;
          int32_t imm = int32_t(insn.imm);
          switch (op) {
          case isa::AluOp::Min:
            applyLanes(dst, src, imm, lanes,
                       [](int32_t a, int32_t x) { return std::min(a, x); });
            break;
          case isa::AluOp::Max:
            applyLanes(dst, src, imm, lanes,
                       [](int32_t a, int32_t x) { return std::max(a, x); });
            break;
          case isa::AluOp::Add:
            applyLanes(dst, src, imm, lanes, [](int32_t a, int32_t x) {
              return int32_t(uint32_t(a) + uint32_t(x));
            });
            break;
          case isa::AluOp::Shr:
            applyLanes(dst, src, imm, lanes, [&](int32_t a, int32_t x) {
              return a >> shiftOf(x);
            });
            break;
          case isa::AluOp::Mul:
            applyLanes(dst, src, imm, lanes, [](int32_t a, int32_t x) {
              return int32_t(uint32_t(a) * uint32_t(x));
            });
            break;
          case isa::AluOp::Shl:
            applyLanes(dst, src, imm, lanes, [&](int32_t a, int32_t x) {
              return int32_t(uint32_t(a) << shiftOf(x));
            });
            break;
          case isa::AluOp::ShlAdd: {
            unsigned shift = shiftOf(insn.useImm ? insn.imm : 0);
            applyLanes(dst, src, imm, lanes, [shift](int32_t a, int32_t x) {
              return int32_t(uint32_t(a) + (uint32_t(x) << shift));
            });
            break;
          }
          case isa::AluOp::Clip:
            applyLanes(dst, src, imm, lanes, [](int32_t a, int32_t x) {
              int64_t lo = std::min<int64_t>(-int64_t(x) - 1, x),
                      hi = std::max<int64_t>(-int64_t(x) - 1, x);
              return int32_t(std::clamp<int64_t>(a, lo, hi));
            });
            break;
          }
        }
        m.mirrorAccRow(d);
        stats.localBits += (readsSrc ? 3 : 2) * lanes * 32;
        return std::nullopt;
      });
}

//===----------------------------------------------------------------------===//
// GEN
//===----------------------------------------------------------------------===//

std::optional<std::string> sim::executeGen(Machine &m, const isa::GenInsn &insn,
                                           ExecStats &stats) {
  const Geometry &g = m.geometry;
  const unsigned blockIn = g.blockIn, blockOut = g.blockOut;
  const uint64_t lanes = uint64_t(blockOut) * blockIn;
  const bool level1 = insn.level == 1;
  const MemId aMem = level1 ? MemId::CoeffU : MemId::CoeffV;
  const MemId bMem = level1 ? MemId::Basis : MemId::Wgt;
  // Level 1 multiplies each lane by one basis value; level 2 reduces over
  // BLOCK_OUT coefficients.
  const uint64_t terms = level1 ? 1 : blockOut;
  unsigned fullScale = m.cfg.adcFullScaleBits(uint64_t(m.cfg.tAcc) * terms);
  AnalogAccumulator analog(m, lanes, fullScale);
  std::vector<int16_t> a(m.geometry.rowElements[static_cast<unsigned>(aMem)]),
      b(m.geometry.rowElements[static_cast<unsigned>(bMem)]);
  std::vector<int32_t> dot(blockIn);
  const int64_t wMax = (int64_t(1) << (m.cfg.wBits - 1)) - 1;
  std::function<void(uint64_t, const int64_t *)> finishRun =
      [&](uint64_t d, const int64_t *run) {
        for (uint64_t e = 0; e < lanes; ++e) {
          int64_t value = run[e];
          if (insn.requant) {
            int64_t scaled = (value * m.cfg.reqScale) >> m.cfg.reqShift;
            value = std::clamp<int64_t>(scaled + m.cfg.reqZp, -wMax - 1, wMax);
          }
          m.writeLane(MemId::Wgt, d * lanes + e, value);
        }
        stats.localBits += lanes * 8;
      };
  auto error = forEachStep(
      m, insn.uopBgn, insn.uopEnd, insn.iterOut, insn.iterIn, insn.dstOut,
      insn.dstIn, insn.aOut, insn.aIn, insn.bOut, insn.bIn,
      [&](uint64_t d, uint64_t s, uint64_t w) -> std::optional<std::string> {
        if (auto e = m.checkRows(MemId::Wgt, d, 1, "destination"))
          return e;
        if (auto e = m.checkRows(aMem, s, 1, "coefficient"))
          return e;
        if (auto e = m.checkRows(bMem, w, 1, "operand"))
          return e;
        ++stats.steps;
        // Coefficients are the weight-side operand, B / W1 the input side.
        saturateInto(m.row(aMem, s), a.size(), m.cfg.wBits, a.data());
        saturateInto(m.row(bMem, w), b.size(), m.cfg.inBits, b.data());
        int64_t *chunk = analog.beginStep(d, finishRun);
        if (level1) {
          // wgt[d][c][k] = coeff_u[a][c][k] * basis[b][c]
          for (unsigned c = 0; c < blockOut; ++c) {
            int32_t basis = b[c];
            const int16_t *u = a.data() + uint64_t(c) * blockIn;
            int64_t *out = chunk + uint64_t(c) * blockIn;
            for (unsigned k = 0; k < blockIn; ++k)
              out[k] += int32_t(u[k]) * basis;
          }
          stats.macs += lanes;
        } else {
          // wgt[d][o][k] = sum_c coeff_v[a][o][c] * wgt[b][c][k]. Lanes hold
          // 8-bit values: each product fits 16 bits (a 16-bit multiply) and
          // the sums 32 bits, before the 64-bit window sum.
          for (unsigned o = 0; o < blockOut; ++o) {
            std::fill(dot.begin(), dot.end(), 0);
            int32_t *sum = dot.data();
            for (unsigned c = 0; c < blockOut; ++c) {
              int16_t v = a[uint64_t(o) * blockOut + c];
              const int16_t *w1 = b.data() + uint64_t(c) * blockIn;
              for (unsigned k = 0; k < blockIn; ++k)
                sum[k] += int16_t(v * w1[k]);
            }
            int64_t *out = chunk + uint64_t(o) * blockIn;
            for (unsigned k = 0; k < blockIn; ++k)
              out[k] += sum[k];
          }
          stats.macs += lanes * blockOut;
        }
        stats.localBits += (a.size() + b.size()) * 8;
        return std::nullopt;
      });
  if (error)
    return error;
  analog.finish(finishRun);
  stats.adcConversions = analog.conversions;
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// RECOMP
//===----------------------------------------------------------------------===//

std::optional<std::string> sim::executeRecomp(Machine &m,
                                              const isa::RecompInsn &insn,
                                              ExecStats &stats) {
  MemId mem = insn.getMem() == isa::RecompMem::Acc ? MemId::Acc : MemId::Wgt;
  const uint64_t lanes = m.geometry.rowElements[static_cast<unsigned>(mem)];
  if (auto e = m.checkRows(mem, insn.dst, insn.len, "destination"))
    return e;
  uint64_t lastSource = uint64_t(insn.src) +
                        uint64_t(insn.numSlices - 1) * insn.sliceStride;
  if (auto e = m.checkRows(mem, lastSource, insn.len, "source"))
    return e;
  unsigned sumBits = insn.numSlices * insn.sliceBits;
  unsigned excess = sumBits > unsigned(insn.outBits) ? sumBits - insn.outBits
                                                      : 0;
  unsigned totalShift = excess + unsigned(insn.rshift);
  std::vector<int64_t> result(lanes);
  for (uint64_t j = 0; j < uint64_t(insn.len); ++j) {
    std::fill(result.begin(), result.end(), 0);
    for (int64_t s = 0; s < insn.numSlices; ++s) {
      const int32_t *slice = m.row(mem, insn.src + s * insn.sliceStride + j);
      // Slices hold at most 32-bit values; weights past 2^31 saturate.
      unsigned shift = unsigned(s * insn.sliceBits);
      bool negate = insn.signedMsb && s == insn.numSlices - 1;
      for (uint64_t e = 0; e < lanes; ++e) {
        int64_t term = shift < 32 ? int64_t(slice[e]) * (int64_t(1) << shift)
                                  : (slice[e] == 0 ? 0
                                     : slice[e] > 0 ? (int64_t(1) << 62)
                                                    : -(int64_t(1) << 62));
        result[e] = saturateSigned(result[e] + (negate ? -term : term), 63);
      }
    }
    for (uint64_t e = 0; e < lanes; ++e) {
      int64_t value = result[e];
      if (totalShift >= 63) {
        // |value| < 2^62: everything is shifted out.
        value = insn.round || value >= 0 ? 0 : -1;
      } else if (totalShift) {
        if (insn.round)
          value = saturateSigned(value + (int64_t(1) << (totalShift - 1)), 63);
        value >>= totalShift;
      }
      value = saturateSigned(value, insn.outBits);
      m.writeLane(mem, (insn.dst + j) * lanes + e, value);
    }
    if (mem == MemId::Acc)
      m.mirrorAccRow(insn.dst + j);
  }
  stats.localBits +=
      uint64_t(insn.len) * (insn.numSlices + 1) * lanes *
      m.geometry.laneBits[static_cast<unsigned>(mem)];
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// SHADD
//===----------------------------------------------------------------------===//

/// pow2(code) * b of docs/isa.md's SHADD: 0 for code 0, else
/// sign(code) * (b << (|code| - 1)); saturates to 63 bits (|b| < 2^31).
static int64_t shiftByPow2Code(int32_t code, int32_t b) {
  if (code == 0 || b == 0)
    return 0;
  unsigned shift = unsigned(code < 0 ? -int64_t(code) : int64_t(code)) - 1;
  int64_t term = shift < 31 ? int64_t(b) * (int64_t(1) << shift)
                            : (b > 0 ? (int64_t(1) << 62) : -(int64_t(1) << 62));
  return code < 0 ? -term : term;
}

std::optional<std::string> sim::executeShadd(Machine &m,
                                             const isa::ShaddInsn &insn,
                                             ExecStats &stats) {
  const uint64_t len = uint64_t(insn.len), cols = uint64_t(insn.numCols),
                 rank = uint64_t(insn.rank), start = uint64_t(insn.start),
                 reps = uint64_t(insn.numRepeats);
  const uint64_t lastPos = start + len - 1;
  const uint64_t codeRows = lastPos / cols + 1;
  const unsigned shift = unsigned(insn.rshift);
  for (uint64_t i = 0; i < reps; ++i) {
    const uint64_t dst = uint64_t(insn.dst) + i * uint64_t(insn.dstStride);
    const uint64_t code = uint64_t(insn.code) + i * uint64_t(insn.codeStride);
    const uint64_t base = uint64_t(insn.basis) + i * uint64_t(insn.basisStride);
    // Code rows 0 .. codeRows-1 are addressed from `code`; rows before
    // start / cols are not read, but the block's row 0 anchors the indexing.
    if (auto e = m.checkElements(MemId::Wgt, dst, len))
      return e;
    if (auto e = m.checkElements(MemId::CoeffU, code, codeRows * rank))
      return e;
    if (auto e = m.checkElements(MemId::Basis, base, rank * cols))
      return e;
    const int32_t *codes =
        m.buffers[static_cast<unsigned>(MemId::CoeffU)].data() + code;
    const int32_t *basis =
        m.buffers[static_cast<unsigned>(MemId::Basis)].data() + base;
    for (uint64_t e = 0; e < len; ++e) {
      uint64_t p = start + e, r = p / cols, col = p % cols;
      int64_t sum = 0;
      for (uint64_t j = 0; j < rank; ++j)
        sum = saturateSigned(
            sum + shiftByPow2Code(codes[r * rank + j], basis[j * cols + col]),
            63);
      if (shift) {
        if (insn.round)
          sum = saturateSigned(sum + (int64_t(1) << (shift - 1)), 63);
        sum >>= shift;
      }
      m.writeLane(MemId::Wgt, dst + e, saturateSigned(sum, m.cfg.wBits));
    }
  }
  stats.localBits =
      reps * len *
      (rank * (m.geometry.laneBits[static_cast<unsigned>(MemId::CoeffU)] +
               m.geometry.laneBits[static_cast<unsigned>(MemId::Basis)]) +
       m.geometry.laneBits[static_cast<unsigned>(MemId::Wgt)]);
  return std::nullopt;
}
