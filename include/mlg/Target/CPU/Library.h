//===- Library.h - Compile a module to a shared library ---------*- C++ -*-===//
//
// The tail of `mlgc --emit=lib` as library functions, shared by mlgc and the
// Python module: lower a prepared module (linalg on tensors, with or without
// mlg ops) to the LLVM dialect with the C ABI of docs/c-abi.md, and link its
// objects into a shared library written together with its C header, neither
// file left behind on failure.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_CPU_LIBRARY_H
#define MLG_TARGET_CPU_LIBRARY_H

#include "mlg/Target/CPU/Compiler.h"
#include "mlg/Target/CPU/EntryPoints.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mlir {
class PassManager;
class TimingScope;

namespace mlg {

/// Adds the C ABI entry-point wrappers, runs the CPU lowering on `pm` (an
/// empty pass manager the caller may have configured, e.g. with timing),
/// defines the runtime support and the C ABI exports, and verifies. Errors
/// are emitted on the module. With `timing`, the three steps are timed in
/// its nested scopes "entry points", "lower" (per pass) and "C ABI exports".
FailureOr<SmallVector<CABIEntryPoint>>
lowerToCABI(ModuleOp module, PassManager &pm, const CPULoweringOptions &options,
            TimingScope *timing = nullptr);

/// MLG_<STEM>_H, the include guard of the header at `headerPath`.
std::string getCABIHeaderGuard(StringRef headerPath);

/// The header path of a library: `libraryPath` with the extension ".h".
std::string getCABIHeaderPath(StringRef libraryPath);

/// Links `objects` (against libomp with `openmp`) into `libraryPath` and
/// writes the C header of `entryPoints` next to it (getCABIHeaderPath). The
/// library is linked to a temporary and renamed into place after the header
/// is written; on any failure neither file is left behind.
llvm::Error writeSharedLibrary(ArrayRef<SmallVector<char, 0>> objects,
                               bool openmp, StringRef libraryPath,
                               ArrayRef<CABIEntryPoint> entryPoints,
                               StringRef sourceName);

struct SharedLibraryOptions {
  CPULoweringOptions lowering;
  /// Store sub-byte integer constants bit-packed (packSubByteConstants).
  bool packCodes = true;
  /// Threads translating and emitting parts of the module (at least 1).
  unsigned codegenThreads = 1;
  /// Named in the generated header's comment.
  std::string sourceName = "<module>";
};

/// The whole flow on a prepared module (it is lowered in place):
/// lowerToCABI (packing codes after the strategies), translate and optimise,
/// emit objects, and writeSharedLibrary. Diagnostics go to the context's
/// handler; the returned error says which stage failed.
llvm::Expected<SmallVector<CABIEntryPoint>>
compileToSharedLibrary(ModuleOp module, StringRef libraryPath,
                       const SharedLibraryOptions &options = {});

} // namespace mlg
} // namespace mlir

#endif // MLG_TARGET_CPU_LIBRARY_H
