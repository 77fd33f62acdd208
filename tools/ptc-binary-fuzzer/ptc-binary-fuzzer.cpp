//===- ptc-binary-fuzzer.cpp - libFuzzer target for the PTC file reader ---===//
//
// Feeds arbitrary bytes to bin::readBinary (what ptc-sim and
// mlg-translate --binary-to-ptc load). Any input must decode or give an
// error, never a crash. A decoded program is listed (printAssembly) and
// written back: the writer must accept everything the reader accepted, and
// the re-written file must decode again.
//
//===----------------------------------------------------------------------===//

#include "mlg/Target/PTC/Binary.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>

using namespace mlg::ptc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<bin::Program> program =
      bin::readBinary(llvm::ArrayRef<uint8_t>(data, size));
  if (!program) {
    llvm::consumeError(program.takeError());
    return 0;
  }
  std::string listing;
  llvm::raw_string_ostream os(listing);
  bin::printAssembly(*program, os);

  llvm::Expected<std::vector<uint8_t>> written = bin::writeBinary(*program);
  if (!written) {
    llvm::errs() << "the writer refuses a program the reader accepted: "
                 << llvm::toString(written.takeError()) << "\n";
    abort();
  }
  llvm::Expected<bin::Program> reread = bin::readBinary(*written);
  if (!reread) {
    llvm::errs() << "a re-written program does not decode: "
                 << llvm::toString(reread.takeError()) << "\n";
    abort();
  }
  if (reread->instructions.size() != program->instructions.size() ||
      reread->uops.size() != program->uops.size() ||
      reread->symbols.size() != program->symbols.size() ||
      reread->layers.size() != program->layers.size())
    abort();
  return 0;
}
