//===- MLGOps.td - MLG operations --------------------------*- tablegen -*-===//

#ifndef MLG_DIALECT_MLG_IR_MLGOPS_TD
#define MLG_DIALECT_MLG_IR_MLGOPS_TD

include "mlg/Dialect/MLG/IR/MLGDialect.td"
include "mlg/Dialect/MLG/IR/MLGAttributes.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def MLG_FloatTensor : RankedTensorOf<[AnyFloat]>;

// Codes of 1 to 16 bits; wider codes are rejected by the verifier with a
// message that names the width.
def MLG_CodeTensor : RankedTensorOf<[AnySignlessInteger]>;

def MLG_QuantGridAttr : Attr<Or<[
    CPred<"::llvm::isa<::mlir::mlg::MidriseAttr>($_self)">,
    CPred<"::llvm::isa<::mlir::TypeAttr>($_self) && "
          "::llvm::isa<::mlir::quant::UniformQuantizedType, "
          "::mlir::quant::UniformQuantizedPerAxisType>("
          "::llvm::cast<::mlir::TypeAttr>($_self).getValue())">]>,
    "#mlg.midrise grid or !quant.uniform type"> {
  let storageType = "::mlir::Attribute";
  let returnType = "::mlir::Attribute";
  let convertFromStorage = "$_self";
}

//===----------------------------------------------------------------------===//
// mlg.dequantize
//===----------------------------------------------------------------------===//

def MLG_DequantizeOp : MLG_Op<"dequantize", [Pure]> {
  let summary = "decode integer generator codes on a symmetric grid";
  let description = [{
    Decodes a tensor of signed `b`-bit codes (`1 <= b <= 16`, the width of the
    signless integer element type) into floating point. The grid is either

    * `#mlg.midrise<...>`: `x = scale * (c + 1/2)`, all `2^b` codes used, no
      zero level (the MLG paper's quantizer);
    * an upstream `!quant.uniform` type (per tensor or per axis) describing a
      symmetric midtread grid: storage type `i<b>` with range
      `[-(2^(b-1) - 1), 2^(b-1) - 1]`, zero point 0, expressed type equal to the
      result element type; `x = scale * c`.

    With a per-channel grid, `scales[i]` applies to index `i` of dimension
    `axis`. The scale is first rounded to the result element type (it must
    stay finite and non-zero), then `x = (c + offset) * scale` is computed in
    that type, round to nearest even. `c + offset` is exact whenever the type
    has at least `b` significand bits (f32: every code up to 16 bits; f16:
    up to 11), so `x` is then rounded once; narrower types round the level
    first.

    Example:

    ```mlir
    %u = mlg.dequantize %codes as midrise<scale = 0.125>
        : tensor<44x64x2xi6> -> tensor<44x64x2xf32>
    %v = mlg.dequantize %vcodes as !quant.uniform<i3<-3:3>:f32:0, {0.5, 0.25}>
        : tensor<2x44xi3> -> tensor<2x44xf32>
    ```

    The op never folds: constant codes stay codes, so canonicalization cannot
    undo the compression.
  }];
  let arguments = (ins MLG_CodeTensor:$codes, MLG_QuantGridAttr:$grid);
  let results = (outs MLG_FloatTensor:$result);
  let assemblyFormat = [{
    $codes `as` custom<QuantGrid>($grid) attr-dict `:` type($codes) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Bit width of one stored code.
    unsigned getBitWidth() {
      return getCodes().getType().getElementType().getIntOrFloatBitWidth();
    }
    /// The grid as plain numbers, whichever attribute spells it.
    ::mlir::mlg::QuantGrid getQuantGrid();
  }];
}

//===----------------------------------------------------------------------===//
// mlg.decode_pow2
//===----------------------------------------------------------------------===//

def MLG_DecodePow2Op : MLG_Op<"decode_pow2", [Pure]> {
  let summary = "decode signed power-of-two codes (SmartDeal coefficients)";
  let description = [{
    Decodes a tensor of signed `b`-bit codes (`2 <= b <= 16`, the width of
    the signless integer element type) into signed powers of two or zero:

    `x = 0` for `c = 0`, else `x = sign(c) * 2^(min_exponent + |c| - 1)`.

    Code `c` carries the sign and the exponent field `|c| - 1`, so the
    `2^(b-1) - 1` exponents `[min_exponent, min_exponent + 2^(b-1) - 2]` are
    reachable from both signs (`c = -2^(b-1)` reaches one more, for negative
    values only). Multiplying by `x` is a shift: SmartDeal's coefficient
    matrices (method.md section 6) reconstruct their weights with shifts and
    adds only. Every such value is exact in the result type, which the
    verifier checks: `min_exponent` must be at least the type's smallest
    normal exponent (-126 for f32, -14 for f16) and the largest exponent at
    most its largest.

    **Storage.** The codes are structurally sparse; what is stored (and
    counted by `mlg-memory-report`) is, over rows of the last dimension, one
    bit per row saying whether the row has a non-zero, then for the non-zero
    rows either all their codes (`b` bits each, zeros included) or a bit per
    element and the `b`-bit codes of the non-zeros only, whichever is
    smaller for the whole tensor.

    ```mlir
    %c = mlg.decode_pow2 %codes min_exponent -9
        : tensor<128x192x3xi5> -> tensor<128x192x3xf32>
    ```

    Like `mlg.dequantize`, the op never folds.
  }];
  let arguments = (ins MLG_CodeTensor:$codes, I64Attr:$min_exponent);
  let results = (outs MLG_FloatTensor:$result);
  let assemblyFormat = [{
    $codes `min_exponent` $min_exponent attr-dict `:` type($codes) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Bit width of one stored code.
    unsigned getBitWidth() {
      return getCodes().getType().getElementType().getIntOrFloatBitWidth();
    }
    /// `min_exponent` as a signed number (I64Attr's getter is unsigned).
    int64_t getSmallestExponent() {
      return static_cast<int64_t>(getMinExponent());
    }
    /// The largest exponent a code reaches (the code -2^(b-1)).
    int64_t getLargestExponent() {
      return getSmallestExponent() + (int64_t(1) << (getBitWidth() - 1)) - 1;
    }
  }];
}

//===----------------------------------------------------------------------===//
// Generation ops
//===----------------------------------------------------------------------===//

def MLG_GenerateIntraOp : MLG_Op<"generate_intra",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "level-1 (intra-kernel) weight generation";
  let description = [{
    Generates `Bc` kernels, each from its own `Bi` basis filters:

    `result[b, c, s...] = sum_j coeff[b, c, j] * basis[b, j, s...]`

    with `coeff : [Bc, Ci, Bi]`, `basis : [Bc, Bi, s...]` and
    `result : [Bc, Ci, s...]`. For a convolution `s...` is `kh, kw`; a linear
    layer has no spatial dimensions. Depthwise convolutions use `Bc = 1`: one
    shared set of `Bi` filters, `Ci` per-channel coefficient rows.

    ```mlir
    %wc = mlg.generate_intra %u, %basis
        : tensor<44x64x2xf32>, tensor<44x2x3x3xf32> -> tensor<44x64x3x3xf32>
    ```
  }];
  let arguments = (ins MLG_FloatTensor:$coeff, MLG_FloatTensor:$basis);
  let results = (outs MLG_FloatTensor:$result);
  let assemblyFormat = [{
    $coeff `,` $basis attr-dict `:` type($coeff) `,` type($basis) `->` type($result)
  }];
}

def MLG_GenerateCrossOp : MLG_Op<"generate_cross",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "level-2 (cross-kernel) weight generation";
  let description = [{
    Generates `Co` kernels as linear combinations of `Bc` kernels:

    `result[o, r...] = sum_b coeff[o, b] * kernels[b, r...]`

    with `coeff : [Co, Bc]`, `kernels : [Bc, r...]` (at least one trailing
    dimension) and `result : [Co, r...]`.

    ```mlir
    %w = mlg.generate_cross %v, %wc
        : tensor<128x44xf32>, tensor<44x64x3x3xf32> -> tensor<128x64x3x3xf32>
    ```
  }];
  let arguments = (ins MLG_FloatTensor:$coeff, MLG_FloatTensor:$kernels);
  let results = (outs MLG_FloatTensor:$result);
  let assemblyFormat = [{
    $coeff `,` $kernels attr-dict `:` type($coeff) `,` type($kernels) `->` type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Fused generated convolution and matmul
//===----------------------------------------------------------------------===//

def MLG_GeneratedConv2DOp : MLG_Op<"generated_conv2d",
    [Pure, AttrSizedOperandSegments,
     InferTypeOpAdaptor]> {
  let summary = "2-D convolution whose weight is generated in situ";
  let description = [{
    A convolution whose weight `W[Co, Ci/groups, kh, kw]` is never an operand:
    it is defined by its generators.

    * `basis`: `[Bc, Bi, kh, kw]` when `coeff_in` is present (level 1 on),
      otherwise the kernel basis itself, `[Bc, Ci/groups, kh, kw]`;
    * `coeff_in` (U, optional): `[Bc, Ci/groups, Bi]`;
    * `coeff_out` (V, optional): `[Co, Bc]`; without it `Bc = Co`.

    `W = V * (U (x) basis)` exactly as `mlg.generate_intra` followed by
    `mlg.generate_cross`. With `depthwise`, the generator instead produces one
    kernel of `Co` channels, `[1, Co, kh, kw]` (the channel-shared basis of
    method.md section 1.3), read as `W[Co, 1, kh, kw]`; this requires
    `groups = Ci`.

    The convolution: `layout` gives the activation layout (`nchw_fchw`: input
    `[N, Ci, H, W]`, output `[N, Co, Ho, Wo]`; `nhwc_hwcf`: `[N, H, W, Ci]` and
    `[N, Ho, Wo, Co]`, the weight used as `W` permuted to HWCF). `padding` is
    zero padding `[top, left, bottom, right]`, `strides` and `dilations` are
    `[h, w]`, `Ho = (H + top + bottom - dh*(kh-1) - 1) / sh + 1` (floor), and
    group `g` of `groups` maps input channels `[g*Ci/G, (g+1)*Ci/G)` to output
    channels `[g*Co/G, (g+1)*Co/G)`. `bias : [Co]` is added to every output.

    `strategy` tells a lowering how to execute: `auto` (cost model),
    `tiled` (generate a block of output channels of W at a time), `factorized`
    (1x1 conv with U, grouped kxk conv with the basis, 1x1 conv with V) or
    `dense` (generate W once, then convolve). `Bi`, `Bc` and every size the
    cost model needs are the generator operands' dimensions.

    ```mlir
    %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u)
           coeff_out(%v) padding [1, 1, 1, 1]
        : (tensor<1x64x32x32xf32>, tensor<44x2x3x3xf32>, tensor<44x64x2xf32>,
           tensor<128x44xf32>) -> tensor<1x128x32x32xf32>
    ```
  }];
  let arguments = (ins
    MLG_FloatTensor:$input,
    MLG_FloatTensor:$basis,
    Optional<MLG_FloatTensor>:$coeff_in,
    Optional<MLG_FloatTensor>:$coeff_out,
    Optional<MLG_FloatTensor>:$bias,
    MLG_ConvLayout:$layout,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<I64Attr, "1">:$groups,
    UnitAttr:$depthwise,
    DefaultValuedAttr<MLG_ExecutionStrategy,
                      "::mlir::mlg::ExecutionStrategy::automatic">:$strategy
  );
  let results = (outs MLG_FloatTensor:$result);
  let assemblyFormat = [{
    $layout $input `basis` `(` $basis `)`
    (`coeff_in` `(` $coeff_in^ `)`)? (`coeff_out` `(` $coeff_out^ `)`)?
    (`bias` `(` $bias^ `)`)?
    (`strides` $strides^)? (`padding` $padding^)? (`dilations` $dilations^)?
    (`groups` $groups^)? (`depthwise` $depthwise^)? (`strategy` $strategy^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def MLG_GeneratedMatmulOp : MLG_Op<"generated_matmul",
    [Pure, AttrSizedOperandSegments,
     InferTypeOpAdaptor]> {
  let summary = "linear layer whose weight is generated in situ";
  let description = [{
    `result[m, o] = bias[o] + sum_c input[m, c] * W[o, c]` with `input : [M, Ci]`
    and `W : [Co, Ci]` defined by its generators as for
    `mlg.generated_conv2d` with no spatial dimensions: `basis` is `[Bc, Bi]`
    with `coeff_in : [Bc, Ci, Bi]`, or `[Bc, Ci]` without it;
    `coeff_out : [Co, Bc]` (optional, `Bc = Co` without it).

    ```mlir
    %y = mlg.generated_matmul %x basis(%wc) coeff_out(%v) bias(%b)
        : (tensor<8x512xf32>, tensor<64x512xf32>, tensor<10x64xf32>,
           tensor<10xf32>) -> tensor<8x10xf32>
    ```
  }];
  let arguments = (ins
    MLG_FloatTensor:$input,
    MLG_FloatTensor:$basis,
    Optional<MLG_FloatTensor>:$coeff_in,
    Optional<MLG_FloatTensor>:$coeff_out,
    Optional<MLG_FloatTensor>:$bias,
    DefaultValuedAttr<MLG_ExecutionStrategy,
                      "::mlir::mlg::ExecutionStrategy::automatic">:$strategy
  );
  let results = (outs MLG_FloatTensor:$result);
  let assemblyFormat = [{
    $input `basis` `(` $basis `)`
    (`coeff_in` `(` $coeff_in^ `)`)? (`coeff_out` `(` $coeff_out^ `)`)?
    (`bias` `(` $bias^ `)`)? (`strategy` $strategy^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

#endif // MLG_DIALECT_MLG_IR_MLGOPS_TD
