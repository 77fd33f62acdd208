//===- CPUPackSubByteConstants.cpp - Bit-packed sub-byte constants --------===//

#include "mlg/Pipelines/CPUPackSubByteConstants.h"
#include "mlg/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

/// The codes of `values` (width `bits`), packed LSB first, plus one zero
/// byte so that the unpacking may always read two bytes.
static SmallVector<int8_t> packBits(DenseIntElementsAttr values,
                                    unsigned bits) {
  int64_t count = values.getNumElements();
  SmallVector<int8_t> bytes((count * bits + 7) / 8 + 1, 0);
  int64_t bit = 0;
  for (const APInt &value : values.getValues<APInt>()) {
    uint64_t code = value.getZExtValue();
    for (unsigned b = 0; b < bits; ++b, ++bit)
      if (code >> b & 1)
        bytes[bit / 8] = static_cast<int8_t>(
            static_cast<uint8_t>(bytes[bit / 8]) | (1u << (bit % 8)));
  }
  return bytes;
}

/// linalg.generic computing the `type` tensor of codes from `packed`.
static Value buildUnpack(OpBuilder &b, Location loc, RankedTensorType type,
                         Value packed) {
  unsigned bits = type.getElementTypeBitWidth();
  int64_t rank = type.getRank();
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange) {
        auto indexConst = [&](int64_t v) -> Value {
          return arith::ConstantIndexOp::create(nb, nloc, v);
        };
        // Row-major linear index of the element.
        Value linear = indexConst(0);
        for (int64_t d = 0; d < rank; ++d) {
          Value scaled = arith::MulIOp::create(nb, nloc, linear,
                                               indexConst(type.getDimSize(d)));
          linear = arith::AddIOp::create(nb, nloc, scaled,
                                         linalg::IndexOp::create(nb, nloc, d));
        }
        Value bit = arith::MulIOp::create(nb, nloc, linear, indexConst(bits));
        Value byte = arith::DivUIOp::create(nb, nloc, bit, indexConst(8));
        Value shift = arith::RemUIOp::create(nb, nloc, bit, indexConst(8));
        Value next = arith::AddIOp::create(nb, nloc, byte, indexConst(1));
        Type i16 = nb.getI16Type();
        Value low = arith::ExtUIOp::create(
            nb, nloc, i16,
            tensor::ExtractOp::create(nb, nloc, packed, ValueRange{byte}));
        Value high = arith::ExtUIOp::create(
            nb, nloc, i16,
            tensor::ExtractOp::create(nb, nloc, packed, ValueRange{next}));
        Value word = arith::OrIOp::create(
            nb, nloc, low,
            arith::ShLIOp::create(
                nb, nloc, high,
                arith::ConstantIntOp::create(nb, nloc, i16, 8)));
        Value shifted = arith::ShRUIOp::create(
            nb, nloc, word, arith::IndexCastUIOp::create(nb, nloc, i16, shift));
        Value code =
            arith::TruncIOp::create(nb, nloc, type.getElementType(), shifted);
        linalg::YieldOp::create(nb, nloc, code);
      });
  return generic.getResult(0);
}

mlg::PackedCodesStats mlg::packSubByteConstants(ModuleOp module,
                                                int64_t minElements) {
  MLIRContext *ctx = module.getContext();
  ctx->getOrLoadDialect<linalg::LinalgDialect>();
  ctx->getOrLoadDialect<tensor::TensorDialect>();
  PackedCodesStats stats;
  SmallVector<arith::ConstantOp> candidates;
  module.walk([&](arith::ConstantOp op) {
    auto type = dyn_cast<RankedTensorType>(op.getType());
    auto values = dyn_cast<DenseIntElementsAttr>(op.getValue());
    if (!type || !values || values.isSplat() || !type.hasStaticShape())
      return;
    auto element = dyn_cast<IntegerType>(type.getElementType());
    if (!element || element.getWidth() >= 8 ||
        type.getNumElements() < minElements)
      return;
    candidates.push_back(op);
  });
  for (arith::ConstantOp op : candidates) {
    auto type = cast<RankedTensorType>(op.getType());
    unsigned bits = type.getElementTypeBitWidth();
    SmallVector<int8_t> bytes =
        packBits(cast<DenseIntElementsAttr>(op.getValue()), bits);
    OpBuilder b(op);
    auto packedType = RankedTensorType::get(
        {static_cast<int64_t>(bytes.size())}, b.getI8Type());
    Value packed = arith::ConstantOp::create(
        b, op.getLoc(),
        DenseElementsAttr::get(packedType, ArrayRef<int8_t>(bytes)));
    op.replaceAllUsesWith(buildUnpack(b, op.getLoc(), type, packed));
    op.erase();
    ++stats.constants;
    stats.unpackedBytes += type.getNumElements();
    stats.packedBytes += bytes.size();
  }
  return stats;
}

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGCPUPACKSUBBYTECONSTANTS
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

namespace {

struct CPUPackSubByteConstantsPass
    : mlg::impl::MLGCPUPackSubByteConstantsBase<CPUPackSubByteConstantsPass> {
  using Base::Base;
  explicit CPUPackSubByteConstantsPass(mlg::PackedCodesStats *stats)
      : stats(stats) {}

  void runOnOperation() override {
    mlg::PackedCodesStats packed =
        mlg::packSubByteConstants(getOperation(), minElements);
    if (!stats)
      return;
    stats->constants += packed.constants;
    stats->unpackedBytes += packed.unpackedBytes;
    stats->packedBytes += packed.packedBytes;
  }

  mlg::PackedCodesStats *stats = nullptr;
};

} // namespace

std::unique_ptr<Pass>
mlg::createCPUPackSubByteConstantsPass(PackedCodesStats *stats) {
  return std::make_unique<CPUPackSubByteConstantsPass>(stats);
}
