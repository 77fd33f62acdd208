//===- AcceleratorModelTest.cpp - Presets, validation, device energies ----===//

#include "mlg/Target/PTC/AcceleratorModel.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace llvm;
using namespace mlg::ptc;

namespace {

AcceleratorModel loadOrDie(StringRef name) {
  Expected<AcceleratorModel> model = loadAcceleratorModel(name);
  if (!model) {
    ADD_FAILURE() << toString(model.takeError());
    return {};
  }
  return *model;
}

/// Parses `preset` after `edit` changed its JSON; returns the error text
/// ("" if it parsed).
std::string errorAfterEdit(StringRef preset,
                           const std::function<void(json::Object &)> &edit) {
  Expected<json::Value> value = json::parse(*getPresetJSON(preset));
  if (!value)
    return "preset does not parse: " + toString(value.takeError());
  edit(*value->getAsObject());
  std::string text;
  raw_string_ostream(text) << *value;
  Expected<AcceleratorModel> model = parseAcceleratorModel(text, "edited.json");
  if (model)
    return "";
  return toString(model.takeError());
}

json::Object &sub(json::Object &o, StringRef a) { return *o.getObject(a); }

TEST(AcceleratorModel, EveryPresetLoadsAndValidates) {
  std::vector<StringRef> names = getPresetNames();
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names.front(), kDefaultPreset);
  for (StringRef name : names) {
    Expected<AcceleratorModel> model = loadAcceleratorModel(name);
    ASSERT_TRUE(static_cast<bool>(model)) << toString(model.takeError());
    EXPECT_EQ(model->name, name.str());
  }
}

TEST(AcceleratorModel, DptcHbmValuesInModelUnits) {
  AcceleratorModel m = loadOrDie("dptc-hbm");
  EXPECT_EQ(m.kind, CoreKind::Dynamic);
  EXPECT_EQ(m.tiles, 4u);
  EXPECT_EQ(m.coresPerTile, 2u);
  EXPECT_EQ(m.height, 12u);
  EXPECT_EQ(m.width, 12u);
  EXPECT_EQ(m.wavelengths, 12u);
  EXPECT_DOUBLE_EQ(m.clockGHz, 5.0);
  EXPECT_EQ(m.timeAccumulation, 3u);
  // Intrinsic [48 x 24] . [24 x 12] = 13,824 MAC per cycle.
  EXPECT_EQ(m.macsPerCycle(), 13824u);
  // 1 TiB/s = 2^40 B/s = 1099.511627776 bytes per ns.
  EXPECT_DOUBLE_EQ(m.dram.bandwidthGBps, 1099.511627776);
  EXPECT_DOUBLE_EQ(m.dram.energyPerBitPJ, 3.9);
  EXPECT_DOUBLE_EQ(m.dram.accessLatencyNs, 20.0);
  EXPECT_EQ(m.globalSram.sizeBytes, 2u * 1024 * 1024);
  EXPECT_DOUBLE_EQ(m.globalSram.bandwidthGBps, 7300.0);
  EXPECT_EQ(m.getLocal(LocalBuffer::Wgt).sizeBytes, 256u * 1024);
  EXPECT_EQ(m.getLocal(LocalBuffer::Basis).sizeBytes, 16u * 1024);
  EXPECT_EQ(m.getLocal(LocalBuffer::Coeff).sizeBytes, 64u * 1024);
  EXPECT_DOUBLE_EQ(m.getLocal(LocalBuffer::Acc).energyPerBitPJ, 0.0575);
}

TEST(AcceleratorModel, EdgeAndWeightStationaryPresets) {
  AcceleratorModel edge = loadOrDie("dptc-edge-lpddr");
  EXPECT_DOUBLE_EQ(edge.dram.bandwidthGBps, 25.6);
  EXPECT_DOUBLE_EQ(edge.dram.energyPerBitPJ, 20.0);
  AcceleratorModel ws = loadOrDie("mzi-ws");
  EXPECT_EQ(ws.kind, CoreKind::WeightStationary);
  EXPECT_EQ(ws.wavelengths, 1u);
  EXPECT_DOUBLE_EQ(ws.programTimeNs, 2000.0); // "2 us"
  EXPECT_EQ(ws.shiftersPerCore, 144u);
  // Weight-stationary intrinsic: [48 x 24] block against 1 input vector.
  EXPECT_EQ(ws.intrinsicRows(), 48u);
  EXPECT_EQ(ws.intrinsicReduction(), 24u);
  EXPECT_EQ(ws.intrinsicColumns(), 1u);
}

TEST(AcceleratorModel, DeviceEnergiesMatchTheSources) {
  AcceleratorModel m = loadOrDie("dptc-hbm");
  // DAC (SimPhony scaling 2^b/(b+1)): 50 mW / 14 GHz * (16/5) / (256/9)
  // = 3.5714 * 0.1125 = 0.40179 pJ at 4 bits; 3.5714 pJ at 8 bits.
  EXPECT_NEAR(m.dacEnergyPJ(4), 50.0 / 14.0 * 0.1125, 1e-12);
  EXPECT_NEAR(m.dacEnergyPJ(8), 50.0 / 14.0, 1e-12);
  // ADC: 14.8 mW / 10 GHz = 1.48 pJ at 8 bits, linear: 0.74 pJ at 4 bits.
  EXPECT_NEAR(m.adcEnergyPJ(8), 1.48, 1e-12);
  EXPECT_NEAR(m.adcEnergyPJ(4), 0.74, 1e-12);
  // Laser (LT cal_laser_power): -25 + 4.22 + 10 log10(144) = 0.8036 dBm
  // = 1.2035 mW; / 0.2 * 2^4 = 96.3 mW per core (photonic-core.md: 96 mW).
  EXPECT_NEAR(m.laserPowerMW(4), 96.3, 0.1);
  EXPECT_NEAR(m.laserPowerMW(8), 96.3 * 16, 1.5); // 1.54 W
}

TEST(AcceleratorModel, LoadsAUserFile) {
  SmallString<128> path;
  ASSERT_FALSE(sys::fs::createTemporaryFile("ptc-model", "json", path));
  {
    std::error_code ec;
    raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    Expected<json::Value> value = json::parse(*getPresetJSON("dptc-hbm"));
    ASSERT_TRUE(static_cast<bool>(value));
    json::Object &root = *value->getAsObject();
    root["name"] = "custom";
    sub(root, "core")["clock"] = "2500 MHz";
    os << *value;
  }
  Expected<AcceleratorModel> model = loadAcceleratorModel(path);
  sys::fs::remove(path);
  ASSERT_TRUE(static_cast<bool>(model)) << toString(model.takeError());
  EXPECT_EQ(model->name, "custom");
  EXPECT_DOUBLE_EQ(model->clockGHz, 2.5);
}

TEST(AcceleratorModel, UnknownNameOrPathIsAnError) {
  Expected<AcceleratorModel> model = loadAcceleratorModel("no-such-preset");
  ASSERT_FALSE(static_cast<bool>(model));
  std::string message = toString(model.takeError());
  EXPECT_NE(message.find("neither a preset (dptc-hbm, dptc-edge-lpddr, "
                         "mzi-ws) nor a readable file"),
            std::string::npos)
      << message;
}

TEST(AcceleratorModel, BadFilesNameTheField) {
  struct Case {
    const char *preset;
    std::function<void(json::Object &)> edit;
    const char *expected;
  };
  const Case cases[] = {
      {"dptc-hbm", [](json::Object &r) { sub(r, "core")["rows"] = 3; },
       "edited.json: core.rows: unknown field"},
      {"dptc-hbm", [](json::Object &r) { r["extra"] = true; },
       "edited.json: extra: unknown field"},
      {"dptc-hbm",
       [](json::Object &r) {
         sub(sub(r, "memory"), "dram").erase("bandwidth");
       },
       "edited.json: memory.dram.bandwidth: missing required field"},
      {"dptc-hbm",
       [](json::Object &r) {
         sub(sub(r, "energy"), "modulator")["energy_per_symbol"] = "0.45 mW";
       },
       "edited.json: energy.modulator.energy_per_symbol: expected an energy "
       "as \"<number> <unit>\" with unit one of fJ, pJ, nJ, uJ, got unit "
       "\"mW\""},
      {"dptc-hbm",
       [](json::Object &r) {
         sub(sub(sub(r, "memory"), "local"), "wgt")["size"] = "256 KiB/s";
       },
       "edited.json: memory.local.wgt.size: expected a size"},
      {"dptc-hbm",
       [](json::Object &r) {
         sub(sub(r, "memory"), "global_sram")["size"] = "1.5 B";
       },
       "edited.json: memory.global_sram.size: must be a whole number of "
       "bytes"},
      {"dptc-hbm", [](json::Object &r) { sub(r, "core")["clock"] = 5; },
       "edited.json: core.clock: expected a frequency"},
      {"dptc-hbm",
       [](json::Object &r) { sub(r, "precision")["sign_passes"] = 3; },
       "edited.json: precision.sign_passes: 3 is out of range [1, 2]"},
      {"dptc-hbm", [](json::Object &r) { sub(r, "core")["tiles"] = "4"; },
       "edited.json: core.tiles: expected an integer"},
      {"dptc-hbm",
       [](json::Object &r) {
         sub(sub(r, "memory"), "dram")["energy"] = "-1 pJ/bit";
       },
       "edited.json: memory.dram.energy: must not be negative"},
      {"dptc-hbm", [](json::Object &r) { sub(r, "core")["kind"] = "mzi"; },
       "edited.json: core.kind: expected one of \"dynamic\", "
       "\"weight-stationary\""},
      {"dptc-hbm", [](json::Object &r) { sub(r, "precision")["adc_bits"] = 2; },
       "edited.json: precision.adc_bits: must be at least max(input_bits, "
       "weight_bits)"},
      {"dptc-hbm",
       [](json::Object &r) {
         r["programming"] = json::Object{{"time", "2 us"}};
       },
       "edited.json: programming: only a weight-stationary core is "
       "programmed"},
      {"mzi-ws", [](json::Object &r) { r.erase("programming"); },
       "edited.json: programming: missing required field"},
      {"dptc-hbm",
       [](json::Object &r) {
         sub(sub(r, "energy"), "laser")["power_per_core"] = "96 mW";
       },
       // The link-budget fields may not accompany a fixed power.
       "edited.json: energy.laser.insertion_loss: unknown field"},
  };
  for (const Case &c : cases) {
    std::string message = errorAfterEdit(c.preset, c.edit);
    EXPECT_EQ(message.rfind(c.expected, 0), 0u)
        << "expected: " << c.expected << "\n     got: " << message;
  }
}

TEST(AcceleratorModel, FixedLaserPower) {
  Expected<json::Value> value = json::parse(*getPresetJSON("dptc-hbm"));
  ASSERT_TRUE(static_cast<bool>(value));
  sub(sub(*value->getAsObject(), "energy"), "laser") =
      json::Object{{"power_per_core", "96 mW"}};
  std::string text;
  raw_string_ostream(text) << *value;
  Expected<AcceleratorModel> model = parseAcceleratorModel(text, "fixed");
  ASSERT_TRUE(static_cast<bool>(model)) << toString(model.takeError());
  EXPECT_DOUBLE_EQ(model->laserPowerMW(4), 96.0);
  EXPECT_DOUBLE_EQ(model->laserPowerMW(8), 96.0);
}

TEST(AcceleratorModel, InvalidJSONIsAnError) {
  Expected<AcceleratorModel> model = parseAcceleratorModel("{", "broken.json");
  ASSERT_FALSE(static_cast<bool>(model));
  EXPECT_EQ(toString(model.takeError()).rfind("broken.json: invalid JSON", 0),
            0u);
}

} // namespace
