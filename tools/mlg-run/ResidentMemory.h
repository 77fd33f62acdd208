//===- ResidentMemory.h - Resident set size of this process (Linux) -------===//
//
// Reads VmRSS / VmHWM from /proc/self/status and resets the high-water mark
// through /proc/self/clear_refs, so that mlg-run can report the peak
// resident memory of one run of a model.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TOOLS_MLG_RUN_RESIDENTMEMORY_H
#define MLG_TOOLS_MLG_RUN_RESIDENTMEMORY_H

#include "llvm/Support/Error.h"

#include <cstdint>

namespace mlg::run {

struct ResidentMemory {
  uint64_t currentBytes; // VmRSS
  uint64_t peakBytes; // VmHWM: the largest VmRSS since start or the last reset
};

/// The current and peak resident set size of this process.
llvm::Expected<ResidentMemory> readResidentMemory();

/// Sets the peak (VmHWM) to the current resident size (Linux >= 4.0).
llvm::Error resetPeakResidentMemory();

} // namespace mlg::run

#endif // MLG_TOOLS_MLG_RUN_RESIDENTMEMORY_H
