//===- MLGToPTC.cpp - convert-mlg-to-ptc ----------------------------------===//

#include "mlg/Conversion/MLGToPTC/MLGToPTC.h"

#include "DenseLayers.h"
#include "ProgramBuilder.h"
#include "ProgramEmitter.h"
#include "SmartDealWeights.h"

#include "mlg/Dialect/PTC/IR/PTCDialect.h"
#include "mlg/Support/Npy.h"
#include "mlg/Target/PTC/LayerEstimate.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

namespace mlir::mlg {
#define GEN_PASS_DEF_CONVERTMLGTOPTC
#include "mlg/Conversion/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;
using namespace mlir::mlg::ptc_lowering;

namespace {

struct ConvertMLGToPTCPass
    : public mlir::mlg::impl::ConvertMLGToPTCBase<ConvertMLGToPTCPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isDeclaration())
        funcs.push_back(func);
    if (funcs.size() != 1) {
      module.emitError("PTC lowering: expected exactly one function "
                       "definition, found ")
          << funcs.size();
      return signalPassFailure();
    }
    func::FuncOp func = funcs.front();
    FailureOr<DenseNetwork> net = extractDenseNetwork(func);
    if (failed(net))
      return signalPassFailure();

    llvm::Expected<::mlg::ptc::AcceleratorModel> accelerator =
        ::mlg::ptc::loadAcceleratorModel(model);
    if (!accelerator) {
      module.emitError("PTC lowering: ")
          << llvm::toString(accelerator.takeError());
      return signalPassFailure();
    }
    CoreGeometry geometry = getCoreGeometry(*accelerator);
    if (timeAccumulation > 0)
      geometry.timeAccumulation = timeAccumulation;
    if (!globalSram)
      geometry.globalSramBytes = 0;
    if (weightSource != "auto" && weightSource != "dense" &&
        weightSource != "generated") {
      module.emitError("PTC lowering: weight-source must be auto, dense or "
                       "generated, not '")
          << weightSource << "'";
      return signalPassFailure();
    }
    if (weightBits != 0 && weightBits != geometry.weightBits &&
        weightBits != 2 * geometry.weightBits) {
      module.emitError("PTC lowering: weight-bits must be the model's weight "
                       "bits (")
          << geometry.weightBits << ") or twice that, got "
          << static_cast<unsigned>(weightBits);
      return signalPassFailure();
    }
    // Before the weight-source choice: it compares SmartDeal codes with
    // the dense weights as stored.
    geometry.weightDigits = weightBits == 2 * geometry.weightBits ? 2 : 1;
    if (failed(chooseWeightSources(*net, *accelerator, geometry)))
      return signalPassFailure();

    QuantizationOptions quantization;
    quantization.inputBits = geometry.inputBits;
    quantization.weightBits = geometry.weightBits;
    quantization.weightDigits = geometry.weightDigits;
    quantization.resultBits = resultBits;
    if (resultBits < 2 || resultBits > 16) {
      module.emitError("PTC lowering: result-bits must be in [2, 16]");
      return signalPassFailure();
    }
    if (activationRange != "mse" && activationRange != "max") {
      module.emitError("PTC lowering: activation-range must be mse or max, "
                       "got '")
          << activationRange << "'";
      return signalPassFailure();
    }
    quantization.clipActivations = activationRange == "mse";
    if (calibration.empty()) {
      quantization.activationMax = boundActivations(*net);
    } else {
      llvm::Expected<::mlg::npy::Float32Array> samples =
          ::mlg::npy::readFloat32(calibration);
      if (!samples) {
        module.emitError("PTC lowering: calibration: ")
            << llvm::toString(samples.takeError());
        return signalPassFailure();
      }
      const std::vector<int64_t> &shape = net->inputShape;
      if (samples->shape.size() != shape.size() || samples->shape[0] == 0 ||
          !std::equal(shape.begin() + 1, shape.end(),
                      samples->shape.begin() + 1)) {
        auto diag = module.emitError("PTC lowering: calibration data must be "
                                     "[N");
        for (size_t i = 1; i < shape.size(); ++i)
          diag << ", " << shape[i];
        diag << "] floats";
        return signalPassFailure();
      }
      quantization.activationMax =
          calibrateActivations(*net, samples->data, &quantization);
    }
    FailureOr<std::vector<QuantizedLayer>> layers =
        quantizeNetwork(*net, quantization);
    if (failed(layers) ||
        failed(emitDenseProgram(module, *net, *layers, geometry)))
      return signalPassFailure();
    func.erase();
  }

  /// Per generated layer: plan the generation, then keep it or load the
  /// dequantized weights instead (the `weight-source` option; in `auto`,
  /// chooseWeightSource of the cost model). The choice and its reason are a
  /// remark at the layer.
  LogicalResult chooseWeightSources(DenseNetwork &net,
                                    const ::mlg::ptc::AcceleratorModel &model,
                                    const CoreGeometry &geometry) {
    for (size_t l = 0; l < net.layers.size(); ++l) {
      DenseLayer &layer = net.layers[l];
      if (!layer.generator)
        continue;
      if (weightSource == "dense") {
        layer.generator.reset();
        emitRemark(layer.loc, "PTC lowering: dense weights (weight-source "
                              "= dense)");
        continue;
      }
      const bool forced = weightSource == "generated";
      std::string reason;
      // A layer that cannot or should not generate: an error when generation
      // was asked for, else dense weights with a remark saying why.
      auto keepDense = [&]() -> LogicalResult {
        if (forced)
          return emitError(layer.loc, "PTC lowering: cannot generate the "
                                      "weights on the core: ")
                 << reason;
        layer.generator.reset();
        emitRemark(layer.loc, "PTC lowering: dense weights: ") << reason;
        return success();
      };
      if (failed(planGeneration(*layer.generator, geometry, reason))) {
        if (failed(keepDense()))
          return failure();
        continue;
      }
      // Per-tap columns: the channels rounded to BLOCK_IN. The reduction is
      // segmented as needed; one chunk per weight slot is the least.
      const int64_t channels =
          layer.conv ? layer.conv->channels : layer.inFeatures;
      const int64_t tapColumns = roundUp(channels, geometry.blockIn);
      if (layer.generator->smartDeal) {
        GeneratedLayout layout =
            layoutGeneratedLayer(*layer.generator, geometry, tapColumns, 0);
        if (failed(checkGeneratorBuffers(layout, geometry, reason)))
          reason = "the generator does not fit the buffers: " + reason;
        SmartDealWork work;
        if (reason.empty()) {
          FailureOr<SmartDealWork> scheduled =
              scheduledSmartDealWork(layer, layout, geometry);
          if (failed(scheduled))
            reason = "the accelerator's buffers are too small for its "
                     "SmartDeal schedule";
          else
            work = *scheduled;
        }
        if (reason.empty() && !forced)
          reason = smartDealCostRejects(layer, model, geometry, work);
        if (!reason.empty()) {
          if (failed(keepDense()))
            return failure();
          continue;
        }
        emitRemark(layer.loc, "PTC lowering: weights generated on the core "
                              "(SmartDeal, SHADD: ")
            << work.instructions << " instructions, "
            << (work.codeBits + work.basisBits) / 8
            << " bytes of codes and bases from DRAM)";
        continue;
      }
      // Generators larger than their buffers are reloaded per segment or
      // output block; the least wgt need is one chunk per weight slot with
      // the level-1 kernels of one chunk (or a level-2-only layer's kernels
      // whole).
      const GeneratorLevels &lv = layer.generator->levels;
      GeneratedLayout layout = layoutGeneratedLayer(
          *layer.generator, geometry, tapColumns, 0, 1,
          lv.level1 && lv.level2);
      const int64_t wgtNeed = 2 + generatedScratchRows(layout);
      if (failed(checkGeneratorBuffers(layout, geometry, reason)))
        reason = "the generator does not fit the buffers: " + reason;
      else if (wgtNeed > geometry.wgtRows)
        reason = "the generator does not fit the buffers: wgt " +
                 std::to_string(wgtNeed) + "/" +
                 std::to_string(geometry.wgtRows) + " rows";
      // The cost model sees each generator tensor cross DRAM once and level
      // 1 run once per layer: in `auto`, keep generation only where the
      // schedule does so (a staged U and V per output block still cross
      // once; per-segment level 1 or U reloads are not in its estimate).
      if (reason.empty() && !forced) {
        GeneratedLayout whole =
            layoutGeneratedLayer(*layer.generator, geometry, tapColumns, 0);
        if (level1PerSegment(*layer.generator, whole, geometry) ||
            uReloadedPerSegment(*layer.generator, whole, geometry))
          reason = "the generator would be reloaded per segment (not in the "
                   "cost model)";
      }
      // Nor does it see that generated weights, laid out per tap, give up
      // the stem's packed kernel rows (kernel times the GEMM steps and
      // input loads: 4x the latency and 6x the energy of the dense stem of
      // bench/smartdeal's mlg-auto-0.35).
      if (reason.empty() && !forced && packableInputReader(net, geometry) == l)
        reason = "generated weights would not pack the input's kernel rows "
                 "(not in the cost model)";
      if (reason.empty() && !forced)
        reason = costModelRejects(layer, model);
      if (!reason.empty()) {
        if (failed(keepDense()))
          return failure();
        continue;
      }
      const GeneratedWeights &w = *layer.generator;
      InFlightDiagnostic remark = emitRemark(
          layer.loc, "PTC lowering: weights generated on the core (");
      remark << (w.levels.level1 ? "level 1" : "")
          << (w.levels.level1 && w.levels.level2 ? " + " : "")
          << (w.levels.level2 ? "level 2" : "") << "; W1 shift "
          << w.level1Shift;
      if (w.levels.level2)
        remark << ", level-2 shift " << w.level2ReqShift;
      if (w.regriddedBasis || w.regriddedU || w.regriddedV) {
        SmallVector<StringRef> operands;
        if (w.regriddedBasis)
          operands.push_back(w.levels.level1 ? "basis" : "level-1 kernels");
        if (w.regriddedU)
          operands.push_back("U");
        if (w.regriddedV)
          operands.push_back("V");
        remark << "; on the core's grids: " << llvm::join(operands, ", ")
               << "; weights' relative error "
               << llvm::formatv("{0:f4}", w.coreRelativeError).str();
      }
      remark << ")";
    }
    return success();
  }

  /// The cost model's view of a generated layer.
  static ::mlg::ptc::ConvLayerDesc
  describeLayer(const DenseLayer &layer,
                const ::mlg::ptc::AcceleratorModel &model) {
    const GeneratorLevels &g = layer.generator->levels;
    ::mlg::ptc::ConvLayerDesc desc;
    desc.outChannels = g.outChannels;
    desc.inChannels = g.inChannels;
    desc.kernelSize = layer.conv ? layer.conv->kernel : 1;
    desc.outHeight = layer.conv ? layer.conv->outH : layer.outRows;
    desc.outWidth = layer.conv ? layer.conv->outW : 1;
    desc.batch = layer.conv ? layer.conv->images : 1;
    desc.activationBits = model.inputBits;
    desc.weightBits = model.weightBits;
    return desc;
  }

  /// A SmartDeal layer's codes, bases and SHADDs as the emitted schedule
  /// (planGemmLayer) moves them: its segments, and a block's weights
  /// generated once when they stay resident in wgt (or one group of tiles
  /// covers the block), else once per group of tiles. Fails when the
  /// buffers are too small for the schedule.
  static FailureOr<SmartDealWork>
  scheduledSmartDealWork(const DenseLayer &layer, const GeneratedLayout &layout,
                         const CoreGeometry &g) {
    FailureOr<LayerShape> shape = planGemmLayer(layer, g);
    if (failed(shape))
      return failure();
    return smartDealWork(*layer.generator, layout, g, shape->segmentChunks,
                         generationsPerBlock(*shape));
  }

  /// How often the schedule generates an output block's weights: once when
  /// they stay resident in wgt (or one group of tiles covers the block),
  /// else once per group of tiles.
  static int64_t generationsPerBlock(const LayerShape &shape) {
    const int64_t tiles = shape.tiles.size();
    const int64_t groups = (tiles + shape.groupTiles - 1) / shape.groupTiles;
    return shape.residentWeights || groups == 1 ? 1 : groups;
  }

  /// Empty when the cost model prefers SHADD generation, else why not.
  std::string smartDealCostRejects(const DenseLayer &layer,
                                   const ::mlg::ptc::AcceleratorModel &model,
                                   const CoreGeometry &geometry,
                                   const SmartDealWork &work) {
    ::mlg::ptc::SmartDealDesc sd;
    sd.codeBits = work.codeBits;
    sd.basisBits = work.basisBits;
    sd.weights = work.weights;
    sd.firstBlockBits = work.firstBlockBits;
    // Dense weights cross DRAM as `weight-bits` (one or two digits); the
    // generated ones are the core's width.
    ::mlg::ptc::ConvLayerDesc desc = describeLayer(layer, model);
    desc.weightBits = model.weightBits * geometry.weightDigits;
    sd.weightBits = model.weightBits;
    return rejection(::mlg::ptc::chooseSmartDealSource(model, desc, sd));
  }

  /// Empty when the cost model prefers generation, else why not.
  std::string costModelRejects(const DenseLayer &layer,
                               const ::mlg::ptc::AcceleratorModel &model) {
    const GeneratorLevels &g = layer.generator->levels;
    ::mlg::ptc::ConvLayerDesc desc = describeLayer(layer, model);
    ::mlg::ptc::GeneratorDesc gen;
    // An absent level is described the way the cost model's level rules
    // turn it off: Bi = k^2, Bc = Co (the unused widths are the basis').
    gen.bi = g.level1 ? g.bi : desc.kernelSize * desc.kernelSize;
    gen.bc = g.level2 ? g.bc : g.outChannels;
    gen.qb = g.bitsB;
    gen.qu = g.level1 ? g.bitsU : g.bitsB;
    gen.qv = g.level2 ? g.bitsV : g.bitsB;
    gen.intermediateBits = model.inputBits;
    return rejection(::mlg::ptc::chooseWeightSource(model, desc, gen));
  }

  /// Empty when the cost model's `choice` is generation, else why not.
  static std::string
  rejection(llvm::Expected<::mlg::ptc::WeightSourceChoice> choice) {
    if (!choice)
      return "cost model: " + llvm::toString(choice.takeError());
    if (choice->choice == ::mlg::ptc::WeightSource::Generated)
      return "";
    return "cost model: " +
           (choice->reason.empty() ? std::string("generation is not cheaper")
                                   : choice->reason);
  }
};

} // namespace
