//===- BinaryTest.cpp - PTC program file writer and reader ----------------===//

#include "mlg/Target/PTC/Binary.h"
#include "BinaryTestSupport.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <random>

using namespace mlg::ptc;
using namespace mlg::ptc::bin;

using mlg::ptc::testing::put32;
using mlg::ptc::testing::readError;

namespace {

/// One instruction of every opcode, three micro-ops and two data symbols
/// with a gap between them.
Program makeProgram() {
  Program program;
  isa::CfgInsn cfg;
  cfg.reg = static_cast<int64_t>(isa::CfgReg::InBits);
  cfg.value = 4;
  program.instructions.push_back(cfg);
  isa::LoadInsn uops;
  uops.memId = static_cast<int64_t>(isa::MemId::Uop);
  uops.xSize = 3;
  uops.elemBits = 0;
  program.instructions.push_back(uops);
  isa::LoadInsn basis;
  basis.memId = static_cast<int64_t>(isa::MemId::Basis);
  basis.ySize = 5;
  basis.xSize = 3;
  basis.xStride = 3;
  basis.elemBits = 3;
  basis.deps.pushNext = 1;
  program.instructions.push_back(basis);
  isa::GenInsn gen;
  gen.deps.popPrev = 1;
  gen.uopEnd = 3;
  program.instructions.push_back(gen);
  program.instructions.push_back(isa::RecompInsn{});
  isa::GemmInsn gemm;
  gemm.reset = 1;
  program.instructions.push_back(gemm);
  isa::AluInsn alu;
  alu.aluOp = static_cast<int64_t>(isa::AluOp::Max);
  alu.useImm = 1;
  alu.deps.pushNext = 1;
  program.instructions.push_back(alu);
  isa::StoreInsn store;
  store.memId = static_cast<int64_t>(isa::MemId::Out);
  store.deps.popPrev = 1;
  program.instructions.push_back(store);
  program.instructions.push_back(isa::ProgInsn{});
  program.instructions.push_back(isa::FenceInsn{});
  program.instructions.push_back(isa::FinishInsn{});
  program.uops = {{0, 0, 0}, {1, 2, 3}, {2047, 2047, 1023}};

  DataSymbol b;
  b.name = "basis";
  b.offset = 0;
  b.elemBits = 3;
  b.isSigned = true;
  b.shape = {5, 3};
  std::vector<int64_t> values;
  for (int i = 0; i < 15; ++i)
    values.push_back(i % 8 - 4);
  b.bytes = cantFail(packElements(values, 3, true));
  DataSymbol v;
  v.name = "coeff_v";
  v.offset = 32;
  v.elemBits = 6;
  v.isSigned = false;
  v.shape = {2, 2};
  v.bytes = cantFail(packElements({0, 1, 62, 63}, 6, false));
  program.symbols = {b, v};
  return program;
}

TEST(PTCBinaryTest, PackingRoundTripsEveryWidth) {
  std::mt19937_64 rng(3);
  for (unsigned bits = 1; bits <= 16; ++bits) {
    for (bool isSigned : {false, true}) {
      int64_t lo = isSigned ? -(int64_t(1) << (bits - 1)) : 0;
      int64_t hi =
          isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
      std::vector<int64_t> values{lo, hi};
      for (int i = 0; i < 37; ++i)
        values.push_back(std::uniform_int_distribution<int64_t>(lo, hi)(rng));
      std::vector<uint8_t> bytes =
          cantFail(packElements(values, bits, isSigned));
      EXPECT_EQ(bytes.size(), getPackedBytes(values.size(), bits));
      EXPECT_EQ(unpackElements(bytes, values.size(), bits, isSigned), values);
      llvm::Expected<std::vector<uint8_t>> tooBig =
          packElements({hi + 1}, bits, isSigned);
      EXPECT_FALSE(bool(tooBig));
      if (!tooBig)
        llvm::consumeError(tooBig.takeError());
    }
  }
  // LSB-first: 3-bit elements 1, 2, 3 -> bits 001 010 011 -> 0b11010001, 0.
  EXPECT_EQ(cantFail(packElements({1, 2, 3}, 3, false)),
            (std::vector<uint8_t>{0xD1, 0x00}));
}

TEST(PTCBinaryTest, WriteReadWriteIsByteIdentical) {
  Program program = makeProgram();
  std::vector<uint8_t> bytes = cantFail(writeBinary(program));
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 8),
            std::string("MLGPTC\0\1", 8));
  llvm::Expected<Program> read = readBinary(bytes);
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->instructions.size(), program.instructions.size());
  EXPECT_EQ(read->uops.size(), 3u);
  EXPECT_EQ(read->uops[2].wgt, 1023);
  ASSERT_EQ(read->symbols.size(), 2u);
  EXPECT_EQ(read->symbols[1].name, "coeff_v");
  EXPECT_EQ(read->symbols[1].shape, (std::vector<uint32_t>{2, 2}));
  EXPECT_EQ(unpackElements(read->symbols[1].bytes, 4, 6, false),
            (std::vector<int64_t>{0, 1, 62, 63}));
  EXPECT_EQ(cantFail(writeBinary(*read)), bytes);
}

TEST(PTCBinaryTest, WriterRejectsInvalidPrograms) {
  Program program = makeProgram();
  program.symbols[1].offset = 8; // misaligned and overlapping
  llvm::Expected<std::vector<uint8_t>> bytes = writeBinary(program);
  ASSERT_FALSE(bool(bytes));
  EXPECT_NE(llvm::toString(bytes.takeError()).find("not a multiple of 16"),
            std::string::npos);

  program = makeProgram();
  program.symbols[1].offset = 0;
  bytes = writeBinary(program);
  ASSERT_FALSE(bool(bytes));
  EXPECT_NE(llvm::toString(bytes.takeError()).find("overlap"),
            std::string::npos);

  program = makeProgram();
  std::get<isa::GemmInsn>(program.instructions[5]).iterOut = 0;
  bytes = writeBinary(program);
  ASSERT_FALSE(bool(bytes));
  EXPECT_NE(llvm::toString(bytes.takeError())
                .find("instruction #5: gemm: field 'iter_out' = 0"),
            std::string::npos);
}

TEST(PTCBinaryTest, TruncatedFilesNameTheOffset) {
  std::vector<uint8_t> bytes = cantFail(writeBinary(makeProgram()));
  for (size_t size : {size_t(0), size_t(5), size_t(63), size_t(64), size_t(100),
                      bytes.size() - 1}) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + size);
    std::string message = readError(cut);
    EXPECT_EQ(message.rfind("offset " + std::to_string(size) + ":", 0), 0u)
        << size << ": " << message;
  }
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0);
  EXPECT_EQ(readError(longer).rfind("offset " + std::to_string(bytes.size()) +
                                        ": 1 bytes follow",
                                    0),
            0u);
}

TEST(PTCBinaryTest, HeaderCorruptionIsReportedAtTheField) {
  std::vector<uint8_t> bytes = cantFail(writeBinary(makeProgram()));
  auto expectError = [&](std::vector<uint8_t> corrupt, const char *prefix) {
    std::string message = readError(corrupt);
    EXPECT_EQ(message.rfind(prefix, 0), 0u) << message;
  };
  std::vector<uint8_t> corrupt = bytes;
  corrupt[1] = 'X';
  expectError(corrupt, "offset 1: bad magic");
  corrupt = bytes;
  corrupt[7] = 2;
  expectError(corrupt, "offset 7: unsupported major format version 2");
  corrupt = bytes;
  put32(corrupt, 8, 7);
  expectError(corrupt, "offset 8: unsupported format version 7");
  corrupt = bytes;
  put32(corrupt, 20, 1);
  expectError(corrupt, "offset 20: reserved header flags");
  corrupt = bytes;
  put32(corrupt, 28, 0x10000000); // instruction count far past the file
  expectError(corrupt, "offset 28: section 'code'");
  corrupt = bytes;
  put32(corrupt, 44, 0xFFFFFF00); // data bytes
  expectError(corrupt, "offset 44: section 'data'");
  corrupt = bytes;
  put32(corrupt, 32, 66); // uop table misaligned
  expectError(corrupt, "offset 32: section 'uops' at offset 66 is not 4-byte");
  corrupt = bytes;
  put32(corrupt, 40, 16); // data section inside the header
  expectError(corrupt, "offset 40: section 'data' at offset 16 overlaps the "
                       "header");
  corrupt = bytes;
  put32(corrupt, 24, 80); // code section overlaps the uop table
  std::string message = readError(corrupt);
  EXPECT_NE(message.find("overlaps section"), std::string::npos) << message;
}

TEST(PTCBinaryTest, InstructionAndSymbolCorruptionNameTheOffset) {
  Program program = makeProgram();
  std::vector<uint8_t> bytes = cantFail(writeBinary(program));
  llvm::Expected<Layout> layout = computeLayout(program);
  ASSERT_TRUE(bool(layout));

  // Instruction #2 (LOAD basis): mem_id -> 15.
  std::vector<uint8_t> corrupt = bytes;
  size_t at = layout->codeOffset + 2 * kInstructionBytes;
  corrupt[at + 1] |= 0x0F;
  EXPECT_EQ(readError(corrupt).rfind(
                "offset " + std::to_string(at) +
                    ": instruction #2: load: field 'mem_id' = 15 is out of "
                    "range [0, 8]",
                0),
            0u)
      << readError(corrupt);

  // Unknown opcode in the last instruction.
  corrupt = bytes;
  at = layout->codeOffset + 10 * kInstructionBytes;
  corrupt[at] = (corrupt[at] & 0xF0) | 0x0E;
  EXPECT_EQ(readError(corrupt).rfind("offset " + std::to_string(at) +
                                         ": instruction #10: unknown opcode 14",
                                     0),
            0u);

  // Symbol #1: element width 0, then 17; rank 5; data size mismatch.
  size_t entry = layout->symtabOffset + kSymbolBytes;
  corrupt = bytes;
  corrupt[entry + 16] = 0;
  EXPECT_EQ(readError(corrupt).rfind("offset " + std::to_string(entry + 16) +
                                         ": symbol #1: element width 0",
                                     0),
            0u);
  corrupt[entry + 16] = 17;
  EXPECT_EQ(readError(corrupt).rfind("offset " + std::to_string(entry + 16) +
                                         ": symbol #1: element width 17",
                                     0),
            0u);
  corrupt = bytes;
  corrupt[entry + 18] = 5;
  EXPECT_EQ(readError(corrupt).rfind("offset " + std::to_string(entry + 18) +
                                         ": symbol #1: rank 5",
                                     0),
            0u);
  corrupt = bytes;
  put32(corrupt, entry + 12, 4);
  EXPECT_EQ(readError(corrupt).rfind("offset " + std::to_string(entry + 12) +
                                         ": symbol #1: size 4 bytes",
                                     0),
            0u);
  corrupt = bytes;
  put32(corrupt, entry + 4, 1000); // name runs off the string table
  EXPECT_EQ(readError(corrupt).rfind(
                "offset " + std::to_string(entry) + ": symbol #1: name", 0),
            0u);

  // Symbol #1 moved onto symbol #0: the data segment is still in bounds,
  // the overlap is reported at the symbol table.
  corrupt = bytes;
  put32(corrupt, entry + 8, 0);
  EXPECT_EQ(readError(corrupt).rfind("offset " +
                                         std::to_string(layout->symtabOffset) +
                                         ": data symbols 'basis' and "
                                         "'coeff_v' overlap",
                                     0),
            0u)
      << readError(corrupt);

  // A non-zero byte in the gap between the two tensors.
  corrupt = bytes;
  at = layout->dataOffset + 20;
  corrupt[at] = 0xFF;
  EXPECT_EQ(readError(corrupt).rfind("offset " + std::to_string(at) +
                                         ": byte differs from the canonical",
                                     0),
            0u);
}

TEST(PTCBinaryTest, RandomCorruptionNeverCrashes) {
  std::vector<uint8_t> bytes = cantFail(writeBinary(makeProgram()));
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<uint8_t> corrupt = bytes;
    int flips = 1 + rng() % 4;
    for (int i = 0; i < flips; ++i)
      corrupt[rng() % corrupt.size()] ^= uint8_t(1u << (rng() % 8));
    if (rng() % 4 == 0)
      corrupt.resize(rng() % corrupt.size());
    llvm::Expected<Program> program = readBinary(corrupt);
    if (!program) {
      EXPECT_EQ(llvm::toString(program.takeError()).rfind("offset ", 0), 0u);
      continue;
    }
    // Whatever is accepted re-encodes to the same bytes.
    EXPECT_EQ(cantFail(writeBinary(*program)), corrupt);
  }
}

} // namespace

namespace {
/// makeProgram() plus a zero-initialised tensor in the global SRAM window
/// at window offset 32 (it takes no room in the data segment).
Program makeGlobalSramProgram() {
  Program program = makeProgram();
  DataSymbol act;
  act.name = "act";
  act.offset = 32;
  act.elemBits = 8;
  act.space = SymbolSpace::GlobalSram;
  act.shape = {3, 16};
  act.bytes.assign(48, 0);
  program.symbols.push_back(act);
  return program;
}
} // namespace

TEST(PTCBinaryTest, GlobalSramSymbolsRoundTrip) {
  Program program = makeGlobalSramProgram();
  std::vector<uint8_t> bytes = cantFail(writeBinary(program));
  Layout layout = cantFail(computeLayout(program));
  // Version 3; the data segment ends with coeff_v (the window symbol has
  // no bytes there); flags bit 3 set.
  EXPECT_EQ(llvm::support::endian::read32le(bytes.data() + 8), 3u);
  EXPECT_EQ(layout.dataBytes, 35u);
  size_t entry = layout.symtabOffset + 2 * kSymbolBytes;
  EXPECT_EQ(bytes[entry + 17], 0x09); // signed | global SRAM
  EXPECT_EQ(llvm::support::endian::read32le(bytes.data() + entry + 8), 32u);
  EXPECT_EQ(llvm::support::endian::read32le(bytes.data() + entry + 12), 48u);
  llvm::Expected<Program> read = readBinary(bytes);
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  ASSERT_EQ(read->symbols.size(), 3u);
  EXPECT_EQ(read->symbols[2].space, SymbolSpace::GlobalSram);
  EXPECT_EQ(read->symbols[2].offset, 32u);
  EXPECT_EQ(read->symbols[2].getAddress(), isa::kGlobalSramBase + 32);
  EXPECT_EQ(read->symbols[2].bytes, std::vector<uint8_t>(48, 0));
  EXPECT_EQ(cantFail(writeBinary(*read)), bytes);
  // The same window offset as a DRAM symbol does not overlap it.
  program.symbols[1].offset = 32;
  EXPECT_TRUE(bool(writeBinary(program)));

  std::string listing;
  llvm::raw_string_ostream os(listing);
  printAssembly(*read, os);
  EXPECT_NE(listing.find("gsram 0x80000020  @act  i8[3x16]  48 bytes"),
            std::string::npos)
      << listing;
}

TEST(PTCBinaryTest, GlobalSramSymbolRejections) {
  auto writeError = [](const Program &program) {
    llvm::Expected<std::vector<uint8_t>> bytes = writeBinary(program);
    return bytes ? std::string() : llvm::toString(bytes.takeError());
  };
  Program program = makeGlobalSramProgram();
  program.symbols[2].bytes[5] = 1;
  EXPECT_NE(writeError(program).find(
                "data symbol 'act': lies in the global SRAM and must be "
                "zero-initialised"),
            std::string::npos);
  program = makeGlobalSramProgram();
  program.symbols[2].offset = 0x7FFFFFF0;
  EXPECT_NE(writeError(program).find("extends past the first 256 MiB of the "
                                     "global SRAM window (the file format's "
                                     "limit)"),
            std::string::npos)
      << writeError(program);
  // The limit's edge: ending exactly at 256 MiB is fine, 16 bytes on is not.
  program = makeGlobalSramProgram();
  program.symbols[2].offset =
      kMaxGlobalSramBytes - program.symbols[2].bytes.size();
  EXPECT_EQ(writeError(program), "");
  program.symbols[2].offset += 16;
  EXPECT_NE(writeError(program), "");
  program = makeGlobalSramProgram();
  program.symbols[1].offset = 0x7FFFFFF0;
  program.symbols[1].shape = {40}; // 30 bytes
  program.symbols[1].bytes.assign(30, 0);
  EXPECT_NE(writeError(program).find("extends past DRAM [0, 2^31)"),
            std::string::npos);
  // Window symbols may share bytes (dead tensors' space is reused).
  program = makeGlobalSramProgram();
  DataSymbol other = program.symbols[2];
  other.name = "other";
  other.offset = 64;
  program.symbols.push_back(other);
  EXPECT_EQ(writeError(program), "");

  // Reader: the window extent, an unknown flag bit, bit 3 before version 3,
  // misalignment.
  program = makeGlobalSramProgram();
  std::vector<uint8_t> bytes = cantFail(writeBinary(program));
  Layout layout = cantFail(computeLayout(program));
  size_t entry = layout.symtabOffset + 2 * kSymbolBytes;
  std::vector<uint8_t> corrupt = bytes;
  put32(corrupt, entry + 8, 0x7FFFFFF0);
  EXPECT_EQ(readError(corrupt).rfind(
                "offset " + std::to_string(entry + 8) +
                    ": symbol #2: global SRAM bytes [2147483632, 2147483680) "
                    "extend past the first 256 MiB of the window (the file "
                    "format's limit)",
                0),
            0u)
      << readError(corrupt);
  corrupt = bytes;
  put32(corrupt, entry + 8, 40);
  EXPECT_EQ(readError(corrupt).rfind("offset " + std::to_string(entry + 8) +
                                         ": symbol #2: data offset 40 is not "
                                         "a multiple of 16",
                                     0),
            0u)
      << readError(corrupt);
  corrupt = bytes;
  corrupt[entry + 17] = 0x19;
  EXPECT_EQ(readError(corrupt).rfind("offset " + std::to_string(entry + 17) +
                                         ": symbol #2: flags 25 has an "
                                         "unknown role",
                                     0),
            0u)
      << readError(corrupt);
  corrupt = bytes;
  put32(corrupt, 8, 2);
  EXPECT_EQ(readError(corrupt).rfind("offset " + std::to_string(entry + 17) +
                                         ": symbol #2: flags 9 has an unknown "
                                         "role (bits 1-2: 0 data, 1 input, 2 "
                                         "output; 3 activation needs format "
                                         "version 3) or bits above 2",
                                     0),
            0u)
      << readError(corrupt);
}
