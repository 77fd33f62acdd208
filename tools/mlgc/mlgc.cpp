//===- mlgc.cpp - MLG ahead-of-time compiler driver -----------------------===//
//
// mlgc model.mlir [--compress="<mlg-compress options>"] [--target=cpu|ptc]
//      [--emit=mlir|llvm|obj|lib|bin] [--threads=N] [--codegen-threads=N]
//      [-o FILE] [--mlir-timing] [-q] [--ptc-model=M] [--calibration=x.npy]
//      [--ptc-global-sram=false]
//
// Stages (cpu): parse, prepare (tosa-to-linalg, mlg-compress), lower to the
// LLVM dialect with the C ABI exports (docs/c-abi.md), translate and
// optimise, emit an object file, link a shared library plus its C header.
// Stages (ptc): parse, prepare, mlg-to-ptc, write the program binary.
//
//===----------------------------------------------------------------------===//

#include "mlg/InitAll.h"
#include "mlg/Pipelines/CPUPackSubByteConstants.h"
#include "mlg/Pipelines/Pipelines.h"
#include "mlg/Support/CommandLine.h"
#include "mlg/Target/CPU/Compiler.h"
#include "mlg/Target/CPU/EntryPoints.h"
#include "mlg/Target/CPU/Library.h"
#include "mlg/Target/PTC/Compiler.h"
#include "mlg/Tools/InputLimits.h"
#include "mlg/Tools/ParserWorkarounds.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <deque>
#include <memory>
#include <optional>
#include <thread>

using namespace mlir;
namespace cl = llvm::cl;

namespace {
enum class EmitKind { MLIR, LLVM, Object, Library, Binary };

cl::OptionCategory mlgcCategory("mlgc options");

cl::opt<std::string> inputFilename(cl::Positional, cl::desc("<input .mlir>"),
                                   cl::init("-"), cl::cat(mlgcCategory));
cl::opt<std::string>
    outputFilename("o",
                   cl::desc("Output file (default: stdout for mlir and "
                            "llvm, <input stem>.o or .so otherwise)"),
                   cl::value_desc("file"), cl::cat(mlgcCategory));
cl::opt<std::string> targetName("target",
                                cl::desc("Code generation target: cpu, or "
                                         "ptc (a photonic tensor core "
                                         "program, docs/ptc-lowering.md)"),
                                cl::init("cpu"), cl::cat(mlgcCategory));
cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to produce"), cl::init(EmitKind::Library),
    cl::values(
        clEnumValN(EmitKind::MLIR, "mlir", "LLVM-dialect MLIR with the C ABI"),
        clEnumValN(EmitKind::LLVM, "llvm", "optimised LLVM IR"),
        clEnumValN(EmitKind::Object, "obj", "an object file"),
        clEnumValN(EmitKind::Library, "lib",
                   "a shared library and its C header (<output stem>.h)"),
        clEnumValN(EmitKind::Binary, "bin",
                   "a PTC program binary (--target=ptc; its default)")),
    cl::cat(mlgcCategory));
cl::opt<std::string> compressOptions(
    "compress",
    cl::desc("Run mlg-compress with these options, e.g. "
             "--compress=\"bi=2 bc=44 qb=3 qu=6 qv=3\" (empty: defaults)"),
    cl::value_desc("options"), cl::ValueOptional, cl::cat(mlgcCategory));
cl::opt<bool> packCodes(
    "pack-codes",
    cl::desc("Store integer constants narrower than a byte (mlg codes) "
             "bit-packed, unpacked when an entry point runs (default on)"),
    cl::init(true), cl::cat(mlgcCategory));
cl::opt<std::string> strategy(
    "strategy",
    cl::desc("Execution strategy of generated convolutions and matmuls: "
             "auto (cost model, per layer), dense, factorized or tiled "
             "(SmartDeal layers: dense or tiled)"),
    cl::init("auto"), cl::cat(mlgcCategory));

/// --threads. libLLVM registers an undocumented option of that name; ours
/// takes its place on mlgc's command line, so it is created only once that
/// one is unregistered (registering the name twice aborts).
cl::opt<int> &threadsOption() {
  static std::unique_ptr<cl::opt<int>> option;
  if (!option) {
    if (cl::Option *existing = cl::getRegisteredOptions().lookup("threads"))
      existing->removeArgument();
    option = std::make_unique<cl::opt<int>>(
        "threads",
        cl::desc("Largest number of threads a layer runs on (default 1: "
                 "single-threaded code). With more, large layers are split "
                 "over OpenMP threads, the library links libomp, and "
                 "MLG_NUM_THREADS chooses fewer at run time"),
        cl::value_desc("N"), cl::init(1), cl::cat(mlgcCategory));
  }
  return *option;
}

cl::opt<unsigned> codegenThreads(
    "codegen-threads",
    cl::desc("Threads that translate, optimise and emit the LLVM code of "
             "--emit=lib, each on a part of the module (default: the host's "
             "hardware threads; 1: one module)"),
    cl::cat(mlgcCategory));
cl::opt<std::string> ptcModel(
    "ptc-model",
    cl::desc("--target=ptc: accelerator model, a preset or a JSON file"),
    cl::init("dptc-hbm"), cl::cat(mlgcCategory));
cl::opt<std::string>
    calibration("calibration",
                cl::desc("--target=ptc: float32 .npy of inputs calibrating the "
                         "activation scales (default: inputs in [-1, 1])"),
                cl::value_desc("file"), cl::cat(mlgcCategory));

cl::opt<std::string> ptcActivationRange(
    "ptc-activation-range",
    cl::desc("--target=ptc with --calibration: each tensor's code range, mse "
             "(least squared quantization error, default) or max"),
    cl::init("mse"), cl::cat(mlgcCategory));

cl::opt<unsigned> ptcWeightBits(
    "ptc-weight-bits",
    cl::desc("--target=ptc: bits of dense weights in DRAM, the model's "
             "weight bits (0, default) or twice that (two digits)"),
    cl::init(0), cl::cat(mlgcCategory));
cl::opt<bool> ptcGlobalSram(
    "ptc-global-sram",
    cl::desc("--target=ptc: keep intermediate results in the global SRAM "
             "when they fit (default true; false: all tensors in DRAM)"),
    cl::init(true), cl::cat(mlgcCategory));
cl::opt<std::string> ptcWeightSource(
    "ptc-weight-source",
    cl::desc("--target=ptc: layers with MLG-generated filters: auto (the cost "
             "model chooses per layer), generated (GEN on the core) or dense"),
    cl::init("auto"), cl::cat(mlgcCategory));

cl::opt<int64_t> maxTensorElements(
    "max-tensor-elements",
    cl::desc("Refuse an input with a tensor of more elements (default 2^28; "
             "docs/errors.md)"),
    cl::init(mlir::mlg::kDefaultMaxTensorElements), cl::value_desc("N"),
    cl::cat(mlgcCategory));
cl::opt<bool> quiet("q", cl::desc("Do not print the stages on stderr"),
                    cl::cat(mlgcCategory));

/// "mlgc: [i/n] ..." lines on stderr.
class Progress {
public:
  Progress(unsigned total, bool quiet) : total(total), quiet(quiet) {}
  void stage(const Twine &what) {
    ++current;
    if (!quiet)
      llvm::errs() << "mlgc: [" << current << "/" << total << "] " << what
                   << "\n";
  }
  /// A line about the current stage, once it has run.
  void note(const Twine &what) {
    if (!quiet)
      llvm::errs() << "mlgc:       " << what << "\n";
  }

private:
  unsigned total;
  unsigned current = 0;
  bool quiet;
};

int fail(const Twine &message) {
  llvm::errs() << "mlgc: error: " << message << "\n";
  return 1;
}

int fail(llvm::Error error) { return fail(llvm::toString(std::move(error))); }

/// Writes `bytes` to `path` through a temporary file and a rename.
llvm::Error writeAtomically(StringRef path, StringRef bytes) {
  return llvm::writeToOutput(path, [&](raw_ostream &os) {
    os << bytes;
    return llvm::Error::success();
  });
}

std::string defaultOutput(EmitKind kind) {
  if (kind == EmitKind::MLIR || kind == EmitKind::LLVM)
    return "-";
  StringRef stem = inputFilename == "-"
                       ? StringRef("a")
                       : llvm::sys::path::stem(inputFilename.getValue());
  return (stem + (kind == EmitKind::Object   ? ".o"
                  : kind == EmitKind::Binary ? ".ptc"
                                             : ".so"))
      .str();
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // Registered passes can be named in --mlir-print-ir-after and friends.
  mlir::mlg::registerAllPasses();
  cl::opt<int> &threads = threadsOption();
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  // --help lists mlgc's options and MLIR's (--mlir-timing, --mlir-print-ir-*),
  // not the hundreds of LLVM backend flags linked in (still accepted).
  ::mlg::showOnlyOwnOptions({&mlgcCategory}, {"mlir-"});
  cl::ParseCommandLineOptions(
      argc, argv,
      "mlgc: compile a linalg/TOSA model (with or without mlg ops) ahead of "
      "time to a shared library with a C ABI (docs/mlgc.md)\n");

  const bool ptc = targetName == "ptc";
  if (targetName != "cpu" && !ptc)
    return fail("unknown target '" + targetName + "' (supported: cpu, ptc)");
  if (!llvm::is_contained({"auto", "dense", "factorized", "tiled"},
                          StringRef(strategy)))
    return fail("unknown --strategy '" + strategy +
                "' (auto, dense, factorized or tiled)");
  if (threads < 1)
    return fail("--threads must be at least 1, got " +
                Twine(threads.getValue()));

  std::unique_ptr<Pass> compressPass;
  if (compressOptions.getNumOccurrences()) {
    compressPass = mlir::mlg::createMLGCompress();
    std::string problem;
    if (failed(compressPass->initializeOptions(
            compressOptions, [&](const Twine &message) {
              problem = StringRef(message.str()).trim().str();
              return failure();
            })))
      return fail("invalid --compress options '" + compressOptions + "'" +
                  (problem.empty() ? "" : ": " + problem));
  }

  EmitKind kind = emitKind;
  if (ptc && !emitKind.getNumOccurrences())
    kind = EmitKind::Binary;
  if (ptc != (kind == EmitKind::Binary) && kind != EmitKind::MLIR)
    return fail(ptc ? "--target=ptc emits mlir or bin"
                    : "--emit=bin needs --target=ptc");
  if (codegenThreads.getNumOccurrences() && codegenThreads == 0)
    return fail("--codegen-threads must be at least 1");
  // --emit=llvm and --emit=obj produce one module, hence one thread.
  unsigned partThreads = kind != EmitKind::Library ? 1
                     : codegenThreads.getNumOccurrences()
                         ? codegenThreads.getValue()
                         : std::max(1u, std::thread::hardware_concurrency());
  std::string output = outputFilename.getNumOccurrences()
                           ? outputFilename.getValue()
                           : defaultOutput(kind);
  if ((kind == EmitKind::Object || kind == EmitKind::Library) && output == "-")
    return fail("--emit=obj and --emit=lib need an output file (-o)");

  DefaultTimingManager timing;
  applyDefaultTimingManagerCLOptions(timing);
  TimingScope rootTiming = timing.getRootScope();

  DialectRegistry registry;
  mlir::mlg::registerAllDialects(registry);
  mlir::mlg::registerCPUTargetTranslations(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  unsigned stages = ptc ? 4 : 3 + static_cast<unsigned>(kind);
  Progress progress(stages, quiet);
  auto runPipeline = [&](ModuleOp module, StringRef name,
                         function_ref<void(OpPassManager &)> build) {
    TimingScope scope = rootTiming.nest(name);
    PassManager pm(&context);
    if (failed(applyPassManagerCLOptions(pm)))
      return failure();
    pm.enableTiming(scope);
    build(pm);
    return pm.run(module);
  };

  // 1. Parse.
  progress.stage("parse " + inputFilename);
  OwningOpRef<ModuleOp> module;
  {
    TimingScope scope = rootTiming.nest("parse");
    std::string error;
    std::unique_ptr<llvm::MemoryBuffer> input =
        openInputFile(inputFilename, &error);
    if (!input)
      return fail(error);
    sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
    if (failed(mlir::mlg::rejectKnownParserCrashes(sourceMgr, &context)))
      return 1;
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module ||
        failed(mlir::mlg::checkInputLimits(*module, maxTensorElements)))
      return 1;
  }

  // 2. Prepare: TOSA to linalg, compression.
  bool tosa = mlir::mlg::containsTOSA(*module);
  SmallVector<std::string> prepareSteps;
  if (tosa)
    prepareSteps.push_back("tosa-to-linalg");
  if (compressPass)
    prepareSteps.push_back("mlg-compress{" + compressOptions + "}");
  progress.stage("prepare: " + (prepareSteps.empty()
                                    ? std::string("nothing to do")
                                    : llvm::join(prepareSteps, ", ")));
  if (!prepareSteps.empty() &&
      failed(runPipeline(*module, "prepare", [&](OpPassManager &pm) {
        if (tosa)
          mlir::mlg::buildTOSAInputPipeline(pm);
        if (compressPass)
          pm.addPass(std::move(compressPass));
      })))
    return 1;

  if (ptc) {
    // 3. The PTC program; 4. its binary (or the ptc dialect with mlir).
    progress.stage("mlg-to-ptc (model " + ptcModel + ")");
    mlir::mlg::MLGToPTCOptions options;
    options.model = ptcModel;
    options.calibration = calibration;
    options.activationRange = ptcActivationRange;
    options.weightBits = ptcWeightBits;
    options.globalSram = ptcGlobalSram;
    options.weightSource = ptcWeightSource;
    if (failed(runPipeline(*module, "mlg-to-ptc", [&](OpPassManager &pm) {
          mlir::mlg::buildMLGToPTCPipeline(pm, options);
        })))
      return 1;
    progress.stage("write " + output);
    std::string bytes;
    if (kind == EmitKind::MLIR) {
      llvm::raw_string_ostream os(bytes);
      module->print(os);
    } else {
      FailureOr<std::vector<uint8_t>> binary =
          mlir::mlg::ptc::writeProgramBinary(*module);
      if (failed(binary))
        return 1;
      bytes.assign(binary->begin(), binary->end());
    }
    if (llvm::Error error = writeAtomically(output, bytes))
      return fail(std::move(error));
    return 0;
  }

  // 3. Lower to the LLVM dialect and add the C ABI.
  progress.stage("lower to the LLVM dialect");
  mlir::mlg::CPULoweringOptions lowering;
  if (strategy != "auto")
    lowering.strategy = strategy;
  lowering.threads = threads;
  // Packed within the lowering, after the strategies (which may reorder
  // code constants at compile time); reported once it has run.
  mlir::mlg::PackedCodesStats packed;
  lowering.packCodes = packCodes;
  lowering.packedCodes = &packed;
  PassManager lowerPM(&context);
  if (failed(applyPassManagerCLOptions(lowerPM)))
    return 1;
  FailureOr<SmallVector<mlir::mlg::CABIEntryPoint>> entryPoints =
      mlir::mlg::lowerToCABI(*module, lowerPM, lowering, &rootTiming);
  if (failed(entryPoints))
    return 1;
  if (packed.constants)
    progress.note(Twine(packed.constants) +
                  " code constants bit-packed: " + Twine(packed.unpackedBytes) +
                  " -> " + Twine(packed.packedBytes) + " bytes");
  if (kind == EmitKind::MLIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    if (llvm::Error error = writeAtomically(output, text))
      return fail(std::move(error));
    return 0;
  }

  // 4. Translate to LLVM IR and optimise for the host.
  progress.stage("translate to LLVM IR and optimise (-O3, host CPU)" +
                 (partThreads > 1 ? " on " + Twine(partThreads) + " threads"
                                  : ""));
  std::vector<mlir::mlg::LLVMModulePart> parts;
  {
    TimingScope scope = rootTiming.nest("translate and optimise");
    llvm::Expected<std::vector<mlir::mlg::LLVMModulePart>> translated =
        mlir::mlg::translateToOptimizedLLVMIRParts(*module, partThreads);
    if (!translated)
      return fail(translated.takeError());
    parts = std::move(*translated);
  }
  if (kind == EmitKind::LLVM) {
    std::string text;
    llvm::raw_string_ostream os(text);
    parts.front().module->print(os, nullptr);
    if (llvm::Error error = writeAtomically(output, text))
      return fail(std::move(error));
    return 0;
  }

  // 5. Object code.
  progress.stage("emit object code for " +
                 parts.front().machine->getTargetCPU() +
                 (parts.size() > 1 ? " (" + Twine(parts.size()) + " parts)"
                                   : ""));
  SmallVector<SmallVector<char, 0>> objects;
  {
    TimingScope scope = rootTiming.nest("emit object");
    llvm::Expected<SmallVector<SmallVector<char, 0>>> emitted =
        mlir::mlg::emitObjectFiles(parts);
    if (!emitted)
      return fail(emitted.takeError());
    objects = std::move(*emitted);
  }
  if (kind == EmitKind::Object) {
    StringRef objectBytes(objects.front().data(), objects.front().size());
    if (llvm::Error error = writeAtomically(output, objectBytes))
      return fail(std::move(error));
    return 0;
  }

  // 6. Shared library and C header.
  progress.stage("link " + output + " and write " +
                 mlir::mlg::getCABIHeaderPath(output));
  TimingScope scope = rootTiming.nest("link");
  bool openmp = llvm::any_of(parts, [](const mlir::mlg::LLVMModulePart &part) {
    return mlir::mlg::usesOpenMP(*part.module);
  });
  if (llvm::Error error = mlir::mlg::writeSharedLibrary(
          objects, openmp, output, *entryPoints,
          llvm::sys::path::filename(inputFilename)))
    return fail(std::move(error));
  return 0;
}
