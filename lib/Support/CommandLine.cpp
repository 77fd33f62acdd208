//===- CommandLine.cpp - --help that lists a tool's own options -----------===//

#include "mlg/Support/CommandLine.h"

#include "llvm/ADT/STLExtras.h"

namespace cl = llvm::cl;

void mlg::showOnlyOwnOptions(
    llvm::ArrayRef<const cl::OptionCategory *> categories,
    llvm::ArrayRef<llvm::StringRef> visiblePrefixes) {
  cl::HideUnrelatedOptions(categories);
  for (auto &entry : cl::getRegisteredOptions()) {
    llvm::StringRef name = entry.first;
    if (llvm::any_of(visiblePrefixes, [&](llvm::StringRef prefix) {
          return name.starts_with(prefix);
        }))
      entry.second->setHiddenFlag(cl::NotHidden);
  }
}
