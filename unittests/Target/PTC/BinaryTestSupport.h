//===- BinaryTestSupport.h - Helpers of the PTC binary tests ----*- C++ -*-===//

#ifndef MLG_UNITTESTS_TARGET_PTC_BINARYTESTSUPPORT_H
#define MLG_UNITTESTS_TARGET_PTC_BINARYTESTSUPPORT_H

#include "mlg/Target/PTC/Binary.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlg::ptc::testing {

/// readBinary's error message for `bytes`, or "" when they load.
inline std::string readError(const std::vector<uint8_t> &bytes) {
  llvm::Expected<bin::Program> program = bin::readBinary(bytes);
  if (program)
    return "";
  return llvm::toString(program.takeError());
}

/// Overwrites the little-endian 32-bit field at byte `at` (corruptions).
inline void put32(std::vector<uint8_t> &bytes, size_t at, uint32_t value) {
  llvm::support::endian::write32le(bytes.data() + at, value);
}

} // namespace mlg::ptc::testing

#endif // MLG_UNITTESTS_TARGET_PTC_BINARYTESTSUPPORT_H
