//===- ResidentMemory.cpp - Resident set size of this process (Linux) -----===//

#include "ResidentMemory.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <fstream>

namespace mlg::run {

namespace {
/// The value of a "Name:   1234 kB" line of /proc/self/status, in bytes.
llvm::Expected<uint64_t> statusField(llvm::StringRef status,
                                     llvm::StringRef name) {
  for (llvm::StringRef line : llvm::split(status, '\n')) {
    if (!line.consume_front(name) || !line.consume_front(":"))
      continue;
    uint64_t kib = 0;
    line = line.trim();
    if (line.consumeInteger(10, kib) || line.trim() != "kB")
      break;
    return kib * 1024;
  }
  return llvm::createStringError("no '" + name + "' line in /proc/self/status");
}
} // namespace

llvm::Expected<ResidentMemory> readResidentMemory() {
  // /proc files report a size of 0: read them as a stream.
  auto buffer = llvm::MemoryBuffer::getFileAsStream("/proc/self/status");
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "cannot read /proc/self/status");
  llvm::StringRef status = (*buffer)->getBuffer();
  llvm::Expected<uint64_t> current = statusField(status, "VmRSS");
  if (!current)
    return current.takeError();
  llvm::Expected<uint64_t> peak = statusField(status, "VmHWM");
  if (!peak)
    return peak.takeError();
  return ResidentMemory{*current, *peak};
}

llvm::Error resetPeakResidentMemory() {
  std::ofstream clearRefs("/proc/self/clear_refs");
  clearRefs << "5";
  clearRefs.flush();
  if (!clearRefs)
    return llvm::createStringError(
        "cannot reset the peak resident size (/proc/self/clear_refs)");
  return llvm::Error::success();
}

} // namespace mlg::run
