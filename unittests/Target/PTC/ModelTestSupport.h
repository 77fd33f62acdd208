//===- ModelTestSupport.h - Helpers of the PTC model tests -------*- C++ -*-===//

#ifndef MLG_UNITTESTS_TARGET_PTC_MODELTESTSUPPORT_H
#define MLG_UNITTESTS_TARGET_PTC_MODELTESTSUPPORT_H

#include "mlg/Target/PTC/AcceleratorModel.h"

#include "llvm/Support/Error.h"

#include <gtest/gtest.h>

namespace mlg::ptc::testing {

/// The preset or file `name`; a test failure (and a default model) if it does
/// not load.
inline AcceleratorModel load(llvm::StringRef name) {
  llvm::Expected<AcceleratorModel> model = loadAcceleratorModel(name);
  if (!model) {
    ADD_FAILURE() << llvm::toString(model.takeError());
    return {};
  }
  return *model;
}

/// The value, or a test failure (and a default value) for an error.
template <typename T> T unwrap(llvm::Expected<T> value) {
  if (!value) {
    ADD_FAILURE() << llvm::toString(value.takeError());
    return T{};
  }
  return std::move(*value);
}

} // namespace mlg::ptc::testing

#endif // MLG_UNITTESTS_TARGET_PTC_MODELTESTSUPPORT_H
