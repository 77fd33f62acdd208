//===- mlg-pipeline-fuzzer.cpp - libFuzzer target for MLIR text → LLVM ----===//
//
// What mlgc does with a model file, minus the file system and the LLVM
// backend: the pre-parse check (ParserWorkarounds.h), parse, verify, the
// input limits (InputLimits.h), mlg-compress, then mlg-to-llvm. Any input must compile or give diagnostics, never a
// crash or a sanitizer report.
//
// Inputs are restricted to the dialects mlgc's CPU path takes (builtin,
// func, arith, tensor, linalg, mlg): upstream passes fed ops of other
// dialects are upstream MLIR's business, not this target's. The tensor
// limit is lower than the tools' so that one input stays within
// libFuzzer's memory limit and a fraction of a second.
//
//===----------------------------------------------------------------------===//

#include "mlg/InitAll.h"
#include "mlg/Pipelines/Pipelines.h"
#include "mlg/Tools/InputLimits.h"
#include "mlg/Tools/ParserWorkarounds.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdint>

using namespace mlir;

namespace {
constexpr int64_t kFuzzMaxTensorElements = 1 << 16;

bool usesOnlyTheCPUPathDialects(ModuleOp module) {
  static const llvm::StringSet<> kDialects = {"builtin", "func",   "arith",
                                              "tensor",  "linalg", "mlg"};
  WalkResult result = module->walk([](Operation *op) {
    return kDialects.contains(op->getName().getDialectNamespace())
               ? WalkResult::advance()
               : WalkResult::interrupt();
  });
  return !result.wasInterrupted();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const DialectRegistry *registry = [] {
    auto *registry = new DialectRegistry;
    mlir::mlg::registerAllDialects(*registry);
    return registry;
  }();
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  // Diagnostics are the expected outcome of most inputs: drop them.
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });

  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "fuzz.mlir"),
      llvm::SMLoc());
  // What mlgc refuses before parsing (MLIR 22's own parser crashes there).
  if (failed(mlir::mlg::rejectKnownParserCrashes(sourceMgr, &context)))
    return 0;
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module || failed(verify(*module)) ||
      !usesOnlyTheCPUPathDialects(*module) ||
      failed(mlir::mlg::checkInputLimits(*module, kFuzzMaxTensorElements)))
    return 0;

  PassManager pm(&context);
  mlir::mlg::buildCompressPipeline(pm);
  mlir::mlg::buildMLGToLLVMPipeline(pm);
  (void)pm.run(*module);
  return 0;
}
