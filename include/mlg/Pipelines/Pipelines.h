//===- Pipelines.h - MLG pass pipelines -------------------------*- C++ -*-===//

#ifndef MLG_PIPELINES_PIPELINES_H
#define MLG_PIPELINES_PIPELINES_H

#include "mlg/Dialect/MLG/Transforms/Passes.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::mlg {

#define GEN_PASS_DECL
#include "mlg/Pipelines/Passes.h.inc"

/// convert-mlg-to-linalg, bufferization and lowering to the LLVM dialect.
void buildReferenceToLLVMPipeline(OpPassManager &pm);

/// mlg-decompose (with references) then mlg-assign-precision.
void buildCompressPipeline(OpPassManager &pm,
                           const MLGCompressOptions &options = {});

/// The fast CPU path: mlg-cpu-vectorize, bufferization, vector lowering and
/// the conversions to the LLVM dialect (see the mlg-to-llvm pass).
void buildMLGToLLVMPipeline(OpPassManager &pm,
                            const MLGToLLVMOptions &options = {});

/// canonicalize then convert-mlg-to-ptc: one ptc.program for the PTC.
void buildMLGToPTCPipeline(OpPassManager &pm,
                           const MLGToPTCOptions &options = {});

/// f32 lanes of the host's widest vector registers (16 with AVX-512F, 8 with
/// AVX, 4 otherwise).
int64_t hostVectorWidth();

#define GEN_PASS_REGISTRATION
#include "mlg/Pipelines/Passes.h.inc"

} // namespace mlir::mlg

#endif // MLG_PIPELINES_PIPELINES_H
