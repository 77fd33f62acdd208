//===- CommandLine.h - --help that lists a tool's own options ---*- C++ -*-===//
//
// Every MLG tool links all of LLVM, whose libraries register hundreds of
// command-line flags (backend, codegen and debugging options). This helper
// hides them from --help (and --help-hidden) so that each tool lists its own
// options; the hidden flags are still accepted.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_SUPPORT_COMMANDLINE_H
#define MLG_SUPPORT_COMMANDLINE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

namespace mlg {

/// Hides from --help every option registered so far that is neither in one
/// of `categories` nor named with one of `visiblePrefixes` (e.g. "mlir-" to
/// keep MLIR's diagnostics, printing and timing options). --help,
/// --help-list and --version stay. Options registered after the call (e.g.
/// those mlirTranslateMain creates when it runs) are not affected. Call it
/// before cl::ParseCommandLineOptions.
void showOnlyOwnOptions(
    llvm::ArrayRef<const llvm::cl::OptionCategory *> categories,
    llvm::ArrayRef<llvm::StringRef> visiblePrefixes = {});

} // namespace mlg

#endif // MLG_SUPPORT_COMMANDLINE_H
