//===- npy-fuzzer.cpp - libFuzzer target for the .npy reader --------------===//
//
// Feeds arbitrary bytes to npy::parseFloat32 (what ptc-sim --input and
// mlg-run read). Any input must give an array or an error, never a crash
// or a huge allocation; an accepted array must survive a write/read round
// trip unchanged.
//
//===----------------------------------------------------------------------===//

#include "mlg/Support/Npy.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::Expected<mlg::npy::Float32Array> array =
      mlg::npy::parseFloat32(bytes, "fuzz.npy");
  if (!array) {
    llvm::consumeError(array.takeError());
    return 0;
  }
  // The reader's promise: data holds exactly the shape's elements.
  if (static_cast<int64_t>(array->data.size()) !=
      mlg::npy::numElements(array->shape))
    abort();
  std::string again = mlg::npy::serializeFloat32(array->shape, array->data);
  llvm::Expected<mlg::npy::Float32Array> reread =
      mlg::npy::parseFloat32(again, "roundtrip.npy");
  if (!reread || reread->shape != array->shape ||
      reread->data.size() != array->data.size() ||
      (!array->data.empty() &&
       std::memcmp(reread->data.data(), array->data.data(),
                  array->data.size() * sizeof(float)) != 0))
    abort();
  return 0;
}
