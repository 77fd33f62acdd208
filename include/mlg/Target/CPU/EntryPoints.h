//===- EntryPoints.h - The C ABI of compiled MLG libraries ------*- C++ -*-===//
//
// Every public func.func of a module becomes an exported C function
//   int32_t mlg_<name>(const float *in0, ..., float *out0, ...)
// over caller-owned, contiguous row-major buffers, plus a static model
// description returned by `mlg_model()` (docs/c-abi.md). The wrappers are
// built in two steps around the lowering: a memref-level wrapper per entry
// point before bufferization, and the exported LLVM-dialect shims, invoke
// trampolines and the model description after lowering.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_CPU_ENTRYPOINTS_H
#define MLG_TARGET_CPU_ENTRYPOINTS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>

namespace mlir::mlg {

/// Version of the C ABI described in docs/c-abi.md; bumped on any change of
/// the generated structs or calling convention.
inline constexpr uint32_t kCABIVersion = 1;

/// Element type codes of the model description (mlg_dtype_t).
enum class CABIDType : int32_t { F32 = 1 };

/// One tensor of an entry point: f32, static shape, row-major.
struct CABITensor {
  SmallVector<int64_t> shape;
  int64_t numElements() const;
};

/// One exported entry point, as seen from C.
struct CABIEntryPoint {
  std::string name; // the func.func name; the C symbol is "mlg_" + name
  SmallVector<CABITensor> inputs;
  SmallVector<CABITensor> outputs;
  std::string symbol() const { return "mlg_" + name; }
};

/// Before lowering (tensor level): checks that every public function with a
/// body has a C-expressible signature (statically shaped f32 tensors, a C
/// identifier for a name), makes it private and adds a public memref-level
/// wrapper that calls it and writes its results into destination buffers.
/// Emits a located error and fails otherwise.
FailureOr<SmallVector<CABIEntryPoint>> addEntryPointWrappers(ModuleOp module);

/// After lowering (LLVM dialect): adds the exported `mlg_<name>` functions,
/// their generic invoke trampolines, the model description and
/// `mlg_model()`, and gives every other definition internal linkage.
LogicalResult addCABIExports(ModuleOp module,
                             ArrayRef<CABIEntryPoint> entryPoints);

/// Writes the C header of a library: the ABI types, one declaration per
/// entry point, and shape macros. `guardName` names the include guard.
void writeCABIHeader(raw_ostream &os, ArrayRef<CABIEntryPoint> entryPoints,
                     StringRef guardName, StringRef sourceName);

} // namespace mlir::mlg

#endif // MLG_TARGET_CPU_ENTRYPOINTS_H
