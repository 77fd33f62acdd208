//===- PTCOps.cpp - PTC operations ----------------------------------------===//

#include "mlg/Dialect/PTC/IR/PTCOps.h"
#include "mlg/Dialect/PTC/IR/PTCInstructions.h"
#include "mlg/Target/PTC/Binary.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::mlg::ptc;
namespace ptcisa = ::mlg::ptc::isa;

#define GET_OP_CLASSES
#include "mlg/Dialect/PTC/IR/PTC.cpp.inc"

//===----------------------------------------------------------------------===//
// Instructions
//===----------------------------------------------------------------------===//

/// Every instruction is checked by the ISA library itself, so the dialect
/// and the encoder agree on each field's width and range.
static LogicalResult verifyInstruction(Operation *op) {
  if (llvm::Error error = ptcisa::validate(toInstruction(op)))
    return op->emitOpError() << llvm::toString(std::move(error));
  return success();
}

template <typename MemOp> static LogicalResult verifyMemOp(MemOp op) {
  bool isUop = op.getMemId() == MemId::uop;
  if (!isUop && !op.getElemBits())
    return op.emitOpError("needs the packed DRAM element width "
                          "('bits', field 'elem_bits', 1 to 16)");
  if (isUop && op.getElemBits())
    return op.emitOpError("moves whole 32-bit micro-ops and takes no 'bits'");
  return verifyInstruction(op);
}

LogicalResult LoadOp::verify() { return verifyMemOp(*this); }
LogicalResult StoreOp::verify() { return verifyMemOp(*this); }
LogicalResult GemmOp::verify() { return verifyInstruction(*this); }
LogicalResult FinishOp::verify() { return verifyInstruction(*this); }
LogicalResult AluOp::verify() { return verifyInstruction(*this); }
LogicalResult GenOp::verify() { return verifyInstruction(*this); }
LogicalResult RecompOp::verify() { return verifyInstruction(*this); }
LogicalResult ShaddOp::verify() {
  // The custom syntax prints the repeat and its strides together.
  if (getNRep().has_value() != getDstStride().has_value() ||
      getNRep().has_value() != getCodeStride().has_value() ||
      getNRep().has_value() != getBasisStride().has_value())
    return emitOpError("needs 'n_rep', 'dst_stride', 'code_stride' and "
                       "'basis_stride' together or none of them");
  return verifyInstruction(*this);
}
LogicalResult CfgOp::verify() { return verifyInstruction(*this); }
LogicalResult ProgOp::verify() { return verifyInstruction(*this); }
LogicalResult FenceOp::verify() { return verifyInstruction(*this); }

//===----------------------------------------------------------------------===//
// UopOp
//===----------------------------------------------------------------------===//

LogicalResult UopOp::verify() {
  if (llvm::Error error = ptcisa::validate(toUop(*this)))
    return emitOpError() << llvm::toString(std::move(error));
  return success();
}

//===----------------------------------------------------------------------===//
// DataOp
//===----------------------------------------------------------------------===//

/// Packed size in bytes of a data tensor whose type DataOp::verify accepted.
static uint64_t getPackedBytes(DataOp op) {
  auto type = cast<ShapedType>(op.getValue().getType());
  return ::mlg::ptc::bin::getPackedBytes(type.getNumElements(),
                                         type.getElementTypeBitWidth());
}

/// `scale`, `host_shape`, `host_layout` and `host_row_padding` (the host
/// view of an input or output; host_shape and host_layout come together,
/// with a role and a scale; the row padding needs them).
static LogicalResult verifyHostView(DataOp op) {
  Attribute scale = op->getAttr(kScaleAttrName);
  if (scale) {
    auto value = dyn_cast<FloatAttr>(scale);
    if (!value || !value.getType().isF64() ||
        !std::isfinite(value.getValueAsDouble()) ||
        !(value.getValueAsDouble() > 0))
      return op.emitOpError("'scale' must be a finite positive f64, got ")
             << scale;
  }
  Attribute shape = op->getAttr(kHostShapeAttrName);
  Attribute layout = op->getAttr(kHostLayoutAttrName);
  Attribute padding = op->getAttr(kHostRowPaddingAttrName);
  if (padding && !shape)
    return op.emitOpError("'host_row_padding' needs a 'host_shape'");
  if (!shape && !layout)
    return success();
  if (!shape || !layout)
    return op.emitOpError("'host_shape' and 'host_layout' must be given "
                          "together");
  auto role = op->getAttrOfType<StringAttr>(kRoleAttrName);
  if (!role || (role.getValue() != "input" && role.getValue() != "output") ||
      !scale)
    return op.emitOpError("'host_shape' needs a 'role' (\"input\" or "
                          "\"output\") and a 'scale'");
  auto layoutName = dyn_cast<StringAttr>(layout);
  std::optional<::mlg::ptc::bin::HostLayout> hostLayout;
  if (layoutName)
    hostLayout = ::mlg::ptc::bin::parseHostLayout(layoutName.getValue());
  if (!hostLayout)
    return op.emitOpError("'host_layout' must be \"identity\" or "
                          "\"nchw_pixels\", got ")
           << layout;
  auto hostShape = dyn_cast<DenseI64ArrayAttr>(shape);
  if (!hostShape)
    return op.emitOpError("'host_shape' must be an array<i64>, got ") << shape;
  int64_t rowPadding = 0;
  if (padding) {
    auto value = dyn_cast<IntegerAttr>(padding);
    if (!value || !value.getType().isInteger(64))
      return op.emitOpError("'host_row_padding' must be an i64, got ")
             << padding;
    rowPadding = value.getInt();
  }
  auto type = cast<ShapedType>(op.getValue().getType());
  if (llvm::Error error = ::mlg::ptc::bin::checkHostShape(
          *hostLayout, hostShape.asArrayRef(), type.getShape(), rowPadding))
    return op.emitOpError("'host_shape': ")
           << llvm::toString(std::move(error));
  return success();
}

uint64_t mlir::mlg::ptc::getDataAddress(DataOp op) {
  return static_cast<uint64_t>(op.getOffset()) +
         (op->getAttr(kSpaceAttrName) ? ::mlg::ptc::isa::kGlobalSramBase : 0);
}

LogicalResult DataOp::verify() {
  auto type = cast<ShapedType>(getValue().getType());
  auto elementType = dyn_cast<IntegerType>(type.getElementType());
  if (!elementType || elementType.isSigned() || elementType.getWidth() < 1 ||
      elementType.getWidth() > 16)
    return emitOpError("element type must be iN (signed codes) or uiN "
                       "(unsigned codes) with N in [1, 16], got ")
           << type.getElementType();
  if (type.getRank() > static_cast<int64_t>(::mlg::ptc::bin::kMaxSymbolRank))
    return emitOpError("rank ") << type.getRank() << " exceeds the maximum of "
                                << ::mlg::ptc::bin::kMaxSymbolRank;
  // Bound the element count before anything multiplies it (a splat can
  // have any shape): the data segment holds at most 4 GiB.
  uint64_t numElements = 1;
  for (int64_t size : type.getShape()) {
    if (size < 1 || size > UINT32_MAX)
      return emitOpError("dimension sizes must be in [1, 2^32 - 1]");
    numElements *= static_cast<uint64_t>(size);
    if (numElements > uint64_t(UINT32_MAX) * 8)
      return emitOpError("has more elements than the 4 GiB DRAM address "
                         "space can hold");
  }
  int64_t offset = getOffset();
  if (offset < 0 || offset % ::mlg::ptc::bin::kDataAlignment)
    return emitOpError("'offset' = ")
           << offset << " must be a non-negative multiple of "
           << ::mlg::ptc::bin::kDataAlignment;
  bool inGlobalSram = false;
  if (Attribute space = (*this)->getAttr(kSpaceAttrName)) {
    auto name = dyn_cast<StringAttr>(space);
    if (!name || name.getValue() != kGlobalSramSpace)
      return emitOpError("'space' must be \"global_sram\", got ") << space;
    inGlobalSram = true;
    if (!getValue().isSplat() || !getValue().getSplatValue<APInt>().isZero())
      return emitOpError("in the global SRAM must be zero-initialised "
                         "(dense<0>)");
  }
  if (static_cast<uint64_t>(offset) + getPackedBytes(*this) >
      ::mlg::ptc::isa::kGlobalSramBase)
    return emitOpError(inGlobalSram
                           ? "extends past the 2 GiB global SRAM window"
                           : "extends past DRAM [0, 2^31) into the global "
                             "SRAM window");
  if (Attribute role = (*this)->getAttr(kRoleAttrName)) {
    auto name = dyn_cast<StringAttr>(role);
    if (!name || (name.getValue() != "input" && name.getValue() != "output" &&
                  name.getValue() != "activation"))
      return emitOpError("'role' must be \"input\", \"output\" or "
                         "\"activation\", got ")
             << role;
  }
  return verifyHostView(*this);
}

//===----------------------------------------------------------------------===//
// LayerOp
//===----------------------------------------------------------------------===//

LogicalResult LayerOp::verify() {
  if (getName().empty())
    return emitOpError("needs a non-empty layer name");
  return success();
}

//===----------------------------------------------------------------------===//
// ProgramOp
//===----------------------------------------------------------------------===//

LogicalResult ProgramOp::verifyRegions() {
  std::vector<DataOp> data;
  uint64_t numUops = 0;
  std::vector<LoadOp> uopLoads;
  for (Operation &op : getBody()->getOperations()) {
    if (auto dataOp = dyn_cast<DataOp>(op);
        dataOp && !dataOp->getAttr(kSpaceAttrName))
      data.push_back(dataOp);
    else if (dataOp)
      continue; // global SRAM tensors may share bytes (no initial value)
    else if (isa<UopOp>(op))
      ++numUops;
    else if (!isInstructionOp(&op) && !isa<LayerOp, EndLayerOp>(op))
      return op.emitOpError("cannot appear in a ptc.program (expected "
                            "ptc.data, ptc.uop or an instruction)");
    if (auto load = dyn_cast<LoadOp>(op); load && load.getMemId() == MemId::uop)
      uopLoads.push_back(load);
  }
  std::sort(data.begin(), data.end(), [](DataOp a, DataOp b) {
    return a.getOffset() != b.getOffset() ? a.getOffset() < b.getOffset()
                                          : a.getSymName() < b.getSymName();
  });
  for (size_t i = 1; i < data.size(); ++i) {
    uint64_t end = data[i - 1].getOffset() + getPackedBytes(data[i - 1]);
    if (end > static_cast<uint64_t>(data[i].getOffset()))
      return data[i].emitOpError("overlaps @")
             << data[i - 1].getSymName() << ", which occupies bytes ["
             << data[i - 1].getOffset() << ", " << end << ")";
  }
  for (LoadOp load : uopLoads)
    if (load.getDramBase() + load.getXSize() > numUops)
      return load.emitOpError("reads micro-ops [")
             << load.getDramBase() << ", "
             << load.getDramBase() + load.getXSize()
             << ") but the program's table has " << numUops;
  return success();
}
