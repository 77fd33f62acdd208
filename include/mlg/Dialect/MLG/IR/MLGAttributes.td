//===- MLGAttributes.td - MLG attributes and enums ---------*- tablegen -*-===//

#ifndef MLG_DIALECT_MLG_IR_MLGATTRIBUTES_TD
#define MLG_DIALECT_MLG_IR_MLGATTRIBUTES_TD

include "mlg/Dialect/MLG/IR/MLGDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def MLG_ConvLayout : I32EnumAttr<"ConvLayout",
    "activation layout of a generated convolution", [
      I32EnumAttrCase<"nchw_fchw", 0>,
      I32EnumAttrCase<"nhwc_hwcf", 1>
    ]> {
  let cppNamespace = "::mlir::mlg";
}

def MLG_ExecutionStrategy : I32EnumAttr<"ExecutionStrategy",
    "how a lowering executes a generated convolution or matmul", [
      // Let the lowering (or mlg-select-strategy) decide from its cost model.
      I32EnumAttrCase<"automatic", 0, "auto">,
      // Generate one block of output channels of W at a time, consume it.
      I32EnumAttrCase<"tiled", 1>,
      // 1x1 conv with U, grouped kxk conv with the basis, 1x1 conv with V.
      I32EnumAttrCase<"factorized", 2>,
      // Generate all of W once, then a plain convolution.
      I32EnumAttrCase<"dense", 3>
    ]> {
  let cppNamespace = "::mlir::mlg";
}

//===----------------------------------------------------------------------===//
// Midrise quantization grid
//===----------------------------------------------------------------------===//

def MLG_MidriseAttr : AttrDef<MLG_Dialect, "Midrise"> {
  let mnemonic = "midrise";
  let summary = "symmetric midrise grid: 2^b levels, no zero (half-integer zero point)";
  let description = [{
    Decodes a signed `b`-bit code `c` in `[-2^(b-1), 2^(b-1) - 1]` to
    `scale * (c + 1/2)`: `2^b` evenly spaced levels symmetric about zero, zero
    itself not among them. This is the DoReFa-symmetric grid of the MLG paper's
    official code (`levels = r * m / (2^b - 1)` with odd `m`, so
    `scale = 2r / (2^b - 1)`). Its zero point is `-1/2`, which the upstream
    `quant` types (integer zero points) cannot express.

    Per tensor: `#mlg.midrise<scale = 0.25>`.
    Per channel along dimension `axis`:
    `#mlg.midrise<axis = 0, scales = [0.25, 0.5]>`.
  }];
  let parameters = (ins
    // An attribute because hashing needs it: llvm has no hash for double.
    AttrParameter<"::mlir::DenseF64ArrayAttr",
                  "step between adjacent levels, per channel">:$scales,
    "int64_t":$axis
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// True when one scale applies to the whole tensor.
    bool isPerTensor() const { return getAxis() < 0; }
  }];
}

#endif // MLG_DIALECT_MLG_IR_MLGATTRIBUTES_TD
