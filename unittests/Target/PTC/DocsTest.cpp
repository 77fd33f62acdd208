//===- DocsTest.cpp - docs/isa.md field tables match the ISA --------------===//

#include "mlg/Target/PTC/ISA.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

namespace {

TEST(PTCDocsTest, FieldTablesMatchTheISA) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> doc =
      llvm::MemoryBuffer::getFile(MLG_SOURCE_DIR "/docs/isa.md");
  ASSERT_TRUE(bool(doc)) << "cannot read docs/isa.md";
  llvm::StringRef text = (*doc)->getBuffer();
  llvm::StringRef begin = "<!-- BEGIN FIELD TABLES";
  llvm::StringRef end = "<!-- END FIELD TABLES -->";
  size_t from = text.find(begin);
  size_t to = text.find(end);
  ASSERT_NE(from, llvm::StringRef::npos);
  ASSERT_NE(to, llvm::StringRef::npos);
  from = text.find('\n', from) + 1;
  std::string expected;
  llvm::raw_string_ostream os(expected);
  mlg::ptc::isa::printLayoutTables(os);
  EXPECT_EQ(text.slice(from, to).str(), expected)
      << "regenerate the tables in docs/isa.md from printLayoutTables";
}

} // namespace
