//===- mlg-opt.cpp - MLG optimizer driver ---------------------------------===//

#include "mlg/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::mlg::registerAllDialects(registry);
  mlir::mlg::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "MLG optimizer driver: upstream MLIR plus the mlg dialect\n",
      registry));
}
