//===- MLGAttributes.cpp - MLG attributes ---------------------------------===//

#include "mlg/Dialect/MLG/IR/MLGAttributes.h"
#include "mlg/Dialect/MLG/IR/MLGDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::mlg;

#include "mlg/Dialect/MLG/IR/MLGEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "mlg/Dialect/MLG/IR/MLGAttributes.cpp.inc"

void MLGDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mlg/Dialect/MLG/IR/MLGAttributes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// MidriseAttr
//===----------------------------------------------------------------------===//

LogicalResult
MidriseAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                    DenseF64ArrayAttr scalesAttr, int64_t axis) {
  ArrayRef<double> scales = scalesAttr.asArrayRef();
  if (scales.empty())
    return emitError() << "midrise grid needs at least one scale";
  if (axis < -1)
    return emitError() << "midrise grid axis must be >= 0, got " << axis;
  if (axis < 0 && scales.size() != 1)
    return emitError() << "per-tensor midrise grid takes exactly one scale, got "
                       << scales.size();
  for (auto [index, scale] : llvm::enumerate(scales))
    if (!std::isfinite(scale) || scale <= 0.0)
      return emitError() << "midrise scale #" << index
                         << " must be finite and positive, got " << scale;
  return success();
}

// Per tensor:  #mlg.midrise<scale = 0.25>
// Per channel: #mlg.midrise<axis = 0, scales = [0.25, 0.5]>
Attribute MidriseAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  SmallVector<double> scales;
  int64_t axis = -1;
  if (parser.parseLess())
    return {};
  if (succeeded(parser.parseOptionalKeyword("axis"))) {
    if (parser.parseEqual() || parser.parseInteger(axis) || parser.parseComma() ||
        parser.parseKeyword("scales") || parser.parseEqual() ||
        parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
          return parser.parseFloat(scales.emplace_back());
        }))
      return {};
    if (axis < 0) {
      parser.emitError(loc) << "midrise grid axis must be >= 0, got " << axis;
      return {};
    }
  } else if (parser.parseKeyword("scale") || parser.parseEqual() ||
             parser.parseFloat(scales.emplace_back())) {
    return {};
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<MidriseAttr>(
      loc, parser.getContext(),
      DenseF64ArrayAttr::get(parser.getContext(), scales), axis);
}

void MidriseAttr::print(AsmPrinter &printer) const {
  printer << "<";
  if (isPerTensor()) {
    printer << "scale = ";
    printer.printFloat(APFloat(getScales()[0]));
  } else {
    printer << "axis = " << getAxis() << ", scales = [";
    llvm::interleaveComma(getScales().asArrayRef(), printer,
                          [&](double s) { printer.printFloat(APFloat(s)); });
    printer << "]";
  }
  printer << ">";
}
