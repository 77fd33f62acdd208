//===- MLGToPTC.cpp - convert-mlg-to-ptc ----------------------------------===//

#include "mlg/Conversion/MLGToPTC/MLGToPTC.h"

#include "DenseLayers.h"
#include "ProgramEmitter.h"

#include "mlg/Dialect/PTC/IR/PTCDialect.h"
#include "mlg/Support/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

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

    if (weightBits != 0 && weightBits != geometry.weightBits &&
        weightBits != 2 * geometry.weightBits) {
      module.emitError("PTC lowering: weight-bits must be the model's weight "
                       "bits (")
          << geometry.weightBits << ") or twice that, got "
          << static_cast<unsigned>(weightBits);
      return signalPassFailure();
    }
    geometry.weightDigits = weightBits == 2 * geometry.weightBits ? 2 : 1;
    QuantizationOptions quantization;
    quantization.inputBits = geometry.inputBits;
    quantization.weightBits = geometry.weightBits;
    quantization.weightDigits = geometry.weightDigits;
    quantization.resultBits = resultBits;
    if (resultBits < 2 || resultBits > 16) {
      module.emitError("PTC lowering: result-bits must be in [2, 16]");
      return signalPassFailure();
    }
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
};

} // namespace
