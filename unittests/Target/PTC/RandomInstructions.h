//===- RandomInstructions.h - Valid PTC instructions for tests --*- C++ -*-===//
//
// Instructions with boundary or random field values, made legal under the
// cross-field rules; shared by the ISA and the ptc dialect unit tests.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_UNITTESTS_TARGET_PTC_RANDOMINSTRUCTIONS_H
#define MLG_UNITTESTS_TARGET_PTC_RANDOMINSTRUCTIONS_H

#include "mlg/Target/PTC/ISA.h"

#include <algorithm>
#include <random>

namespace mlg::ptc::isa::testing {

/// Makes a field assignment legal under the cross-field rules that a single
/// field's range does not express (docs/isa.md).
inline void legalize(Instruction &insn) {
  std::visit(
      [&](auto &c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, LoadInsn>) {
          if (getModule(insn) == Module::Load)
            c.deps.popPrev = c.deps.pushPrev = 0;
          if (c.getMemId() == MemId::Uop) {
            c.ySize = 1;
            c.yPad0 = c.yPad1 = c.xPad0 = c.xPad1 = 0;
            c.elemBits = 0;
          }
        } else if constexpr (std::is_same_v<T, StoreInsn>) {
          c.memId = static_cast<int64_t>(c.memId % 2 ? MemId::Out : MemId::Acc);
          c.yPad0 = c.yPad1 = c.xPad0 = c.xPad1 = 0;
          c.deps.popNext = c.deps.pushNext = 0;
        } else if constexpr (std::is_same_v<T, GemmInsn> ||
                             std::is_same_v<T, AluInsn> ||
                             std::is_same_v<T, GenInsn>) {
          if (c.uopBgn >= c.uopEnd)
            c.uopEnd = c.uopBgn + 1;
          if constexpr (std::is_same_v<T, AluInsn>)
            if (!c.useImm)
              c.imm = 0;
        } else if constexpr (std::is_same_v<T, CfgInsn>) {
          auto [lo, hi] = getCfgValueRange(c.getReg());
          c.value = std::clamp(c.value, lo, hi);
        }
      },
      insn);
}

enum class Pick { Min, Max, Random };

inline Instruction makeWith(Opcode opcode, Pick pick, std::mt19937_64 &rng) {
  Instruction insn = makeInstruction(opcode);
  std::visit(
      [&](auto &c) {
        using T = std::decay_t<decltype(c)>;
        T::forEachField(c, [&](const FieldSpec &spec, int64_t &value) {
          switch (pick) {
          case Pick::Min:
            value = spec.min;
            break;
          case Pick::Max:
            value = spec.max;
            break;
          case Pick::Random: {
            // Boundaries a quarter of the time each, else uniform.
            unsigned coin = rng() % 4;
            if (coin == 0)
              value = spec.min;
            else if (coin == 1)
              value = spec.max;
            else
              value = std::uniform_int_distribution<int64_t>(spec.min,
                                                             spec.max)(rng);
          }
          }
        });
      },
      insn);
  legalize(insn);
  return insn;
}

/// Every field value of an instruction, opcode first, in layout order.
inline std::vector<int64_t> fieldValues(const Instruction &insn) {
  std::vector<int64_t> values{static_cast<int64_t>(getOpcode(insn))};
  std::visit(
      [&](const auto &concrete) {
        using T = std::decay_t<decltype(concrete)>;
        T::forEachField(concrete, [&](const FieldSpec &, const int64_t &v) {
          values.push_back(v);
        });
      },
      insn);
  return values;
}

} // namespace mlg::ptc::isa::testing

#endif // MLG_UNITTESTS_TARGET_PTC_RANDOMINSTRUCTIONS_H
