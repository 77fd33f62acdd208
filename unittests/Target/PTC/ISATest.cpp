//===- ISATest.cpp - PTC instruction encoding and decoding ----------------===//

#include "mlg/Target/PTC/ISA.h"
#include "RandomInstructions.h"

#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <random>

using namespace mlg::ptc::isa;
using namespace mlg::ptc::isa::testing;

namespace {

void expectRoundTrip(const Instruction &insn) {
  SCOPED_TRACE([&] {
    std::string text;
    llvm::raw_string_ostream os(text);
    print(insn, os);
    return text;
  }());
  llvm::Expected<Word> word = encode(insn);
  ASSERT_TRUE(bool(word)) << llvm::toString(word.takeError());
  EXPECT_EQ(word->getBits(0, 4), static_cast<uint64_t>(getOpcode(insn)));
  llvm::Expected<Instruction> decoded = decode(*word);
  ASSERT_TRUE(bool(decoded)) << llvm::toString(decoded.takeError());
  EXPECT_EQ(fieldValues(insn), fieldValues(*decoded));
  llvm::Expected<Word> again = encode(*decoded);
  ASSERT_TRUE(bool(again)) << llvm::toString(again.takeError());
  EXPECT_TRUE(*again == *word);
}

std::string errorText(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : std::string();
}

TEST(PTCISATest, WordBitAccessCrossesTheHalves) {
  Word word;
  word.setBits(60, 16, 0xABCD);
  EXPECT_EQ(word.getBits(60, 16), 0xABCDu);
  EXPECT_EQ(word.lo >> 60, 0xDu);
  EXPECT_EQ(word.hi, 0xABCu);
  word.setBits(16, 64, ~uint64_t(0));
  EXPECT_EQ(word.getBits(16, 64), ~uint64_t(0));
  EXPECT_EQ(word.getBits(0, 16), 0u);
  word.setBits(127, 1, 1);
  EXPECT_EQ(word.hi >> 63, 1u);
}

TEST(PTCISATest, FieldsTileTheWordWithoutOverlap) {
  for (unsigned i = 0; i < kNumOpcodes; ++i) {
    auto opcode = static_cast<Opcode>(i);
    SCOPED_TRACE(getMnemonic(opcode).str());
    unsigned next = 0;
    for (const FieldSpec &spec : getFieldLayout(opcode)) {
      EXPECT_GE(spec.lsb, next) << spec.name << " overlaps its predecessor";
      EXPECT_LE(spec.lsb + spec.width, 128u) << spec.name;
      // The range must be representable in the field.
      uint64_t capacity =
          spec.width >= 64 ? ~uint64_t(0) : (uint64_t(1) << spec.width) - 1;
      if (spec.encoding == FieldEncoding::Unsigned) {
        EXPECT_GE(spec.min, 0) << spec.name;
        EXPECT_LE(static_cast<uint64_t>(spec.max), capacity) << spec.name;
      } else if (spec.encoding == FieldEncoding::MinusOne) {
        EXPECT_GE(spec.min, 1) << spec.name;
        EXPECT_LE(static_cast<uint64_t>(spec.max - 1), capacity) << spec.name;
      }
      next = spec.lsb + spec.width;
    }
  }
  // The dense formats use every bit, as the ISA sketch intends.
  for (Opcode opcode : {Opcode::Load, Opcode::Gemm, Opcode::Alu, Opcode::Gen}) {
    unsigned bits = 0;
    for (const FieldSpec &spec : getFieldLayout(opcode))
      bits += spec.width;
    EXPECT_EQ(bits, 128u) << getMnemonic(opcode).str();
  }
  unsigned uopBits = 0;
  for (const FieldSpec &spec : getUopFieldLayout())
    uopBits += spec.width;
  EXPECT_EQ(uopBits, 32u);
}

TEST(PTCISATest, EveryInstructionRoundTripsAtItsBoundaries) {
  std::mt19937_64 rng(1);
  for (unsigned i = 0; i < kNumOpcodes; ++i) {
    auto opcode = static_cast<Opcode>(i);
    expectRoundTrip(makeInstruction(opcode));
    expectRoundTrip(makeWith(opcode, Pick::Min, rng));
    expectRoundTrip(makeWith(opcode, Pick::Max, rng));
  }
}

TEST(PTCISATest, EveryInstructionRoundTripsWithRandomFields) {
  std::mt19937_64 rng(20261201);
  for (unsigned i = 0; i < kNumOpcodes; ++i)
    for (int trial = 0; trial < 2000; ++trial)
      expectRoundTrip(makeWith(static_cast<Opcode>(i), Pick::Random, rng));
}

TEST(PTCISATest, EveryMemoryIdAluOpAndRegisterRoundTrips) {
  for (unsigned mem = 0; mem < kNumMemIds; ++mem) {
    LoadInsn load;
    load.memId = mem;
    Instruction insn = load;
    legalize(insn);
    expectRoundTrip(insn);
  }
  for (unsigned op = 0; op < 8; ++op) {
    AluInsn alu;
    alu.aluOp = op;
    alu.useImm = 1;
    alu.imm = -5;
    expectRoundTrip(alu);
  }
  for (unsigned reg = 0; reg < kNumCfgRegs; ++reg) {
    CfgInsn cfg;
    cfg.reg = reg;
    cfg.value = getCfgValueRange(static_cast<CfgReg>(reg)).second;
    expectRoundTrip(cfg);
  }
}

TEST(PTCISATest, RecompRshiftUsesFormerlyReservedBits) {
  RecompInsn recomp;
  recomp.numSlices = 2;
  recomp.sliceBits = 3;
  recomp.outBits = 4;
  recomp.round = 1;
  llvm::Expected<Word> plain = encode(recomp);
  ASSERT_TRUE(bool(plain));
  // rshift 0 leaves bits [92:87] clear: words written before the field
  // existed decode to the same instruction.
  EXPECT_EQ(plain->getBits(87, 41), 0u);
  recomp.rshift = 63;
  llvm::Expected<Word> shifted = encode(recomp);
  ASSERT_TRUE(bool(shifted));
  EXPECT_EQ(shifted->getBits(87, 6), 63u);
  EXPECT_EQ(shifted->getBits(93, 35), 0u);
  Word rest = *shifted;
  rest.setBits(87, 6, 0);
  EXPECT_EQ(rest, *plain);
  llvm::Expected<Instruction> decoded = decode(*shifted);
  ASSERT_TRUE(bool(decoded));
  EXPECT_EQ(std::get<RecompInsn>(*decoded).rshift, 63);
  // Bit 93 is still reserved.
  shifted->setBits(93, 1, 1);
  decoded = decode(*shifted);
  ASSERT_FALSE(bool(decoded));
  EXPECT_NE(llvm::toString(decoded.takeError()).find("reserved bit 93"),
            std::string::npos);
}

TEST(PTCISATest, ShaddFieldsSitWhereDocsIsaSays) {
  ShaddInsn shadd;
  shadd.dst = 0xABCDE;
  shadd.code = 0x23456;
  shadd.basis = 0xFEDC;
  shadd.len = 576;
  shadd.start = 9;
  shadd.rank = 3;
  shadd.numCols = 3;
  shadd.rshift = 5;
  shadd.round = 1;
  shadd.numRepeats = 48;
  shadd.dstStride = 24;
  shadd.codeStride = 72;
  shadd.basisStride = 1000;
  llvm::Expected<Word> word = encode(shadd);
  ASSERT_TRUE(bool(word)) << llvm::toString(word.takeError());
  EXPECT_EQ(word->getBits(0, 4), 10u);
  EXPECT_EQ(word->getBits(4, 4), 0u);
  EXPECT_EQ(word->getBits(8, 20), 0xABCDEu);
  EXPECT_EQ(word->getBits(28, 18), 0x23456u);
  EXPECT_EQ(word->getBits(46, 16), 0xFEDCu);
  EXPECT_EQ(word->getBits(62, 10), 576u);
  EXPECT_EQ(word->getBits(72, 8), 9u);
  EXPECT_EQ(word->getBits(80, 3), 2u); // rank - 1
  EXPECT_EQ(word->getBits(83, 4), 2u); // n_cols - 1
  EXPECT_EQ(word->getBits(87, 6), 5u);
  EXPECT_EQ(word->getBits(93, 1), 1u);
  EXPECT_EQ(word->getBits(94, 6), 47u); // n_rep - 1
  EXPECT_EQ(word->getBits(100, 10), 24u);
  EXPECT_EQ(word->getBits(110, 8), 72u);
  EXPECT_EQ(word->getBits(118, 10), 1000u);
  expectRoundTrip(shadd);
  std::string text;
  llvm::raw_string_ostream os(text);
  print(shadd, os);
  EXPECT_EQ(text, "shadd dst=703710 code=144470 basis=65244 len=576 "
                  "start=9 rank=3 n_cols=3 rshift=5 round=1 n_rep=48 "
                  "dst_stride=24 code_stride=72 basis_stride=1000");
  shadd.rank = 9;
  EXPECT_NE(errorText(validate(shadd)).find("'rank' = 9 is out of range"),
            std::string::npos);
  shadd.rank = 3;
  shadd.numRepeats = 65;
  EXPECT_NE(errorText(validate(shadd)).find("'n_rep' = 65 is out of range"),
            std::string::npos);
}

TEST(PTCISATest, MicroOpsRoundTrip) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 1000; ++trial) {
    uint32_t bits = static_cast<uint32_t>(rng());
    Uop uop = decodeUop(bits);
    llvm::Expected<uint32_t> again = encode(uop);
    ASSERT_TRUE(bool(again));
    EXPECT_EQ(*again, bits);
  }
  Uop tooBig;
  tooBig.wgt = 1024;
  EXPECT_NE(errorText(validate(tooBig)).find("'wgt' = 1024 is out of range"),
            std::string::npos);
}

TEST(PTCISATest, OutOfRangeFieldsAreRejectedByName) {
  for (unsigned i = 0; i < kNumOpcodes; ++i) {
    auto opcode = static_cast<Opcode>(i);
    std::vector<FieldSpec> layout = getFieldLayout(opcode);
    for (size_t f = 1; f < layout.size(); ++f) { // skip the opcode
      const FieldSpec &spec = layout[f];
      if (spec.width == 64)
        continue; // every value is legal
      for (int64_t bad : {spec.min - 1, spec.max + 1}) {
        Instruction insn = makeInstruction(opcode);
        std::visit(
            [&](auto &c) {
              using T = std::decay_t<decltype(c)>;
              T::forEachField(c, [&](const FieldSpec &s, int64_t &value) {
                if (s.lsb == spec.lsb)
                  value = bad;
              });
            },
            insn);
        std::string message = errorText(validate(insn));
        EXPECT_NE(message.find(std::string("'") + spec.name + "'"),
                  std::string::npos)
            << getMnemonic(opcode).str() << "." << spec.name << " = " << bad
            << ": " << message;
        llvm::Expected<Word> word = encode(insn);
        EXPECT_FALSE(bool(word));
        if (!word)
          llvm::consumeError(word.takeError());
      }
    }
  }
}

TEST(PTCISATest, CrossFieldRulesAreEnforced) {
  GemmInsn gemm;
  gemm.uopBgn = 4;
  gemm.uopEnd = 4;
  EXPECT_NE(errorText(validate(gemm)).find("'uop_bgn' = 4 must be below"),
            std::string::npos);

  StoreInsn store;
  store.memId = static_cast<int64_t>(MemId::Basis);
  EXPECT_NE(errorText(validate(store)).find("cannot be stored"),
            std::string::npos);

  LoadInsn load; // INP: the load module has no previous module
  load.memId = static_cast<int64_t>(MemId::Inp);
  load.deps.popPrev = 1;
  EXPECT_NE(errorText(validate(load)).find("pop_prev and push_prev"),
            std::string::npos);
  load.memId = static_cast<int64_t>(MemId::Acc); // compute module: fine
  EXPECT_EQ(errorText(validate(load)), "");

  LoadInsn uops;
  uops.memId = static_cast<int64_t>(MemId::Uop);
  uops.elemBits = 8;
  EXPECT_NE(errorText(validate(uops)).find("'elem_bits' = 8 must be 0"),
            std::string::npos);

  AluInsn alu;
  alu.imm = 3;
  EXPECT_NE(errorText(validate(alu)).find("'imm' must be 0"),
            std::string::npos);

  CfgInsn cfg;
  cfg.reg = static_cast<int64_t>(CfgReg::InBits);
  cfg.value = 17;
  EXPECT_NE(errorText(validate(cfg)).find("register in_bits"),
            std::string::npos);
  cfg.reg = static_cast<int64_t>(CfgReg::AdcFsBits);
  cfg.value = 49;
  EXPECT_NE(errorText(validate(cfg)).find(
                "'value' = 49 is out of range [0, 48] for register adc_fs_bits"),
            std::string::npos);
  cfg.value = 0; // the worst-case rule
  EXPECT_EQ(errorText(validate(cfg)), "");
}

TEST(PTCISATest, DecoderRejectsMalformedWords) {
  Word unknown;
  unknown.setBits(0, 4, 12);
  llvm::Expected<Instruction> bad = decode(unknown);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("unknown opcode 12"),
            std::string::npos);

  Word finish = *encode(FinishInsn{});
  finish.setBits(100, 1, 1);
  bad = decode(finish);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("reserved bit 100"),
            std::string::npos);

  Word load = *encode(LoadInsn{});
  load.setBits(8, 4, 13); // mem_id 13 does not exist
  bad = decode(load);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("'mem_id' = 13"),
            std::string::npos);

  Word gen = *encode(GenInsn{});
  gen.setBits(8, 2, 0); // level 0
  bad = decode(gen);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("'level' = 0"),
            std::string::npos);

  LoadInsn uopLoad;
  uopLoad.memId = static_cast<int64_t>(MemId::Uop);
  uopLoad.elemBits = 0;
  Word uopWord = *encode(uopLoad);
  EXPECT_EQ(uopWord.getBits(124, 4), 0u);
  uopWord.setBits(124, 4, 3);
  bad = decode(uopWord);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("elem_bits"),
            std::string::npos);
}

TEST(PTCISATest, PrinterNamesEnumsAndFlags) {
  LoadInsn load;
  load.memId = static_cast<int64_t>(MemId::CoeffU);
  load.elemBits = 6;
  load.deps.pushNext = 1;
  std::string text;
  llvm::raw_string_ostream os(text);
  print(load, os);
  EXPECT_EQ(text, "load mem_id=coeff_u sram_base=0 dram_base=0 y_size=1 "
                  "x_size=1 x_stride=1 y_pad0=0 y_pad1=0 x_pad0=0 x_pad1=0 "
                  "elem_bits=6 push_next");
}

Instruction withDeps(Instruction insn, bool popPrev, bool popNext,
                     bool pushPrev, bool pushNext) {
  std::visit(
      [&](auto &c) {
        c.deps.popPrev = popPrev;
        c.deps.popNext = popNext;
        c.deps.pushPrev = pushPrev;
        c.deps.pushNext = pushNext;
      },
      insn);
  return insn;
}

TEST(PTCISATest, TokensOfAProducerConsumerProgramBalance) {
  LoadInsn load; // INP: load module
  StoreInsn store;
  store.memId = static_cast<int64_t>(MemId::Out);
  std::vector<Instruction> program = {
      withDeps(load, false, false, false, true),      // L -> C
      withDeps(GemmInsn{}, true, false, true, false), // C -> L (WAR)
      withDeps(load, false, true, false, true),       // waits for it
      withDeps(GemmInsn{}, true, false, false, true), // C -> S
      withDeps(store, true, false, true, false),      // S -> C
      withDeps(FinishInsn{}, false, true, false, false),
  };
  TokenReport report = runTokens(program);
  EXPECT_FALSE(report.deadlocked());
  for (uint64_t left : report.leftover)
    EXPECT_EQ(left, 0u);
  EXPECT_FALSE(runTokens(program, /*queueDepth=*/1).deadlocked());
}

TEST(PTCISATest, TokenDeadlocksNameTheBlockedInstructions) {
  // The compute module pops a token nobody pushes.
  std::vector<Instruction> program = {
      withDeps(GemmInsn{}, false, true, false, false), FinishInsn{}};
  TokenReport report = runTokens(program);
  ASSERT_TRUE(report.deadlocked());
  EXPECT_EQ(report.blockedAt[static_cast<unsigned>(Module::Compute)], 0u);

  // Each side pushes twice before popping: fine with unbounded queues,
  // stuck with queues of depth 1.
  StoreInsn store;
  store.memId = static_cast<int64_t>(MemId::Out);
  program = {withDeps(GemmInsn{}, false, false, false, true),
             withDeps(GemmInsn{}, false, false, false, true),
             withDeps(GemmInsn{}, false, true, false, false),
             withDeps(store, false, false, true, false),
             withDeps(store, false, false, true, false),
             withDeps(store, true, false, false, false)};
  report = runTokens(program);
  EXPECT_FALSE(report.deadlocked());
  EXPECT_EQ(report.leftover[static_cast<unsigned>(Queue::ComputeToStore)], 1u);
  EXPECT_EQ(report.leftover[static_cast<unsigned>(Queue::StoreToCompute)], 1u);
  report = runTokens(program, /*queueDepth=*/1);
  ASSERT_TRUE(report.deadlocked());
  EXPECT_EQ(report.blockedAt[static_cast<unsigned>(Module::Compute)], 1u);
  EXPECT_EQ(report.blockedAt[static_cast<unsigned>(Module::Store)], 4u);

  // A fence on a queue that is never drained.
  FenceInsn fence;
  fence.queueMask = 1 << static_cast<unsigned>(Queue::LoadToCompute);
  LoadInsn load;
  program = {withDeps(load, false, false, false, true), fence};
  report = runTokens(program);
  ASSERT_TRUE(report.deadlocked());
  EXPECT_EQ(report.blockedAt[static_cast<unsigned>(Module::Compute)], 1u);
  EXPECT_FALSE(report.blockedAt[static_cast<unsigned>(Module::Load)]);
}

} // namespace
