//===- ProgramEmitter.h - Dense layers as a PTC program ---------*- C++ -*-===//

#ifndef LIB_CONVERSION_MLGTOPTC_PROGRAMEMITTER_H
#define LIB_CONVERSION_MLGTOPTC_PROGRAMEMITTER_H

#include "DenseLayers.h"

#include "mlg/Target/PTC/AcceleratorModel.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::mlg::ptc_lowering {

/// The operand geometry of docs/ptc-sim.md §1 for one accelerator model.
struct CoreGeometry {
  int64_t batch = 0, blockIn = 0, blockOut = 0;
  int64_t inpRows = 0, wgtRows = 0, accRows = 0, uopEntries = 0;
  unsigned inputBits = 0, weightBits = 0, timeAccumulation = 1;
  unsigned adcBits = 8;
  /// Rows of the MLG generator buffers (docs/ptc-sim.md §1.2).
  int64_t basisRows = 0, coeffURows = 0, coeffVRows = 0;
};

CoreGeometry getCoreGeometry(const ::mlg::ptc::AcceleratorModel &model);

/// Appends to `module` one ptc.program computing `net` with the integer
/// parameters `layers`; reports layers that do not fit the buffers.
LogicalResult emitDenseProgram(ModuleOp module, const DenseNetwork &net,
                               ArrayRef<QuantizedLayer> layers,
                               const CoreGeometry &geometry);

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_PROGRAMEMITTER_H
