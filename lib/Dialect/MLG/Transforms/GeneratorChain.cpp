//===- GeneratorChain.cpp - The generator ops behind one weight -----------===//

#include "mlg/Dialect/MLG/Transforms/GeneratorChain.h"
#include "mlg/Compression/SmartDeal.h"
#include "mlg/Dialect/MLG/Transforms/ConstantData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <array>

using namespace mlir;
using namespace mlir::mlg;

StringRef mlir::mlg::stringifyGeneratorRole(GeneratorRole role) {
  switch (role) {
  case GeneratorRole::Basis:
    return "basis";
  case GeneratorRole::CoeffIn:
    return "coeff_in";
  case GeneratorRole::CoeffOut:
    return "coeff_out";
  }
  llvm_unreachable("unknown generator role");
}

/// The generator operands of a fused op, in GeneratorRole order.
static std::array<OpOperand *, 3> fusedOperands(Operation *op) {
  auto optional = [](MutableOperandRange range) -> OpOperand * {
    return range.empty() ? nullptr : &range[0];
  };
  if (auto conv = dyn_cast<GeneratedConv2DOp>(op))
    return {&conv.getBasisMutable(), optional(conv.getCoeffInMutable()),
            optional(conv.getCoeffOutMutable())};
  auto matmul = cast<GeneratedMatmulOp>(op);
  return {&matmul.getBasisMutable(), optional(matmul.getCoeffInMutable()),
          optional(matmul.getCoeffOutMutable())};
}

OpOperand *GeneratorChain::operand(GeneratorRole role) const {
  if (fused)
    return fusedOperands(root)[static_cast<size_t>(role)];
  // Op handles are values; copies give the non-const accessors.
  GenerateIntraOp intraOp = intra;
  GenerateCrossOp crossOp = cross;
  switch (role) {
  case GeneratorRole::Basis:
    if (intraOp)
      return &intraOp.getBasisMutable();
    return &crossOp.getKernelsMutable();
  case GeneratorRole::CoeffIn:
    return intraOp ? &intraOp.getCoeffMutable() : nullptr;
  case GeneratorRole::CoeffOut:
    return crossOp ? &crossOp.getCoeffMutable() : nullptr;
  }
  llvm_unreachable("unknown generator role");
}

ArrayRef<int64_t> GeneratorChain::generatorShape(GeneratorRole role) const {
  OpOperand *o = operand(role);
  return o ? cast<RankedTensorType>(o->get().getType()).getShape()
           : ArrayRef<int64_t>();
}

FailureOr<GeneratorChain> mlir::mlg::getGeneratorChain(Operation *root) {
  GeneratorChain chain;
  chain.root = root;
  if (auto cross = dyn_cast<GenerateCrossOp>(root)) {
    chain.cross = cross;
    chain.intra = cross.getKernels().getDefiningOp<GenerateIntraOp>();
  } else if (auto intra = dyn_cast<GenerateIntraOp>(root)) {
    if (llvm::any_of(intra->getUsers(), llvm::IsaPred<GenerateCrossOp>))
      return failure();
    chain.intra = intra;
  } else {
    return failure();
  }
  auto dims = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  };
  ArrayRef<int64_t> generated = dims(root->getResult(0));
  if (llvm::any_of(generated, ShapedType::isDynamic))
    return failure();
  compression::GeneratorShape &s = chain.shape;
  s.co = generated[0];
  s.ci = generated[1];
  s.kh = generated.size() > 2 ? generated[2] : 1;
  s.kw = generated.size() > 3 ? generated[3] : 1;
  if (generated.size() > 4)
    return failure();
  s.bi = chain.intra ? dims(chain.intra.getCoeff())[2] : 0;
  s.bc = chain.cross ? dims(chain.cross.getCoeff())[1] : s.co;
  for (GeneratorRole role : kGeneratorRoles)
    if (llvm::any_of(chain.generatorShape(role), ShapedType::isDynamic))
      return failure();
  return chain;
}

FailureOr<GeneratorChain> mlir::mlg::getFusedGeneratorChain(Operation *op) {
  if (!isa<GeneratedConv2DOp, GeneratedMatmulOp>(op))
    return failure();
  GeneratorChain chain;
  chain.root = op;
  chain.fused = true;
  for (GeneratorRole role : kGeneratorRoles)
    if (llvm::any_of(chain.generatorShape(role), ShapedType::isDynamic))
      return failure();
  ArrayRef<int64_t> basis = chain.generatorShape(GeneratorRole::Basis);
  ArrayRef<int64_t> coeffIn = chain.generatorShape(GeneratorRole::CoeffIn);
  ArrayRef<int64_t> coeffOut = chain.generatorShape(GeneratorRole::CoeffOut);
  compression::GeneratorShape &s = chain.shape;
  s.bc = basis[0];
  s.co = coeffOut.empty() ? s.bc : coeffOut[0];
  s.ci = coeffIn.empty() ? basis[1] : coeffIn[1];
  s.bi = coeffIn.empty() ? 0 : coeffIn[2];
  s.kh = basis.size() > 2 ? basis[2] : 1;
  s.kw = basis.size() > 3 ? basis[3] : 1;
  return chain;
}

FailureOr<GeneratorChain> mlir::mlg::traceGeneratorChain(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto transpose = dyn_cast<linalg::TransposeOp>(def))
      value = transpose.getInput();
    else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def))
      value = expand.getSrc();
    else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def))
      value = collapse.getSrc();
    else if (auto slice = dyn_cast<tensor::ExtractSliceOp>(def))
      value = slice.getSource();
    else
      break;
  }
  Operation *def = value.getDefiningOp();
  if (!def)
    return failure();
  // A generate_intra feeding a cross op is not a root; its value is not the
  // generated weight then, so only roots are accepted here.
  return getGeneratorChain(def);
}

SmallVector<GeneratorChain> mlir::mlg::collectGeneratorChains(ModuleOp module) {
  SmallVector<GeneratorChain> chains;
  module.walk([&](Operation *op) {
    if (!isa<GenerateCrossOp, GenerateIntraOp>(op))
      return;
    if (FailureOr<GeneratorChain> chain = getGeneratorChain(op);
        succeeded(chain))
      chains.push_back(*chain);
  });
  return chains;
}

FailureOr<StoredTensor> mlir::mlg::getStoredTensor(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return failure();
  StoredTensor stored;
  stored.elements = type.getNumElements();
  if (auto dequantize = value.getDefiningOp<DequantizeOp>()) {
    if (!matchPattern(dequantize.getCodes(), m_Constant()))
      return failure();
    stored.bits = dequantize.getBitWidth();
    stored.scales = dequantize.getQuantGrid().scales.size();
    stored.quantized = true;
    stored.packedBits = stored.elements * stored.bits;
    return stored;
  }
  if (auto decode = value.getDefiningOp<DecodePow2Op>()) {
    FailureOr<std::vector<int64_t>> codes = readIntegerCodes(decode.getCodes());
    if (failed(codes) || type.getRank() == 0)
      return failure();
    stored.bits = decode.getBitWidth();
    stored.quantized = true;
    compression::Pow2Storage storage = compression::countPow2Storage(
        *codes, type.getShape().back(), stored.bits);
    stored.packedBits = storage.bits;
    stored.nonzeros = storage.nonzeros;
    return stored;
  }
  if (!matchPattern(value, m_Constant()))
    return failure();
  stored.bits = type.getElementTypeBitWidth();
  stored.packedBits = stored.elements * stored.bits;
  return stored;
}
