//===- PTCDialect.td - PTC dialect definition --------------*- tablegen -*-===//
//
// The `ptc` dialect: the instruction level of the MLG photonic tensor core.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_PTC_IR_PTCDIALECT_TD
#define MLG_DIALECT_PTC_IR_PTCDIALECT_TD

include "mlir/IR/OpBase.td"

def PTC_Dialect : Dialect {
  let name = "ptc";
  let cppNamespace = "::mlir::mlg::ptc";
  let summary = "Instructions of the MLG photonic tensor core";
  let description = [{
    One op per instruction of the photonic tensor core (PTC) ISA
    (docs/isa.md), inside a `ptc.program` that also holds the micro-op
    table (`ptc.uop`) and the data segment (`ptc.data`, bit-packed
    generator tensors). Every instruction op has exactly the fields of its
    128-bit word, verified against the field widths of
    `include/mlg/Target/PTC/ISA.h`, so `mlg-translate --ptc-to-binary`
    encodes it with no further decisions and `--binary-to-ptc` gives it
    back. See docs/ptc-dialect.md.
  }];
  let useDefaultAttributePrinterParser = 1;
}

class PTC_Op<string mnemonic, list<Trait> traits = []>
    : Op<PTC_Dialect, mnemonic, traits>;

#endif // MLG_DIALECT_PTC_IR_PTCDIALECT_TD
