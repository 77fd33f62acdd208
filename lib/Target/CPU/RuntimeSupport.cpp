//===- RuntimeSupport.cpp - Runtime functions inside the library ----------===//

#include "mlg/Target/CPU/RuntimeSupport.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;

/// memrefCopy(elementSize, source, destination) of libmlir_c_runner_utils:
/// both memrefs are unranked descriptors {i64 rank, ptr ranked}, the ranked
/// descriptor being the words {allocated, aligned, offset, sizes[rank],
/// strides[rank]}. Copies element by element, walking the source shape in
/// row-major order (the reference lowering's copies are small pads and
/// slices; the optimised pipeline avoids them).
static constexpr const char *kMemrefCopy = R"mlir(
llvm.func internal @memrefCopy(%esize: i64, %src: !llvm.ptr, %dst: !llvm.ptr) {
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i64) : i64
  %c3 = llvm.mlir.constant(3 : i64) : i64
  %rank = llvm.load %src : !llvm.ptr -> i64
  %sdp = llvm.getelementptr %src[0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(i64, ptr)>
  %sd = llvm.load %sdp : !llvm.ptr -> !llvm.ptr
  %ddp = llvm.getelementptr %dst[0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(i64, ptr)>
  %dd = llvm.load %ddp : !llvm.ptr -> !llvm.ptr
  %sbp = llvm.getelementptr %sd[1] : (!llvm.ptr) -> !llvm.ptr, i64
  %sbase = llvm.load %sbp : !llvm.ptr -> !llvm.ptr
  %dbp = llvm.getelementptr %dd[1] : (!llvm.ptr) -> !llvm.ptr, i64
  %dbase = llvm.load %dbp : !llvm.ptr -> !llvm.ptr
  %sop = llvm.getelementptr %sd[2] : (!llvm.ptr) -> !llvm.ptr, i64
  %soff = llvm.load %sop : !llvm.ptr -> i64
  %dop = llvm.getelementptr %dd[2] : (!llvm.ptr) -> !llvm.ptr, i64
  %doff = llvm.load %dop : !llvm.ptr -> i64
  llvm.br ^count(%c0, %c1 : i64, i64)
^count(%i: i64, %total: i64):
  %counting = llvm.icmp "slt" %i, %rank : i64
  llvm.cond_br %counting, ^count_body, ^elements(%c0 : i64)
^count_body:
  %szi = llvm.add %i, %c3 : i64
  %szp = llvm.getelementptr %sd[%szi] : (!llvm.ptr, i64) -> !llvm.ptr, i64
  %sz = llvm.load %szp : !llvm.ptr -> i64
  %total2 = llvm.mul %total, %sz : i64
  %i2 = llvm.add %i, %c1 : i64
  llvm.br ^count(%i2, %total2 : i64, i64)
^elements(%n: i64):
  %more = llvm.icmp "slt" %n, %total : i64
  %last = llvm.sub %rank, %c1 : i64
  llvm.cond_br %more, ^index(%last, %n, %soff, %doff : i64, i64, i64, i64), ^exit
^index(%d: i64, %rem: i64, %so: i64, %do: i64):
  %indexing = llvm.icmp "sge" %d, %c0 : i64
  llvm.cond_br %indexing, ^index_body, ^copy
^index_body:
  %dszi = llvm.add %d, %c3 : i64
  %dszp = llvm.getelementptr %sd[%dszi] : (!llvm.ptr, i64) -> !llvm.ptr, i64
  %dsz = llvm.load %dszp : !llvm.ptr -> i64
  %idx = llvm.urem %rem, %dsz : i64
  %rem2 = llvm.udiv %rem, %dsz : i64
  %sti = llvm.add %dszi, %rank : i64
  %sstp = llvm.getelementptr %sd[%sti] : (!llvm.ptr, i64) -> !llvm.ptr, i64
  %sst = llvm.load %sstp : !llvm.ptr -> i64
  %dstp = llvm.getelementptr %dd[%sti] : (!llvm.ptr, i64) -> !llvm.ptr, i64
  %dst_stride = llvm.load %dstp : !llvm.ptr -> i64
  %sstep = llvm.mul %idx, %sst : i64
  %so2 = llvm.add %so, %sstep : i64
  %dstep = llvm.mul %idx, %dst_stride : i64
  %do2 = llvm.add %do, %dstep : i64
  %d2 = llvm.sub %d, %c1 : i64
  llvm.br ^index(%d2, %rem2, %so2, %do2 : i64, i64, i64, i64)
^copy:
  %sbyte = llvm.mul %so, %esize : i64
  %sptr = llvm.getelementptr %sbase[%sbyte] : (!llvm.ptr, i64) -> !llvm.ptr, i8
  %dbyte = llvm.mul %do, %esize : i64
  %dptr = llvm.getelementptr %dbase[%dbyte] : (!llvm.ptr, i64) -> !llvm.ptr, i8
  "llvm.intr.memcpy"(%dptr, %sptr, %esize) <{isVolatile = false}> : (!llvm.ptr, !llvm.ptr, i64) -> ()
  %n2 = llvm.add %n, %c1 : i64
  llvm.br ^elements(%n2 : i64)
^exit:
  llvm.return
}
)mlir";

LogicalResult mlir::mlg::defineRuntimeSupport(ModuleOp module) {
  auto declaration = module.lookupSymbol<LLVM::LLVMFuncOp>("memrefCopy");
  if (!declaration || !declaration.isExternal())
    return success();
  OwningOpRef<ModuleOp> support =
      parseSourceString<ModuleOp>(kMemrefCopy, module.getContext());
  if (!support)
    return module.emitError("internal error: cannot parse memrefCopy");
  auto definition = support->lookupSymbol<LLVM::LLVMFuncOp>("memrefCopy");
  if (definition.getFunctionType() != declaration.getFunctionType())
    return declaration.emitError()
           << "runtime function memrefCopy has type "
           << declaration.getFunctionType() << ", expected "
           << definition.getFunctionType();
  definition->moveBefore(declaration);
  declaration.erase();
  return success();
}
