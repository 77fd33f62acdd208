//===- Translation.cpp - ptc dialect <-> PTC binary -----------------------===//

#include "mlg/Target/PTC/Translation.h"

#include "mlg/Dialect/PTC/IR/PTCDialect.h"
#include "mlg/Dialect/PTC/IR/PTCInstructions.h"
#include "mlg/Dialect/PTC/IR/PTCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::mlg::ptc;
namespace bin = ::mlg::ptc::bin;

static std::optional<bin::SymbolRole> parseRole(StringRef name) {
  for (bin::SymbolRole role :
       {bin::SymbolRole::Data, bin::SymbolRole::Input, bin::SymbolRole::Output,
        bin::SymbolRole::Activation})
    if (bin::getSymbolRoleName(role) == name)
      return role;
  return std::nullopt;
}

static FailureOr<bin::DataSymbol> exportData(DataOp op) {
  auto type = cast<ShapedType>(op.getValue().getType());
  bin::DataSymbol symbol;
  symbol.name = op.getSymName().str();
  symbol.offset = op.getOffset();
  symbol.elemBits = type.getElementTypeBitWidth();
  symbol.isSigned = !type.getElementType().isUnsignedInteger();
  if (auto role = op->getAttrOfType<StringAttr>(kRoleAttrName)) {
    std::optional<bin::SymbolRole> parsed = parseRole(role.getValue());
    if (!parsed || *parsed == bin::SymbolRole::Data)
      return op.emitOpError("'role' must be \"input\", \"output\" or "
                            "\"activation\", got ")
             << role;
    symbol.role = *parsed;
  }
  if (op->getAttr(kSpaceAttrName))
    symbol.space = bin::SymbolSpace::GlobalSram;
  for (int64_t size : type.getShape())
    symbol.shape.push_back(size);
  // The host view; computeLayout checks it against the symbol.
  if (auto hostShape =
          op->getAttrOfType<DenseI64ArrayAttr>(kHostShapeAttrName)) {
    auto layoutName = op->getAttrOfType<StringAttr>(kHostLayoutAttrName);
    auto scale = op->getAttrOfType<FloatAttr>(kScaleAttrName);
    std::optional<bin::HostLayout> layout;
    if (layoutName)
      layout = bin::parseHostLayout(layoutName.getValue());
    if (!layout || !scale)
      return op.emitOpError(
          "'host_shape' needs a valid 'host_layout' and a 'scale'");
    bin::HostView view;
    view.layout = *layout;
    view.scale = scale.getValueAsDouble();
    for (int64_t size : hostShape.asArrayRef())
      view.shape.push_back(size);
    if (auto padding =
            op->getAttrOfType<IntegerAttr>(kHostRowPaddingAttrName)) {
      if (padding.getInt() < 0 || padding.getInt() > UINT16_MAX)
        return op.emitOpError("'host_row_padding' is not in [0, 65535]");
      view.rowPadding = padding.getInt();
    }
    symbol.host = std::move(view);
  }
  // Refuse a tensor the file format cannot hold before unpacking its
  // elements (8 bytes each): `dense<0> : tensor<32768x32768xi8>` is a few
  // bytes of text (docs/errors.md, resource limits).
  uint64_t packedBytes =
      bin::getPackedBytes(type.getNumElements(), symbol.elemBits);
  uint64_t spaceBytes = symbol.space == bin::SymbolSpace::GlobalSram
                            ? bin::kMaxGlobalSramBytes
                            : ::mlg::ptc::isa::kGlobalSramBase;
  if (uint64_t(symbol.offset) + packedBytes > spaceBytes)
    return op.emitOpError() << "holds " << packedBytes << " bytes from offset "
                            << symbol.offset << ", past the "
                            << (spaceBytes >> 20) << " MiB its space has in "
                            << "the file format";
  // Packed a chunk at a time, so that the unpacked 64-bit values of a large
  // tensor never exist all at once; a chunk of a multiple of 8 elements
  // packs into whole bytes.
  constexpr size_t kChunkElements = size_t(1) << 20;
  symbol.bytes.reserve(packedBytes);
  std::vector<int64_t> values;
  values.reserve(std::min<uint64_t>(type.getNumElements(), kChunkElements));
  auto flush = [&]() -> LogicalResult {
    llvm::Expected<std::vector<uint8_t>> bytes =
        bin::packElements(values, symbol.elemBits, symbol.isSigned);
    if (!bytes)
      return op.emitOpError() << llvm::toString(bytes.takeError());
    symbol.bytes.insert(symbol.bytes.end(), bytes->begin(), bytes->end());
    values.clear();
    return success();
  };
  for (const APInt &value : op.getValue().getValues<APInt>()) {
    values.push_back(symbol.isSigned
                         ? value.getSExtValue()
                         : static_cast<int64_t>(value.getZExtValue()));
    if (values.size() == kChunkElements && failed(flush()))
      return failure();
  }
  if (!values.empty() && failed(flush()))
    return failure();
  return symbol;
}

FailureOr<bin::Program> mlir::mlg::ptc::exportProgram(Operation *op) {
  auto program = dyn_cast<ProgramOp>(op);
  if (!program) {
    SmallVector<ProgramOp> programs;
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (auto nested : block.getOps<ProgramOp>())
          programs.push_back(nested);
    if (programs.size() != 1)
      return op->emitError("expected exactly one ptc.program, found ")
             << programs.size();
    program = programs.front();
  }
  bin::Program out;
  // The open layer marker and its first instruction.
  Operation *openLayer = nullptr;
  auto closeLayer = [&]() -> LogicalResult {
    if (!openLayer)
      return success();
    uint32_t first = out.layers.back().first;
    if (first == out.instructions.size())
      return openLayer->emitOpError("layer holds no instruction");
    out.layers.back().end = out.instructions.size();
    openLayer = nullptr;
    return success();
  };
  for (Operation &child : program.getBody()->getOperations()) {
    if (auto layer = dyn_cast<LayerOp>(child)) {
      if (failed(closeLayer()))
        return failure();
      openLayer = layer;
      out.layers.push_back({layer.getName().str(),
                            uint32_t(out.instructions.size()), 0});
    } else if (isa<EndLayerOp>(child)) {
      if (!openLayer)
        return child.emitOpError("without an open ptc.layer");
      if (failed(closeLayer()))
        return failure();
    } else if (auto data = dyn_cast<DataOp>(child)) {
      FailureOr<bin::DataSymbol> symbol = exportData(data);
      if (failed(symbol))
        return failure();
      out.symbols.push_back(std::move(*symbol));
    } else if (auto uop = dyn_cast<UopOp>(child)) {
      out.uops.push_back(toUop(uop));
    } else if (isInstructionOp(&child)) {
      out.instructions.push_back(toInstruction(&child));
    } else {
      return child.emitOpError("has no binary encoding");
    }
  }
  if (failed(closeLayer()))
    return failure();
  // The verifiers check the same rules; this also covers IR that was built
  // without being verified.
  if (llvm::Expected<bin::Layout> layout = bin::computeLayout(out); !layout)
    return program.emitOpError() << llvm::toString(layout.takeError());
  return out;
}

OwningOpRef<ModuleOp> mlir::mlg::ptc::importProgram(const bin::Program &program,
                                                    MLIRContext *context,
                                                    Location loc) {
  context->loadDialect<PTCDialect>();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  OpBuilder builder = OpBuilder::atBlockEnd(module->getBody());
  auto programOp = ProgramOp::create(builder, loc);
  builder.setInsertionPointToEnd(programOp.getBody());
  for (const bin::DataSymbol &symbol : program.symbols) {
    auto elementType = IntegerType::get(
        context, symbol.elemBits,
        symbol.isSigned ? IntegerType::Signless : IntegerType::Unsigned);
    SmallVector<int64_t> shape(symbol.shape.begin(), symbol.shape.end());
    auto type = RankedTensorType::get(shape, elementType);
    SmallVector<APInt> values;
    for (int64_t value :
         bin::unpackElements(symbol.bytes, symbol.getNumElements(),
                             symbol.elemBits, symbol.isSigned))
      values.emplace_back(symbol.elemBits, static_cast<uint64_t>(value),
                          /*isSigned=*/symbol.isSigned);
    auto data = DataOp::create(builder, loc, symbol.name, symbol.offset,
                               DenseIntElementsAttr::get(type, values));
    if (symbol.role != bin::SymbolRole::Data)
      data->setAttr(kRoleAttrName,
                    builder.getStringAttr(bin::getSymbolRoleName(symbol.role)));
    if (symbol.space == bin::SymbolSpace::GlobalSram)
      data->setAttr(kSpaceAttrName, builder.getStringAttr(kGlobalSramSpace));
    if (symbol.host) {
      SmallVector<int64_t> hostShape(symbol.host->shape.begin(),
                                     symbol.host->shape.end());
      data->setAttr(kScaleAttrName, builder.getF64FloatAttr(symbol.host->scale));
      data->setAttr(kHostShapeAttrName,
                    builder.getDenseI64ArrayAttr(hostShape));
      data->setAttr(kHostLayoutAttrName,
                    builder.getStringAttr(
                        bin::getHostLayoutName(symbol.host->layout)));
      if (symbol.host->rowPadding)
        data->setAttr(kHostRowPaddingAttrName,
                      builder.getI64IntegerAttr(symbol.host->rowPadding));
    }
  }
  for (const ::mlg::ptc::isa::Uop &uop : program.uops)
    UopOp::create(builder, loc, uop.dst, uop.src, uop.wgt);
  // Layer markers: ptc.layer before a layer's first instruction,
  // ptc.end_layer after its last unless the next layer starts there.
  size_t nextLayer = 0;
  for (size_t index = 0; index < program.instructions.size(); ++index) {
    const ::mlg::ptc::isa::Instruction &insn = program.instructions[index];
    while (nextLayer < program.layers.size() &&
           program.layers[nextLayer].first == index) {
      LayerOp::create(builder, loc, program.layers[nextLayer].name);
      ++nextLayer;
    }
    buildInstructionOp(builder, loc, insn);
    bool endsLayer = llvm::any_of(program.layers, [&](const bin::Layer &l) {
      return l.end == index + 1;
    });
    bool nextStarts = nextLayer < program.layers.size() &&
                      program.layers[nextLayer].first == index + 1;
    if (endsLayer && !nextStarts && index + 1 < program.instructions.size())
      EndLayerOp::create(builder, loc);
  }
  return module;
}

static void registerPTCDialect(DialectRegistry &registry) {
  registry.insert<PTCDialect>();
}

void mlir::mlg::ptc::registerPTCTranslations() {
  static bool registered = [] {
    TranslateFromMLIRRegistration toBinary(
        "ptc-to-binary", "encode a ptc.program as a PTC program binary",
        [](Operation *op, raw_ostream &output) -> LogicalResult {
          FailureOr<bin::Program> program = exportProgram(op);
          if (failed(program))
            return failure();
          llvm::Expected<std::vector<uint8_t>> bytes =
              bin::writeBinary(*program);
          if (!bytes)
            return op->emitError() << llvm::toString(bytes.takeError());
          output.write(reinterpret_cast<const char *>(bytes->data()),
                       bytes->size());
          return success();
        },
        registerPTCDialect);
    TranslateFromMLIRRegistration toAsm(
        "ptc-to-asm",
        "list a ptc.program as PTC assembly with byte offsets and encodings",
        [](Operation *op, raw_ostream &output) -> LogicalResult {
          FailureOr<bin::Program> program = exportProgram(op);
          if (failed(program))
            return failure();
          bin::printAssembly(*program, output);
          return success();
        },
        registerPTCDialect);
    TranslateToMLIRRegistration fromBinary(
        "binary-to-ptc", "disassemble a PTC program binary into a ptc.program",
        [](llvm::SourceMgr &sourceMgr,
           MLIRContext *context) -> OwningOpRef<Operation *> {
          const llvm::MemoryBuffer *buffer =
              sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
          Location loc =
              FileLineColLoc::get(context, buffer->getBufferIdentifier(), 0, 0);
          llvm::ArrayRef<uint8_t> bytes(
              reinterpret_cast<const uint8_t *>(buffer->getBufferStart()),
              buffer->getBufferSize());
          llvm::Expected<bin::Program> program = bin::readBinary(bytes);
          if (!program) {
            emitError(loc) << llvm::toString(program.takeError());
            return nullptr;
          }
          OwningOpRef<ModuleOp> module = importProgram(*program, context, loc);
          if (failed(verify(*module)))
            return nullptr;
          return OwningOpRef<Operation *>(module.release());
        },
        registerPTCDialect);
    return true;
  }();
  (void)registered;
}
