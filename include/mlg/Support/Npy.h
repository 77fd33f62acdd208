//===- Npy.h - Reading and writing float32 .npy files -----------*- C++ -*-===//
//
// The NumPy .npy format (versions 1.0, 2.0 and 3.0) restricted to what the
// MLG runners exchange: little-endian float32 ('<f4'), C order.
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
//
//===----------------------------------------------------------------------===//

#ifndef MLG_SUPPORT_NPY_H
#define MLG_SUPPORT_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlg::npy {

/// A dense, row-major float32 array.
struct Float32Array {
  std::vector<int64_t> shape; // empty for a scalar
  std::vector<float> data;
};

/// Number of elements of `shape` (1 for a scalar), saturated at INT64_MAX
/// (a file header may claim any shape).
int64_t numElements(llvm::ArrayRef<int64_t> shape);

/// Parses the bytes of an .npy file. `name` (usually the path) prefixes
/// every error message.
llvm::Expected<Float32Array> parseFloat32(llvm::StringRef bytes,
                                          llvm::StringRef name);

/// Reads and parses an .npy file.
llvm::Expected<Float32Array> readFloat32(llvm::StringRef path);

/// Serializes an array as an .npy 1.0 file (2.0 if the header needs it).
std::string serializeFloat32(llvm::ArrayRef<int64_t> shape,
                             llvm::ArrayRef<float> data);

/// Writes an .npy file atomically (temporary file, then rename).
llvm::Error writeFloat32(llvm::StringRef path, llvm::ArrayRef<int64_t> shape,
                         llvm::ArrayRef<float> data);

/// "(1, 3, 8, 8)" as numpy prints shapes.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

} // namespace mlg::npy

#endif // MLG_SUPPORT_NPY_H
