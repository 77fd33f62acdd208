//===- Library.cpp - Compile a module to a shared library -----------------===//

#include "mlg/Target/CPU/Library.h"
#include "mlg/Target/CPU/RuntimeSupport.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <deque>

namespace mlir::mlg {

FailureOr<SmallVector<CABIEntryPoint>>
lowerToCABI(ModuleOp module, PassManager &pm, const CPULoweringOptions &options,
            TimingScope *timing) {
  auto nest = [&](StringRef name) {
    return timing ? timing->nest(name) : TimingScope();
  };
  FailureOr<SmallVector<CABIEntryPoint>> entryPoints;
  {
    TimingScope scope = nest("entry points");
    entryPoints = addEntryPointWrappers(module);
    if (failed(entryPoints))
      return failure();
  }
  {
    TimingScope scope = nest("lower");
    if (timing)
      pm.enableTiming(scope);
    buildCPULoweringPipeline(pm, options);
    if (failed(pm.run(module)))
      return failure();
  }
  TimingScope scope = nest("C ABI exports");
  if (failed(defineRuntimeSupport(module)) ||
      failed(addCABIExports(module, *entryPoints)) || failed(verify(module)))
    return failure();
  return entryPoints;
}

std::string getCABIHeaderGuard(StringRef headerPath) {
  std::string guard = "MLG_";
  for (char c : llvm::sys::path::stem(headerPath))
    guard.push_back(llvm::isAlnum(c) ? llvm::toUpper(c) : '_');
  return guard + "_H";
}

std::string getCABIHeaderPath(StringRef libraryPath) {
  SmallString<128> headerPath(libraryPath);
  llvm::sys::path::replace_extension(headerPath, ".h");
  return headerPath.str().str();
}

/// Writes `bytes` to `path` through a temporary file and a rename.
static llvm::Error writeAtomically(StringRef path, StringRef bytes) {
  return llvm::writeToOutput(path, [&](raw_ostream &os) {
    os << bytes;
    return llvm::Error::success();
  });
}

llvm::Error writeSharedLibrary(ArrayRef<SmallVector<char, 0>> objects,
                               bool openmp, StringRef libraryPath,
                               ArrayRef<CABIEntryPoint> entryPoints,
                               StringRef sourceName) {
  std::string headerPath = getCABIHeaderPath(libraryPath);
  std::string header;
  llvm::raw_string_ostream headerStream(header);
  writeCABIHeader(headerStream, entryPoints, getCABIHeaderGuard(headerPath),
                  sourceName);

  std::vector<std::string> objectPaths;
  // Not in a std::vector: moving a remover would remove its file.
  std::deque<llvm::FileRemover> removeObjects;
  for (const SmallVector<char, 0> &object : objects) {
    SmallString<128> objectPath;
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("mlgc", "o", objectPath))
      return llvm::createStringError(ec, "cannot create a temporary object "
                                         "file: " +
                                             ec.message());
    removeObjects.emplace_back(objectPath);
    objectPaths.push_back(objectPath.str().str());
    if (llvm::Error error = writeAtomically(
            objectPath, StringRef(object.data(), object.size())))
      return error;
  }

  // Link next to the destination so that the rename stays on one device.
  int fd;
  SmallString<128> tempLibrary;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          libraryPath + ".tmp-%%%%%%", fd, tempLibrary))
    return llvm::createStringError(ec, "cannot create '" + libraryPath +
                                           ".tmp-*': " + ec.message());
  llvm::sys::Process::SafelyCloseFileDescriptor(fd);
  llvm::FileRemover removeTempLibrary(tempLibrary);
  if (llvm::Error error = linkSharedLibrary(objectPaths, tempLibrary, openmp))
    return error;
  if (llvm::Error error = writeAtomically(headerPath, header))
    return error;
  if (std::error_code ec = llvm::sys::fs::rename(tempLibrary, libraryPath)) {
    llvm::sys::fs::remove(headerPath);
    return llvm::createStringError(ec, "cannot write '" + libraryPath +
                                           "': " + ec.message());
  }
  removeTempLibrary.releaseFile();
  return llvm::Error::success();
}

llvm::Expected<SmallVector<CABIEntryPoint>>
compileToSharedLibrary(ModuleOp module, StringRef libraryPath,
                       const SharedLibraryOptions &options) {
  CPULoweringOptions lowering = options.lowering;
  lowering.packCodes = options.packCodes;
  PassManager pm(module->getContext());
  FailureOr<SmallVector<CABIEntryPoint>> entryPoints =
      lowerToCABI(module, pm, lowering);
  if (failed(entryPoints))
    return llvm::createStringError("lowering to the C ABI failed");
  llvm::Expected<std::vector<LLVMModulePart>> parts =
      translateToOptimizedLLVMIRParts(module,
                                      std::max(1u, options.codegenThreads));
  if (!parts)
    return parts.takeError();
  llvm::Expected<SmallVector<SmallVector<char, 0>>> objects =
      emitObjectFiles(*parts);
  if (!objects)
    return objects.takeError();
  bool openmp = llvm::any_of(*parts, [](const LLVMModulePart &part) {
    return usesOpenMP(*part.module);
  });
  if (llvm::Error error = writeSharedLibrary(*objects, openmp, libraryPath,
                                             *entryPoints, options.sourceName))
    return std::move(error);
  return std::move(*entryPoints);
}

} // namespace mlir::mlg
