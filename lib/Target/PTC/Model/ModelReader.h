//===- ModelReader.h - Strict JSON field reader with units ------*- C++ -*-===//
//
// Reads one JSON object field by field, remembering the dotted path of each
// field, so that every error names it ("memory.dram.bandwidth"). Unknown and
// missing keys are errors. Quantities are strings "<number> <unit>" and are
// converted to the model's unit system (pJ, mW, ns, GHz, GB/s, bytes).
// Private to MLGPTCModel.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_LIB_TARGET_PTC_MODEL_MODELREADER_H
#define MLG_LIB_TARGET_PTC_MODEL_MODELREADER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlg::ptc::detail {

/// Physical dimension of a quantity field, with its canonical unit.
enum class Dimension {
  Energy,       // pJ
  EnergyPerBit, // pJ/bit
  Power,        // mW
  Frequency,    // GHz
  Time,         // ns
  Bandwidth,    // GB/s
  Size,         // bytes
  PowerLevel,   // dBm
  Loss,         // dB
};

/// Converts "<number> <unit>" to the canonical unit of `dim`; the error
/// message (without path) lists the accepted units.
llvm::Expected<double> parseQuantity(llvm::StringRef text, Dimension dim);

/// The first error found while reading; later ones are dropped so that the
/// report names the field that broke first.
struct ReadStatus {
  std::string source;
  std::optional<std::string> error;
  void fail(llvm::StringRef path, const llvm::Twine &message);
  llvm::Error take();
};

class ObjectReader {
public:
  ObjectReader(const llvm::json::Object &object, std::string path,
               ReadStatus &status)
      : object(object), path(std::move(path)), status(status) {}

  bool has(llvm::StringRef key) const { return object.get(key) != nullptr; }
  std::string fieldPath(llvm::StringRef key) const;

  /// Integer in [minValue, maxValue]; 0 on error.
  unsigned integer(llvm::StringRef key, int64_t minValue, int64_t maxValue);
  /// Plain number in [minValue, maxValue]; 0 on error.
  double number(llvm::StringRef key, double minValue, double maxValue);
  /// Quantity of `dim` that must be >= minValue (canonical units); when
  /// `strictlyPositive`, it must also be > 0.
  double quantity(llvm::StringRef key, Dimension dim, bool strictlyPositive);
  /// Quantity with no sign restriction (dBm, dB).
  double signedQuantity(llvm::StringRef key, Dimension dim);
  /// Size quantity: a positive whole number of bytes below 2^50.
  uint64_t size(llvm::StringRef key);
  std::string string(llvm::StringRef key);
  /// One of `choices`; returns its index (0 on error).
  unsigned choice(llvm::StringRef key, llvm::ArrayRef<llvm::StringRef> choices);
  /// Nested object; on error returns a reader over an empty object.
  ObjectReader child(llvm::StringRef key);

  /// Reports keys that no accessor asked for.
  void finish();

private:
  const llvm::json::Value *lookup(llvm::StringRef key);
  void fail(llvm::StringRef key, const llvm::Twine &message);

  const llvm::json::Object &object;
  std::string path;
  ReadStatus &status;
  std::vector<std::string> consumed;
};

} // namespace mlg::ptc::detail

#endif // MLG_LIB_TARGET_PTC_MODEL_MODELREADER_H
