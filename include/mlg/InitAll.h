//===- InitAll.h - Register everything MLG tools expose ---------*- C++ -*-===//
//
// The one registration entry point used by every tool and the Python module:
// all upstream dialects, extensions and passes plus MLG's own.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_INITALL_H
#define MLG_INITALL_H

namespace mlir {
class DialectRegistry;

namespace mlg {

/// Upstream dialects and their extensions (needed by convert-to-llvm and
/// bufferization interfaces), plus the mlg and ptc dialects.
void registerAllDialects(DialectRegistry &registry);

/// Upstream passes plus MLG's passes and pipelines, in the global registry.
void registerAllPasses();

/// MLG's translations (mlg-translate): --ptc-to-binary, --ptc-to-asm,
/// --binary-to-ptc.
void registerAllTranslations();

} // namespace mlg
} // namespace mlir

#endif // MLG_INITALL_H
