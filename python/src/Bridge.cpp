//===- Bridge.cpp - MLG operations for the Python module ------------------===//

#include "Bridge.h"

#include "mlg/InitAll.h"
#include "mlg/Pipelines/Pipelines.h"
#include "mlg/Target/CPU/Compiler.h"
#include "mlg/Target/CPU/Library.h"
#include "mlg/Target/PTC/AcceleratorModel.h"
#include "mlg/Target/PTC/Binary.h"
#include "mlg/Target/PTC/Compiler.h"
#include "mlg/Target/PTC/HostView.h"
#include "mlg/Target/PTC/Simulator.h"
#include "mlg/Tools/InputLimits.h"
#include "mlg/Tools/ParserWorkarounds.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

using namespace mlir;

namespace mlg::python {
namespace {

const DialectRegistry &getRegistry() {
  static const DialectRegistry *registry = [] {
    auto *result = new DialectRegistry();
    mlir::mlg::registerAllDialects(*result);
    mlir::mlg::registerCPUTargetTranslations(*result);
    // Textual pipelines name registered passes.
    mlir::mlg::registerAllPasses();
    return result;
  }();
  return *registry;
}

/// A context with the MLG dialects whose diagnostics (with the source line
/// and caret) collect into `diagnostics` instead of stderr, and the module
/// parsed from the text.
class Session {
public:
  Session(const std::string &text, const std::string &bufferName)
      : context(getRegistry()),
        diagnosticStream(diagnostics),
        handler(sourceMgr, &context, diagnosticStream) {
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, bufferName), llvm::SMLoc());
    if (failed(mlir::mlg::rejectKnownParserCrashes(sourceMgr, &context)))
      return;
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    // The tools' resource limits (docs/errors.md) hold here too.
    if (module && failed(mlir::mlg::checkInputLimits(*module)))
      module = nullptr;
  }

  template <typename T>
  Outcome<T> fail(const std::string &fallback) {
    std::string message = diagnostics;
    while (!message.empty() && message.back() == '\n')
      message.pop_back();
    return Outcome<T>::failure(ErrorKind::MLIR,
                               message.empty() ? fallback : message);
  }

  /// The module as text with its locations, so that diagnostics on the
  /// text of a later step still point into the original source.
  std::string print(bool hexElements = true, bool locations = true) {
    std::string text;
    llvm::raw_string_ostream os(text);
    OpPrintingFlags flags;
    flags.enableDebugInfo(locations, /*prettyForm=*/false);
    if (!hexElements)
      flags.printLargeElementsAttrWithHex(-1);
    module->print(os, flags);
    return text;
  }

  MLIRContext context;
  llvm::SourceMgr sourceMgr;
  std::string diagnostics;
  llvm::raw_string_ostream diagnosticStream;
  SourceMgrDiagnosticHandler handler;
  OwningOpRef<ModuleOp> module;
};

template <typename T>
Outcome<T> success(T value) {
  Outcome<T> outcome;
  outcome.value = std::move(value);
  return outcome;
}

template <typename T>
Outcome<T> fail(ErrorKind kind, const llvm::Twine &message) {
  return Outcome<T>::failure(kind, message.str());
}

template <typename T>
Outcome<T> fail(ErrorKind kind, llvm::Error error) {
  return Outcome<T>::failure(kind, llvm::toString(std::move(error)));
}

/// A temporary file removed when this goes out of scope.
struct TemporaryFile {
  llvm::SmallString<128> path;
  std::optional<llvm::FileRemover> remover;
  llvm::Error create(llvm::StringRef prefix, llvm::StringRef suffix) {
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile(prefix, suffix, path))
      return llvm::createStringError(ec, "cannot create a temporary file: " +
                                             ec.message());
    remover.emplace(path);
    return llvm::Error::success();
  }
};
} // namespace

Outcome<std::string> parseModule(const std::string &text,
                                 const std::string &bufferName,
                                 bool hexElements, bool locations) {
  Session session(text, bufferName);
  if (!session.module)
    return session.fail<std::string>("cannot parse the module");
  return success(session.print(hexElements, locations));
}

Outcome<std::string> runPipeline(const std::string &text,
                                 const std::string &bufferName,
                                 const std::string &pipeline) {
  Session session(text, bufferName);
  if (!session.module)
    return session.fail<std::string>("cannot parse the module");
  PassManager pm(&session.context, ModuleOp::getOperationName());
  std::string problem;
  llvm::raw_string_ostream problemStream(problem);
  llvm::StringRef spec(pipeline);
  // A bare list of passes runs on the module.
  std::string nested = spec.trim().starts_with("builtin.module(")
                           ? pipeline
                           : "builtin.module(" + pipeline + ")";
  if (failed(parsePassPipeline(nested, pm, problemStream)))
    return fail<std::string>(ErrorKind::Value,
                             "invalid pass pipeline '" + pipeline + "': " +
                                 llvm::StringRef(problem).trim());
  if (failed(pm.run(*session.module)))
    return session.fail<std::string>("the pipeline '" + pipeline +
                                     "' failed");
  return success(session.print());
}

Outcome<std::string>
prepareModule(const std::string &text, const std::string &bufferName,
              const std::optional<std::string> &compressOptions) {
  Session session(text, bufferName);
  if (!session.module)
    return session.fail<std::string>("cannot parse the module");
  PassManager pm(&session.context);
  if (mlir::mlg::containsTOSA(*session.module))
    mlir::mlg::buildTOSAInputPipeline(pm);
  if (compressOptions) {
    std::unique_ptr<Pass> compress = mlir::mlg::createMLGCompress();
    std::string problem;
    if (failed(compress->initializeOptions(
            *compressOptions, [&](const llvm::Twine &message) {
              problem = llvm::StringRef(message.str()).trim().str();
              return failure();
            })))
      return fail<std::string>(ErrorKind::Value,
                               "invalid compress options '" +
                                   *compressOptions + "'" +
                                   (problem.empty() ? "" : ": " + problem));
    pm.addPass(std::move(compress));
  }
  if (failed(pm.run(*session.module)))
    return session.fail<std::string>("preparing the module failed");
  return success(session.print());
}

Outcome<std::string> memoryReportJSON(const std::string &text,
                                      const std::string &bufferName,
                                      int64_t qw, int64_t linearBits) {
  Session session(text, bufferName);
  if (!session.module)
    return session.fail<std::string>("cannot parse the module");
  TemporaryFile json;
  if (llvm::Error error = json.create("mlg-memory-report", "json"))
    return fail<std::string>(ErrorKind::Runtime, std::move(error));
  mlir::mlg::MLGMemoryReportOptions options;
  options.qw = qw;
  options.linearBits = linearBits;
  options.jsonFile = json.path.str().str();
  options.tableFile = ""; // no table on stdout
  PassManager pm(&session.context);
  pm.addPass(mlir::mlg::createMLGMemoryReport(options));
  if (failed(pm.run(*session.module)))
    return session.fail<std::string>("mlg-memory-report failed");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> contents =
      llvm::MemoryBuffer::getFile(json.path);
  if (!contents)
    return fail<std::string>(ErrorKind::Runtime,
                             "cannot read the memory report: " +
                                 contents.getError().message());
  return success((*contents)->getBuffer().str());
}

Outcome<std::vector<EntryPointInfo>>
compileCPU(const std::string &text, const std::string &bufferName,
           const std::string &libraryPath, const CPUCompileOptions &options) {
  using Result = std::vector<EntryPointInfo>;
  static const char *const strategies[] = {"auto", "dense", "factorized",
                                           "tiled"};
  if (!llvm::is_contained(strategies, llvm::StringRef(options.strategy)))
    return fail<Result>(ErrorKind::Value,
                        "unknown strategy '" + options.strategy +
                            "' (auto, dense, factorized or tiled)");
  if (options.threads < 1)
    return fail<Result>(ErrorKind::Value,
                        "threads must be at least 1, got " +
                            llvm::Twine(options.threads));
  Session session(text, bufferName);
  if (!session.module)
    return session.fail<Result>("cannot parse the module");
  if (mlir::mlg::containsTOSA(*session.module)) {
    PassManager pm(&session.context);
    mlir::mlg::buildTOSAInputPipeline(pm);
    if (failed(pm.run(*session.module)))
      return session.fail<Result>("lowering TOSA to linalg failed");
  }
  mlir::mlg::SharedLibraryOptions libraryOptions;
  if (options.strategy != "auto")
    libraryOptions.lowering.strategy = options.strategy;
  libraryOptions.lowering.threads = options.threads;
  libraryOptions.packCodes = options.packCodes;
  libraryOptions.codegenThreads = std::max(1u, options.codegenThreads);
  libraryOptions.sourceName = bufferName;
  llvm::Expected<llvm::SmallVector<mlir::mlg::CABIEntryPoint>> entryPoints =
      mlir::mlg::compileToSharedLibrary(*session.module, libraryPath,
                                        libraryOptions);
  if (!entryPoints) {
    std::string message = llvm::toString(entryPoints.takeError());
    if (!session.diagnostics.empty())
      return session.fail<Result>(message);
    return fail<Result>(ErrorKind::Runtime, message);
  }
  Result result;
  for (const mlir::mlg::CABIEntryPoint &entry : *entryPoints) {
    EntryPointInfo info;
    info.name = entry.name;
    for (const mlir::mlg::CABITensor &tensor : entry.inputs)
      info.inputs.emplace_back(tensor.shape.begin(), tensor.shape.end());
    for (const mlir::mlg::CABITensor &tensor : entry.outputs)
      info.outputs.emplace_back(tensor.shape.begin(), tensor.shape.end());
    result.push_back(std::move(info));
  }
  return success(std::move(result));
}

Outcome<std::string> compilePTC(const std::string &text,
                                const std::string &bufferName,
                                const PTCCompileOptions &options) {
  if (!llvm::is_contained({"auto", "generated", "dense"},
                          llvm::StringRef(options.weightSource)))
    return fail<std::string>(ErrorKind::Value,
                             "unknown weight source '" + options.weightSource +
                                 "' (auto, generated or dense)");
  if (!llvm::is_contained({"mse", "max"},
                          llvm::StringRef(options.activationRange)))
    return fail<std::string>(ErrorKind::Value, "unknown activation range '" +
                                                   options.activationRange +
                                                   "' (mse or max)");
  Session session(text, bufferName);
  if (!session.module)
    return session.fail<std::string>("cannot parse the module");
  if (mlir::mlg::containsTOSA(*session.module)) {
    PassManager pm(&session.context);
    mlir::mlg::buildTOSAInputPipeline(pm);
    if (failed(pm.run(*session.module)))
      return session.fail<std::string>("lowering TOSA to linalg failed");
  }
  mlir::mlg::MLGToPTCOptions ptcOptions;
  ptcOptions.model = options.model;
  ptcOptions.calibration = options.calibration;
  ptcOptions.activationRange = options.activationRange;
  ptcOptions.weightBits = options.weightBits;
  ptcOptions.globalSram = options.globalSram;
  ptcOptions.weightSource = options.weightSource;
  FailureOr<std::vector<uint8_t>> binary =
      mlir::mlg::ptc::compileToPTCBinary(*session.module, ptcOptions);
  if (failed(binary))
    return session.fail<std::string>("compiling for the PTC failed");
  return success(std::string(binary->begin(), binary->end()));
}

namespace {
llvm::ArrayRef<uint8_t> asBytes(const std::string &binary) {
  return llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(binary.data()), binary.size());
}

PTCTensorInfo describeSymbol(const ::mlg::ptc::bin::DataSymbol &symbol) {
  PTCTensorInfo info;
  info.name = symbol.name;
  info.hostView = symbol.host.has_value();
  const std::vector<uint32_t> &shape =
      symbol.host ? symbol.host->shape : symbol.shape;
  info.shape.assign(shape.begin(), shape.end());
  return info;
}
} // namespace

Outcome<PTCProgramInfo> describePTCProgram(const std::string &binary) {
  namespace bin = ::mlg::ptc::bin;
  llvm::Expected<bin::Program> program = bin::readBinary(asBytes(binary));
  if (!program)
    return fail<PTCProgramInfo>(ErrorKind::Value, program.takeError());
  PTCProgramInfo info;
  for (const bin::DataSymbol &symbol : program->symbols) {
    if (symbol.role == bin::SymbolRole::Input)
      info.inputs.push_back(describeSymbol(symbol));
    else if (symbol.role == bin::SymbolRole::Output)
      info.outputs.push_back(describeSymbol(symbol));
  }
  for (const bin::Layer &layer : program->layers)
    info.layers.push_back(layer.name);
  return success(std::move(info));
}

Outcome<SimulateResult> simulatePTC(const std::string &binary,
                                    const std::vector<HostTensor> &inputs,
                                    const SimulateOptions &options) {
  namespace bin = ::mlg::ptc::bin;
  namespace sim = ::mlg::ptc::sim;
  llvm::Expected<::mlg::ptc::AcceleratorModel> model =
      ::mlg::ptc::loadAcceleratorModel(options.model);
  if (!model)
    return fail<SimulateResult>(ErrorKind::Value, model.takeError());
  llvm::Expected<bin::Program> program = bin::readBinary(asBytes(binary));
  if (!program)
    return fail<SimulateResult>(ErrorKind::Value, program.takeError());
  if (!(options.noiseStd >= 0) || !std::isfinite(options.noiseStd))
    return fail<SimulateResult>(ErrorKind::Value,
                                "noise_std must be a finite value >= 0");
  sim::Options simOptions;
  simOptions.noiseStd = options.noiseStd;
  simOptions.seed = options.seed;
  simOptions.maxInstructions = options.maxInstructions;
  sim::Simulator simulator(*model, *program, simOptions);

  std::vector<const bin::DataSymbol *> inputSymbols = simulator.getInputs();
  if (inputs.size() != inputSymbols.size())
    return fail<SimulateResult>(
        ErrorKind::Value, "the program takes " +
                              llvm::Twine(inputSymbols.size()) +
                              " inputs, got " + llvm::Twine(inputs.size()));
  for (auto [symbol, input] : llvm::zip_equal(inputSymbols, inputs)) {
    if (!symbol->host)
      return fail<SimulateResult>(ErrorKind::Value,
                                  "input '" + symbol->name +
                                      "' has no float host view");
    Shape hostShape(symbol->host->shape.begin(), symbol->host->shape.end());
    if (input.shape != hostShape)
      return fail<SimulateResult>(ErrorKind::Value,
                                  "input '" + symbol->name +
                                      "': shape mismatch");
    llvm::Expected<std::vector<int64_t>> codes =
        bin::quantizeHostTensor(*symbol, input.data);
    if (!codes)
      return fail<SimulateResult>(ErrorKind::Value, codes.takeError());
    if (llvm::Error error = simulator.setInput(symbol->name, *codes))
      return fail<SimulateResult>(ErrorKind::Value, std::move(error));
  }
  if (llvm::Error error = simulator.run())
    return fail<SimulateResult>(ErrorKind::Runtime, std::move(error));

  SimulateResult result;
  for (const bin::DataSymbol *symbol : simulator.getOutputs()) {
    llvm::Expected<sim::TensorValue> value =
        simulator.readSymbol(symbol->name);
    if (!value)
      return fail<SimulateResult>(ErrorKind::Runtime, value.takeError());
    HostTensor output;
    if (symbol->host) {
      output.shape.assign(symbol->host->shape.begin(),
                          symbol->host->shape.end());
      output.data = bin::dequantizeHostTensor(*symbol, value->values);
    } else {
      output.shape = value->shape;
      output.data.assign(value->values.begin(), value->values.end());
    }
    result.outputs.push_back(std::move(output));
  }
  llvm::raw_string_ostream os(result.reportJSON);
  sim::printReportJSON(simulator.getReport(), os);
  return success(std::move(result));
}

std::vector<std::string> getPTCPresetNames() {
  std::vector<std::string> names;
  for (llvm::StringRef name : ::mlg::ptc::getPresetNames())
    names.push_back(name.str());
  return names;
}

} // namespace mlg::python
