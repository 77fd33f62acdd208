//===- ModelReader.cpp - Strict JSON field reader with units --------------===//

#include "ModelReader.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace llvm;

namespace mlg::ptc::detail {

namespace {
struct UnitFactor {
  StringLiteral unit;
  double factor; // to the canonical unit
};
} // namespace

static ArrayRef<UnitFactor> getUnits(Dimension dim) {
  static const UnitFactor energy[] = {
      {"fJ", 1e-3}, {"pJ", 1}, {"nJ", 1e3}, {"uJ", 1e6}};
  static const UnitFactor energyPerBit[] = {
      {"fJ/bit", 1e-3}, {"pJ/bit", 1}, {"nJ/bit", 1e3}};
  static const UnitFactor power[] = {{"uW", 1e-3}, {"mW", 1}, {"W", 1e3}};
  static const UnitFactor frequency[] = {{"MHz", 1e-3}, {"GHz", 1}};
  static const UnitFactor time[] = {
      {"ps", 1e-3}, {"ns", 1}, {"us", 1e3}, {"ms", 1e6}};
  // GB/s is bytes per ns. Binary prefixes are exact powers of two.
  static const UnitFactor bandwidth[] = {{"MB/s", 1e-3},
                                         {"GB/s", 1},
                                         {"TB/s", 1e3},
                                         {"MiB/s", 1048576e-9},
                                         {"GiB/s", 1073741824e-9},
                                         {"TiB/s", 1099511627776e-9},
                                         {"Gb/s", 0.125}};
  static const UnitFactor size[] = {{"B", 1},         {"KiB", 1024},
                                    {"MiB", 1048576}, {"GiB", 1073741824},
                                    {"kB", 1000},     {"MB", 1e6}};
  static const UnitFactor powerLevel[] = {{"dBm", 1}};
  static const UnitFactor loss[] = {{"dB", 1}};
  switch (dim) {
  case Dimension::Energy:
    return energy;
  case Dimension::EnergyPerBit:
    return energyPerBit;
  case Dimension::Power:
    return power;
  case Dimension::Frequency:
    return frequency;
  case Dimension::Time:
    return time;
  case Dimension::Bandwidth:
    return bandwidth;
  case Dimension::Size:
    return size;
  case Dimension::PowerLevel:
    return powerLevel;
  case Dimension::Loss:
    return loss;
  }
  llvm_unreachable("unknown dimension");
}

static StringRef getDimensionName(Dimension dim) {
  switch (dim) {
  case Dimension::Energy:
    return "an energy";
  case Dimension::EnergyPerBit:
    return "an energy per bit";
  case Dimension::Power:
    return "a power";
  case Dimension::Frequency:
    return "a frequency";
  case Dimension::Time:
    return "a time";
  case Dimension::Bandwidth:
    return "a bandwidth";
  case Dimension::Size:
    return "a size";
  case Dimension::PowerLevel:
    return "an optical power level";
  case Dimension::Loss:
    return "a loss";
  }
  llvm_unreachable("unknown dimension");
}

static std::string describeExpected(Dimension dim) {
  std::string units;
  for (const UnitFactor &u : getUnits(dim)) {
    if (!units.empty())
      units += ", ";
    units += u.unit.str();
  }
  return formatv("expected {0} as \"<number> <unit>\" with unit one of {1}",
                 getDimensionName(dim), units)
      .str();
}

Expected<double> parseQuantity(StringRef text, Dimension dim) {
  auto [numberText, unitText] = text.trim().split(' ');
  numberText = numberText.trim();
  unitText = unitText.trim();
  double value;
  if (numberText.empty() || numberText.getAsDouble(value) ||
      !std::isfinite(value))
    return createStringError(describeExpected(dim) + ", got \"" + text + "\"");
  for (const UnitFactor &u : getUnits(dim))
    if (u.unit == unitText)
      return value * u.factor;
  return createStringError(describeExpected(dim) + ", got unit \"" + unitText +
                           "\"");
}

void ReadStatus::fail(StringRef path, const Twine &message) {
  if (!error)
    error = (source + ": " + path + ": " + message).str();
}

Error ReadStatus::take() {
  if (!error)
    return Error::success();
  return createStringError(*error);
}

std::string ObjectReader::fieldPath(StringRef key) const {
  return path.empty() ? key.str() : path + "." + key.str();
}

void ObjectReader::fail(StringRef key, const Twine &message) {
  status.fail(fieldPath(key), message);
}

const json::Value *ObjectReader::lookup(StringRef key) {
  consumed.push_back(key.str());
  const json::Value *value = object.get(key);
  if (!value)
    fail(key, "missing required field");
  return value;
}

unsigned ObjectReader::integer(StringRef key, int64_t minValue,
                               int64_t maxValue) {
  const json::Value *value = lookup(key);
  if (!value)
    return 0;
  std::optional<int64_t> n = value->getAsInteger();
  if (!n) {
    fail(key, "expected an integer");
    return 0;
  }
  if (*n < minValue || *n > maxValue) {
    fail(key, formatv("{0} is out of range [{1}, {2}]", *n, minValue, maxValue)
                  .str());
    return 0;
  }
  return static_cast<unsigned>(*n);
}

double ObjectReader::number(StringRef key, double minValue, double maxValue) {
  const json::Value *value = lookup(key);
  if (!value)
    return 0;
  std::optional<double> n = value->getAsNumber();
  if (!n) {
    fail(key, "expected a number");
    return 0;
  }
  if (*n < minValue || *n > maxValue) {
    fail(key, formatv("{0} is out of range [{1}, {2}]", *n, minValue, maxValue)
                  .str());
    return 0;
  }
  return *n;
}

double ObjectReader::signedQuantity(StringRef key, Dimension dim) {
  const json::Value *value = lookup(key);
  if (!value)
    return 0;
  std::optional<StringRef> text = value->getAsString();
  if (!text) {
    fail(key, describeExpected(dim));
    return 0;
  }
  Expected<double> parsed = parseQuantity(*text, dim);
  if (!parsed) {
    fail(key, toString(parsed.takeError()));
    return 0;
  }
  return *parsed;
}

double ObjectReader::quantity(StringRef key, Dimension dim,
                              bool strictlyPositive) {
  double v = signedQuantity(key, dim);
  if (status.error)
    return 0;
  if (v < 0 || (strictlyPositive && v == 0)) {
    fail(key, strictlyPositive ? "must be positive" : "must not be negative");
    return 0;
  }
  return v;
}

uint64_t ObjectReader::size(StringRef key) {
  double bytes = quantity(key, Dimension::Size, /*strictlyPositive=*/true);
  if (status.error)
    return 0;
  if (bytes != std::floor(bytes) || bytes >= std::ldexp(1.0, 50)) {
    fail(key, "must be a whole number of bytes below 2^50");
    return 0;
  }
  return static_cast<uint64_t>(bytes);
}

std::string ObjectReader::string(StringRef key) {
  const json::Value *value = lookup(key);
  if (!value)
    return {};
  std::optional<StringRef> text = value->getAsString();
  if (!text) {
    fail(key, "expected a string");
    return {};
  }
  return text->str();
}

unsigned ObjectReader::choice(StringRef key, ArrayRef<StringRef> choices) {
  const json::Value *value = lookup(key);
  if (!value)
    return 0;
  std::optional<StringRef> text = value->getAsString();
  auto it = text ? llvm::find(choices, *text) : choices.end();
  if (it == choices.end()) {
    fail(key, "expected one of \"" + llvm::join(choices, "\", \"") + "\"");
    return 0;
  }
  return static_cast<unsigned>(it - choices.begin());
}

ObjectReader ObjectReader::child(StringRef key) {
  static const json::Object empty;
  const json::Value *value = lookup(key);
  const json::Object *nested = value ? value->getAsObject() : nullptr;
  if (value && !nested)
    fail(key, "expected an object");
  return ObjectReader(nested ? *nested : empty, fieldPath(key), status);
}

void ObjectReader::finish() {
  // Sorted for a deterministic report (json::Object is a hash map).
  std::vector<std::string> unknown;
  for (const auto &entry : object)
    if (!llvm::is_contained(consumed, entry.first.str()))
      unknown.push_back(entry.first.str());
  std::sort(unknown.begin(), unknown.end());
  if (!unknown.empty())
    fail(unknown.front(), "unknown field");
}

} // namespace mlg::ptc::detail
