//===- Compiler.cpp - Compile a module to a PTC program binary ------------===//

#include "mlg/Target/PTC/Compiler.h"
#include "mlg/Target/PTC/Translation.h"

#include "mlir/Pass/PassManager.h"

namespace mlir::mlg::ptc {

LogicalResult lowerToPTCProgram(ModuleOp module, PassManager &pm,
                                const MLGToPTCOptions &options) {
  buildMLGToPTCPipeline(pm, options);
  return pm.run(module);
}

FailureOr<std::vector<uint8_t>> writeProgramBinary(ModuleOp module) {
  FailureOr<::mlg::ptc::bin::Program> program = exportProgram(module);
  if (failed(program))
    return failure();
  llvm::Expected<std::vector<uint8_t>> binary =
      ::mlg::ptc::bin::writeBinary(*program);
  if (!binary) {
    module.emitError(llvm::toString(binary.takeError()));
    return failure();
  }
  return std::move(*binary);
}

FailureOr<std::vector<uint8_t>>
compileToPTCBinary(ModuleOp module, const MLGToPTCOptions &options) {
  PassManager pm(module->getContext());
  if (failed(lowerToPTCProgram(module, pm, options)))
    return failure();
  return writeProgramBinary(module);
}

} // namespace mlir::mlg::ptc
