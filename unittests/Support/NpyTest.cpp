//===- NpyTest.cpp - .npy reader and writer --------------------------------===//

#include "mlg/Support/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace mlg;

namespace {

/// An .npy file with a hand-written header: `major` picks the length field.
std::string makeNpy(int major, const std::string &dict,
                    const std::vector<float> &data) {
  std::string header = dict + "\n";
  std::string out("\x93NUMPY", 6);
  out.push_back(static_cast<char>(major));
  out.push_back(0);
  uint32_t length = header.size();
  out.append(reinterpret_cast<const char *>(&length), major == 1 ? 2 : 4);
  out += header;
  out.append(reinterpret_cast<const char *>(data.data()),
             data.size() * sizeof(float));
  return out;
}

std::string errorOf(llvm::Expected<npy::Float32Array> result) {
  if (result)
    return "";
  return llvm::toString(result.takeError());
}

TEST(Npy, RoundTrip) {
  std::vector<int64_t> shape = {2, 3};
  std::vector<float> data = {1.5f, -2.f, 0.f, 3.25f, 1e-20f, -7.f};
  std::string bytes = npy::serializeFloat32(shape, data);
  // Data is 64-byte aligned, as numpy writes it.
  EXPECT_EQ((bytes.size() - data.size() * 4) % 64, 0u);
  llvm::Expected<npy::Float32Array> parsed = npy::parseFloat32(bytes, "x");
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_EQ(parsed->shape, shape);
  EXPECT_EQ(parsed->data, data);
}

TEST(Npy, RoundTripScalarAndVectorThroughFile) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("npytest", "npy", path));
  llvm::FileRemover remover(path);
  for (std::vector<int64_t> shape :
       {std::vector<int64_t>{}, std::vector<int64_t>{4},
        std::vector<int64_t>{1, 0, 3}}) {
    std::vector<float> data(npy::numElements(shape), 0.5f);
    ASSERT_FALSE(static_cast<bool>(npy::writeFloat32(path, shape, data)));
    llvm::Expected<npy::Float32Array> read = npy::readFloat32(path);
    ASSERT_TRUE(static_cast<bool>(read)) << llvm::toString(read.takeError());
    EXPECT_EQ(read->shape, shape);
    EXPECT_EQ(read->data, data);
  }
}

TEST(Npy, ReadsVersion1And2Headers) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
  for (int major : {1, 2, 3}) {
    llvm::Expected<npy::Float32Array> parsed =
        npy::parseFloat32(makeNpy(major, dict, {1, 2, 3}), "v");
    ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
    EXPECT_EQ(parsed->shape, std::vector<int64_t>{3});
    EXPECT_EQ(parsed->data, (std::vector<float>{1, 2, 3}));
  }
  // Key order and spacing are free; double quotes are accepted.
  llvm::Expected<npy::Float32Array> parsed = npy::parseFloat32(
      makeNpy(1, "{\"shape\":(1,2),\"fortran_order\":False,\"descr\":\"<f4\"}",
              {4, 5}),
      "v");
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_EQ(parsed->shape, (std::vector<int64_t>{1, 2}));
}

TEST(Npy, WritesVersion2WhenTheHeaderIsLarge) {
  std::vector<int64_t> shape(25000, 1);
  std::string bytes = npy::serializeFloat32(shape, {2.f});
  EXPECT_EQ(bytes[6], 2);
  llvm::Expected<npy::Float32Array> parsed = npy::parseFloat32(bytes, "big");
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_EQ(parsed->shape, shape);
}

TEST(Npy, RejectsBadMagic) {
  std::string bytes = npy::serializeFloat32({1}, {1.f});
  bytes[1] = 'X';
  EXPECT_NE(errorOf(npy::parseFloat32(bytes, "m.npy")).find("m.npy: not an .npy file"),
            std::string::npos);
  EXPECT_NE(errorOf(npy::parseFloat32("", "e.npy")).find("bad magic"),
            std::string::npos);
}

TEST(Npy, RejectsUnknownVersion) {
  std::string bytes = npy::serializeFloat32({1}, {1.f});
  bytes[6] = 4;
  std::string error = errorOf(npy::parseFloat32(bytes, "v"));
  EXPECT_NE(error.find("version 4.0"), std::string::npos) << error;
}

TEST(Npy, RejectsTruncatedHeaderAndData) {
  std::string bytes = npy::serializeFloat32({2, 2}, {1, 2, 3, 4});
  EXPECT_NE(errorOf(npy::parseFloat32(bytes.substr(0, 20), "h"))
                .find("truncated .npy header"),
            std::string::npos);
  std::string error =
      errorOf(npy::parseFloat32(bytes.substr(0, bytes.size() - 3), "t.npy"));
  EXPECT_NE(error.find("t.npy: truncated data: shape (2, 2) of float32 needs "
                       "16 bytes, the file has 13"),
            std::string::npos)
      << error;
  EXPECT_NE(errorOf(npy::parseFloat32(bytes + "xx", "x")).find("2 unexpected bytes"),
            std::string::npos);
}

// A header may claim any shape: 10^12 elements, or a product that
// overflows 64 bits (2^62 x 2 wrapped to a negative count and crashed the
// reader), is truncated data, not an allocation.
TEST(Npy, RejectsHugeShapesWithoutAllocating) {
  std::string error = errorOf(npy::parseFloat32(
      makeNpy(1,
              "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, "
              "1000000), }",
              {1, 2}),
      "h.npy"));
  EXPECT_NE(error.find("h.npy: truncated data: shape (1000000, 1000000) of "
                       "float32 needs 4000000000000 bytes, the file has 8"),
            std::string::npos)
      << error;
  for (const char *shape :
       {"(4611686018427387904, 2)", "(4611686018427387904, 4)",
        "(9223372036854775807, 9223372036854775807, 0, 5)"}) {
    std::string dict =
        std::string("{'descr': '<f4', 'fortran_order': False, 'shape': ") +
        shape + ", }";
    llvm::Expected<npy::Float32Array> result =
        npy::parseFloat32(makeNpy(1, dict, {}), "o.npy");
    if (llvm::StringRef(shape).contains(", 0,")) {
      // A zero dimension makes an empty array, however large the others.
      ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
      EXPECT_TRUE(result->data.empty());
      continue;
    }
    error = errorOf(std::move(result));
    EXPECT_NE(error.find("o.npy: truncated data"), std::string::npos)
        << shape << ": " << error;
  }
  EXPECT_EQ(npy::numElements({int64_t(1) << 62, 4}), INT64_MAX);
  EXPECT_EQ(npy::numElements({int64_t(1) << 62, 0}), 0);
}

TEST(Npy, RejectsWrongDtype) {
  std::string error = errorOf(npy::parseFloat32(
      makeNpy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
              {0, 0}),
      "d.npy"));
  EXPECT_NE(error.find("d.npy: dtype '<f8', expected '<f4'"), std::string::npos)
      << error;
  EXPECT_NE(errorOf(npy::parseFloat32(
                        makeNpy(1,
                                "{'descr': '>f4', 'fortran_order': False, "
                                "'shape': (1,), }",
                                {0}),
                        "d"))
                .find("dtype '>f4'"),
            std::string::npos);
}

TEST(Npy, RejectsFortranOrder) {
  std::string error = errorOf(npy::parseFloat32(
      makeNpy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
              {1, 2, 3, 4}),
      "f.npy"));
  EXPECT_NE(error.find("f.npy: Fortran-order array"), std::string::npos)
      << error;
}

TEST(Npy, RejectsMalformedHeaders) {
  for (const char *dict :
       {"{'descr': '<f4', 'shape': (1,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
        "{'descr': '<f4', 'fortran_order': maybe, 'shape': (1,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}",
        "['descr']"}) {
    std::string error =
        errorOf(npy::parseFloat32(makeNpy(1, dict, {0}), "bad"));
    EXPECT_NE(error.find("bad: malformed .npy header"), std::string::npos)
        << dict << " -> " << error;
  }
}

TEST(Npy, ReportsUnreadableFiles) {
  std::string error = errorOf(npy::readFloat32("/nonexistent/dir/a.npy"));
  EXPECT_NE(error.find("/nonexistent/dir/a.npy: cannot read"),
            std::string::npos)
      << error;
}

TEST(Npy, FormatsShapesLikeNumpy) {
  EXPECT_EQ(npy::formatShape({}), "()");
  EXPECT_EQ(npy::formatShape({3}), "(3,)");
  EXPECT_EQ(npy::formatShape({1, 2}), "(1, 2)");
}

} // namespace
