//===- PTCInstructionsTest.cpp - ptc ops <-> ISA instructions -------------===//
//
// Random valid instructions of every opcode become ptc ops that verify, map
// back to the same fields, and print and re-parse to the same fields.
//
//===----------------------------------------------------------------------===//

#include "mlg/Dialect/PTC/IR/PTCInstructions.h"
#include "RandomInstructions.h"
#include "mlg/Dialect/PTC/IR/PTCDialect.h"
#include "mlg/Dialect/PTC/IR/PTCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::mlg::ptc;
namespace ptcisa = ::mlg::ptc::isa;

namespace {

class PTCInstructionsTest : public ::testing::Test {
protected:
  PTCInstructionsTest() { context.loadDialect<PTCDialect>(); }

  /// A module with one program holding `instructions`, and as many
  /// micro-ops as its uop loads read.
  OwningOpRef<ModuleOp>
  buildModule(const std::vector<ptcisa::Instruction> &instructions) {
    Location loc = UnknownLoc::get(&context);
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
    OpBuilder builder = OpBuilder::atBlockEnd(module->getBody());
    auto program = ProgramOp::create(builder, loc);
    builder.setInsertionPointToEnd(program.getBody());
    int64_t numUops = 0;
    for (const ptcisa::Instruction &insn : instructions) {
      buildInstructionOp(builder, loc, insn);
      if (auto *load = std::get_if<ptcisa::LoadInsn>(&insn);
          load && load->getMemId() == ptcisa::MemId::Uop)
        numUops = std::max(numUops, load->dramBase + load->xSize);
    }
    for (int64_t i = 0; i < numUops; ++i)
      UopOp::create(builder, loc, i % 2048, 0, 0);
    return module;
  }

  /// The fields of every instruction op of the module's program, in order.
  static std::vector<std::vector<int64_t>> fieldsOf(ModuleOp module) {
    std::vector<std::vector<int64_t>> fields;
    module.walk([&](Operation *op) {
      if (isInstructionOp(op))
        fields.push_back(ptcisa::testing::fieldValues(toInstruction(op)));
    });
    return fields;
  }

  MLIRContext context;
};

TEST_F(PTCInstructionsTest, RandomInstructionsRoundTripThroughOpsAndText) {
  std::mt19937_64 rng(42);
  std::vector<ptcisa::Instruction> instructions;
  std::vector<std::vector<int64_t>> expected;
  for (unsigned i = 0; i < ptcisa::kNumOpcodes; ++i) {
    auto opcode = static_cast<ptcisa::Opcode>(i);
    for (auto pick : {ptcisa::testing::Pick::Min, ptcisa::testing::Pick::Max})
      instructions.push_back(ptcisa::testing::makeWith(opcode, pick, rng));
    for (int trial = 0; trial < 200; ++trial)
      instructions.push_back(ptcisa::testing::makeWith(
          opcode, ptcisa::testing::Pick::Random, rng));
  }
  for (ptcisa::Instruction &insn : instructions) {
    // Keep the micro-op table of uop loads small.
    if (auto *load = std::get_if<ptcisa::LoadInsn>(&insn);
        load && load->getMemId() == ptcisa::MemId::Uop) {
      load->dramBase %= 64;
      load->xSize = load->xSize % 64 + 1;
    }
    expected.push_back(ptcisa::testing::fieldValues(insn));
  }

  OwningOpRef<ModuleOp> module = buildModule(instructions);
  ASSERT_TRUE(succeeded(verify(*module)));
  EXPECT_EQ(fieldsOf(*module), expected);

  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(text, &context);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(fieldsOf(*parsed), expected);

  // The generic form (property names = ISA field names) round-trips too.
  std::string generic;
  llvm::raw_string_ostream gos(generic);
  module->print(gos, OpPrintingFlags().printGenericOpForm());
  OwningOpRef<ModuleOp> reparsed =
      parseSourceString<ModuleOp>(generic, &context);
  ASSERT_TRUE(reparsed);
  EXPECT_EQ(fieldsOf(*reparsed), expected);
}

TEST_F(PTCInstructionsTest, InvalidInstructionsFailTheVerifier) {
  ptcisa::GemmInsn gemm;
  gemm.iterIn = 0;
  OwningOpRef<ModuleOp> module = buildModule({gemm});
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
    message = diagnostic.str();
    return success();
  });
  EXPECT_TRUE(failed(verify(*module)));
  EXPECT_NE(message.find("field 'iter_in' = 0 is out of range [1, 16383]"),
            std::string::npos)
      << message;
}

} // namespace
