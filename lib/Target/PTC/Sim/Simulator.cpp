//===- Simulator.cpp - Dispatch, tokens, cost and per-layer totals --------===//
//
// The three modules (load, compute, store) execute their instructions in
// program order and synchronise through the four token queues. Functionally
// the simulator runs one interleaving that respects those rules: it always
// picks the earliest (in program order) module head whose tokens are ready,
// which is program order for every program whose tokens are pushed before
// they are popped. Each executed instruction is then costed (CostModel.h)
// and placed on the Timeline, whose schedule gives the overlap.
//
//===----------------------------------------------------------------------===//

#include "Execute.h"
#include "Machine.h"

#include "mlg/Target/PTC/Timeline.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlg::ptc;
using namespace mlg::ptc::sim;
using isa::MemId;
using llvm::createStringError;
using llvm::Error;

namespace {
enum TokenQueue { LoadToCompute, ComputeToLoad, ComputeToStore, StoreToCompute };
const char *const kTokenQueueNames[] = {"load->compute", "compute->load",
                                        "compute->store", "store->compute"};

/// Token queues an instruction of module `module` pops and pushes.
struct TokenUse {
  int pop[2] = {-1, -1};
  int push[2] = {-1, -1};
};
TokenUse getTokenUse(isa::Module module, const isa::Deps &deps) {
  TokenUse use;
  switch (module) {
  case isa::Module::Load:
    if (deps.popNext)
      use.pop[0] = ComputeToLoad;
    if (deps.pushNext)
      use.push[0] = LoadToCompute;
    break;
  case isa::Module::Compute:
    if (deps.popPrev)
      use.pop[0] = LoadToCompute;
    if (deps.popNext)
      use.pop[1] = StoreToCompute;
    if (deps.pushPrev)
      use.push[0] = ComputeToLoad;
    if (deps.pushNext)
      use.push[1] = ComputeToStore;
    break;
  case isa::Module::Store:
    if (deps.popPrev)
      use.pop[0] = ComputeToStore;
    if (deps.pushPrev)
      use.push[0] = StoreToCompute;
    break;
  }
  return use;
}

const isa::Deps &getDeps(const isa::Instruction &insn) {
  return std::visit([](const auto &i) -> const isa::Deps & { return i.deps; },
                    insn);
}

LocalBuffer getLocalBuffer(MemId mem) {
  switch (mem) {
  case MemId::Uop:
    return LocalBuffer::Uop;
  case MemId::Wgt:
    return LocalBuffer::Wgt;
  case MemId::Inp:
    return LocalBuffer::Inp;
  case MemId::Acc:
  case MemId::Out:
  case MemId::Scale:
    return LocalBuffer::Acc;
  case MemId::Basis:
    return LocalBuffer::Basis;
  case MemId::CoeffU:
  case MemId::CoeffV:
    return LocalBuffer::Coeff;
  }
  return LocalBuffer::Acc;
}

uint64_t getInstructionOffset(size_t index) {
  return bin::kHeaderBytes + uint64_t(index) * bin::kInstructionBytes;
}
} // namespace

class Simulator::Impl {
public:
  Impl(const AcceleratorModel &model, const bin::Program &program,
       Options options)
      : model(model), program(program), options(options),
        geometry(Geometry::fromModel(model)),
        initError(checkSize(geometry, this->options,
                             model.globalSram.sizeBytes)),
        machine(this->model, geometry, this->options, initError.empty()) {
    if (initError.empty())
      loadDataSegment();
  }

  /// On-chip buffers are allocated from the model's sizes: refuse models
  /// whose buffers would not fit the simulator's memory limit.
  static std::string checkSize(const Geometry &g, const Options &options,
                               uint64_t globalSramBytes) {
    // Row dot products sum int8 x int8 products in 32 bits.
    if (g.blockIn > (1u << 16) || g.blockOut > (1u << 16))
      return llvm::formatv("intrinsic of {0} x {1} is beyond the simulator's "
                           "65536-element rows",
                           g.blockIn, g.blockOut)
          .str();
    uint64_t bytes = globalSramBytes;
    for (unsigned i = 0; i < isa::kNumMemIds; ++i)
      bytes += g.depth[i] * g.rowElements[i] * sizeof(int32_t);
    if (bytes > options.maxDramBytes)
      return llvm::formatv("the model's on-chip buffers need {0} bytes of "
                           "simulator memory, more than the limit of {1}",
                           bytes, options.maxDramBytes)
          .str();
    return "";
  }

  Error run();
  Error fail(size_t index, const llvm::Twine &message) const;
  llvm::Expected<Cost> estimate(const isa::Instruction &insn,
                                const ExecStats &stats) const;
  std::optional<std::string> execute(const isa::Instruction &insn,
                                     ExecStats &stats);
  void loadDataSegment();
  enum class DramRole { None, Weights, Activations, MicroOps };
  DramRole getDramRole(const isa::Instruction &insn) const;
  bool readsConstantData(const isa::LoadInsn &load) const;
  const bin::DataSymbol *findSymbol(llvm::StringRef name) const {
    for (const bin::DataSymbol &symbol : program.symbols)
      if (symbol.name == name)
        return &symbol;
    return nullptr;
  }

  AcceleratorModel model;
  const bin::Program &program;
  Options options;
  Geometry geometry;
  std::string initError;
  Machine machine;
  Report report;
  bool ran = false;
};

void Simulator::Impl::loadDataSegment() {
  uint64_t end = 0;
  for (const bin::DataSymbol &symbol : program.symbols) {
    if (symbol.space == bin::SymbolSpace::GlobalSram) {
      // Zero at start (Machine); it must fit the model's global SRAM.
      uint64_t sramEnd = uint64_t(symbol.offset) + symbol.bytes.size();
      if (sramEnd > machine.globalSram.size() && initError.empty())
        initError = llvm::formatv("data symbol '{0}' occupies global SRAM "
                                  "bytes [{1}, {2}), beyond the model's "
                                  "{3}-byte global SRAM",
                                  symbol.name, symbol.offset, sramEnd,
                                  machine.globalSram.size())
                        .str();
      continue;
    }
    end = std::max<uint64_t>(end, uint64_t(symbol.offset) + symbol.bytes.size());
  }
  machine.dram.assign(std::min(end, options.maxDramBytes), 0);
  for (const bin::DataSymbol &symbol : program.symbols)
    for (size_t i = 0;
         symbol.space == bin::SymbolSpace::Dram && i < symbol.bytes.size(); ++i)
      if (symbol.offset + i < machine.dram.size())
        machine.dram[symbol.offset + i] = symbol.bytes[i];
}

/// True if every DRAM byte `load` reads lies in one symbol with the data
/// role: a constant of the program file (inputs, outputs and activations,
/// e.g. an intermediate result read by a residual add, are activations).
bool Simulator::Impl::readsConstantData(const isa::LoadInsn &load) const {
  uint64_t elements =
      uint64_t(load.ySize - 1) * uint64_t(load.xStride) + uint64_t(load.xSize);
  uint64_t first = uint64_t(load.dramBase);
  uint64_t end = first + (elements * uint64_t(load.elemBits) + 7) / 8;
  for (const bin::DataSymbol &symbol : program.symbols)
    if (symbol.role == bin::SymbolRole::Data &&
        first >= symbol.getAddress() &&
        end <= symbol.getAddress() + symbol.bytes.size())
      return true;
  return false;
}

/// Weight (parameter) or activation traffic, by destination buffer; LOADs
/// into acc or scale (bias, per-channel scales, or a residual operand) by
/// whether they read constant data.
Simulator::Impl::DramRole
Simulator::Impl::getDramRole(const isa::Instruction &insn) const {
  if (std::holds_alternative<isa::StoreInsn>(insn))
    return DramRole::Activations;
  const auto *load = std::get_if<isa::LoadInsn>(&insn);
  if (!load)
    return DramRole::None;
  switch (load->getMemId()) {
  case MemId::Uop:
    return DramRole::MicroOps;
  case MemId::Inp:
  case MemId::Out:
    return DramRole::Activations;
  case MemId::Wgt:
  case MemId::Basis:
  case MemId::CoeffU:
  case MemId::CoeffV:
    return DramRole::Weights;
  case MemId::Acc:
  case MemId::Scale:
    return readsConstantData(*load) ? DramRole::Weights
                                    : DramRole::Activations;
  }
  return DramRole::None;
}

Error Simulator::Impl::fail(size_t index, const llvm::Twine &message) const {
  std::string mnemonic =
      index < program.instructions.size()
          ? isa::getMnemonic(isa::getOpcode(program.instructions[index])).str()
          : std::string("?");
  return createStringError(llvm::formatv("instruction #{0} (offset {1}): {2}: ",
                                         index, getInstructionOffset(index),
                                         mnemonic)
                               .str() +
                           message.str());
}

std::optional<std::string>
Simulator::Impl::execute(const isa::Instruction &insn, ExecStats &stats) {
  Machine &m = machine;
  if (auto *load = std::get_if<isa::LoadInsn>(&insn))
    return executeLoad(m, *load, program, stats);
  if (auto *store = std::get_if<isa::StoreInsn>(&insn))
    return executeStore(m, *store, stats);
  if (auto *gemm = std::get_if<isa::GemmInsn>(&insn))
    return executeGemm(m, *gemm, stats);
  if (auto *alu = std::get_if<isa::AluInsn>(&insn))
    return executeAlu(m, *alu, stats);
  if (auto *gen = std::get_if<isa::GenInsn>(&insn))
    return executeGen(m, *gen, stats);
  if (auto *recomp = std::get_if<isa::RecompInsn>(&insn))
    return executeRecomp(m, *recomp, stats);
  if (auto *shadd = std::get_if<isa::ShaddInsn>(&insn))
    return executeShadd(m, *shadd, stats);
  if (auto *cfg = std::get_if<isa::CfgInsn>(&insn)) {
    int64_t v = cfg->value;
    switch (cfg->getReg()) {
    case isa::CfgReg::InBits:
      m.cfg.inBits = unsigned(v);
      break;
    case isa::CfgReg::WBits:
      m.cfg.wBits = unsigned(v);
      break;
    case isa::CfgReg::AdcBits:
      m.cfg.adcBits = unsigned(v);
      break;
    case isa::CfgReg::TAcc:
      m.cfg.tAcc = unsigned(v);
      break;
    case isa::CfgReg::SignMode:
      m.cfg.signMode = unsigned(v);
      break;
    case isa::CfgReg::WSrc:
      m.cfg.wsrc = unsigned(v);
      break;
    case isa::CfgReg::ReqScale:
      m.cfg.reqScale = v;
      break;
    case isa::CfgReg::ReqShift:
      m.cfg.reqShift = v;
      break;
    case isa::CfgReg::ReqZp:
      m.cfg.reqZp = v;
      break;
    case isa::CfgReg::Dataflow:
      m.cfg.dataflow = unsigned(v);
      break;
    case isa::CfgReg::NoiseSeed:
      m.noise.seed(uint64_t(v));
      break;
    case isa::CfgReg::AdcFsBits:
      m.cfg.adcFsBits = unsigned(v);
      break;
    }
    return std::nullopt;
  }
  if (auto *prog = std::get_if<isa::ProgInsn>(&insn)) {
    if (model.kind != CoreKind::WeightStationary)
      return "PROG needs a weight-stationary model; '" + model.name +
             "' streams its weights";
    if (auto e = m.checkRows(MemId::Wgt, prog->wgtIdx, 1, "source"))
      return e;
    return std::nullopt;
  }
  return std::nullopt; // FENCE and FINISH: synchronisation only
}

llvm::Expected<Cost> Simulator::Impl::estimate(const isa::Instruction &insn,
                                               const ExecStats &stats) const {
  const ConfigRegisters &cfg = machine.cfg;
  auto gemmDesc = [&](uint64_t rows, uint64_t reduction, uint64_t columns,
                      uint64_t batch) {
    GemmDesc desc;
    desc.rows = rows;
    desc.reduction = reduction;
    desc.columns = columns;
    desc.batch = batch;
    desc.weightBits = cfg.wBits;
    desc.inputBits = cfg.inBits;
    desc.outputBits = cfg.adcBits;
    desc.signPasses = cfg.signMode + 1;
    desc.timeAccumulation = cfg.tAcc;
    return desc;
  };
  Cost none;
  none.cycles = 1;
  none.latencyNs = 1.0 / model.clockGHz;
  return std::visit(
      [&](const auto &i) -> llvm::Expected<Cost> {
        using T = std::decay_t<decltype(i)>;
        if constexpr (std::is_same_v<T, isa::LoadInsn> ||
                      std::is_same_v<T, isa::StoreInsn>) {
          DmaTransfer transfer;
          transfer.bits = stats.dramBits + stats.globalSramBits;
          MemoryEndpoint local =
              MemoryEndpoint::local(getLocalBuffer(i.getMemId()));
          // The address names DRAM or the global SRAM window (§1.3).
          MemoryEndpoint offCore = stats.globalSramBits
                                       ? MemoryEndpoint::globalSram()
                                       : MemoryEndpoint::dram();
          transfer.source =
              std::is_same_v<T, isa::LoadInsn> ? offCore : local;
          transfer.destination =
              std::is_same_v<T, isa::LoadInsn> ? local : offCore;
          return estimateTransfer(model, transfer);
        } else if constexpr (std::is_same_v<T, isa::GemmInsn>) {
          Cost cost = none;
          uint64_t products = stats.steps - stats.resetSteps;
          if (products) {
            llvm::Expected<Cost> gemm = estimateGemm(
                model, gemmDesc(geometry.blockOut, geometry.blockIn,
                                geometry.batch, products));
            if (!gemm)
              return gemm.takeError();
            cost = *gemm;
          }
          if (stats.resetSteps) {
            AluDesc reset;
            reset.elements = stats.resetSteps * geometry.batch *
                             uint64_t(geometry.blockOut);
            llvm::Expected<Cost> alu = estimateAlu(model, reset);
            if (!alu)
              return alu.takeError();
            cost.cycles = (products ? cost.cycles : 0) + alu->cycles;
            cost.latencyNs = (products ? cost.latencyNs : 0) + alu->latencyNs;
            cost.energy += alu->energy;
          }
          return cost;
        } else if constexpr (std::is_same_v<T, isa::GenInsn>) {
          bool level1 = i.level == 1;
          GemmDesc desc = gemmDesc(geometry.blockOut,
                                   level1 ? 1 : geometry.blockOut,
                                   geometry.blockIn, stats.steps);
          desc.weightBuffer = LocalBuffer::Coeff;
          desc.inputBuffer = level1 ? LocalBuffer::Basis : LocalBuffer::Wgt;
          desc.accumulatorBuffer = LocalBuffer::Wgt;
          llvm::Expected<Cost> gen = estimateGemm(model, desc);
          if (!gen)
            return gen.takeError();
          // Plus the generated weights written to WGT.
          gen->energy.localBuffers +=
              double(stats.localBits) *
              model.getLocal(LocalBuffer::Wgt).energyPerBitPJ;
          return gen;
        } else if constexpr (std::is_same_v<T, isa::AluInsn>) {
          AluDesc alu;
          alu.elements = stats.steps * geometry.batch * uint64_t(geometry.blockOut);
          alu.opClass = i.getAluOp() == isa::AluOp::Mul ? AluOpClass::Multiply
                                                        : AluOpClass::AddLike;
          return estimateAlu(model, alu);
        } else if constexpr (std::is_same_v<T, isa::RecompInsn>) {
          RecompDesc recomp;
          recomp.slices = i.numSlices;
          recomp.length = uint64_t(i.len) *
                          geometry.rowElements[static_cast<unsigned>(
                              i.getMem() == isa::RecompMem::Acc ? MemId::Acc
                                                                : MemId::Wgt)];
          return estimateRecomp(model, recomp);
        } else if constexpr (std::is_same_v<T, isa::ShaddInsn>) {
          ShiftAddDesc shadd;
          shadd.terms = uint64_t(i.rank);
          shadd.elements = uint64_t(i.len) * uint64_t(i.numRepeats);
          return estimateShiftAdd(model, shadd);
        } else if constexpr (std::is_same_v<T, isa::ProgInsn>) {
          ProgramDesc prog;
          prog.rounds = 1;
          prog.weightBits = cfg.wBits;
          return estimateProgram(model, prog);
        } else {
          return none;
        }
      },
      insn);
}

Error Simulator::Impl::run() {
  if (!initError.empty())
    return createStringError(initError);
  if (ran)
    return createStringError("the simulator has already run this program");
  ran = true;
  const auto &insns = program.instructions;
  if (options.maxSeconds > 0)
    machine.deadline =
        std::chrono::steady_clock::now() +
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(options.maxSeconds));
  if (insns.size() > options.maxInstructions)
    return createStringError(llvm::formatv(
        "program of {0} instructions exceeds the limit of {1} "
        "(--max-instructions)",
        insns.size(), options.maxInstructions));
  // Per-module program-order lists.
  std::vector<size_t> lists[3];
  for (auto [index, insn] : llvm::enumerate(insns))
    lists[static_cast<unsigned>(isa::getModule(insn))].push_back(index);
  size_t next[3] = {0, 0, 0};
  unsigned tokens[4] = {0, 0, 0, 0};
  Timeline timeline;
  std::vector<size_t> timelineIndex(insns.size(), SIZE_MAX);
  std::vector<Cost> costs(insns.size());
  std::vector<ExecStats> execStats(insns.size());
  uint64_t executed = 0, steps = 0;
  bool finished = false;

  auto isReady = [&](size_t index, std::string *why) {
    const isa::Instruction &insn = insns[index];
    isa::Module module = isa::getModule(insn);
    TokenUse use = getTokenUse(module, getDeps(insn));
    for (int q : use.pop)
      if (q >= 0 && tokens[q] == 0) {
        if (why)
          *why = std::string("waits for a ") + kTokenQueueNames[q] + " token";
        return false;
      }
    for (int q : use.push)
      if (q >= 0 && tokens[q] >= options.tokenQueueDepth) {
        if (why)
          *why = std::string("pushes into the full ") + kTokenQueueNames[q] +
                 " queue";
        return false;
      }
    if (auto *fence = std::get_if<isa::FenceInsn>(&insn))
      for (unsigned q = 0; q < 4; ++q)
        if ((fence->queueMask >> q) & 1 && tokens[q]) {
          if (why)
            *why = std::string("fences the non-empty ") + kTokenQueueNames[q] +
                   " queue";
          return false;
        }
    return true;
  };

  while (!finished) {
    // The earliest ready module head.
    size_t pick = SIZE_MAX;
    bool anyLeft = false;
    for (unsigned q = 0; q < 3; ++q) {
      if (next[q] >= lists[q].size())
        continue;
      anyLeft = true;
      size_t index = lists[q][next[q]];
      if (index < pick && isReady(index, nullptr))
        pick = index;
    }
    if (!anyLeft)
      return createStringError(
          "the program ends without FINISH (every instruction ran)");
    if (pick == SIZE_MAX) {
      std::string message = "deadlock: no module can proceed;";
      for (unsigned q = 0; q < 3; ++q) {
        if (next[q] >= lists[q].size())
          continue;
        size_t index = lists[q][next[q]];
        std::string why;
        isReady(index, &why);
        message += llvm::formatv(" #{0} (offset {1}, {2}) {3};", index,
                                 getInstructionOffset(index),
                                 isa::getMnemonic(isa::getOpcode(insns[index])),
                                 why)
                       .str();
      }
      message.pop_back();
      return createStringError(message);
    }
    const isa::Instruction &insn = insns[pick];
    isa::Module module = isa::getModule(insn);
    ++next[static_cast<unsigned>(module)];
    TokenUse use = getTokenUse(module, getDeps(insn));
    for (int q : use.pop)
      if (q >= 0)
        --tokens[q];

    if (++executed > options.maxInstructions)
      return fail(pick, "executed-instruction limit reached");
    if (machine.isPastDeadline())
      return fail(pick, machine.getDeadlineMessage());
    // Refuse runaway loop nests before running them.
    uint64_t planned = std::visit(
        [](const auto &i) -> uint64_t {
          using T = std::decay_t<decltype(i)>;
          if constexpr (std::is_same_v<T, isa::GemmInsn> ||
                        std::is_same_v<T, isa::AluInsn> ||
                        std::is_same_v<T, isa::GenInsn>)
            return uint64_t(i.iterOut) * uint64_t(i.iterIn) *
                   uint64_t(i.uopEnd - i.uopBgn);
          else
            return 0;
        },
        insn);
    if (steps + planned > options.maxSteps)
      return fail(pick, llvm::formatv("more than {0} intrinsic steps "
                                      "(--max-steps): refusing to continue",
                                      options.maxSteps)
                            .str());
    ExecStats &stats = execStats[pick];
    if (std::optional<std::string> error = execute(insn, stats))
      return fail(pick, *error);
    steps += stats.steps;
    llvm::Expected<Cost> cost = estimate(insn, stats);
    if (!cost)
      return fail(pick, llvm::toString(cost.takeError()));
    costs[pick] = *cost;
    for (int q : use.push)
      if (q >= 0)
        ++tokens[q];

    const isa::Deps &deps = getDeps(insn);
    TokenFlags flags{deps.popPrev != 0, deps.popNext != 0, deps.pushPrev != 0,
                     deps.pushNext != 0};
    llvm::Expected<size_t> slot =
        timeline.enqueue(static_cast<Queue>(module), cost->latencyNs, flags,
                         {cost->outstandingRequests, cost->occupancyNs});
    if (!slot)
      return fail(pick, llvm::toString(slot.takeError()));
    timelineIndex[pick] = *slot;

    if (std::holds_alternative<isa::FinishInsn>(insn)) {
      finished = true;
      for (unsigned q = 0; q < 3; ++q)
        if (next[q] < lists[q].size()) {
          size_t index = lists[q][next[q]];
          return fail(index, "never runs: FINISH (#" + llvm::Twine(pick) +
                                 ") ended the program first (a missing "
                                 "token or an instruction after FINISH)");
        }
    }
  }
  if (Error error = timeline.run(/*requireComplete=*/true))
    return error;

  // Per-layer totals.
  std::vector<bin::Layer> layers = program.layers;
  if (layers.empty())
    layers.push_back({"program", 0, uint32_t(insns.size())});
  report = Report();
  report.modelName = model.name;
  report.clockGHz = model.clockGHz;
  auto account = [&](Stats &s, size_t index, bool first) {
    const ExecStats &e = execStats[index];
    const Cost &c = costs[index];
    const ScheduledInstruction &slot = timeline.get(timelineIndex[index]);
    s.startNs = first ? slot.startNs : std::min(s.startNs, slot.startNs);
    s.finishNs = first ? slot.finishNs : std::max(s.finishNs, slot.finishNs);
    ++s.instructions;
    s.steps += e.steps;
    s.macs += e.macs;
    // A pipelined transfer keeps its module busy only while it streams.
    s.busyCycles[static_cast<unsigned>(slot.queue)] +=
        c.outstandingRequests > 1
            ? uint64_t(std::ceil(c.occupancyNs * model.clockGHz - 1e-9))
            : c.cycles;
    s.energy += c.energy;
    s.dramBits += e.dramBits;
    s.globalSramBits += e.globalSramBits;
    switch (getDramRole(insns[index])) {
    case DramRole::Weights:
      s.dramWeightBits += e.dramBits;
      break;
    case DramRole::Activations:
      s.dramActivationBits += e.dramBits;
      break;
    case DramRole::MicroOps:
      s.dramUopBits += e.dramBits;
      break;
    case DramRole::None:
      break;
    }
    s.localBits += e.localBits;
    unsigned opcode = static_cast<unsigned>(isa::getOpcode(insns[index]));
    ++s.byClassInstructions[opcode];
    s.byClassEnergy[opcode] += c.energy.total();
  };
  bool firstTotal = true;
  for (const bin::Layer &layer : layers) {
    LayerReport entry;
    entry.name = layer.name;
    entry.firstInstruction = layer.first;
    entry.endInstruction = layer.end;
    bool first = true;
    for (size_t index = layer.first; index < layer.end && index < insns.size();
         ++index) {
      if (timelineIndex[index] == SIZE_MAX)
        continue;
      account(entry.stats, index, first);
      first = false;
    }
    report.layers.push_back(std::move(entry));
  }
  for (size_t index = 0; index < insns.size(); ++index) {
    if (timelineIndex[index] == SIZE_MAX)
      continue;
    account(report.total, index, firstTotal);
    firstTotal = false;
  }
  report.total.startNs = 0;
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Simulator
//===----------------------------------------------------------------------===//

Simulator::Simulator(const AcceleratorModel &model, const bin::Program &program,
                     Options options)
    : impl(new Impl(model, program, options)) {}

Simulator::~Simulator() { delete impl; }

const Geometry &Simulator::getGeometry() const { return impl->geometry; }

std::vector<const bin::DataSymbol *> Simulator::getInputs() const {
  std::vector<const bin::DataSymbol *> result;
  for (const bin::DataSymbol &symbol : impl->program.symbols)
    if (symbol.role == bin::SymbolRole::Input)
      result.push_back(&symbol);
  return result;
}

std::vector<const bin::DataSymbol *> Simulator::getOutputs() const {
  std::vector<const bin::DataSymbol *> result;
  for (const bin::DataSymbol &symbol : impl->program.symbols)
    if (symbol.role == bin::SymbolRole::Output)
      result.push_back(&symbol);
  return result;
}

Error Simulator::setInput(llvm::StringRef name,
                          llvm::ArrayRef<int64_t> values) {
  if (!impl->initError.empty())
    return createStringError(impl->initError);
  const bin::DataSymbol *symbol = impl->findSymbol(name);
  if (!symbol)
    return createStringError("no data symbol '" + name + "'");
  uint64_t count = symbol->getNumElements();
  if (values.size() != count)
    return createStringError(llvm::formatv(
        "input '{0}' has {1} elements, {2} given", name, count, values.size()));
  llvm::Expected<std::vector<uint8_t>> packed =
      bin::packElements(values, symbol->elemBits, symbol->isSigned);
  if (!packed)
    return createStringError("input '" + name +
                             "': " + llvm::toString(packed.takeError()));
  Machine &m = impl->machine;
  if (auto error = m.checkDram(symbol->getAddress(), 0, count,
                               symbol->elemBits, /*forWrite=*/true))
    return createStringError(*error);
  std::vector<uint8_t> &memory =
      symbol->space == bin::SymbolSpace::GlobalSram ? m.globalSram : m.dram;
  std::copy(packed->begin(), packed->end(), memory.begin() + symbol->offset);
  return Error::success();
}

llvm::Expected<TensorValue> Simulator::readSymbol(llvm::StringRef name) const {
  const bin::DataSymbol *symbol = impl->findSymbol(name);
  if (!symbol)
    return createStringError("no data symbol '" + name + "'");
  TensorValue value;
  value.name = symbol->name;
  for (uint32_t size : symbol->shape)
    value.shape.push_back(size);
  uint64_t count = symbol->getNumElements();
  value.values.reserve(count);
  for (uint64_t i = 0; i < count; ++i)
    value.values.push_back(impl->machine.readDram(
        symbol->getAddress(), i, symbol->elemBits, symbol->isSigned));
  return value;
}

Error Simulator::run() { return impl->run(); }

const Report &Simulator::getReport() const { return impl->report; }

int64_t Simulator::getBufferElement(MemId mem, uint64_t index) const {
  const std::vector<int32_t> &buffer =
      impl->machine.buffers[static_cast<unsigned>(mem)];
  return index < buffer.size() ? buffer[index] : 0;
}

Error Simulator::setBufferElement(MemId mem, uint64_t index, int64_t value) {
  if (auto error = impl->machine.checkElements(mem, index, 1))
    return createStringError(*error);
  if (index >= impl->machine.buffers[static_cast<unsigned>(mem)].size())
    return createStringError("buffer " + isa::stringifyMemId(mem) +
                             " is not allocated");
  impl->machine.writeLane(mem, index, value);
  return Error::success();
}

llvm::ArrayRef<uint8_t> Simulator::getDram() const {
  return impl->machine.dram;
}
