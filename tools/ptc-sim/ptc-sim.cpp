//===- ptc-sim.cpp - Simulate a PTC program binary ------------------------===//
//
//   ptc-sim prog.bin [--model=NAME|file.json] [--input [name=]x.npy ...]
//           [--output [name=]y.npy ...] [--report-json r.json]
//           [--noise-std S --seed N] [--max-instructions N] [--raw-codes] [-q]
//
// Loads and validates a program (bin::readBinary), writes the inputs into
// DRAM (floats quantized through a symbol's host view), runs it
// (sim::Simulator), prints the per-layer report and writes the outputs
// (dequantized where there is a host view) and the JSON report. Any error: a message, exit code 1, and
// no output file written.
//
//===----------------------------------------------------------------------===//

#include "mlg/Support/CommandLine.h"
#include "mlg/Support/Npy.h"
#include "mlg/Target/PTC/HostView.h"
#include "mlg/Target/PTC/Simulator.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <optional>

using namespace mlg::ptc;
namespace cl = llvm::cl;

namespace {
cl::OptionCategory ptcSimCategory("ptc-sim options");

cl::opt<std::string> programPath(cl::Positional, cl::Required,
                                 cl::desc("<program.bin>"),
                                 cl::cat(ptcSimCategory));
cl::opt<std::string> modelName("model", cl::init(std::string(kDefaultPreset)),
                               cl::desc("accelerator preset name or JSON file"),
                               cl::value_desc("name|file.json"),
                               cl::cat(ptcSimCategory));
cl::list<std::string>
    inputs("input",
           cl::desc("[name=]file.npy for the program's inputs, in order"),
           cl::value_desc("[name=]file.npy"), cl::cat(ptcSimCategory));
cl::list<std::string>
    outputs("output",
            cl::desc("[name=]file.npy for the program's outputs, in order"),
            cl::value_desc("[name=]file.npy"), cl::cat(ptcSimCategory));
cl::opt<std::string> reportJson("report-json",
                                cl::desc("write the report as JSON"),
                                cl::value_desc("file"),
                                cl::cat(ptcSimCategory));
cl::opt<double> noiseStd(
    "noise-std", cl::init(0.0),
    cl::desc("Gaussian noise before every ADC conversion, in ADC steps"),
    cl::cat(ptcSimCategory));
cl::opt<uint64_t> seed("seed", cl::init(0), cl::desc("noise seed"),
                       cl::cat(ptcSimCategory));
cl::opt<uint64_t> maxInstructions("max-instructions", cl::init(100'000'000),
                                  cl::desc("refuse to execute more"),
                                  cl::cat(ptcSimCategory));
cl::opt<uint64_t> maxSteps("max-steps", cl::init(4'000'000'000),
                           cl::desc("refuse more GEMM/ALU/GEN steps"),
                           cl::cat(ptcSimCategory));
cl::opt<double> timeLimit(
    "time-limit", cl::init(3600),
    cl::desc("stop the run with an error after this many seconds (0: no "
             "limit)"),
    cl::value_desc("seconds"), cl::cat(ptcSimCategory));
cl::opt<uint64_t> maxDramMiB("max-dram-mib", cl::init(512),
                             cl::desc("simulated DRAM limit in MiB"),
                             cl::cat(ptcSimCategory));
cl::opt<bool> quiet("q", cl::desc("do not print the report"),
                    cl::cat(ptcSimCategory));
cl::opt<bool> rawCodes(
    "raw-codes",
    cl::desc("--input/--output files hold integer codes in the symbol's "
             "shape even where the program gives a float host view"),
    cl::cat(ptcSimCategory));

int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "ptc-sim") << message << "\n";
  return 1;
}

/// Splits "name=path" (a name is given) or "path".
std::pair<std::string, std::string> splitBinding(llvm::StringRef arg) {
  auto [name, path] = arg.split('=');
  if (path.empty() || name.ends_with(".npy"))
    return {"", arg.str()};
  return {name.str(), path.str()};
}

/// Pairs each --input/--output with a symbol: by name, else in order.
llvm::Expected<std::vector<std::pair<const bin::DataSymbol *, std::string>>>
bindSymbols(llvm::ArrayRef<std::string> args,
     llvm::ArrayRef<const bin::DataSymbol *> symbols, llvm::StringRef kind) {
  std::vector<std::pair<const bin::DataSymbol *, std::string>> result;
  for (auto [index, arg] : llvm::enumerate(args)) {
    auto [name, path] = splitBinding(arg);
    const bin::DataSymbol *symbol = nullptr;
    if (name.empty()) {
      if (index >= symbols.size())
        return llvm::createStringError(
            llvm::Twine(args.size()) + " --" + kind + " files given, the " +
            "program has " + llvm::Twine(symbols.size()) + " " + kind + "s");
      symbol = symbols[index];
    } else {
      for (const bin::DataSymbol *candidate : symbols)
        if (candidate->name == name)
          symbol = candidate;
      if (!symbol)
        return llvm::createStringError("the program has no " + kind + " '" +
                                       name + "'");
    }
    result.push_back({symbol, path});
  }
  return result;
}

std::string formatShape(const bin::DataSymbol &symbol) {
  std::vector<int64_t> shape(symbol.shape.begin(), symbol.shape.end());
  return mlg::npy::formatShape(shape);
}

/// The float shape a host exchanges for `symbol`, or none for codes.
std::optional<std::vector<int64_t>> getHostShape(const bin::DataSymbol &symbol) {
  if (!symbol.host || rawCodes)
    return std::nullopt;
  return std::vector<int64_t>(symbol.host->shape.begin(),
                              symbol.host->shape.end());
}

/// An input's codes from `path`: a float tensor of the host shape
/// (quantized), else integer codes of the symbol's shape.
llvm::Expected<std::vector<int64_t>>
readInputCodes(const bin::DataSymbol &symbol, const std::string &path) {
  llvm::Expected<mlg::npy::Float32Array> array = mlg::npy::readFloat32(path);
  if (!array)
    return array.takeError();
  std::optional<std::vector<int64_t>> hostShape = getHostShape(symbol);
  if (hostShape && array->shape == *hostShape) {
    llvm::Expected<std::vector<int64_t>> codes =
        bin::quantizeHostTensor(symbol, array->data);
    if (!codes)
      return llvm::createStringError(path + ": input '" + symbol.name +
                                     "': " + llvm::toString(codes.takeError()));
    return codes;
  }
  std::vector<int64_t> expected(symbol.shape.begin(), symbol.shape.end());
  if (array->shape != expected)
    return llvm::createStringError(
        path + ": shape " + mlg::npy::formatShape(array->shape) +
        " does not match input '" + symbol.name +
        (hostShape ? "': expected floats of its host shape " +
                         mlg::npy::formatShape(*hostShape) +
                         " or integer codes of shape "
                   : std::string("' of shape ")) +
        formatShape(symbol));
  std::vector<int64_t> values;
  values.reserve(array->data.size());
  for (auto [index, value] : llvm::enumerate(array->data)) {
    if (!std::isfinite(value) || std::nearbyint(value) != value ||
        std::fabs(value) > 65536.0f)
      return llvm::createStringError(
          path + ": element " + llvm::Twine(index) + " (" +
          std::to_string(value) + ") is not an integer code for input '" +
          symbol.name + "'");
    values.push_back(static_cast<int64_t>(value));
  }
  return values;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlg::showOnlyOwnOptions({&ptcSimCategory});
  cl::ParseCommandLineOptions(argc, argv, "MLG photonic tensor core simulator\n");

  llvm::Expected<AcceleratorModel> model = loadAcceleratorModel(modelName);
  if (!model)
    return fail(llvm::toString(model.takeError()));

  // The whole file becomes simulated memory: refuse one larger than the
  // DRAM limit before reading it.
  uint64_t fileSize = 0;
  if (!llvm::sys::fs::file_size(programPath, fileSize) &&
      fileSize > maxDramMiB * 1024 * 1024)
    return fail(programPath + ": " + llvm::Twine(fileSize) +
                " bytes exceed the simulated memory of " +
                llvm::Twine(maxDramMiB) + " MiB (--max-dram-mib)");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(programPath, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!file)
    return fail(programPath + ": " + file.getError().message());
  llvm::ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>((*file)->getBufferStart()),
      (*file)->getBufferSize());
  llvm::Expected<bin::Program> program = bin::readBinary(bytes);
  if (!program)
    return fail(programPath + ": " + llvm::toString(program.takeError()));

  sim::Options options;
  options.maxInstructions = maxInstructions;
  options.maxSteps = maxSteps;
  options.maxDramBytes = maxDramMiB * 1024 * 1024;
  if (!(timeLimit >= 0) || !std::isfinite(timeLimit))
    return fail("--time-limit must be a finite value >= 0");
  options.maxSeconds = timeLimit;
  if (!(noiseStd >= 0) || !std::isfinite(noiseStd))
    return fail("--noise-std must be a finite value >= 0");
  options.noiseStd = noiseStd;
  options.seed = seed;
  sim::Simulator simulator(*model, *program, options);

  auto inputBindings = bindSymbols(inputs, simulator.getInputs(), "input");
  if (!inputBindings)
    return fail(llvm::toString(inputBindings.takeError()));
  auto outputBindings = bindSymbols(outputs, simulator.getOutputs(), "output");
  if (!outputBindings)
    return fail(llvm::toString(outputBindings.takeError()));

  for (auto &[symbol, path] : *inputBindings) {
    llvm::Expected<std::vector<int64_t>> values = readInputCodes(*symbol, path);
    if (!values)
      return fail(llvm::toString(values.takeError()));
    if (llvm::Error error = simulator.setInput(symbol->name, *values))
      return fail(path + ": " + llvm::toString(std::move(error)));
  }

  if (llvm::Error error = simulator.run())
    return fail(programPath + ": " + llvm::toString(std::move(error)));

  // Everything ran: now write the files.
  for (auto &[symbol, path] : *outputBindings) {
    llvm::Expected<sim::TensorValue> value = simulator.readSymbol(symbol->name);
    if (!value)
      return fail(llvm::toString(value.takeError()));
    std::vector<int64_t> shape = value->shape;
    std::vector<float> data(value->values.begin(), value->values.end());
    if (std::optional<std::vector<int64_t>> hostShape = getHostShape(*symbol)) {
      shape = *hostShape;
      data = bin::dequantizeHostTensor(*symbol, value->values);
    }
    if (llvm::Error error = mlg::npy::writeFloat32(path, shape, data))
      return fail(path + ": " + llvm::toString(std::move(error)));
  }
  const sim::Report &report = simulator.getReport();
  if (!reportJson.empty()) {
    if (llvm::Error error = llvm::writeToOutput(
            reportJson, [&](llvm::raw_ostream &os) -> llvm::Error {
              sim::printReportJSON(report, os);
              return llvm::Error::success();
            }))
      return fail(reportJson + ": " + llvm::toString(std::move(error)));
  }
  if (!quiet)
    sim::printReport(report, llvm::outs());
  return 0;
}
