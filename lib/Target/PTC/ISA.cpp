//===- ISA.cpp - Photonic tensor core instruction set ---------------------===//

#include "mlg/Target/PTC/ISA.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>

using namespace mlg::ptc::isa;
using llvm::StringRef;

//===----------------------------------------------------------------------===//
// Word
//===----------------------------------------------------------------------===//

static uint64_t lowMask(unsigned width) {
  return width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1;
}

uint64_t Word::getBits(unsigned lsb, unsigned width) const {
  assert(width >= 1 && width <= 64 && lsb + width <= 128 && "bad field");
  uint64_t value;
  if (lsb >= 64) {
    value = hi >> (lsb - 64);
  } else {
    value = lo >> lsb;
    if (lsb != 0 && lsb + width > 64)
      value |= hi << (64 - lsb);
  }
  return value & lowMask(width);
}

void Word::setBits(unsigned lsb, unsigned width, uint64_t value) {
  assert(width >= 1 && width <= 64 && lsb + width <= 128 && "bad field");
  value &= lowMask(width);
  uint64_t mask = lowMask(width);
  if (lsb >= 64) {
    hi = (hi & ~(mask << (lsb - 64))) | (value << (lsb - 64));
    return;
  }
  lo = (lo & ~(mask << lsb)) | (value << lsb);
  if (lsb != 0 && lsb + width > 64) {
    unsigned shift = 64 - lsb;
    hi = (hi & ~(mask >> shift)) | (value >> shift);
  }
}

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

static constexpr const char *kMnemonics[kNumOpcodes] = {
    "load", "store",  "gemm", "finish", "alu",
    "gen",  "recomp", "cfg",  "prog",   "fence", "shadd"};

Opcode mlg::ptc::isa::getOpcode(const Instruction &insn) {
  return static_cast<Opcode>(insn.index());
}

StringRef mlg::ptc::isa::getMnemonic(Opcode opcode) {
  return kMnemonics[static_cast<unsigned>(opcode)];
}

std::optional<Opcode> mlg::ptc::isa::symbolizeMnemonic(StringRef mnemonic) {
  for (unsigned i = 0; i < kNumOpcodes; ++i)
    if (mnemonic == kMnemonics[i])
      return static_cast<Opcode>(i);
  return std::nullopt;
}

StringRef mlg::ptc::isa::stringifyMemId(MemId id) {
  static constexpr const char *names[kNumMemIds] = {
      "uop",   "wgt",     "inp",     "acc",  "out",
      "basis", "coeff_u", "coeff_v", "scale"};
  return names[static_cast<unsigned>(id)];
}

StringRef mlg::ptc::isa::stringifyAluOp(AluOp op) {
  static constexpr const char *names[8] = {"min", "max", "add",    "shr",
                                           "mul", "shl", "shladd", "clip"};
  return names[static_cast<unsigned>(op)];
}

StringRef mlg::ptc::isa::stringifyCfgReg(CfgReg reg) {
  static constexpr const char *names[kNumCfgRegs] = {
      "in_bits",   "w_bits",    "adc_bits", "t_acc",    "sign_mode", "wsrc",
      "req_scale", "req_shift", "req_zp",   "dataflow", "noise_seed",
      "adc_fs_bits"};
  return names[static_cast<unsigned>(reg)];
}

StringRef mlg::ptc::isa::stringifyRecompMem(RecompMem mem) {
  return mem == RecompMem::Acc ? "acc" : "wgt";
}

//===----------------------------------------------------------------------===//
// Layout queries
//===----------------------------------------------------------------------===//

Instruction mlg::ptc::isa::makeInstruction(Opcode opcode) {
  switch (opcode) {
  case Opcode::Load:
    return LoadInsn{};
  case Opcode::Store: {
    StoreInsn store;
    store.memId = static_cast<int64_t>(MemId::Out);
    return store;
  }
  case Opcode::Gemm:
    return GemmInsn{};
  case Opcode::Finish:
    return FinishInsn{};
  case Opcode::Alu:
    return AluInsn{};
  case Opcode::Gen:
    return GenInsn{};
  case Opcode::Recomp:
    return RecompInsn{};
  case Opcode::Cfg: {
    CfgInsn cfg;
    cfg.value = 8; // in_bits = 8
    return cfg;
  }
  case Opcode::Prog:
    return ProgInsn{};
  case Opcode::Fence:
    return FenceInsn{};
  case Opcode::Shadd:
    return ShaddInsn{};
  }
  llvm_unreachable("unknown opcode");
}

std::vector<FieldSpec> mlg::ptc::isa::getFieldLayout(Opcode opcode) {
  std::vector<FieldSpec> fields;
  fields.push_back(FieldSpec{"opcode", 0, 4, FieldEncoding::Unsigned,
                             static_cast<int64_t>(opcode),
                             static_cast<int64_t>(opcode)});
  Instruction insn = makeInstruction(opcode);
  std::visit(
      [&](auto &concrete) {
        using T = std::decay_t<decltype(concrete)>;
        T::forEachField(concrete, [&](const FieldSpec &spec, int64_t &) {
          fields.push_back(spec);
        });
      },
      insn);
  return fields;
}

std::vector<FieldSpec> mlg::ptc::isa::getUopFieldLayout() {
  std::vector<FieldSpec> fields;
  Uop uop;
  Uop::forEachField(
      uop, [&](const FieldSpec &spec, int64_t &) { fields.push_back(spec); });
  return fields;
}

std::pair<int64_t, int64_t> mlg::ptc::isa::getCfgValueRange(CfgReg reg) {
  switch (reg) {
  case CfgReg::InBits:
  case CfgReg::WBits:
  case CfgReg::AdcBits:
    return {1, 16};
  case CfgReg::TAcc:
    return {1, 255};
  case CfgReg::SignMode: // 0 coherent full range, 1 positive-only (2 passes)
  case CfgReg::WSrc:     // 0 WGT buffer, 1 GEN stream
  case CfgReg::Dataflow: // 0 output-stationary, 1 weight-stationary
    return {0, 1};
  case CfgReg::ReqShift:
    return {0, 63};
  case CfgReg::ReqScale:
  case CfgReg::ReqZp:
    return {INT32_MIN, INT32_MAX};
  case CfgReg::NoiseSeed:
    return {INT64_MIN, INT64_MAX};
  case CfgReg::AdcFsBits: // 0: the worst-case full scale of the operands
    return {0, 48};
  }
  llvm_unreachable("unknown register");
}

Module mlg::ptc::isa::getModule(const Instruction &insn) {
  if (const auto *load = std::get_if<LoadInsn>(&insn)) {
    switch (load->getMemId()) {
    case MemId::Uop:
    case MemId::Acc:
    case MemId::Scale:
      return Module::Compute;
    default:
      return Module::Load;
    }
  }
  if (std::holds_alternative<StoreInsn>(insn))
    return Module::Store;
  return Module::Compute;
}

//===----------------------------------------------------------------------===//
// Validation
//===----------------------------------------------------------------------===//

static std::string bitRange(const FieldSpec &spec) {
  return "bits [" + std::to_string(spec.lsb + spec.width - 1) + ":" +
         std::to_string(spec.lsb) + "]";
}

static llvm::Error fieldError(StringRef mnemonic, const FieldSpec &spec,
                              int64_t value) {
  return llvm::createStringError(
      "%s: field '%s' = %lld is out of range [%lld, %lld] (%u-bit field, %s)",
      mnemonic.str().c_str(), spec.name, static_cast<long long>(value),
      static_cast<long long>(spec.min), static_cast<long long>(spec.max),
      spec.width, bitRange(spec).c_str());
}

static llvm::Error ruleError(StringRef mnemonic, const llvm::Twine &message) {
  return llvm::createStringError(llvm::Twine(mnemonic) + ": " + message);
}

template <typename T>
static llvm::Error checkFieldRanges(StringRef mnemonic, const T &insn) {
  llvm::Error error = llvm::Error::success();
  T::forEachField(insn, [&](const FieldSpec &spec, const int64_t &value) {
    if (error)
      return;
    if (value < spec.min || value > spec.max)
      error = fieldError(mnemonic, spec, value);
  });
  return error;
}

static llvm::Error checkDeps(StringRef mnemonic, const Deps &deps,
                             Module module) {
  // The load module has no predecessor and the store module no successor.
  if (module == Module::Load && (deps.popPrev || deps.pushPrev))
    return ruleError(mnemonic, "runs in the load module, which has no "
                               "previous module: pop_prev and push_prev "
                               "must be 0");
  if (module == Module::Store && (deps.popNext || deps.pushNext))
    return ruleError(mnemonic, "runs in the store module, which has no next "
                               "module: pop_next and push_next must be 0");
  return llvm::Error::success();
}

static llvm::Error checkRules(StringRef mnemonic, const MemInsn &mem,
                              bool isStore) {
  if (mem.getMemId() == MemId::Uop) {
    if (isStore)
      return ruleError(mnemonic, "field 'mem_id' = uop cannot be stored");
    if (mem.ySize != 1 || mem.yPad0 || mem.yPad1 || mem.xPad0 || mem.xPad1)
      return ruleError(mnemonic, "a uop load copies one unpadded row: "
                                 "y_size must be 1 and every pad 0");
    return llvm::Error::success();
  }
  if (isStore) {
    if (mem.getMemId() != MemId::Out && mem.getMemId() != MemId::Acc)
      return ruleError(mnemonic,
                       "field 'mem_id' = " + stringifyMemId(mem.getMemId()) +
                           " cannot be stored (expected out or acc)");
    if (mem.yPad0 || mem.yPad1 || mem.xPad0 || mem.xPad1)
      return ruleError(mnemonic, "stores are unpadded: every pad must be 0");
  }
  return llvm::Error::success();
}

template <typename T>
static llvm::Error checkLoopRules(StringRef mnemonic, const T &insn) {
  if (insn.uopBgn >= insn.uopEnd)
    return ruleError(
        mnemonic, "field 'uop_bgn' = " + llvm::Twine(insn.uopBgn) +
                      " must be below 'uop_end' = " + llvm::Twine(insn.uopEnd));
  return llvm::Error::success();
}

namespace {
/// Range checks that do not fit one field's range, per instruction type.
struct RuleChecker {
  StringRef mnemonic;

  llvm::Error operator()(const LoadInsn &insn) const {
    return checkRules(mnemonic, insn, /*isStore=*/false);
  }
  llvm::Error operator()(const StoreInsn &insn) const {
    return checkRules(mnemonic, insn, /*isStore=*/true);
  }
  llvm::Error operator()(const GemmInsn &insn) const {
    return checkLoopRules(mnemonic, insn);
  }
  llvm::Error operator()(const AluInsn &insn) const {
    if (!insn.useImm && insn.imm != 0)
      return ruleError(mnemonic, "field 'imm' must be 0 when 'use_imm' = 0");
    return checkLoopRules(mnemonic, insn);
  }
  llvm::Error operator()(const GenInsn &insn) const {
    return checkLoopRules(mnemonic, insn);
  }
  llvm::Error operator()(const CfgInsn &insn) const {
    auto [lo, hi] = getCfgValueRange(insn.getReg());
    if (insn.value < lo || insn.value > hi)
      return ruleError(mnemonic, "field 'value' = " + llvm::Twine(insn.value) +
                                     " is out of range [" + llvm::Twine(lo) +
                                     ", " + llvm::Twine(hi) +
                                     "] for register " +
                                     stringifyCfgReg(insn.getReg()));
    return llvm::Error::success();
  }
  template <typename T> llvm::Error operator()(const T &) const {
    return llvm::Error::success();
  }
};
} // namespace

/// MemInsn's elem_bits is 0 exactly for UOP loads, which the generic field
/// range [1, 16] does not allow; check a copy with a stand-in width.
template <typename T> static T withUopElemBitsNormalized(const T &insn) {
  T copy = insn;
  if constexpr (std::is_base_of_v<MemInsn, T>) {
    if (copy.memId == static_cast<int64_t>(MemId::Uop) && copy.elemBits == 0)
      copy.elemBits = 1;
  }
  return copy;
}

llvm::Error mlg::ptc::isa::validate(const Instruction &insn) {
  StringRef mnemonic = getMnemonic(getOpcode(insn));
  return std::visit(
      [&](const auto &concrete) -> llvm::Error {
        using T = std::decay_t<decltype(concrete)>;
        if constexpr (std::is_base_of_v<MemInsn, T>) {
          bool isUop = concrete.memId == static_cast<int64_t>(MemId::Uop);
          if (isUop && concrete.elemBits != 0)
            return ruleError(mnemonic, "field 'elem_bits' = " +
                                           llvm::Twine(concrete.elemBits) +
                                           " must be 0 (absent) for uop loads");
        }
        if (llvm::Error error =
                checkFieldRanges(mnemonic, withUopElemBitsNormalized(concrete)))
          return error;
        if (llvm::Error error =
                checkDeps(mnemonic, concrete.deps, getModule(insn)))
          return error;
        return RuleChecker{mnemonic}(concrete);
      },
      insn);
}

llvm::Error mlg::ptc::isa::validate(const Uop &uop) {
  return checkFieldRanges("uop", uop);
}

//===----------------------------------------------------------------------===//
// Encoding and decoding
//===----------------------------------------------------------------------===//

static uint64_t toBits(const FieldSpec &spec, int64_t value) {
  switch (spec.encoding) {
  case FieldEncoding::MinusOne:
    return static_cast<uint64_t>(value - 1);
  case FieldEncoding::Unsigned:
  case FieldEncoding::Signed:
    return static_cast<uint64_t>(value);
  }
  llvm_unreachable("unknown encoding");
}

static int64_t fromBits(const FieldSpec &spec, uint64_t bits) {
  switch (spec.encoding) {
  case FieldEncoding::MinusOne:
    return static_cast<int64_t>(bits) + 1;
  case FieldEncoding::Unsigned:
    return static_cast<int64_t>(bits);
  case FieldEncoding::Signed:
    if (spec.width < 64 && (bits >> (spec.width - 1)) & 1)
      bits |= ~lowMask(spec.width);
    return static_cast<int64_t>(bits);
  }
  llvm_unreachable("unknown encoding");
}

llvm::Expected<Word> mlg::ptc::isa::encode(const Instruction &insn) {
  if (llvm::Error error = validate(insn))
    return std::move(error);
  Word word;
  word.setBits(0, 4, static_cast<uint64_t>(getOpcode(insn)));
  std::visit(
      [&](const auto &concrete) {
        using T = std::decay_t<decltype(concrete)>;
        bool isUop = false;
        if constexpr (std::is_base_of_v<MemInsn, T>)
          isUop = concrete.memId == static_cast<int64_t>(MemId::Uop);
        T::forEachField(
            concrete, [&](const FieldSpec &spec, const int64_t &value) {
              // A uop load has no element width; its field stays 0.
              if (isUop && StringRef(spec.name) == "elem_bits")
                return;
              word.setBits(spec.lsb, spec.width, toBits(spec, value));
            });
      },
      insn);
  return word;
}

llvm::Expected<uint32_t> mlg::ptc::isa::encode(const Uop &uop) {
  if (llvm::Error error = validate(uop))
    return std::move(error);
  Word word;
  Uop::forEachField(uop, [&](const FieldSpec &spec, const int64_t &value) {
    word.setBits(spec.lsb, spec.width, toBits(spec, value));
  });
  return static_cast<uint32_t>(word.lo);
}

llvm::Expected<Instruction> mlg::ptc::isa::decode(const Word &word) {
  uint64_t code = word.getBits(0, 4);
  if (code >= kNumOpcodes)
    return llvm::createStringError("unknown opcode %llu (bits [3:0])",
                                   static_cast<unsigned long long>(code));
  auto opcode = static_cast<Opcode>(code);
  Instruction insn = makeInstruction(opcode);
  Word covered;
  covered.setBits(0, 4, ~uint64_t(0));
  std::visit(
      [&](auto &concrete) {
        using T = std::decay_t<decltype(concrete)>;
        T::forEachField(concrete, [&](const FieldSpec &spec, int64_t &value) {
          value = fromBits(spec, word.getBits(spec.lsb, spec.width));
          covered.setBits(spec.lsb, spec.width, ~uint64_t(0));
        });
        if constexpr (std::is_base_of_v<MemInsn, T>) {
          // The elem_bits field of a uop load must be 0 and means "none";
          // validate() rejects any other width for uop loads.
          if (concrete.memId == static_cast<int64_t>(MemId::Uop))
            concrete.elemBits = word.getBits(124, 4) == 0 ? 0 : -1;
        }
      },
      insn);
  uint64_t reservedLo = word.lo & ~covered.lo;
  uint64_t reservedHi = word.hi & ~covered.hi;
  if (reservedLo || reservedHi) {
    unsigned bit = reservedLo ? llvm::countr_zero(reservedLo)
                              : 64 + llvm::countr_zero(reservedHi);
    return llvm::createStringError("%s: reserved bit %u is set",
                                   getMnemonic(opcode).str().c_str(), bit);
  }
  if (auto *load = std::get_if<LoadInsn>(&insn);
      load && load->getMemId() == MemId::Uop && load->elemBits < 0)
    return llvm::createStringError(
        "load: field 'elem_bits' (bits [127:124]) must be 0 for uop loads");
  if (llvm::Error error = validate(insn))
    return std::move(error);
  return insn;
}

Uop mlg::ptc::isa::decodeUop(uint32_t bits) {
  Word word;
  word.lo = bits;
  Uop uop;
  Uop::forEachField(uop, [&](const FieldSpec &spec, int64_t &value) {
    value = fromBits(spec, word.getBits(spec.lsb, spec.width));
  });
  return uop;
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

static void printValue(llvm::raw_ostream &os, Opcode opcode,
                       const FieldSpec &spec, int64_t value) {
  StringRef name = spec.name;
  if (name == "mem_id" && value >= 0 && value < kNumMemIds)
    os << stringifyMemId(static_cast<MemId>(value));
  else if (opcode == Opcode::Alu && name == "alu_op" && value >= 0 && value < 8)
    os << stringifyAluOp(static_cast<AluOp>(value));
  else if (opcode == Opcode::Cfg && name == "reg" && value >= 0 &&
           value < kNumCfgRegs)
    os << stringifyCfgReg(static_cast<CfgReg>(value));
  else if (opcode == Opcode::Recomp && name == "mem" && value >= 0 && value < 2)
    os << stringifyRecompMem(static_cast<RecompMem>(value));
  else
    os << value;
}

void mlg::ptc::isa::print(const Instruction &insn, llvm::raw_ostream &os) {
  Opcode opcode = getOpcode(insn);
  os << getMnemonic(opcode);
  std::visit(
      [&](const auto &concrete) {
        using T = std::decay_t<decltype(concrete)>;
        T::forEachField(concrete,
                        [&](const FieldSpec &spec, const int64_t &value) {
                          if (spec.lsb < 8)
                            return; // dependency flags go last
                          os << ' ' << spec.name << '=';
                          printValue(os, opcode, spec, value);
                        });
        Deps::forEachField(concrete.deps,
                           [&](const FieldSpec &spec, const int64_t &value) {
                             if (value)
                               os << ' ' << spec.name;
                           });
      },
      insn);
}

void mlg::ptc::isa::print(const Uop &uop, llvm::raw_ostream &os) {
  os << "dst=" << uop.dst << " src=" << uop.src << " wgt=" << uop.wgt;
}

static StringRef encodingName(const FieldSpec &spec) {
  switch (spec.encoding) {
  case FieldEncoding::Unsigned:
    return "unsigned";
  case FieldEncoding::Signed:
    return "signed";
  case FieldEncoding::MinusOne:
    return "value − 1";
  }
  llvm_unreachable("unknown encoding");
}

static void printBits(llvm::raw_ostream &os, unsigned lsb, unsigned msb) {
  if (lsb == msb)
    os << '[' << lsb << ']';
  else
    os << '[' << msb << ':' << lsb << ']';
}

/// One markdown row per field from bit `from` on, reserved gaps included.
static void printTable(llvm::raw_ostream &os,
                       const std::vector<FieldSpec> &fields, unsigned from,
                       unsigned wordBits) {
  os << "| field | bits | width | encoding | range |\n"
     << "|---|---|---|---|---|\n";
  unsigned next = from;
  auto printReserved = [&](unsigned lo, unsigned hi) {
    os << "| *reserved* | ";
    printBits(os, lo, hi - 1);
    os << " | " << hi - lo << " | must be 0 | 0 |\n";
  };
  for (const FieldSpec &spec : fields) {
    if (spec.lsb < from)
      continue;
    if (spec.lsb > next)
      printReserved(next, spec.lsb);
    os << "| `" << spec.name << "` | ";
    printBits(os, spec.lsb, spec.lsb + spec.width - 1);
    os << " | " << spec.width << " | " << encodingName(spec) << " | ";
    if (spec.width == 64)
      os << "any";
    else
      os << spec.min << " … " << spec.max;
    os << " |\n";
    next = spec.lsb + spec.width;
  }
  if (next < wordBits)
    printReserved(next, wordBits);
}

void mlg::ptc::isa::printLayoutTables(llvm::raw_ostream &os) {
  std::vector<FieldSpec> header = getFieldLayout(Opcode::Finish);
  header.front().min = 0;
  header.front().max = kNumOpcodes - 1;
  os << "#### Header (bits [7:0] of every instruction)\n\n";
  printTable(os, header, 0, 8);
  for (unsigned i = 0; i < kNumOpcodes; ++i) {
    auto opcode = static_cast<Opcode>(i);
    os << "\n#### " << getMnemonic(opcode).upper() << " (opcode " << i
       << ")\n\n";
    printTable(os, getFieldLayout(opcode), 8, 128);
  }
  os << "\n#### Micro-op (32 bits)\n\n";
  printTable(os, getUopFieldLayout(), 0, 32);
}

//===----------------------------------------------------------------------===//
// Dependency tokens
//===----------------------------------------------------------------------===//

namespace {
/// The queues an instruction of `module` pops and pushes, by flag.
struct QueueUse {
  std::optional<Queue> popPrev, popNext, pushPrev, pushNext;
};
} // namespace

static QueueUse getQueueUse(Module module) {
  switch (module) {
  case Module::Load:
    return {std::nullopt, Queue::ComputeToLoad, std::nullopt,
            Queue::LoadToCompute};
  case Module::Compute:
    return {Queue::LoadToCompute, Queue::StoreToCompute, Queue::ComputeToLoad,
            Queue::ComputeToStore};
  case Module::Store:
    return {Queue::ComputeToStore, std::nullopt, Queue::StoreToCompute,
            std::nullopt};
  }
  llvm_unreachable("unknown module");
}

static const Deps &getDeps(const Instruction &insn) {
  return std::visit(
      [](const auto &concrete) -> const Deps & { return concrete.deps; }, insn);
}

TokenReport mlg::ptc::isa::runTokens(llvm::ArrayRef<Instruction> program,
                                     unsigned queueDepth) {
  std::vector<size_t> streams[3];
  for (auto [index, insn] : llvm::enumerate(program))
    streams[static_cast<unsigned>(getModule(insn))].push_back(index);
  size_t next[3] = {0, 0, 0};
  uint64_t tokens[4] = {0, 0, 0, 0};

  // Tries to run module m's next instruction; true if it ran.
  auto step = [&](unsigned m) {
    if (next[m] == streams[m].size())
      return false;
    const Instruction &insn = program[streams[m][next[m]]];
    QueueUse use = getQueueUse(static_cast<Module>(m));
    const Deps &deps = getDeps(insn);
    std::optional<Queue> pops[] = {deps.popPrev ? use.popPrev : std::nullopt,
                                   deps.popNext ? use.popNext : std::nullopt};
    std::optional<Queue> pushes[] = {
        deps.pushPrev ? use.pushPrev : std::nullopt,
        deps.pushNext ? use.pushNext : std::nullopt};
    for (std::optional<Queue> q : pops)
      if (q && tokens[static_cast<unsigned>(*q)] == 0)
        return false;
    for (std::optional<Queue> q : pushes)
      if (q && queueDepth && tokens[static_cast<unsigned>(*q)] >= queueDepth)
        return false;
    if (const auto *fence = std::get_if<FenceInsn>(&insn))
      for (unsigned q = 0; q < 4; ++q)
        if (((fence->queueMask >> q) & 1) && tokens[q] != 0)
          return false;
    for (std::optional<Queue> q : pops)
      if (q)
        --tokens[static_cast<unsigned>(*q)];
    for (std::optional<Queue> q : pushes)
      if (q)
        ++tokens[static_cast<unsigned>(*q)];
    ++next[m];
    return true;
  };

  for (bool progress = true; progress;) {
    progress = false;
    for (unsigned m = 0; m < 3; ++m)
      while (step(m))
        progress = true;
  }

  TokenReport report;
  for (unsigned m = 0; m < 3; ++m)
    if (next[m] < streams[m].size())
      report.blockedAt[m] = streams[m][next[m]];
  std::copy(std::begin(tokens), std::end(tokens), std::begin(report.leftover));
  return report;
}
