//===- ptc-model-fuzzer.cpp - libFuzzer target for accelerator models -----===//
//
// What ptc-sim --model=file.json does with the file: parse and validate the
// accelerator description (parseAcceleratorModel), then size a simulator
// from it (geometry, on-chip buffers, the cost model) and run a one-GEMM
// program on it. Any input must give a model or an error, never a crash or
// a huge allocation: the simulated memory limit is 64 MiB.
//
//===----------------------------------------------------------------------===//

#include "mlg/Target/PTC/Simulator.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstdlib>

using namespace mlg::ptc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<AcceleratorModel> model = parseAcceleratorModel(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.json");
  if (!model) {
    llvm::consumeError(model.takeError());
    return 0;
  }
  // One GEMM step on buffer row 0 (the micro-op buffer starts zeroed), then
  // FINISH: enough to touch the geometry and every cost the step has.
  static const bin::Program program = [] {
    bin::Program p;
    p.instructions.push_back(isa::GemmInsn{});
    p.instructions.push_back(isa::FinishInsn{});
    return p;
  }();
  sim::Options options;
  options.maxDramBytes = uint64_t(64) << 20;
  options.maxSteps = 1000;
  options.maxSeconds = 2;
  sim::Simulator simulator(*model, program, options);
  if (llvm::Error error = simulator.run())
    llvm::consumeError(std::move(error));
  return 0;
}
