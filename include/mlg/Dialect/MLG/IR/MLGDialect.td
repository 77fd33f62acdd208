//===- MLGDialect.td - MLG dialect definition --------------*- tablegen -*-===//
//
// The `mlg` dialect: multi-level in situ generation of neural network weights.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_MLG_IR_MLGDIALECT_TD
#define MLG_DIALECT_MLG_IR_MLGDIALECT_TD

include "mlir/IR/OpBase.td"

def MLG_Dialect : Dialect {
  let name = "mlg";
  let cppNamespace = "::mlir::mlg";
  let summary = "Multi-level in situ generation of convolution and linear weights";
  let description = [{
    The `mlg` dialect represents neural-network weights that are never stored
    whole. A weight `W[Co, Ci, kh, kw]` is regenerated where it is consumed from
    small generator tensors, each kept at its own low bit width:

    * level 1 (intra-kernel): `Wc[b, c] = sum_j U[b, c, j] * basis[b, j]`;
    * level 2 (cross-kernel): `W[o] = sum_b V[o, b] * Wc[b]`.

    Generator storage is an integer code tensor decoded by `mlg.dequantize` on
    the paper's symmetric midrise grid (`#mlg.midrise`) or the standard
    symmetric midtread grid (an upstream `!quant.uniform` type).
    `mlg.generated_conv2d` and `mlg.generated_matmul` consume the generators
    directly, so a lowering may generate the weight tile by tile or execute the
    factorized form instead. See `docs/dialect.md` for the exact semantics.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
  private:
    void registerAttributes();
  public:
  }];
}

class MLG_Op<string mnemonic, list<Trait> traits = []>
    : Op<MLG_Dialect, mnemonic, traits>;

#endif // MLG_DIALECT_MLG_IR_MLGDIALECT_TD
