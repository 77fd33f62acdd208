//===- ConstantData.cpp - Read and build float/code constants -------------===//

#include "mlg/Dialect/MLG/Transforms/ConstantData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/APInt.h"

#include <cstring>

using namespace mlir;
using namespace mlir::mlg;

static void setReason(std::string *whyNot, const Twine &reason) {
  if (whyNot)
    *whyNot = reason.str();
}

ElementsAttr mlir::mlg::getFloatConstant(Value value, std::string *whyNot) {
  ElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr))) {
    setReason(whyNot, "it is not a constant");
    return {};
  }
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.hasStaticShape() ||
      !isa<FloatType>(type.getElementType())) {
    setReason(whyNot, "it is not a static float tensor");
    return {};
  }
  return attr;
}

void mlir::mlg::roundToElementType(MutableArrayRef<double> values,
                                   Type elementType) {
  if (elementType.isF64())
    return;
  if (elementType.isF32()) {
    for (double &v : values)
      v = double(float(v));
    return;
  }
  const llvm::fltSemantics &semantics =
      cast<FloatType>(elementType).getFloatSemantics();
  for (double &v : values) {
    APFloat f(v);
    bool losesInfo = false;
    f.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
    f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
    v = f.convertToDouble();
  }
}

bool mlir::mlg::isResourceAttr(Attribute attr) {
  return isa<DenseResourceElementsAttr>(attr);
}

/// Copies `count` values of type T from raw little-endian bytes.
template <typename T>
static std::vector<double> widen(ArrayRef<char> bytes, int64_t count) {
  std::vector<double> out(count);
  for (int64_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
    out[i] = double(v);
  }
  return out;
}

FailureOr<std::vector<double>>
mlir::mlg::readFloatElements(ElementsAttr attr, std::string *whyNot) {
  auto type = cast<ShapedType>(attr.getType());
  Type elementType = type.getElementType();
  int64_t count = type.getNumElements();
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob) {
      setReason(whyNot, "its dense_resource blob '" +
                            resource.getRawHandle().getKey() +
                            "' has no data (elided or missing)");
      return failure();
    }
    ArrayRef<char> bytes = blob->getData();
    unsigned width = elementType.getIntOrFloatBitWidth();
    if ((!elementType.isF32() && !elementType.isF64()) ||
        int64_t(bytes.size()) != count * (width / 8)) {
      setReason(whyNot, "its dense_resource blob is not " + Twine(count) +
                            " f32 or f64 values");
      return failure();
    }
    return elementType.isF32() ? widen<float>(bytes, count)
                               : widen<double>(bytes, count);
  }
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense || !isa<FloatType>(elementType)) {
    setReason(whyNot, "its elements are not dense floats");
    return failure();
  }
  std::vector<double> out;
  out.reserve(count);
  if (elementType.isF32()) {
    for (float v : dense.getValues<float>())
      out.push_back(v);
  } else if (elementType.isF64()) {
    for (double v : dense.getValues<double>())
      out.push_back(v);
  } else {
    for (const APFloat &v : dense.getValues<APFloat>()) {
      APFloat wide = v;
      bool losesInfo = false;
      wide.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                   &losesInfo);
      out.push_back(wide.convertToDouble());
    }
  }
  return out;
}

ElementsAttr mlir::mlg::buildFloatElements(RankedTensorType type,
                                           ArrayRef<double> values,
                                           bool asResource, StringRef name) {
  Type elementType = type.getElementType();
  if (asResource && elementType.isF32()) {
    std::vector<float> narrow(values.begin(), values.end());
    return DenseResourceElementsAttr::get(
        type, name,
        HeapAsmResourceBlob::allocateAndCopyInferAlign<float>(narrow));
  }
  if (asResource && elementType.isF64())
    return DenseResourceElementsAttr::get(
        type, name,
        HeapAsmResourceBlob::allocateAndCopyInferAlign<double>(values));
  if (elementType.isF32()) {
    std::vector<float> narrow(values.begin(), values.end());
    return DenseElementsAttr::get(type, ArrayRef<float>(narrow));
  }
  if (elementType.isF64())
    return DenseElementsAttr::get(type, values);
  const llvm::fltSemantics &semantics =
      cast<FloatType>(elementType).getFloatSemantics();
  SmallVector<APFloat> converted;
  converted.reserve(values.size());
  for (double v : values) {
    APFloat f(v);
    bool losesInfo = false;
    f.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
    converted.push_back(f);
  }
  return DenseElementsAttr::get(type, converted);
}

Value mlir::mlg::createFloatConstant(OpBuilder &b, Location loc,
                                     RankedTensorType type,
                                     ArrayRef<double> values, bool asResource,
                                     StringRef name) {
  return arith::ConstantOp::create(
      b, loc,
      cast<TypedAttr>(buildFloatElements(type, values, asResource, name)));
}

Value mlir::mlg::createCodeConstant(OpBuilder &b, Location loc,
                                    ArrayRef<int64_t> shape, unsigned bits,
                                    ArrayRef<int64_t> codes) {
  auto type = RankedTensorType::get(shape, b.getIntegerType(bits));
  SmallVector<APInt> values;
  values.reserve(codes.size());
  for (int64_t code : codes)
    values.emplace_back(bits, uint64_t(code), /*isSigned=*/true);
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
}

FailureOr<std::vector<int64_t>> mlir::mlg::readIntegerCodes(Value value) {
  DenseIntElementsAttr codes;
  if (!matchPattern(value, m_Constant(&codes)))
    return failure();
  std::vector<int64_t> values;
  values.reserve(codes.getNumElements());
  for (const APInt &code : codes.getValues<APInt>())
    values.push_back(code.getSExtValue());
  return values;
}
