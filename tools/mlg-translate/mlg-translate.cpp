//===- mlg-translate.cpp - MLG translation driver -------------------------===//
//
// Translations between MLG dialects and external formats, like
// mlir-translate: --ptc-to-binary, --ptc-to-asm, --binary-to-ptc.
//
//===----------------------------------------------------------------------===//

#include "mlg/InitAll.h"
#include "mlg/Support/CommandLine.h"

#include "mlir/Support/LogicalResult.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::mlg::registerAllTranslations();
  // --help lists the translations and mlirTranslateMain's own options
  // (registered when it runs), not the LLVM flags linked in.
  ::mlg::showOnlyOwnOptions({}, {"mlir-"});
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "MLG translation driver\n"));
}
