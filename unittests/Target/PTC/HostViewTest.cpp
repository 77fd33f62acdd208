//===- HostViewTest.cpp - Host view table (format version 3) --------------===//

#include "mlg/Target/PTC/HostView.h"
#include "BinaryTestSupport.h"
#include "mlg/Target/PTC/Binary.h"

#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>

using namespace mlg::ptc;
using namespace mlg::ptc::bin;

using mlg::ptc::testing::put32;
using mlg::ptc::testing::readError;

namespace {

DataSymbol makeSymbol(std::string name, uint32_t offset, unsigned bits,
                      std::vector<uint32_t> shape, SymbolRole role) {
  DataSymbol symbol;
  symbol.name = std::move(name);
  symbol.offset = offset;
  symbol.elemBits = bits;
  symbol.role = role;
  symbol.shape = std::move(shape);
  symbol.bytes.assign(getPackedBytes(symbol.getNumElements(), bits), 0);
  return symbol;
}

/// An NCHW input [2, 3, 2, 2] as 8 pixel rows of 24 columns, a data
/// symbol, an identity output [2, 5], and one layer.
Program makeProgram() {
  Program program;
  program.instructions.push_back(isa::FinishInsn{});
  DataSymbol x = makeSymbol("x", 0, 4, {8, 24}, SymbolRole::Input);
  x.host = HostView{HostLayout::NchwPixels, 0.125, {2, 3, 2, 2}};
  DataSymbol w = makeSymbol("w", 96, 4, {4}, SymbolRole::Data);
  DataSymbol y = makeSymbol("y", 112, 8, {2, 5}, SymbolRole::Output);
  y.host = HostView{HostLayout::Identity, 0.1, {2, 5}};
  program.symbols = {x, w, y};
  program.layers = {{"all", 0, 1}};
  return program;
}

std::string writeError(const Program &program) {
  llvm::Expected<std::vector<uint8_t>> bytes = writeBinary(program);
  if (bytes)
    return "";
  return llvm::toString(bytes.takeError());
}

void put64(std::vector<uint8_t> &bytes, size_t at, uint64_t value) {
  llvm::support::endian::write64le(bytes.data() + at, value);
}

TEST(PTCHostViewTest, RoundTripsAsVersion3) {
  Program program = makeProgram();
  std::vector<uint8_t> bytes = cantFail(writeBinary(program));
  EXPECT_EQ(llvm::support::endian::read32le(bytes.data() + 8), 3u);
  EXPECT_EQ(llvm::support::endian::read32le(bytes.data() + 20),
            kHeaderFlagLayers | kHeaderFlagHostViews);
  Layout layout = cantFail(computeLayout(program));
  EXPECT_EQ(layout.hostViewOffset % 4, 0u);
  EXPECT_EQ(layout.fileBytes, layout.hostViewOffset + 4 + 2 * kHostViewBytes);

  Program back = cantFail(readBinary(bytes));
  ASSERT_TRUE(back.symbols[0].host);
  EXPECT_EQ(back.symbols[0].host->layout, HostLayout::NchwPixels);
  EXPECT_EQ(back.symbols[0].host->shape, (std::vector<uint32_t>{2, 3, 2, 2}));
  EXPECT_EQ(back.symbols[0].host->scale, 0.125);
  EXPECT_FALSE(back.symbols[1].host);
  ASSERT_TRUE(back.symbols[2].host);
  EXPECT_EQ(back.symbols[2].host->layout, HostLayout::Identity);
  // The scale's bits survive exactly.
  EXPECT_EQ(llvm::bit_cast<uint64_t>(back.symbols[2].host->scale),
            llvm::bit_cast<uint64_t>(0.1));
  EXPECT_EQ(cantFail(writeBinary(back)), bytes);

  // Without host views the file is written as before (version 2, no
  // table), and without layers the host view table follows the strings.
  Program plain = makeProgram();
  for (DataSymbol &symbol : plain.symbols)
    symbol.host.reset();
  std::vector<uint8_t> plainBytes = cantFail(writeBinary(plain));
  EXPECT_EQ(llvm::support::endian::read32le(plainBytes.data() + 8), 2u);
  EXPECT_EQ(cantFail(computeLayout(plain)).hostViewOffset, 0u);
  Program noLayers = makeProgram();
  noLayers.layers.clear();
  std::vector<uint8_t> noLayerBytes = cantFail(writeBinary(noLayers));
  EXPECT_EQ(llvm::support::endian::read32le(noLayerBytes.data() + 20),
            kHeaderFlagHostViews);
  EXPECT_EQ(cantFail(writeBinary(cantFail(readBinary(noLayerBytes)))),
            noLayerBytes);
}

TEST(PTCHostViewTest, WriterRejectsInconsistentViews) {
  auto expectError = [](Program program, const char *text) {
    std::string message = writeError(program);
    EXPECT_NE(message.find(text), std::string::npos) << message;
  };
  Program p = makeProgram();
  p.symbols[1].host = HostView{HostLayout::Identity, 1, {4}};
  expectError(p, "data symbol 'w': host view: a host view needs an input or "
                 "output symbol");
  for (double scale : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN(),
                       std::numeric_limits<double>::infinity()}) {
    p = makeProgram();
    p.symbols[0].host->scale = scale;
    expectError(p, "is not a finite positive number");
  }
  p = makeProgram();
  p.symbols[2].host->shape = {2, 6};
  expectError(p, "host shape [2, 6] with layout identity must equal the "
                 "symbol's shape [2, 5]");
  p = makeProgram();
  p.symbols[0].host->shape = {2, 3, 2, 3}; // 12 rows, the symbol has 8
  expectError(p, "needs a rank-2 symbol of N*H*W rows");
  p = makeProgram();
  p.symbols[0].host->shape = {2, 25, 2, 2}; // more channels than columns
  expectError(p, "at least C columns, the symbol is [8, 24]");
  p = makeProgram();
  p.symbols[0].host->shape = {8, 3, 1};
  expectError(p, "must be [N, C, H, W] or [N, K]");
  p = makeProgram();
  p.symbols[0].host->shape = {};
  expectError(p, "host rank 0 is not in [1, 4]");
  p = makeProgram();
  p.symbols[0].host->shape = {8, 0};
  expectError(p, "host dimension 1 = 0");
  // A rank-2 host [N, K] is the H = W = 1 case.
  p = makeProgram();
  p.symbols[0].host->shape = {8, 20};
  EXPECT_EQ(writeError(p), "");
}

TEST(PTCHostViewTest, CorruptTableNamesTheOffset) {
  Program program = makeProgram();
  std::vector<uint8_t> bytes = cantFail(writeBinary(program));
  const uint64_t table = cantFail(computeLayout(program)).hostViewOffset;
  const uint64_t entry = table + 4, second = entry + kHostViewBytes;
  auto expectError = [&](const std::vector<uint8_t> &corrupt, uint64_t at,
                         const std::string &text) {
    std::string message = readError(corrupt);
    std::string prefix = "offset " + std::to_string(at) + ": ";
    EXPECT_EQ(message.rfind(prefix, 0), 0u) << message;
    EXPECT_NE(message.find(text), std::string::npos) << message;
  };
  std::vector<uint8_t> corrupt;

  // Truncated: the header's size follows the cut, the table does not fit.
  for (uint64_t size : {table + 2, entry + 10}) {
    corrupt.assign(bytes.begin(), bytes.begin() + size);
    put32(corrupt, 16, size);
    expectError(corrupt, size <= table + 4 ? size : table,
                size <= table + 4 ? "truncated host view table"
                                  : "host view table of 2 entries extends "
                                    "past the end of the file");
  }
  corrupt = bytes;
  put32(corrupt, table, 0x40000000);
  expectError(corrupt, table, "of 1073741824 entries extends past the end");
  corrupt = bytes;
  put32(corrupt, table, 0);
  expectError(corrupt, table, "host view table is empty");
  corrupt = bytes;
  put32(corrupt, entry, 3);
  expectError(corrupt, entry,
              "host view #0: symbol index 3 is not below the symbol count 3");
  corrupt = bytes;
  put32(corrupt, entry, 1);
  expectError(corrupt, entry, "symbol 'w' is neither an input nor an output");
  corrupt = bytes;
  put32(corrupt, second, 0);
  expectError(corrupt, second, "host view #1: symbol index 0 does not follow");
  corrupt = bytes;
  corrupt[entry + 4] = 2;
  expectError(corrupt, entry + 4, "layout 2 is unknown");
  for (uint8_t rank : {0, 5}) {
    corrupt = bytes;
    corrupt[entry + 5] = rank;
    expectError(corrupt, entry + 5,
                "rank " + std::to_string(rank) + " is not in [1, 4]");
  }
  // Row padding (u16 at +6): the pixel view of x [2, 3, 2, 2] with one
  // padding pixel each side needs 2*2*(2+2) = 16 rows, x has 8; the
  // identity view of y cannot have any.
  corrupt = bytes;
  corrupt[entry + 6] = 1;
  expectError(corrupt, entry + 16,
              "host view #0: symbol 'x': host shape [2, 3, 2, 2] with layout "
              "nchw_pixels needs a rank-2 symbol of N*H*(W+2*1) rows");
  corrupt = bytes;
  corrupt[second + 7] = 1;
  expectError(corrupt, second + 6,
              "host view #1: row padding 256 needs layout nchw_pixels with a "
              "rank-4 host shape");
  for (double scale : {0.0, -0.5, std::numeric_limits<double>::quiet_NaN(),
                       std::numeric_limits<double>::infinity()}) {
    corrupt = bytes;
    put64(corrupt, entry + 8, llvm::bit_cast<uint64_t>(scale));
    expectError(corrupt, entry + 8, "is not a finite positive number");
  }
  corrupt = bytes;
  put32(corrupt, entry + 16 + 4, 0);
  expectError(corrupt, entry + 20, "dimension 1 is 0");
  corrupt = bytes;
  put32(corrupt, second + 16 + 8, 7); // beyond rank 2
  expectError(corrupt, second + 24, "dimension 2 is beyond the rank");
  corrupt = bytes;
  put32(corrupt, entry + 16 + 4, 25); // 25 channels in 24 columns
  expectError(corrupt, entry + 16,
              "symbol 'x': host shape [2, 25, 2, 2] with layout nchw_pixels");
  // The table's flag needs format version 3.
  corrupt = bytes;
  put32(corrupt, 8, 2);
  expectError(corrupt, 20, "reserved header flags 2 must be 0 in format "
                           "version 2");
  // A version-3 header on a file without host views is not canonical.
  Program plain = makeProgram();
  for (DataSymbol &symbol : plain.symbols)
    symbol.host.reset();
  corrupt = cantFail(writeBinary(plain));
  put32(corrupt, 8, 3);
  expectError(corrupt, 8, "byte differs from the canonical encoding");
}

TEST(PTCHostViewTest, RandomCorruptionNeverCrashes) {
  Program program = makeProgram();
  std::vector<uint8_t> bytes = cantFail(writeBinary(program));
  const uint64_t table = cantFail(computeLayout(program)).hostViewOffset;
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<uint8_t> corrupt = bytes;
    int flips = 1 + rng() % 4;
    for (int i = 0; i < flips; ++i) {
      // Mostly inside the host view table, sometimes anywhere.
      uint64_t at = rng() % 4 ? table + rng() % (bytes.size() - table)
                              : rng() % bytes.size();
      corrupt[at] ^= uint8_t(1u << (rng() % 8));
    }
    if (rng() % 4 == 0) {
      corrupt.resize(table + rng() % (bytes.size() - table));
      put32(corrupt, 16, corrupt.size());
    }
    llvm::Expected<Program> read = readBinary(corrupt);
    if (!read) {
      EXPECT_EQ(llvm::toString(read.takeError()).rfind("offset ", 0), 0u);
      continue;
    }
    EXPECT_EQ(cantFail(writeBinary(*read)), corrupt);
  }
}

TEST(PTCHostViewTest, QuantizesIntoPixelRows) {
  Program program = makeProgram();
  const DataSymbol &x = program.symbols[0];
  // Host [2, 3, 2, 2]: value = n*100 + c*10 + h*2 + w, scaled by 1/8.
  std::vector<float> host;
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 3; ++c)
      for (int h = 0; h < 2; ++h)
        for (int w = 0; w < 2; ++w)
          host.push_back((n * 100 + c * 10 + h * 2 + w) * 0.125f / 16);
  // Exact halves round to even, the 4-bit range clips.
  host[0] = 0.0625f;  // 0.5 -> 0
  host[1] = 0.1875f;  // 1.5 -> 2
  host[2] = -0.3125f; // -2.5 -> -2
  host[3] = -5.0f;    // -40 -> -8
  std::vector<int64_t> codes = cantFail(quantizeHostTensor(x, host));
  ASSERT_EQ(codes.size(), 8u * 24);
  // Pixel row (n*2 + h)*2 + w, column c.
  EXPECT_EQ(codes[0 * 24 + 0], 0);
  EXPECT_EQ(codes[1 * 24 + 0], 2);
  EXPECT_EQ(codes[2 * 24 + 0], -2);
  EXPECT_EQ(codes[3 * 24 + 0], -8);
  // n = 1, c = 2, h = 1, w = 0: 100 + 20 + 2 = 122 / 16 = 7.625 -> 7 (clip).
  EXPECT_EQ(codes[6 * 24 + 2], 7);
  // n = 0, c = 1, h = 0, w = 1: 11 / 16 -> round(0.6875) = 1.
  EXPECT_EQ(codes[1 * 24 + 1], 1);
  for (int row = 0; row < 8; ++row)
    for (int column = 3; column < 24; ++column)
      EXPECT_EQ(codes[row * 24 + column], 0);

  // Back: codes * scale in host order, padding columns ignored.
  std::vector<int64_t> stored = codes;
  stored[5 * 24 + 10] = 7; // a padding column
  std::vector<float> back = dequantizeHostTensor(x, stored);
  ASSERT_EQ(back.size(), 24u);
  EXPECT_EQ(back[0], 0.0f);
  EXPECT_EQ(back[1], 0.25f);
  EXPECT_EQ(back[3], -1.0f);
  EXPECT_EQ(back[23], 7 * 0.125f); // n=1 c=2 h=1 w=1

  // Non-finite inputs are named; the count must match the host shape.
  host[13] = std::numeric_limits<float>::quiet_NaN();
  std::string message = llvm::toString(quantizeHostTensor(x, host).takeError());
  EXPECT_NE(message.find("element 13 (1, 0, 0, 1) is nan, not a finite number"),
            std::string::npos)
      << message;
  EXPECT_FALSE(bool(quantizeHostTensor(x, std::vector<float>(23, 0.0f))));
  llvm::consumeError(
      quantizeHostTensor(x, std::vector<float>(23, 0.0f)).takeError());

  // Identity and the rank-2 pixel layout.
  const DataSymbol &y = program.symbols[2];
  std::vector<int64_t> yCodes =
      cantFail(quantizeHostTensor(y, {0.1f, 0.2f, -0.3f, 12.7f, 13.0f, 0, 0,
                                      0, 0, -13.0f}));
  EXPECT_EQ(yCodes, (std::vector<int64_t>{1, 2, -3, 127, 127, 0, 0, 0, 0,
                                          -128}));
  DataSymbol rows = makeSymbol("r", 0, 8, {2, 4}, SymbolRole::Output);
  rows.host = HostView{HostLayout::NchwPixels, 0.5, {2, 3}};
  EXPECT_EQ(dequantizeHostTensor(rows, {1, 2, 3, 99, 4, 5, 6, 99}),
            (std::vector<float>{0.5f, 1, 1.5f, 2, 2.5f, 3}));
  // Row padding: host [1, 2, 2, 2] in pixel rows of 2 + 2 * 1 pixels; the
  // padding pixels are zero on input and dropped on output.
  DataSymbol padded = makeSymbol("p", 0, 8, {8, 3}, SymbolRole::Input);
  padded.host = HostView{HostLayout::NchwPixels, 1, {1, 2, 2, 2}, 1};
  EXPECT_EQ(getHostElementPositions(padded),
            (std::vector<uint64_t>{3, 6, 15, 18, 4, 7, 16, 19}));
  std::vector<int64_t> paddedCodes = cantFail(
      quantizeHostTensor(padded, {1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(paddedCodes,
            (std::vector<int64_t>{0, 0, 0, 1, 5, 0, 2, 6, 0, 0, 0, 0, //
                                  0, 0, 0, 3, 7, 0, 4, 8, 0, 0, 0, 0}));
  for (int64_t &code : paddedCodes)
    code = code ? code : 99; // padding pixels and column 2 are ignored
  EXPECT_EQ(dequantizeHostTensor(padded, paddedCodes),
            (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}));
  llvm::Error mismatch = checkHostShape(HostLayout::NchwPixels, {1, 2, 2, 2},
                                        {4, 3}, /*rowPadding=*/1);
  EXPECT_NE(llvm::toString(std::move(mismatch))
                .find("needs a rank-2 symbol of N*H*(W+2*1) rows"),
            std::string::npos);
  EXPECT_FALSE(bool(checkHostShape(HostLayout::NchwPixels, {1, 2, 2, 2},
                                   {8, 3}, 1)));
  for (auto [layout, shape] :
       {std::pair{HostLayout::Identity, std::vector<int64_t>{8, 3}},
        std::pair{HostLayout::NchwPixels, std::vector<int64_t>{8, 2}}}) {
    llvm::Error error = checkHostShape(layout, shape, {8, 3}, 1);
    EXPECT_NE(llvm::toString(std::move(error))
                  .find("row padding 1 needs layout nchw_pixels with a "
                        "[N, C, H, W] host shape"),
              std::string::npos);
  }
  // A round trip keeps the row padding.
  Program withPadding;
  withPadding.instructions.push_back(isa::FinishInsn{});
  withPadding.symbols = {padded};
  Program reread = cantFail(readBinary(cantFail(writeBinary(withPadding))));
  ASSERT_TRUE(reread.symbols[0].host);
  EXPECT_EQ(reread.symbols[0].host->rowPadding, 1u);

  DataSymbol unsignedCodes = makeSymbol("u", 0, 4, {3}, SymbolRole::Input);
  unsignedCodes.isSigned = false;
  unsignedCodes.host = HostView{HostLayout::Identity, 1, {3}};
  EXPECT_EQ(cantFail(quantizeHostTensor(unsignedCodes, {-3, 7, 20})),
            (std::vector<int64_t>{0, 7, 15}));
}

} // namespace
