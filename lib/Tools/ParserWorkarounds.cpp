//===- ParserWorkarounds.cpp - Inputs that crash MLIR's parser ------------===//

#include "mlg/Tools/ParserWorkarounds.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"

namespace mlir::mlg {

namespace {
/// Why the array after `=` at the start of `text` would crash the parser
/// or the verifier, or "" when it is safe.
std::string getCrashReason(llvm::StringRef text) {
  text = text.ltrim(" \t\r\n");
  // The generic form `{dimensions = array<i64: ...>}` parses safely.
  if (text.starts_with("array<"))
    return "";
  static const llvm::Regex wellFormed(
      "^\\[[ \t\r\n]*(-?[0-9]+([ \t\r\n]*,[ \t\r\n]*-?[0-9]+)*)?[ \t\r\n]*\\]");
  llvm::SmallVector<llvm::StringRef, 2> array;
  if (!wellFormed.match(text, &array))
    return "expected a list of integers '[a, b, ...]'";
  llvm::SmallVector<llvm::StringRef> values;
  llvm::SplitString(array[0], values, "[], \t\r\n");
  llvm::StringSet<> seen;
  for (llvm::StringRef value : values)
    if (!seen.insert(value).second)
      return ("the list repeats " + value).str();
  return "";
}
} // namespace

LogicalResult rejectKnownParserCrashes(const llvm::SourceMgr &sourceMgr,
                                       MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  llvm::StringRef whole = buffer->getBuffer();
  static const llvm::Regex keyword("(dimensions|permutation)[ \t\r\n]*=");
  llvm::StringRef rest = whole;
  llvm::SmallVector<llvm::StringRef, 2> matches;
  while (keyword.match(rest, &matches)) {
    llvm::StringRef name = matches[1];
    const char *at = matches[0].data();
    rest = rest.drop_front(at - rest.data() + matches[0].size());
    // Only the keyword itself, outside `//` comments.
    llvm::StringRef before = whole.take_front(at - whole.data());
    llvm::StringRef lineBefore = before.substr(before.rfind('\n') + 1);
    if ((!before.empty() && (llvm::isAlnum(before.back()) ||
                             before.back() == '_' || before.back() == '.')) ||
        lineBefore.contains("//"))
      continue;
    std::string reason = getCrashReason(rest);
    if (reason.empty())
      continue;
    auto [line, column] = sourceMgr.getLineAndColumn(
        llvm::SMLoc::getFromPointer(rest.ltrim(" \t\r\n").data()));
    emitError(FileLineColLoc::get(context, buffer->getBufferIdentifier(), line,
                                  column))
        << "'" << name << "': " << reason
        << " (MLIR 22's linalg parser and verifier crash on such an array)";
    return failure();
  }
  return success();
}

} // namespace mlir::mlg
