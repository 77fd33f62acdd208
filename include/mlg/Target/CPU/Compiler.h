//===- Compiler.h - Ahead-of-time compilation for the host CPU --*- C++ -*-===//
//
// The stages of `mlgc` as library functions, so that the Python module can
// reuse them: input preparation, the lowering to the LLVM dialect, LLVM IR
// optimisation, object emission for the host and shared-library linking.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_CPU_COMPILER_H
#define MLG_TARGET_CPU_COMPILER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace mlir {
class DialectRegistry;

namespace mlg {
struct PackedCodesStats;

/// Dialect translations to LLVM IR needed by translateToOptimizedLLVMIR.
void registerCPUTargetTranslations(DialectRegistry &registry);

/// Whether the module holds TOSA operations (to be lowered to linalg first).
bool containsTOSA(ModuleOp module);

/// The upstream `tosa-to-linalg-pipeline`, then `tosa-to-arith` for the
/// constants.
void buildTOSAInputPipeline(OpPassManager &pm);

struct CPULoweringOptions {
  /// Execution strategy of every generated convolution and matmul: empty to
  /// let mlg-select-strategy's cost model choose per layer, else dense,
  /// factorized or tiled.
  std::string strategy;
  /// Largest number of threads a layer runs on (mlg-to-llvm's `threads`): 1
  /// for single-threaded code; more splits large layers over OpenMP threads
  /// and the library then needs libomp (see usesOpenMP).
  int64_t threads = 1;
  /// Store integer constants narrower than a byte (mlg codes) bit-packed
  /// (packSubByteConstants), after the strategies: a strategy may reorder
  /// code constants at compile time, and the reordered constant is the one
  /// to pack. Their statistics are added to `*packedCodes` when given.
  bool packCodes = false;
  PackedCodesStats *packedCodes = nullptr;
};

/// Lowers a module of linalg on tensors, with or without mlg ops, to the LLVM
/// dialect: generator chains are fused into their consumers
/// (mlg-fuse-generation), each fused op gets an execution strategy
/// (mlg-select-strategy) and is lowered by it (mlg-lower-generated), sub-byte
/// constants are bit-packed when asked, then mlg-to-llvm vectorizes and lowers
/// the rest for the host. The single place where mlgc picks its CPU lowering.
void buildCPULoweringPipeline(OpPassManager &pm,
                              const CPULoweringOptions &options = {});

/// A TargetMachine for the host: its triple, CPU and features, -O3, PIC.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>> createHostTargetMachine();

/// Translates an LLVM-dialect module to LLVM IR for `machine` and runs the
/// LLVM -O3 pipeline on it. Translation errors are emitted on `module`.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToOptimizedLLVMIR(ModuleOp module, llvm::LLVMContext &llvmContext,
                           llvm::TargetMachine &machine);

/// Emits `module` as an object file into `object`.
llvm::Error emitObjectFile(llvm::Module &module, llvm::TargetMachine &machine,
                           SmallVectorImpl<char> &object);

/// Splits an LLVM-dialect module into at most `maxParts` modules that
/// compile independently and link together: each function and global is
/// defined in one part (functions balanced by size) and declared in the parts
/// that use it; a private or internal symbol used from another part becomes
/// external with hidden visibility. One part (a clone) when `maxParts` <= 1,
/// the module has fewer functions or holds operations the split does not
/// know (aliases, comdats).
SmallVector<OwningOpRef<ModuleOp>> splitLLVMDialectModule(ModuleOp module,
                                                          unsigned maxParts);

/// One part of a module being compiled on its own thread: an LLVM context, a
/// host target machine and the part's LLVM IR.
struct LLVMModulePart {
  LLVMModulePart();
  LLVMModulePart(LLVMModulePart &&);
  LLVMModulePart &operator=(LLVMModulePart &&);
  ~LLVMModulePart();

  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::TargetMachine> machine;
  std::unique_ptr<llvm::Module> module;
};

/// translateToOptimizedLLVMIR on `threads` threads: with `threads` > 1 the
/// module is split (splitLLVMDialectModule) and each part is translated and
/// optimised concurrently; with 1, the whole module as one part.
llvm::Expected<std::vector<LLVMModulePart>>
translateToOptimizedLLVMIRParts(ModuleOp module, unsigned threads);

/// emitObjectFile for every part, concurrently: one object per part.
llvm::Expected<SmallVector<SmallVector<char, 0>>>
emitObjectFiles(std::vector<LLVMModulePart> &parts);

/// Whether `module` calls the OpenMP runtime (it was lowered with threads > 1
/// and has a parallel loop).
bool usesOpenMP(const llvm::Module &module);

/// Links object files into a shared library with clang-22 (or clang,
/// ld.lld-22, ld.lld, first found on PATH); with `openmp`, against libomp
/// (found in LLVM's library directory or the system's).
llvm::Error linkSharedLibrary(ArrayRef<std::string> objectPaths,
                              StringRef outputPath, bool openmp = false);

} // namespace mlg
} // namespace mlir

#endif // MLG_TARGET_CPU_COMPILER_H
