//===- ConstantData.h - Read and build float/code constants -----*- C++ -*-===//
//
// The compression passes work on float64 copies of constant tensors. These
// helpers move data between `dense`/`dense_resource` attributes and
// row-major std::vector<double>, and build the constants the passes emit.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_MLG_TRANSFORMS_CONSTANTDATA_H
#define MLG_DIALECT_MLG_TRANSFORMS_CONSTANTDATA_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

#include <string>
#include <vector>

namespace mlir::mlg {

/// The elements attribute of a constant float tensor defining `value`, or
/// null (with `whyNot` set) when `value` is not one the passes can read.
ElementsAttr getFloatConstant(Value value, std::string *whyNot = nullptr);

/// Row-major float64 copy of a float elements attribute (dense of any float
/// type; dense_resource of f32 or f64). Fails, with `whyNot` set, for elided
/// or missizes resource blobs and other element types.
FailureOr<std::vector<double>> readFloatElements(ElementsAttr attr,
                                                 std::string *whyNot = nullptr);

/// The signed integer codes of a constant defining `value`; failure when
/// `value` is not a constant integer tensor.
FailureOr<std::vector<int64_t>> readIntegerCodes(Value value);

/// Rounds each value to the float type `elementType` and back, so that
/// errors are measured on what a constant of that type stores.
void roundToElementType(MutableArrayRef<double> values, Type elementType);

/// True for a dense_resource attribute: outputs derived from it are emitted
/// as resources too, so large models stay compact in text form.
bool isResourceAttr(Attribute attr);

/// An `arith.constant` of `type` (static float tensor) holding `values`
/// rounded to its element type; a dense_resource blob named after `name`
/// (f32 and f64 only) when `asResource`, else a dense attribute.
Value createFloatConstant(OpBuilder &b, Location loc, RankedTensorType type,
                          ArrayRef<double> values, bool asResource,
                          StringRef name);

/// The elements attribute behind createFloatConstant, for attaching data to
/// ops (mlg.reference) rather than materialising it.
ElementsAttr buildFloatElements(RankedTensorType type, ArrayRef<double> values,
                                bool asResource, StringRef name);

/// An `arith.constant` of signless `bits`-bit integer codes of `shape`.
Value createCodeConstant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                         unsigned bits, ArrayRef<int64_t> codes);

} // namespace mlir::mlg

#endif // MLG_DIALECT_MLG_TRANSFORMS_CONSTANTDATA_H
