//===- SplitModule.cpp - LLVM-dialect module parts for parallel codegen ---===//
//
// Function definitions are dealt to the parts largest first, each to the
// least loaded part; a global goes to the part of its first user. A symbol
// used across parts becomes a hidden external definition in its part and a
// declaration in the parts that use it, so that the objects link together
// and nothing more is exported from the library.
//
//===----------------------------------------------------------------------===//

#include "mlg/Target/CPU/Compiler.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <algorithm>

using namespace mlir;

namespace {
/// A top-level operation that goes to one part only.
bool isDefinition(Operation *op) {
  if (auto function = dyn_cast<LLVM::LLVMFuncOp>(op))
    return !function.isExternal();
  if (auto global = dyn_cast<LLVM::GlobalOp>(op))
    return global.getValueAttr() || !global.getInitializerRegion().empty();
  return true;
}

/// The number of operations in `op`: the cost of compiling it, roughly.
unsigned countOperations(Operation *op) {
  unsigned count = 0;
  op->walk([&](Operation *) { ++count; });
  return count;
}

/// Whether every top-level operation is a function or a global, the only
/// kinds the split knows how to declare in another part.
bool isSplittable(ModuleOp module) {
  return llvm::all_of(module.getOps(), [](Operation &op) {
    if (auto global = dyn_cast<LLVM::GlobalOp>(op))
      return !global.getComdatAttr();
    if (auto function = dyn_cast<LLVM::LLVMFuncOp>(op))
      return !function.getComdatAttr();
    return false;
  });
}

/// A declaration of `op` (a function or global defined in another part).
Operation *cloneAsDeclaration(OpBuilder &builder, Operation *op) {
  Operation *declaration = builder.insert(op->cloneWithoutRegions());
  if (auto global = dyn_cast<LLVM::GlobalOp>(declaration))
    global.removeValueAttr();
  return declaration;
}
} // namespace

SmallVector<OwningOpRef<ModuleOp>>
mlir::mlg::splitLLVMDialectModule(ModuleOp module, unsigned maxParts) {
  SmallVector<Operation *> definitions, functions;
  for (Operation &op : module.getOps()) {
    if (!isDefinition(&op))
      continue;
    definitions.push_back(&op);
    if (isa<LLVM::LLVMFuncOp>(op))
      functions.push_back(&op);
  }
  unsigned numParts =
      std::min<unsigned>(std::max(maxParts, 1u), functions.size());
  if (numParts <= 1 || !isSplittable(module)) {
    SmallVector<OwningOpRef<ModuleOp>> whole;
    whole.push_back(cast<ModuleOp>(module->clone()));
    return whole;
  }

  // Largest first, each to the least loaded part (ties: module order).
  llvm::DenseMap<Operation *, unsigned> owner, size;
  for (Operation *function : functions)
    size[function] = countOperations(function);
  SmallVector<Operation *> bySize(functions);
  llvm::DenseMap<Operation *, unsigned> position;
  for (auto [index, function] : llvm::enumerate(functions))
    position[function] = index;
  std::sort(bySize.begin(), bySize.end(), [&](Operation *a, Operation *b) {
    if (size[a] != size[b])
      return size[a] > size[b];
    return position[a] < position[b];
  });
  SmallVector<uint64_t> load(numParts, 0);
  for (Operation *function : bySize) {
    unsigned lightest = std::min_element(load.begin(), load.end()) - load.begin();
    owner[function] = lightest;
    load[lightest] += size[function];
  }

  // The symbols each definition uses; a global goes to its first user.
  llvm::DenseMap<StringAttr, Operation *> bySymbol;
  for (Operation &op : module.getOps())
    if (auto name = op.getAttrOfType<StringAttr>(
            SymbolTable::getSymbolAttrName()))
      bySymbol[name] = &op;
  llvm::DenseMap<Operation *, SmallVector<Operation *>> uses;
  for (Operation *definition : definitions) {
    llvm::SmallDenseSet<Operation *> seen;
    auto addUse = [&](SymbolRefAttr reference) {
      if (Operation *used = bySymbol.lookup(reference.getRootReference()))
        if (used != definition && seen.insert(used).second)
          uses[definition].push_back(used);
    };
    // The operation's own attributes (a personality) and its body.
    definition->getAttrDictionary().walk(addUse);
    for (Region &region : definition->getRegions())
      if (std::optional<SymbolTable::UseRange> range =
              SymbolTable::getSymbolUses(&region))
        for (const SymbolTable::SymbolUse &use : *range)
          addUse(use.getSymbolRef());
  }
  for (Operation *function : functions) {
    // By value: try_emplace may grow the map, and a reference into it (as
    // `owner[function]` would be) then dangles.
    unsigned functionPart = owner.lookup(function);
    for (Operation *used : uses[function])
      if (!isa<LLVM::LLVMFuncOp>(used) && isDefinition(used))
        owner.try_emplace(used, functionPart);
  }
  // Globals only other globals use (e.g. a table of addresses): part 0.
  for (Operation *definition : definitions)
    owner.try_emplace(definition, 0);

  // What each part needs from elsewhere; those symbols stop being local.
  SmallVector<llvm::SmallPtrSet<Operation *, 16>> imports(numParts);
  llvm::SmallPtrSet<Operation *, 16> exported;
  for (Operation *definition : definitions)
    for (Operation *used : uses[definition])
      if (isDefinition(used) && owner[used] != owner[definition]) {
        imports[owner[definition]].insert(used);
        exported.insert(used);
      }
  SmallVector<OwningOpRef<ModuleOp>> parts;
  for (unsigned part = 0; part < numParts; ++part) {
    OwningOpRef<ModuleOp> partModule = ModuleOp::create(module.getLoc());
    (*partModule)->setAttrs(module->getAttrDictionary());
    parts.push_back(std::move(partModule));
  }
  auto exportFromPart = [](Operation *op) {
    if (auto function = dyn_cast<LLVM::LLVMFuncOp>(op)) {
      if (function.getLinkage() == LLVM::Linkage::Internal ||
          function.getLinkage() == LLVM::Linkage::Private) {
        function.setLinkage(LLVM::Linkage::External);
        function.setVisibility_(LLVM::Visibility::Hidden);
      }
    } else if (auto global = dyn_cast<LLVM::GlobalOp>(op)) {
      if (global.getLinkage() == LLVM::Linkage::Internal ||
          global.getLinkage() == LLVM::Linkage::Private) {
        global.setLinkage(LLVM::Linkage::External);
        global.setVisibility_(LLVM::Visibility::Hidden);
      }
    }
  };

  // Module order in every part: definitions, imports as declarations, and
  // the module's own declarations where they appear.
  for (unsigned part = 0; part < numParts; ++part) {
    OpBuilder builder = OpBuilder::atBlockEnd(parts[part]->getBody());
    for (Operation &op : module.getOps()) {
      if (!isDefinition(&op)) {
        builder.clone(op);
        continue;
      }
      if (owner[&op] == part) {
        Operation *clone = builder.clone(op);
        if (exported.contains(&op))
          exportFromPart(clone);
        continue;
      }
      if (imports[part].contains(&op)) {
        Operation *declaration = cloneAsDeclaration(builder, &op);
        exportFromPart(declaration);
      }
    }
  }
  return parts;
}
