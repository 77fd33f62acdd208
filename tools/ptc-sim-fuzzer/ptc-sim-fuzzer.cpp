//===- ptc-sim-fuzzer.cpp - libFuzzer target for ptc-sim -----------------===//
//
// What ptc-sim does with a program file, minus the file system: decode
// (bin::readBinary), write every input, run on the default accelerator
// model and read every output. Any input must run or give an error, never a
// crash, a sanitizer report or a hang: the executed-instruction, step and
// DRAM limits are set low so that one input runs in milliseconds.
//
//===----------------------------------------------------------------------===//

#include "mlg/Target/PTC/Simulator.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstdlib>

using namespace mlg::ptc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const AcceleratorModel model = [] {
    llvm::Expected<AcceleratorModel> loaded =
        loadAcceleratorModel(kDefaultPreset);
    if (!loaded)
      abort();
    return *loaded;
  }();

  llvm::Expected<bin::Program> program =
      bin::readBinary(llvm::ArrayRef<uint8_t>(data, size));
  if (!program) {
    llvm::consumeError(program.takeError());
    return 0;
  }
  sim::Options options;
  options.maxInstructions = 20'000;
  // A GEMM step of the default model is 13824 multiply-accumulates.
  options.maxSteps = 5'000;
  options.maxSeconds = 2;
  options.maxDramBytes = uint64_t(16) << 20;
  sim::Simulator simulator(model, *program, options);
  // Inputs get a ramp of small codes, so that data flows through the run.
  for (const bin::DataSymbol *input : simulator.getInputs()) {
    std::vector<int64_t> values(input->getNumElements());
    for (auto [index, value] : llvm::enumerate(values))
      value = static_cast<int64_t>(index % 5) - 2;
    if (llvm::Error error = simulator.setInput(input->name, values))
      llvm::consumeError(std::move(error));
  }
  if (llvm::Error error = simulator.run()) {
    llvm::consumeError(std::move(error));
    return 0;
  }
  for (const bin::DataSymbol *output : simulator.getOutputs()) {
    llvm::Expected<sim::TensorValue> value = simulator.readSymbol(output->name);
    if (!value)
      llvm::consumeError(value.takeError());
  }
  return 0;
}
