//===- MLGOps.cpp - MLG operations ----------------------------------------===//

#include "mlg/Dialect/MLG/IR/MLGOps.h"
#include "mlg/Dialect/MLG/Utils/ConvShape.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::mlg;

//===----------------------------------------------------------------------===//
// Shape helpers shared by the verifiers
//===----------------------------------------------------------------------===//

namespace {
/// Emits diagnostics during verification and type inference, where the
/// location is optional (inference during parsing has none to report).
struct ShapeChecker {
  std::optional<Location> loc;
  /// Prefixes messages like an op verifier would: "'mlg.x' op ...".
  StringRef opName;

  LogicalResult fail(const Twine &message) const {
    return emitOptionalError(loc, "'", opName, "' op ", message);
  }

  /// "<what> must be <expected><why>, got <actual>", e.g. what = "'basis'
  /// dimension 1 (Bi)", why = " like 'coeff' dimension 2". Dynamic sizes
  /// match anything.
  LogicalResult dimEquals(int64_t actual, int64_t expected, const Twine &what,
                          const Twine &why = "") const {
    if (ShapedType::isDynamic(actual) || ShapedType::isDynamic(expected) ||
        actual == expected)
      return success();
    return fail(what + " must be " + Twine(expected) + why + ", got " +
                Twine(actual));
  }

  LogicalResult rankEquals(RankedTensorType type, int64_t rank,
                           StringRef name, StringRef layout) const {
    if (type.getRank() == rank)
      return success();
    return fail("'" + name + "' must have rank " + Twine(rank) + " " + layout +
                ", got " + Twine(type.getRank()));
  }

  LogicalResult sameElementType(RankedTensorType type, Type expected,
                                StringRef name, StringRef reference) const {
    if (type.getElementType() == expected)
      return success();
    std::string got, want;
    llvm::raw_string_ostream(got) << type.getElementType();
    llvm::raw_string_ostream(want) << expected;
    return fail("'" + name + "' element type must be '" + want + "' like '" +
                reference + "', got '" + got + "'");
  }
};

/// Names of the generator operands as the op spells them.
struct GeneratorNames {
  StringRef coeffIn, basis, coeffOut;
};

/// Shape of `V * (U (x) basis)` (either factor may be absent). `spatialRank` is
/// the number of dimensions after [Bc, Bi] in `basis`, or -1 for any.
FailureOr<SmallVector<int64_t>>
inferGeneratedShape(const ShapeChecker &check, RankedTensorType basis,
                    RankedTensorType coeffIn, RankedTensorType coeffOut,
                    int64_t spatialRank, GeneratorNames names) {
  Type elementType = basis.getElementType();
  SmallVector<int64_t> kernels(basis.getShape());
  if (coeffIn) {
    StringRef basisLayout =
        spatialRank == 2 ? "[Bc, Bi, kh, kw]"
                         : (spatialRank == 0 ? "[Bc, Bi]" : "[Bc, Bi, ...]");
    if (spatialRank >= 0) {
      if (failed(check.rankEquals(basis, 2 + spatialRank, names.basis,
                                  basisLayout)))
        return failure();
    } else if (basis.getRank() < 2) {
      (void)check.fail("'" + names.basis + "' must have rank >= 2 " +
                       basisLayout + ", got " + Twine(basis.getRank()));
      return failure();
    }
    if (failed(check.rankEquals(coeffIn, 3, names.coeffIn, "[Bc, Ci, Bi]")) ||
        failed(check.sameElementType(coeffIn, elementType, names.coeffIn,
                                     names.basis)) ||
        failed(check.dimEquals(basis.getDimSize(0), coeffIn.getDimSize(0),
                               "'" + names.basis + "' dimension 0 (Bc)",
                               " like '" + names.coeffIn + "' dimension 0")) ||
        failed(check.dimEquals(basis.getDimSize(1), coeffIn.getDimSize(2),
                               "'" + names.basis + "' dimension 1 (Bi)",
                               " like '" + names.coeffIn + "' dimension 2")))
      return failure();
    kernels[0] = basis.getDimSize(0);
    kernels[1] = coeffIn.getDimSize(1);
  } else if (spatialRank >= 0) {
    StringRef layout = spatialRank == 2 ? "[Bc, Ci, kh, kw]" : "[Bc, Ci]";
    if (failed(check.rankEquals(basis, 2 + spatialRank, names.basis, layout)))
      return failure();
  } else if (basis.getRank() < 2) {
    (void)check.fail("'" + names.basis +
                     "' must have rank >= 2 [Bc, ...], got " +
                     Twine(basis.getRank()));
    return failure();
  }

  if (coeffOut) {
    if (failed(check.rankEquals(coeffOut, 2, names.coeffOut, "[Co, Bc]")) ||
        failed(check.sameElementType(coeffOut, elementType, names.coeffOut,
                                     names.basis)) ||
        failed(check.dimEquals(coeffOut.getDimSize(1), kernels[0],
                               "'" + names.coeffOut + "' dimension 1 (Bc)",
                               ", the number of basis kernels")))
      return failure();
    kernels[0] = coeffOut.getDimSize(0);
  }
  return kernels;
}

RankedTensorType optionalTensorType(Value value) {
  return value ? cast<RankedTensorType>(value.getType()) : RankedTensorType();
}

LogicalResult checkPositive(const ShapeChecker &check, ArrayRef<int64_t> values,
                            size_t size, int64_t minimum, StringRef name,
                            StringRef layout) {
  if (values.size() != size)
    return check.fail("'" + name + "' must have " + Twine(size) + " values " +
                      layout + ", got " + Twine(values.size()));
  for (int64_t value : values)
    if (value < minimum)
      return check.fail("'" + name + "' values must be >= " + Twine(minimum) +
                        ", got " + Twine(value));
  return success();
}

/// The bias operand: [Co] with the op's element type.
LogicalResult checkBias(const ShapeChecker &check, RankedTensorType bias,
                        int64_t outChannels, Type elementType) {
  if (!bias)
    return success();
  if (failed(check.rankEquals(bias, 1, "bias", "[Co]")) ||
      failed(check.sameElementType(bias, elementType, "bias", "input")))
    return failure();
  return check.dimEquals(bias.getDimSize(0), outChannels, "'bias' size",
                         ", the number of output channels");
}
} // namespace

//===----------------------------------------------------------------------===//
// DequantizeOp
//===----------------------------------------------------------------------===//

// `as midrise<...>` (the #mlg.midrise attribute without its prefix) or
// `as !quant.uniform<...>`. The prefixed attribute form cannot be used: the
// attribute parser takes the op's trailing `: type` as the attribute's type.
static ParseResult parseQuantGrid(OpAsmParser &parser, Attribute &grid) {
  if (succeeded(parser.parseOptionalKeyword("midrise"))) {
    grid = MidriseAttr::parse(parser, Type());
    return success(grid != nullptr);
  }
  Type type;
  if (parser.parseType(type))
    return failure();
  grid = TypeAttr::get(type);
  return success();
}

static void printQuantGrid(OpAsmPrinter &printer, Operation *, Attribute grid) {
  if (auto midrise = dyn_cast<MidriseAttr>(grid)) {
    printer << "midrise";
    midrise.print(printer);
    return;
  }
  printer.printType(cast<TypeAttr>(grid).getValue());
}

QuantGrid DequantizeOp::getQuantGrid() {
  QuantGrid grid;
  grid.bits = getBitWidth();
  if (auto midrise = dyn_cast<MidriseAttr>(getGrid())) {
    grid.scheme = GridScheme::Midrise;
    ArrayRef<double> scales = midrise.getScales().asArrayRef();
    grid.scales.assign(scales.begin(), scales.end());
    grid.axis = midrise.getAxis();
    return grid;
  }
  grid.scheme = GridScheme::Midtread;
  Type type = cast<TypeAttr>(getGrid()).getValue();
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    grid.scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    grid.axis = perAxis.getQuantizedDimension();
  } else {
    grid.scales.push_back(cast<quant::UniformQuantizedType>(type).getScale());
  }
  return grid;
}

/// Checks a !quant.uniform grid describes the symmetric midtread grid over the
/// op's codes.
static LogicalResult verifyMidtreadType(DequantizeOp op,
                                        quant::QuantizedType type) {
  unsigned bits = op.getBitWidth();
  if (!type.isSigned() || type.getStorageTypeIntegralWidth() != bits)
    return op.emitOpError("midtread grid storage type must be i")
           << bits << " to match 'codes' element type, got "
           << type.getStorageType() << (type.isSigned() ? "" : " (unsigned)");
  if (bits < 2)
    return op.emitOpError(
        "midtread grid needs at least 2 bits (1 bit has only the zero level)");
  int64_t max = maxCodeFor(GridScheme::Midtread, bits);
  if (type.getStorageTypeMin() != -max || type.getStorageTypeMax() != max)
    return op.emitOpError("midtread grid storage range must be symmetric [")
           << -max << ":" << max << "] (written i" << bits << "<" << -max
           << ":" << max << ">), got [" << type.getStorageTypeMin() << ":"
           << type.getStorageTypeMax() << "]";
  Type elementType = op.getResult().getType().getElementType();
  if (type.getExpressedType() != elementType)
    return op.emitOpError("midtread grid expressed type must be the result "
                          "element type ")
           << elementType << ", got " << type.getExpressedType();
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    if (perTensor.getZeroPoint() != 0)
      return op.emitOpError("midtread grid zero point must be 0, got ")
             << perTensor.getZeroPoint();
    return success();
  }
  auto perAxis = cast<quant::UniformQuantizedPerAxisType>(type);
  for (int64_t zeroPoint : perAxis.getZeroPoints())
    if (zeroPoint != 0)
      return op.emitOpError("midtread grid zero points must all be 0, got ")
             << zeroPoint;
  return success();
}

LogicalResult DequantizeOp::verify() {
  RankedTensorType codesType = getCodes().getType();
  RankedTensorType resultType = getResult().getType();
  unsigned bits = getBitWidth();
  if (bits < 1 || bits > kMaxCodeBits)
    return emitOpError("'codes' element type must be an integer of 1 to ")
           << kMaxCodeBits << " bits, got " << codesType.getElementType();
  if (codesType.getShape() != resultType.getShape())
    return emitOpError("result shape must equal 'codes' shape ")
           << codesType << ", got " << resultType;

  if (auto midrise = dyn_cast<MidriseAttr>(getGrid())) {
    // The lowering rounds each scale to the result type first (docs).
    auto floatType = cast<FloatType>(resultType.getElementType());
    for (double scale : midrise.getScales().asArrayRef()) {
      bool losesInfo = false;
      APFloat rounded(scale);
      rounded.convert(floatType.getFloatSemantics(),
                      APFloat::rmNearestTiesToEven, &losesInfo);
      // Types without infinity saturate rather than overflow, so compare the
      // magnitude: rounding alone never changes it by a factor of two.
      APFloat back = rounded;
      back.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                   &losesInfo);
      double ratio = back.convertToDouble() / scale;
      if (!rounded.isFiniteNonZero() || ratio < 0.5 || ratio > 2.0)
        return emitOpError("midrise scale ")
               << scale << " is not a finite non-zero " << floatType
               << " value";
    }
  } else if (failed(verifyMidtreadType(
                 *this, cast<quant::QuantizedType>(
                            cast<TypeAttr>(getGrid()).getValue())))) {
    return failure();
  }

  QuantGrid grid = getQuantGrid();
  if (grid.isPerTensor())
    return success();
  if (grid.axis >= codesType.getRank())
    return emitOpError("grid axis ")
           << grid.axis << " is out of range for 'codes' of rank "
           << codesType.getRank();
  int64_t channels = codesType.getDimSize(grid.axis);
  if (!ShapedType::isDynamic(channels) &&
      channels != static_cast<int64_t>(grid.scales.size()))
    return emitOpError("grid must have one scale per index of 'codes' "
                       "dimension ")
           << grid.axis << ": expected " << channels << " scales, got "
           << grid.scales.size();
  return success();
}

//===----------------------------------------------------------------------===//
// DecodePow2Op
//===----------------------------------------------------------------------===//

LogicalResult DecodePow2Op::verify() {
  RankedTensorType codesType = getCodes().getType();
  RankedTensorType resultType = getResult().getType();
  unsigned bits = getBitWidth();
  // One bit is the sign; a one-bit code could only say zero or not.
  if (bits < 2 || bits > kMaxCodeBits)
    return emitOpError("'codes' element type must be an integer of 2 to ")
           << kMaxCodeBits << " bits, got " << codesType.getElementType();
  if (codesType.getShape() != resultType.getShape())
    return emitOpError("result shape must equal 'codes' shape ")
           << codesType << ", got " << resultType;
  // Every decoded value must be an exact normal number of the result type,
  // so that a multiplication by it is a shift.
  auto floatType = cast<FloatType>(resultType.getElementType());
  const llvm::fltSemantics &semantics = floatType.getFloatSemantics();
  int64_t minNormal = APFloat::semanticsMinExponent(semantics);
  int64_t maxNormal = APFloat::semanticsMaxExponent(semantics);
  if (getSmallestExponent() < minNormal || getLargestExponent() > maxNormal)
    return emitOpError("'min_exponent' must keep the exponents of ")
           << bits << "-bit codes, [min_exponent, min_exponent + "
           << ((int64_t(1) << (bits - 1)) - 1) << "], within the normal "
           << "exponents of " << floatType << ", [" << minNormal << ", "
           << maxNormal << "], got " << getSmallestExponent();
  return success();
}

//===----------------------------------------------------------------------===//
// GenerateIntraOp / GenerateCrossOp
//===----------------------------------------------------------------------===//

LogicalResult GenerateIntraOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  ShapeChecker check{loc, GenerateIntraOp::getOperationName()};
  auto coeff = dyn_cast<RankedTensorType>(adaptor.getCoeff().getType());
  auto basis = dyn_cast<RankedTensorType>(adaptor.getBasis().getType());
  if (!coeff || !basis)
    return check.fail("operands must be ranked tensors");
  FailureOr<SmallVector<int64_t>> shape = inferGeneratedShape(
      check, basis, coeff, {}, -1, {"coeff", "basis", ""});
  if (failed(shape))
    return failure();
  inferred.push_back(RankedTensorType::get(*shape, basis.getElementType()));
  return success();
}

LogicalResult GenerateCrossOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  ShapeChecker check{loc, GenerateCrossOp::getOperationName()};
  auto coeff = dyn_cast<RankedTensorType>(adaptor.getCoeff().getType());
  auto kernels = dyn_cast<RankedTensorType>(adaptor.getKernels().getType());
  if (!coeff || !kernels)
    return check.fail("operands must be ranked tensors");
  FailureOr<SmallVector<int64_t>> shape = inferGeneratedShape(
      check, kernels, {}, coeff, -1, {"", "kernels", "coeff"});
  if (failed(shape))
    return failure();
  inferred.push_back(RankedTensorType::get(*shape, kernels.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// GeneratedConv2DOp
//===----------------------------------------------------------------------===//

LogicalResult GeneratedConv2DOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  ShapeChecker check{loc, GeneratedConv2DOp::getOperationName()};
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto basis = dyn_cast<RankedTensorType>(adaptor.getBasis().getType());
  if (!input || !basis)
    return check.fail("operands must be ranked tensors");
  Type elementType = input.getElementType();
  bool nchw = adaptor.getLayout() == ConvLayout::nchw_fchw;
  StringRef inputLayout = nchw ? "[N, Ci, H, W]" : "[N, H, W, Ci]";
  if (failed(check.rankEquals(input, 4, "input", inputLayout)) ||
      failed(check.sameElementType(basis, elementType, "basis", "input")))
    return failure();

  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  ArrayRef<int64_t> padding = adaptor.getPadding();
  int64_t groups = adaptor.getGroups();
  if (failed(checkPositive(check, strides, 2, 1, "strides", "[h, w]")) ||
      failed(checkPositive(check, dilations, 2, 1, "dilations", "[h, w]")) ||
      failed(checkPositive(check, padding, 4, 0, "padding",
                           "[top, left, bottom, right]")))
    return failure();
  if (groups < 1)
    return check.fail("'groups' must be >= 1, got " + Twine(groups));

  FailureOr<SmallVector<int64_t>> kernel = inferGeneratedShape(
      check, basis, optionalTensorType(adaptor.getCoeffIn()),
      optionalTensorType(adaptor.getCoeffOut()), 2,
      {"coeff_in", "basis", "coeff_out"});
  if (failed(kernel))
    return failure();

  int64_t inChannels = input.getDimSize(nchw ? 1 : 3);
  int64_t outChannels;
  if (adaptor.getDepthwise()) {
    // The generator makes one kernel with Co channels: [1, Co, kh, kw].
    if (failed(check.dimEquals((*kernel)[0], 1,
                               "depthwise generated kernel count",
                               " (the generator makes [1, Co, kh, kw])")) ||
        failed(check.dimEquals(groups, inChannels, "depthwise 'groups'",
                               ", the number of input channels")))
      return failure();
    outChannels = (*kernel)[1];
  } else {
    outChannels = (*kernel)[0];
    int64_t groupChannels = (*kernel)[1];
    if (!ShapedType::isDynamic(groupChannels)) {
      std::optional<int64_t> expectedChannels =
          llvm::checkedMul(groupChannels, groups);
      if (!expectedChannels)
        return check.fail("groups x generated kernel channels (" +
                          Twine(groups) + " x " + Twine(groupChannels) +
                          ") overflows int64");
      if (failed(check.dimEquals(inChannels, *expectedChannels,
                                 "'input' channels (Ci)",
                                 " = groups x generated kernel channels (" +
                                     Twine(groups) + " x " +
                                     Twine(groupChannels) + ")")))
        return failure();
    }
  }
  if (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0)
    return check.fail("generated output channels (Co = " + Twine(outChannels) +
                      ") must be divisible by 'groups' (" + Twine(groups) +
                      ")");
  if (failed(checkBias(check, optionalTensorType(adaptor.getBias()),
                       outChannels, elementType)))
    return failure();

  int64_t batch = input.getDimSize(0);
  int64_t outSpatial[2];
  for (int i = 0; i < 2; ++i) {
    StringRef dim = i ? "width" : "height";
    int64_t in = input.getDimSize(nchw ? 2 + i : 1 + i);
    int64_t k = (*kernel)[2 + i];
    if (!ShapedType::isDynamic(k) && k < 1)
      return check.fail("generated kernel " + dim + " must be >= 1, got " +
                        Twine(k));
    std::optional<int64_t> size =
        convOutputSize(in, k, strides[i], dilations[i], padding[i],
                       padding[2 + i], ShapedType::kDynamic);
    if (!size)
      return check.fail("output " + dim +
                        " overflows int64 (padding, dilation or input size "
                        "too large)");
    outSpatial[i] = *size;
    if (!ShapedType::isDynamic(outSpatial[i]) && outSpatial[i] < 1)
      return check.fail("the dilated kernel (" + dim + " " +
                        Twine(dilations[i] * (k - 1) + 1) +
                        ") is larger than the padded input (" +
                        Twine(in + padding[i] + padding[2 + i]) + ")");
  }
  SmallVector<int64_t> shape =
      nchw ? SmallVector<int64_t>{batch, outChannels, outSpatial[0],
                                  outSpatial[1]}
           : SmallVector<int64_t>{batch, outSpatial[0], outSpatial[1],
                                  outChannels};
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// GeneratedMatmulOp
//===----------------------------------------------------------------------===//

LogicalResult GeneratedMatmulOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  ShapeChecker check{loc, GeneratedMatmulOp::getOperationName()};
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto basis = dyn_cast<RankedTensorType>(adaptor.getBasis().getType());
  if (!input || !basis)
    return check.fail("operands must be ranked tensors");
  Type elementType = input.getElementType();
  if (failed(check.rankEquals(input, 2, "input", "[M, Ci]")) ||
      failed(check.sameElementType(basis, elementType, "basis", "input")))
    return failure();
  FailureOr<SmallVector<int64_t>> weight = inferGeneratedShape(
      check, basis, optionalTensorType(adaptor.getCoeffIn()),
      optionalTensorType(adaptor.getCoeffOut()), 0,
      {"coeff_in", "basis", "coeff_out"});
  if (failed(weight))
    return failure();
  int64_t outChannels = (*weight)[0];
  if (failed(check.dimEquals(input.getDimSize(1), (*weight)[1],
                             "'input' dimension 1 (Ci)",
                             " like the generated weight [Co, Ci]")) ||
      failed(checkBias(check, optionalTensorType(adaptor.getBias()),
                       outChannels, elementType)))
    return failure();
  inferred.push_back(RankedTensorType::get({input.getDimSize(0), outChannels},
                                           elementType));
  return success();
}

#define GET_OP_CLASSES
#include "mlg/Dialect/MLG/IR/MLG.cpp.inc"
