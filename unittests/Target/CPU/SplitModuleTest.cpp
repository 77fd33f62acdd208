//===- SplitModuleTest.cpp - LLVM-dialect module parts --------------------===//
//
// splitLLVMDialectModule on a module whose placement is known: one large
// function, a public caller and a small helper sharing a global with it.
//
//===----------------------------------------------------------------------===//

#include "mlg/Target/CPU/Compiler.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <string>

using namespace mlir;

namespace {
// @big is the largest function: part 0 alone; @entry and @small share part
// 1. @table is used from both parts, @only_big from part 0 only.
constexpr const char *kModule = R"mlir(
llvm.mlir.global private constant @table(dense<[1.0, 2.0]> : tensor<2xf32>) {addr_space = 0 : i32} : !llvm.array<2 x f32>
llvm.mlir.global private constant @only_big(dense<[3.0, 4.0]> : tensor<2xf32>) {addr_space = 0 : i32} : !llvm.array<2 x f32>
llvm.func @malloc(i64) -> !llvm.ptr
llvm.func internal @big() -> f32 attributes {passthrough = ["noinline"]} {
  %t = llvm.mlir.addressof @table : !llvm.ptr
  %o = llvm.mlir.addressof @only_big : !llvm.ptr
  %a = llvm.load %t : !llvm.ptr -> f32
  %b = llvm.load %o : !llvm.ptr -> f32
  %c = llvm.fadd %a, %b : f32
  %d = llvm.fmul %c, %c : f32
  %e = llvm.fadd %d, %a : f32
  %f = llvm.fmul %e, %b : f32
  %g = llvm.fadd %f, %c : f32
  %h = llvm.fmul %g, %d : f32
  llvm.return %h : f32
}
llvm.func internal @small() -> f32 {
  %t = llvm.mlir.addressof @table : !llvm.ptr
  %a = llvm.load %t : !llvm.ptr -> f32
  llvm.return %a : f32
}
llvm.func @entry() -> f32 {
  %a = llvm.call @big() : () -> f32
  %b = llvm.call @small() : () -> f32
  %c = llvm.fadd %a, %b : f32
  llvm.return %c : f32
}
)mlir";

class SplitModuleTest : public ::testing::Test {
protected:
  SplitModuleTest() {
    context.loadDialect<LLVM::LLVMDialect>();
    module = parseSourceString<ModuleOp>(kModule, &context);
  }

  template <typename OpTy>
  static OpTy find(ModuleOp part, StringRef name) {
    return dyn_cast_or_null<OpTy>(SymbolTable::lookupSymbolIn(part, name));
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(SplitModuleTest, DefinesEachSymbolOnceAndDeclaresItWhereUsed) {
  ASSERT_TRUE(module);
  SmallVector<OwningOpRef<ModuleOp>> parts =
      mlg::splitLLVMDialectModule(*module, 2);
  ASSERT_EQ(parts.size(), 2u);
  for (OwningOpRef<ModuleOp> &part : parts)
    EXPECT_TRUE(succeeded(verify(*part)));
  ModuleOp first = *parts[0], second = *parts[1];

  // Part 0: @big, now hidden external since part 1 calls it, and the
  // globals it uses; @table is used from part 1 too.
  auto big = find<LLVM::LLVMFuncOp>(first, "big");
  ASSERT_TRUE(big);
  EXPECT_FALSE(big.isExternal());
  EXPECT_EQ(big.getLinkage(), LLVM::Linkage::External);
  EXPECT_EQ(big.getVisibility_(), LLVM::Visibility::Hidden);
  auto table = find<LLVM::GlobalOp>(first, "table");
  ASSERT_TRUE(table);
  EXPECT_TRUE(table.getValueAttr());
  EXPECT_EQ(table.getLinkage(), LLVM::Linkage::External);
  EXPECT_EQ(table.getVisibility_(), LLVM::Visibility::Hidden);
  auto onlyBig = find<LLVM::GlobalOp>(first, "only_big");
  ASSERT_TRUE(onlyBig);
  EXPECT_EQ(onlyBig.getLinkage(), LLVM::Linkage::Private);
  EXPECT_FALSE(find<LLVM::LLVMFuncOp>(first, "entry"));
  EXPECT_FALSE(find<LLVM::LLVMFuncOp>(first, "small"));

  // Part 1: @entry keeps its default visibility, @small stays internal (only
  // part 1 calls it), @big and @table are declarations.
  auto entry = find<LLVM::LLVMFuncOp>(second, "entry");
  ASSERT_TRUE(entry);
  EXPECT_FALSE(entry.isExternal());
  EXPECT_EQ(entry.getVisibility_(), LLVM::Visibility::Default);
  auto small = find<LLVM::LLVMFuncOp>(second, "small");
  ASSERT_TRUE(small);
  EXPECT_FALSE(small.isExternal());
  EXPECT_EQ(small.getLinkage(), LLVM::Linkage::Internal);
  auto bigDeclaration = find<LLVM::LLVMFuncOp>(second, "big");
  ASSERT_TRUE(bigDeclaration);
  EXPECT_TRUE(bigDeclaration.isExternal());
  EXPECT_EQ(bigDeclaration.getLinkage(), LLVM::Linkage::External);
  EXPECT_EQ(bigDeclaration.getVisibility_(), LLVM::Visibility::Hidden);
  auto tableDeclaration = find<LLVM::GlobalOp>(second, "table");
  ASSERT_TRUE(tableDeclaration);
  EXPECT_FALSE(tableDeclaration.getValueAttr());
  EXPECT_EQ(tableDeclaration.getVisibility_(), LLVM::Visibility::Hidden);
  EXPECT_FALSE(find<LLVM::GlobalOp>(second, "only_big"));

  // The module's own declarations go everywhere.
  EXPECT_TRUE(find<LLVM::LLVMFuncOp>(first, "malloc"));
  EXPECT_TRUE(find<LLVM::LLVMFuncOp>(second, "malloc"));

  // The input is left as it was.
  EXPECT_EQ(find<LLVM::LLVMFuncOp>(*module, "big").getLinkage(),
            LLVM::Linkage::Internal);
}

TEST_F(SplitModuleTest, AtMostOnePartPerFunction) {
  ASSERT_TRUE(module);
  EXPECT_EQ(mlg::splitLLVMDialectModule(*module, 100).size(), 3u);
}

TEST_F(SplitModuleTest, OnePartIsAnUnchangedClone) {
  ASSERT_TRUE(module);
  SmallVector<OwningOpRef<ModuleOp>> parts =
      mlg::splitLLVMDialectModule(*module, 1);
  ASSERT_EQ(parts.size(), 1u);
  auto big = find<LLVM::LLVMFuncOp>(*parts[0], "big");
  ASSERT_TRUE(big);
  EXPECT_EQ(big.getLinkage(), LLVM::Linkage::Internal);
  EXPECT_EQ(find<LLVM::GlobalOp>(*parts[0], "table").getLinkage(),
            LLVM::Linkage::Private);
}
// Many globals, each used by one of two functions: placing them grows the
// owner map while the part of their user is copied into it (a reference
// into the map dangled there once; ld then found globals no part defined).
// Every global is defined in exactly one part, its user's.
TEST(SplitModuleManyGlobals, EveryGlobalDefinedOnceWithItsUser) {
  MLIRContext context;
  context.loadDialect<LLVM::LLVMDialect>();
  constexpr int kGlobals = 300;
  std::string text;
  for (int i = 0; i < kGlobals; ++i)
    text += "llvm.mlir.global private constant @g" + std::to_string(i) +
            "(dense<1.0> : tensor<2xf32>) {addr_space = 0 : i32} : "
            "!llvm.array<2 x f32>\n";
  for (int f = 0; f < 2; ++f) {
    text += "llvm.func @f" + std::to_string(f) + "() -> !llvm.ptr {\n";
    for (int i = f; i < kGlobals; i += 2)
      text += "  %a" + std::to_string(i) + " = llvm.mlir.addressof @g" +
              std::to_string(i) + " : !llvm.ptr\n";
    text += "  llvm.return %a" + std::to_string(f) + " : !llvm.ptr\n}\n";
  }
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  ASSERT_TRUE(module);
  SmallVector<OwningOpRef<ModuleOp>> parts =
      mlg::splitLLVMDialectModule(*module, 2);
  ASSERT_EQ(parts.size(), 2u);
  for (int i = 0; i < kGlobals; ++i) {
    std::string global = "g" + std::to_string(i);
    std::string user = "f" + std::to_string(i % 2);
    int definitions = 0;
    for (OwningOpRef<ModuleOp> &part : parts) {
      auto op = dyn_cast_or_null<LLVM::GlobalOp>(
          SymbolTable::lookupSymbolIn(*part, global));
      if (!op || !op.getValueAttr())
        continue;
      ++definitions;
      auto function = dyn_cast_or_null<LLVM::LLVMFuncOp>(
          SymbolTable::lookupSymbolIn(*part, user));
      EXPECT_TRUE(function && !function.isExternal()) << global;
    }
    EXPECT_EQ(definitions, 1) << global;
  }
}
} // namespace
