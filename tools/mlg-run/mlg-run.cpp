//===- mlg-run.cpp - Run a library compiled by mlgc on .npy files ---------===//
//
// mlg-run LIB.so [--entry NAME] --input a.npy [--input b.npy ...]
//        --output out.npy [...] [--bench N] [--report-memory]
//
// Loads the library, reads its model description (docs/c-abi.md), checks
// every input against the entry point's signature, runs it and writes the
// outputs; --bench N times N runs after a warm-up; --report-memory prints
// the peak resident memory of the first run.
//
//===----------------------------------------------------------------------===//

#include "mlg/Support/CommandLine.h"
#include "mlg/Support/Npy.h"
#include "mlg/Target/CPU/CABITypes.h"

#include "ResidentMemory.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <dlfcn.h>
#include <malloc.h>
#include <string>
#include <vector>

namespace cl = llvm::cl;
namespace npy = mlg::npy;

namespace {
cl::OptionCategory mlgRunCategory("mlg-run options");
cl::opt<std::string> libraryPath(cl::Positional, cl::Required,
                                 cl::desc("<library compiled by mlgc>"),
                                 cl::cat(mlgRunCategory));
cl::opt<std::string> entryName("entry",
                               cl::desc("Entry point to run (default: the "
                                        "only one)"),
                               cl::value_desc("name"), cl::cat(mlgRunCategory));
cl::list<std::string> inputPaths("input", cl::desc("Input .npy file, in order"),
                                 cl::value_desc("file.npy"),
                                 cl::cat(mlgRunCategory));
cl::list<std::string> outputPaths("output",
                                  cl::desc("Output .npy file, in order"),
                                  cl::value_desc("file.npy"),
                                  cl::cat(mlgRunCategory));
cl::opt<unsigned> benchRuns("bench",
                            cl::desc("Time N runs after a warm-up and print "
                                     "min/median/max"),
                            cl::value_desc("N"), cl::init(0),
                            cl::cat(mlgRunCategory));
cl::opt<bool> reportMemory(
    "report-memory",
    cl::desc("Print the peak resident memory of the first run above the "
             "resident memory before the library was loaded (Linux)"),
    cl::init(false), cl::cat(mlgRunCategory));

int fail(const llvm::Twine &message) {
  llvm::errs() << "mlg-run: error: " << message << "\n";
  return 1;
}

std::vector<int64_t> shapeOf(const mlg_tensor_t &t) {
  return std::vector<int64_t>(t.shape, t.shape + t.rank);
}

const mlg_entry_t *selectEntry(const mlg_model_t &model) {
  std::vector<std::string> names;
  for (uint32_t i = 0; i < model.num_entries; ++i) {
    const mlg_entry_t &entry = model.entries[i];
    if (entryName.getNumOccurrences() ? entryName == entry.name
                                      : model.num_entries == 1)
      return &entry;
    names.push_back(entry.name);
  }
  std::string list = llvm::join(names, ", ");
  if (entryName.getNumOccurrences())
    fail("no entry point '" + entryName + "' in " + libraryPath +
         " (entry points: " + list + ")");
  else if (model.num_entries == 0)
    fail(libraryPath + " has no entry points");
  else
    fail(libraryPath + " has several entry points (" + list +
         "); choose one with --entry");
  return nullptr;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // --help lists mlg-run's options, not the LLVM flags linked in.
  mlg::showOnlyOwnOptions({&mlgRunCategory});
  cl::ParseCommandLineOptions(
      argc, argv, "mlg-run: run a library compiled by mlgc on .npy files\n");

  // Compiled models allocate their activations on every call. By default
  // glibc serves large blocks with mmap and returns them at free, so each
  // call page-faults its activations in anew: on a ResNet-18 that more than
  // doubled the latency. Keep freed memory for reuse instead.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);

  // The baseline of --report-memory: nothing of the model is resident yet.
  uint64_t residentBeforeLoading = 0;
  if (reportMemory) {
    llvm::Expected<mlg::run::ResidentMemory> memory =
        mlg::run::readResidentMemory();
    if (!memory)
      return fail(llvm::toString(memory.takeError()));
    residentBeforeLoading = memory->currentBytes;
  }

  // RTLD_LOCAL: every library defines mlg_model.
  // A bare file name is a path here, not a name for the library search.
  std::string path = libraryPath;
  if (path.find('/') == std::string::npos)
    path = "./" + path;
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return fail("cannot load '" + libraryPath + "': " + dlerror());
  using ModelFn = const mlg_model_t *(*)();
  auto modelFn = reinterpret_cast<ModelFn>(dlsym(library, "mlg_model"));
  if (!modelFn)
    return fail(libraryPath + " has no mlg_model(); was it built by mlgc?");
  const mlg_model_t *model = modelFn();
  if (model->abi_version != MLG_ABI_VERSION)
    return fail(libraryPath + " uses C ABI version " +
                llvm::Twine(model->abi_version) + ", mlg-run supports " +
                llvm::Twine(MLG_ABI_VERSION));
  const mlg_entry_t *entry = selectEntry(*model);
  if (!entry)
    return 1;

  if (inputPaths.size() != static_cast<size_t>(entry->num_inputs))
    return fail("entry point '" + llvm::Twine(entry->name) + "' takes " +
                llvm::Twine(entry->num_inputs) + " input(s), " +
                llvm::Twine(inputPaths.size()) + " --input given");
  if (outputPaths.size() != static_cast<size_t>(entry->num_outputs))
    return fail("entry point '" + llvm::Twine(entry->name) + "' returns " +
                llvm::Twine(entry->num_outputs) + " output(s), " +
                llvm::Twine(outputPaths.size()) + " --output given");

  std::vector<npy::Float32Array> inputs;
  for (int32_t i = 0; i < entry->num_inputs; ++i) {
    const mlg_tensor_t &expected = entry->inputs[i];
    if (expected.dtype != MLG_DTYPE_F32)
      return fail("input #" + llvm::Twine(i) + " of '" + entry->name +
                  "' has an unsupported dtype code " +
                  llvm::Twine(expected.dtype));
    llvm::Expected<npy::Float32Array> array = npy::readFloat32(inputPaths[i]);
    if (!array)
      return fail(llvm::toString(array.takeError()));
    std::vector<int64_t> shape = shapeOf(expected);
    if (array->shape != shape)
      return fail(inputPaths[i] + ": shape " + npy::formatShape(array->shape) +
                  " (rank " + llvm::Twine(array->shape.size()) +
                  "), but input #" + llvm::Twine(i) + " of '" + entry->name +
                  "' expects float32 " + npy::formatShape(shape) + " (rank " +
                  llvm::Twine(shape.size()) + ")");
    inputs.push_back(std::move(*array));
  }
  std::vector<std::vector<float>> outputs;
  for (int32_t i = 0; i < entry->num_outputs; ++i)
    outputs.emplace_back(npy::numElements(shapeOf(entry->outputs[i])));

  std::vector<void *> inputPointers, outputPointers;
  for (npy::Float32Array &array : inputs)
    inputPointers.push_back(array.data.data());
  for (std::vector<float> &buffer : outputs)
    outputPointers.push_back(buffer.data());

  auto run = [&]() {
    return entry->invoke(inputPointers.data(), outputPointers.data());
  };
  // The first run pages the library's weights in and allocates the
  // activations: its peak is what one inference costs.
  if (reportMemory)
    if (llvm::Error error = mlg::run::resetPeakResidentMemory())
      return fail(llvm::toString(std::move(error)));
  if (int32_t status = run())
    return fail("'" + llvm::Twine(entry->name) + "' returned " +
                llvm::Twine(status));
  if (reportMemory) {
    llvm::Expected<mlg::run::ResidentMemory> memory =
        mlg::run::readResidentMemory();
    if (!memory)
      return fail(llvm::toString(memory.takeError()));
    constexpr double mib = 1024.0 * 1024.0;
    uint64_t peak = memory->peakBytes > residentBeforeLoading
                        ? memory->peakBytes - residentBeforeLoading
                        : 0;
    llvm::outs() << "mlg-run: " << entry->name
                 << ": peak resident memory of the first run: "
                 << llvm::format("%.2f", peak / mib) << " MiB above the "
                 << llvm::format("%.2f", residentBeforeLoading / mib)
                 << " MiB resident before loading the library\n";
  }

  if (benchRuns > 0) {
    unsigned warmup = std::max(1u, benchRuns / 10);
    for (unsigned i = 0; i < warmup; ++i)
      run();
    std::vector<double> ms;
    for (unsigned i = 0; i < benchRuns; ++i) {
      auto start = std::chrono::steady_clock::now();
      run();
      auto end = std::chrono::steady_clock::now();
      ms.push_back(
          std::chrono::duration<double, std::milli>(end - start).count());
    }
    std::sort(ms.begin(), ms.end());
    double median = ms.size() % 2
                        ? ms[ms.size() / 2]
                        : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
    llvm::outs() << "mlg-run: " << entry->name << ": " << benchRuns
                 << " runs after " << warmup << " warm-up: min "
                 << llvm::format("%.3f", ms.front()) << " ms, median "
                 << llvm::format("%.3f", median) << " ms, max "
                 << llvm::format("%.3f", ms.back()) << " ms\n";
  }

  for (int32_t i = 0; i < entry->num_outputs; ++i)
    if (llvm::Error error = npy::writeFloat32(
            outputPaths[i], shapeOf(entry->outputs[i]), outputs[i]))
      return fail(llvm::toString(std::move(error)));
  return 0;
}
