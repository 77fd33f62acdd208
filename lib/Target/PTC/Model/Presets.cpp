//===- Presets.cpp - Accelerator presets embedded at build time -----------===//
//
// The JSON files under data/ptc, compiled in by EmbedPresets.cmake.
//
//===----------------------------------------------------------------------===//

#include "mlg/Target/PTC/AcceleratorModel.h"

using namespace llvm;

namespace mlg::ptc {

namespace {
struct Preset {
  StringLiteral name;
  StringLiteral json;
};
} // namespace

static constexpr Preset kPresets[] = {
#include "Presets.inc"
};

std::vector<StringRef> getPresetNames() {
  std::vector<StringRef> names;
  for (const Preset &preset : kPresets)
    names.push_back(preset.name);
  return names;
}

std::optional<StringRef> getPresetJSON(StringRef name) {
  for (const Preset &preset : kPresets)
    if (preset.name == name)
      return StringRef(preset.json);
  return std::nullopt;
}

} // namespace mlg::ptc
