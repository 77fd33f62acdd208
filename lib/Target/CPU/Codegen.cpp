//===- Codegen.cpp - LLVM IR, object files and shared libraries -----------===//

#include "mlg/Target/CPU/Compiler.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>
#include <thread>

using namespace mlir;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

void mlir::mlg::registerCPUTargetTranslations(DialectRegistry &registry) {
  registerAllToLLVMIRTranslations(registry);
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
mlir::mlg::createHostTargetMachine() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return makeError("no LLVM target for host triple '" + triple.str() +
                     "': " + error);
  llvm::SubtargetFeatures features;
  for (const auto &feature : llvm::sys::getHostCPUFeatures())
    features.AddFeature(feature.getKey(), feature.getValue());
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, llvm::sys::getHostCPUName(), features.getString(),
      llvm::TargetOptions(), llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return makeError("cannot create a target machine for '" + triple.str() +
                     "'");
  return machine;
}

/// The module in LLVM IR for `machine`, not yet optimised.
static llvm::Expected<std::unique_ptr<llvm::Module>>
translateForHost(ModuleOp module, llvm::LLVMContext &llvmContext,
                 llvm::TargetMachine &machine) {
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "mlg");
  if (!llvmModule)
    return makeError("translation to LLVM IR failed");
  ExecutionEngine::setupTargetTripleAndDataLayout(llvmModule.get(), &machine);
  // Recorded on the functions too, so that the IR says what it was tuned for.
  for (llvm::Function &function : *llvmModule) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", machine.getTargetCPU());
    function.addFnAttr("target-features", machine.getTargetFeatureString());
  }
  return llvmModule;
}

static llvm::Error optimizeForHost(llvm::Module &llvmModule,
                                   llvm::TargetMachine &machine) {
  auto optimize =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, &machine);
  return optimize(&llvmModule);
}

llvm::Expected<std::unique_ptr<llvm::Module>>
mlir::mlg::translateToOptimizedLLVMIR(ModuleOp module,
                                      llvm::LLVMContext &llvmContext,
                                      llvm::TargetMachine &machine) {
  llvm::Expected<std::unique_ptr<llvm::Module>> llvmModule =
      translateForHost(module, llvmContext, machine);
  if (!llvmModule)
    return llvmModule.takeError();
  if (llvm::Error error = optimizeForHost(**llvmModule, machine))
    return std::move(error);
  return llvmModule;
}

mlir::mlg::LLVMModulePart::LLVMModulePart() = default;
mlir::mlg::LLVMModulePart::LLVMModulePart(LLVMModulePart &&) = default;
mlir::mlg::LLVMModulePart &
mlir::mlg::LLVMModulePart::operator=(LLVMModulePart &&) = default;
mlir::mlg::LLVMModulePart::~LLVMModulePart() = default;

/// Runs `work(i)` for every part on a thread of its own (inline for one
/// part); the first failure, in part order, is the result.
static llvm::Error
forEachPartConcurrently(size_t count,
                        llvm::function_ref<llvm::Error(size_t)> work) {
  SmallVector<std::string> failures(count);
  auto run = [&](size_t index) {
    if (llvm::Error error = work(index))
      failures[index] = llvm::toString(std::move(error));
  };
  if (count == 1) {
    run(0);
  } else {
    std::vector<std::thread> threads;
    for (size_t index = 0; index < count; ++index)
      threads.emplace_back(run, index);
    for (std::thread &thread : threads)
      thread.join();
  }
  for (const std::string &failure : failures)
    if (!failure.empty())
      return makeError(failure);
  return llvm::Error::success();
}

llvm::Expected<std::vector<mlir::mlg::LLVMModulePart>>
mlir::mlg::translateToOptimizedLLVMIRParts(ModuleOp module,
                                           unsigned threads) {
  SmallVector<OwningOpRef<ModuleOp>> split;
  if (threads > 1)
    split = splitLLVMDialectModule(module, threads);
  size_t count = std::max<size_t>(split.size(), 1);
  std::vector<LLVMModulePart> parts(count);
  // Target machines are created here, on one thread: target registration
  // is not meant to run concurrently.
  for (LLVMModulePart &part : parts) {
    llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
        createHostTargetMachine();
    if (!machine)
      return machine.takeError();
    part.machine = std::move(*machine);
    part.context = std::make_unique<llvm::LLVMContext>();
  }
  // Translation creates attributes in the shared MLIRContext, which only
  // locks its uniquers when multithreading is enabled.
  std::mutex translation;
  bool translateConcurrently = module.getContext()->isMultithreadingEnabled();
  if (llvm::Error error = forEachPartConcurrently(count, [&](size_t index) {
        LLVMModulePart &part = parts[index];
        ModuleOp partModule = split.empty() ? module : *split[index];
        {
          std::unique_lock<std::mutex> lock(translation, std::defer_lock);
          if (!translateConcurrently)
            lock.lock();
          llvm::Expected<std::unique_ptr<llvm::Module>> llvmModule =
              translateForHost(partModule, *part.context, *part.machine);
          if (!llvmModule)
            return llvmModule.takeError();
          part.module = std::move(*llvmModule);
        }
        return optimizeForHost(*part.module, *part.machine);
      }))
    return std::move(error);
  return parts;
}

llvm::Expected<SmallVector<SmallVector<char, 0>>>
mlir::mlg::emitObjectFiles(std::vector<LLVMModulePart> &parts) {
  SmallVector<SmallVector<char, 0>> objects(parts.size());
  if (llvm::Error error =
          forEachPartConcurrently(parts.size(), [&](size_t index) {
            return emitObjectFile(*parts[index].module,
                                  *parts[index].machine, objects[index]);
          }))
    return std::move(error);
  return objects;
}

llvm::Error mlir::mlg::emitObjectFile(llvm::Module &module,
                                      llvm::TargetMachine &machine,
                                      SmallVectorImpl<char> &object) {
  llvm::raw_svector_ostream os(object);
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, os, nullptr,
                                  llvm::CodeGenFileType::ObjectFile))
    return makeError("the host target cannot emit object files");
  pm.run(module);
  return llvm::Error::success();
}

bool mlir::mlg::usesOpenMP(const llvm::Module &module) {
  return module.getFunction("__kmpc_fork_call") != nullptr;
}

llvm::Error mlir::mlg::linkSharedLibrary(ArrayRef<std::string> objectPaths,
                                         StringRef outputPath, bool openmp) {
  // A compiler driver adds the C library and the start files; a bare
  // linker leaves libc and libm symbols to be resolved at load time.
  struct Linker {
    StringRef program;
    bool isDriver;
  };
  for (Linker linker : {Linker{"clang-22", true}, Linker{"clang", true},
                        Linker{"ld.lld-22", false}, Linker{"ld.lld", false}}) {
    llvm::ErrorOr<std::string> path =
        llvm::sys::findProgramByName(linker.program);
    if (!path)
      continue;
    SmallVector<StringRef> args = {*path, "-shared", "-o", outputPath};
    args.append(objectPaths.begin(), objectPaths.end());
    if (linker.isDriver)
      args.push_back("-lm");
    // libomp-22-dev puts libomp.so in LLVM's library directory (a link to
    // the system's libomp.so.5); the run path finds it there too.
    std::string rpath = linker.isDriver ? "-Wl,-rpath," MLG_LLVM_LIBRARY_DIR
                                        : "-rpath=" MLG_LLVM_LIBRARY_DIR;
    if (openmp)
      args.append({"-L" MLG_LLVM_LIBRARY_DIR, "-lomp", rpath});
    std::string message;
    int rc = llvm::sys::ExecuteAndWait(*path, args, /*Env=*/std::nullopt,
                                       /*Redirects=*/{}, /*SecondsToWait=*/0,
                                       /*MemoryLimit=*/0, &message);
    if (rc != 0)
      return makeError("linking with '" + *path + "' failed" +
                       (message.empty() ? Twine(" (exit code ") + Twine(rc) +
                                              ")"
                                        : ": " + Twine(message)));
    return llvm::Error::success();
  }
  return makeError("no linker found on PATH (looked for clang-22, clang, "
                   "ld.lld-22, ld.lld); install clang-22 or lld-22");
}
