//===- AcceleratorModel.cpp - Loading and validating a PTC model ----------===//

#include "mlg/Target/PTC/AcceleratorModel.h"

#include "ModelReader.h"

#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

using namespace llvm;
using mlg::ptc::detail::Dimension;
using mlg::ptc::detail::ObjectReader;
using mlg::ptc::detail::ReadStatus;

namespace mlg::ptc {

StringRef getLocalBufferName(LocalBuffer buffer) {
  switch (buffer) {
  case LocalBuffer::Uop:
    return "uop";
  case LocalBuffer::Inp:
    return "inp";
  case LocalBuffer::Wgt:
    return "wgt";
  case LocalBuffer::Acc:
    return "acc";
  case LocalBuffer::Basis:
    return "basis";
  case LocalBuffer::Coeff:
    return "coeff";
  }
  llvm_unreachable("unknown local buffer");
}

static double dacShape(DacScaling scaling, unsigned bits) {
  double levels = std::ldexp(1.0, static_cast<int>(bits));
  return scaling == DacScaling::Pow2OverBits ? levels / bits
                                             : levels / (bits + 1);
}

double AcceleratorModel::dacEnergyPJ(unsigned bits) const {
  // Power scales with the sample rate, so the energy per conversion is the
  // reference power over the reference rate, scaled by resolution.
  return dacReferencePowerMW / dacReferenceRateGHz *
         dacShape(dacScaling, bits) / dacShape(dacScaling, dacReferenceBits);
}

double AcceleratorModel::adcEnergyPJ(unsigned bits) const {
  return adcReferencePowerMW / adcReferenceRateGHz * bits / adcReferenceBits;
}

double AcceleratorModel::laserPowerMW(unsigned outputBits) const {
  if (laserPowerPerCoreMW)
    return *laserPowerPerCoreMW;
  double requiredDBm = laserSensitivityDBm + laserInsertionLossDB +
                       10.0 * std::log10(static_cast<double>(laserSplitWays));
  return std::pow(10.0, requiredDBm / 10.0) / laserWallPlugEfficiency *
         std::ldexp(1.0, static_cast<int>(outputBits));
}

namespace {
/// Reads every section into an AcceleratorModel; the first error wins.
class ModelParser {
public:
  explicit ModelParser(ReadStatus &status) : status(status) {}

  AcceleratorModel parse(const json::Object &root) {
    AcceleratorModel m;
    ObjectReader top(root, "", status);
    m.name = top.string("name");
    m.description = top.string("description");
    readCore(top.child("core"), m);
    readPrecision(top.child("precision"), m);
    readEnergy(top.child("energy"), m);
    readMemory(top.child("memory"), m);
    if (m.kind == CoreKind::WeightStationary) {
      readProgramming(top.child("programming"), m);
    } else if (top.has("programming")) {
      status.fail(top.fieldPath("programming"),
                  "only a weight-stationary core is programmed");
    }
    readNoise(top.child("noise"), m);
    top.finish();
    checkConsistency(top, m);
    return m;
  }

private:
  static constexpr int64_t kMaxDim = 1 << 16;

  void readCore(ObjectReader r, AcceleratorModel &m) {
    m.kind = r.choice("kind", {"dynamic", "weight-stationary"}) == 0
                 ? CoreKind::Dynamic
                 : CoreKind::WeightStationary;
    m.tiles = r.integer("tiles", 1, kMaxDim);
    m.coresPerTile = r.integer("cores_per_tile", 1, kMaxDim);
    m.height = r.integer("height", 1, kMaxDim);
    m.width = r.integer("width", 1, kMaxDim);
    m.wavelengths = r.integer("wavelengths", 1, kMaxDim);
    m.clockGHz = r.quantity("clock", Dimension::Frequency, true);
    r.finish();
  }

  void readPrecision(ObjectReader r, AcceleratorModel &m) {
    m.inputBits = r.integer("input_bits", 1, 16);
    m.weightBits = r.integer("weight_bits", 1, 16);
    m.adcBits = r.integer("adc_bits", 1, 16);
    m.timeAccumulation = r.integer("time_accumulation", 1, 1024);
    m.signPasses = r.integer("sign_passes", 1, 2);
    m.accumulatorBits = r.integer("accumulator_bits", 8, 64);
    r.finish();
  }

  void readEnergy(ObjectReader r, AcceleratorModel &m) {
    ObjectReader dac = r.child("dac");
    m.dacReferencePowerMW =
        dac.quantity("reference_power", Dimension::Power, true);
    m.dacReferenceRateGHz =
        dac.quantity("reference_rate", Dimension::Frequency, true);
    m.dacReferenceBits = dac.integer("reference_bits", 1, 16);
    m.dacScaling = dac.choice("scaling", {"pow2-over-bits",
                                          "pow2-over-bits-plus-one"}) == 0
                       ? DacScaling::Pow2OverBits
                       : DacScaling::Pow2OverBitsPlusOne;
    dac.finish();

    ObjectReader mod = r.child("modulator");
    m.modulatorEnergyPJ =
        mod.quantity("energy_per_symbol", Dimension::Energy, false);
    mod.finish();

    ObjectReader router = r.child("wdm_router");
    m.wdmRouterPowerMW =
        router.quantity("static_power", Dimension::Power, false);
    m.wdmRoutersPerChannel = router.integer("per_channel", 0, 16);
    router.finish();

    ObjectReader adc = r.child("adc");
    m.adcReferencePowerMW =
        adc.quantity("reference_power", Dimension::Power, true);
    m.adcReferenceRateGHz =
        adc.quantity("reference_rate", Dimension::Frequency, true);
    m.adcReferenceBits = adc.integer("reference_bits", 1, 16);
    adc.finish();

    ObjectReader pd = r.child("photodetector");
    m.photodetectorPowerMW = pd.quantity("power", Dimension::Power, false);
    m.photodetectorsPerReadout = pd.integer("per_readout", 1, 2);
    pd.finish();

    ObjectReader tia = r.child("tia");
    m.tiaPowerMW = tia.quantity("power", Dimension::Power, false);
    tia.finish();

    ObjectReader laser = r.child("laser");
    if (laser.has("power_per_core")) {
      m.laserPowerPerCoreMW =
          laser.quantity("power_per_core", Dimension::Power, false);
    } else {
      m.laserSensitivityDBm =
          laser.signedQuantity("sensitivity", Dimension::PowerLevel);
      m.laserInsertionLossDB =
          laser.quantity("insertion_loss", Dimension::Loss, false);
      m.laserWallPlugEfficiency =
          laser.number("wall_plug_efficiency", 1e-3, 1.0);
      m.laserSplitWays = laser.integer("split_ways", 1, 1 << 20);
    }
    laser.finish();

    ObjectReader digital = r.child("digital");
    m.digitalAddPJ = digital.quantity("add", Dimension::Energy, false);
    m.digitalMultiplyPJ =
        digital.quantity("multiply", Dimension::Energy, false);
    m.digitalShiftAddPJ =
        digital.quantity("shift_add", Dimension::Energy, false);
    m.aluLanes = digital.integer("alu_lanes", 1, kMaxDim);
    digital.finish();
    r.finish();
  }

  void readLevel(ObjectReader r, MemoryLevelSpec &level, bool hasSize) {
    if (hasSize)
      level.sizeBytes = r.size("size");
    level.bandwidthGBps = r.quantity("bandwidth", Dimension::Bandwidth, true);
    level.energyPerBitPJ = r.quantity("energy", Dimension::EnergyPerBit, false);
    level.accessLatencyNs =
        r.quantity("access_latency", Dimension::Time, false);
    if (r.has("outstanding_requests"))
      level.outstandingRequests = r.integer("outstanding_requests", 1, 4096);
    r.finish();
  }

  void readMemory(ObjectReader r, AcceleratorModel &m) {
    readLevel(r.child("dram"), m.dram, /*hasSize=*/false);
    readLevel(r.child("global_sram"), m.globalSram, /*hasSize=*/true);
    ObjectReader local = r.child("local");
    for (unsigned i = 0; i < kNumLocalBuffers; ++i) {
      ObjectReader buffer =
          local.child(getLocalBufferName(static_cast<LocalBuffer>(i)));
      m.local[i].sizeBytes = buffer.size("size");
      m.local[i].energyPerBitPJ =
          buffer.quantity("energy", Dimension::EnergyPerBit, false);
      buffer.finish();
    }
    local.finish();
    r.finish();
  }

  void readProgramming(ObjectReader r, AcceleratorModel &m) {
    m.programTimeNs = r.quantity("time", Dimension::Time, true);
    m.shiftersPerCore = r.integer("shifters_per_core", 1, 1 << 24);
    m.shifterPowerMW = r.quantity("shifter_power", Dimension::Power, false);
    r.finish();
  }

  void readNoise(ObjectReader r, AcceleratorModel &m) {
    m.noiseInputStd = r.number("input_std", 0, 1);
    m.noiseWeightStd = r.number("weight_std", 0, 1);
    m.noiseOutputStd = r.number("output_std", 0, 1);
    m.noisePhaseStd = r.number("phase_std", 0, 1);
    m.noiseGammaStd = r.number("gamma_std", 0, 1);
    m.noiseCrosstalk = r.number("crosstalk_factor", 0, 1);
    r.finish();
  }

  /// Cross-field rules that no single field can check.
  void checkConsistency(ObjectReader &top, const AcceleratorModel &m) {
    if (status.error)
      return;
    // An ADC conversion must be able to resolve the converter inputs.
    if (m.adcBits < std::max(m.inputBits, m.weightBits))
      status.fail(top.fieldPath("precision.adc_bits"),
                  "must be at least max(input_bits, weight_bits)");
    if (m.accumulatorBits < m.adcBits)
      status.fail(top.fieldPath("precision.accumulator_bits"),
                  "must be at least adc_bits");
    if (m.kind == CoreKind::WeightStationary && m.timeAccumulation != 1)
      status.fail(top.fieldPath("precision.time_accumulation"),
                  "a weight-stationary mesh reads out every cycle (must be 1)");
  }

  ReadStatus &status;
};
} // namespace

Expected<AcceleratorModel> parseAcceleratorModel(StringRef json,
                                                 StringRef sourceName) {
  Expected<json::Value> value = json::parse(json);
  if (!value)
    return createStringError(sourceName +
                             ": invalid JSON: " + toString(value.takeError()));
  const json::Object *root = value->getAsObject();
  if (!root)
    return createStringError(sourceName + ": expected a JSON object");
  ReadStatus status{sourceName.str(), std::nullopt};
  AcceleratorModel model = ModelParser(status).parse(*root);
  if (Error err = status.take())
    return std::move(err);
  return model;
}

Expected<AcceleratorModel> loadAcceleratorModel(StringRef presetOrPath) {
  if (std::optional<StringRef> json = getPresetJSON(presetOrPath))
    return parseAcceleratorModel(*json, presetOrPath);
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
      MemoryBuffer::getFile(presetOrPath, /*IsText=*/true);
  if (!buffer) {
    std::string presets;
    for (StringRef name : getPresetNames())
      presets += (presets.empty() ? "" : ", ") + name.str();
    return createStringError(
        buffer.getError(),
        "'" + presetOrPath + "' is neither a preset (" + presets +
            ") nor a readable file: " + buffer.getError().message());
  }
  return parseAcceleratorModel((*buffer)->getBuffer(), presetOrPath);
}

} // namespace mlg::ptc
