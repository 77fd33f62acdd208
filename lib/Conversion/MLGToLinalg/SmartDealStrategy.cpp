//===- SmartDealStrategy.cpp - Tiled shift-add regeneration ---------------===//
//
// A SmartDeal weight (docs/compression.md) reaches the CPU lowering unfused:
// codes -> mlg.decode_pow2 -> mlg.generate_intra over blocks [rows, k] ->
// reshapes (and a crop of padded rows) -> the weight of a
// linalg.conv_2d_nchw_fchw, or, transposed, of a linalg.conv_2d_nhwc_hwcf or
// a linalg.matmul. Lowered op by
// op, W is decoded, generated in its blocks' order, transposed to the
// convolution's HWCF layout and packed, every call: passes over all of W with
// strides of kilobytes, 6-7x the cost of the convolution
// (docs/cpu-strategy.md).
//
// Here the consumer becomes a loop over blocks of `tile` output channels:
//   * once, before the loop, the codes are copied block by block into an
//     order whose last dimension is the output channel (widened to i8 so
//     that they load as vectors), and the bases likewise: two strided
//     copies of a byte and a few floats per weight. Constant codes are
//     reordered at compile time instead; narrower than a byte, they are
//     stored in bit planes, as compact as mlgc's bit-packing and expanded
//     to i8 by one vectorizable pass per call;
//   * per block, one elementwise linalg.generic decodes the codes with
//     integer operations (sign and exponent bits of an f32) and sums the k
//     products, writing the block of W in HWCF order with the output channel
//     innermost: contiguous reads and writes that vectorize; the block, not
//     W, is what the convolution reads, and it stays in cache;
//   * the consumer is applied to the block (FCHW, HWCF or [Ci, tile]) and
//     inserted into the output.
//
// The sums are the reference's (docs/dialect.md: +0, then the products in
// ascending j), and a product of a float and a power of two is exact, so the
// results are bit-identical to the reference lowering.
//
//===----------------------------------------------------------------------===//

#include "ConvBuilders.h"
#include "StrategyPatterns.h"
#include "mlg/Conversion/MLGToLinalg/Strategies.h"
#include "mlg/Dialect/MLG/Transforms/StrategyCostModel.h"
#include "mlg/Support/Divisors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::mlg;

using utils::IteratorType;

namespace {

/// A weight W [Co, Ci, kh, kw] (or [Co, Ci]) that is, per output channel o
/// and flat index i = (s*rows + r)*cols + t of the channel's `splits` blocks,
/// sum_j decode(codes[o*splits + s, r, j]) * basis[o*splits + s, j, t],
/// cropped to its first `keptPerChannel` values.
struct SmartDealWeight {
  Value codes, basis;
  /// mlg.decode_pow2's smallest exponent and code width.
  int64_t minExponent = 0;
  unsigned bitWidth = 0;
  int64_t co = 0, splits = 0, rows = 0, taps = 0, cols = 0;
  /// Values per output channel before and after the crop of padded rows.
  int64_t perChannel = 0, keptPerChannel = 0;
};

int64_t product(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t size : shape)
    count *= size;
  return count;
}

bool isF32Tensor(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32();
}

/// Follows `weight` back through reshapes and at most one crop
/// `[0, 0] [rows, kept]` of a 2-D tensor to an mlg.generate_intra of
/// mlg.decode_pow2 codes, and checks that W's rows are whole channels.
FailureOr<SmartDealWeight> matchSmartDealWeight(Value weight) {
  // Empty tensors have nothing to regenerate (and would divide by zero).
  auto weightType = dyn_cast<RankedTensorType>(weight.getType());
  if (!weightType || !weightType.hasStaticShape() || weightType.getRank() < 2 ||
      weightType.getNumElements() == 0)
    return failure();
  SmartDealWeight sd;
  sd.co = weightType.getDimSize(0);
  sd.keptPerChannel = product(weightType.getShape().drop_front());
  Value value = weight;
  bool cropped = false;
  while (true) {
    Operation *def = value.getDefiningOp();
    if (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def)) {
      value = def->getOperand(0);
      continue;
    }
    auto slice = dyn_cast_or_null<tensor::ExtractSliceOp>(def);
    if (!slice || cropped)
      break;
    auto sourceType = slice.getSourceType();
    if (sourceType.getRank() != 2 || !sourceType.hasStaticShape() ||
        slice.getResultType().getRank() != 2 ||
        !slice.getResultType().hasStaticShape() || !slice.hasZeroOffset() ||
        !slice.hasUnitStride() || sourceType.getDimSize(0) != sd.co ||
        slice.getStaticSizes()[0] != sd.co)
      return failure();
    cropped = true;
    sd.perChannel = sourceType.getDimSize(1);
    value = slice.getSource();
  }
  if (!cropped)
    sd.perChannel = sd.keptPerChannel;

  auto generate = value.getDefiningOp<GenerateIntraOp>();
  if (!generate)
    return failure();
  auto decode = generate.getCoeff().getDefiningOp<DecodePow2Op>();
  if (!decode)
    return failure();
  sd.codes = decode.getCodes();
  sd.minExponent = decode.getSmallestExponent();
  sd.bitWidth = decode.getBitWidth();
  sd.basis = generate.getBasis();
  auto coeffType = cast<RankedTensorType>(generate.getCoeff().getType());
  auto basisType = cast<RankedTensorType>(sd.basis.getType());
  if (!isF32Tensor(generate.getCoeff()) || !isF32Tensor(sd.basis) ||
      coeffType.getRank() != 3 || basisType.getRank() != 3 ||
      coeffType.getNumElements() == 0 || basisType.getNumElements() == 0 ||
      !cast<RankedTensorType>(sd.codes.getType()).hasStaticShape() ||
      sd.bitWidth > 8)
    return failure();
  int64_t blocks = coeffType.getDimSize(0);
  sd.rows = coeffType.getDimSize(1);
  sd.taps = coeffType.getDimSize(2);
  sd.cols = basisType.getDimSize(2);
  if (sd.co == 0 || blocks % sd.co != 0)
    return failure();
  sd.splits = blocks / sd.co;
  if (sd.splits * sd.rows * sd.cols != sd.perChannel ||
      sd.keptPerChannel > sd.perChannel)
    return failure();
  return sd;
}

/// `code` (signless iN, N <= 8) decoded as mlg.decode_pow2 does, in f32:
/// 0 for 0, else the sign bit of the code and the biased exponent
/// min_exponent + |code| - 1 + 127 (in range: the op's verifier checks the
/// exponents against f32's).
Value decodeToF32(OpBuilder &b, Location loc, Value code, int64_t minExponent) {
  Type i32 = b.getI32Type();
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, loc, i32, v);
  };
  Value wide = arith::ExtSIOp::create(b, loc, i32, code);
  Value magnitude = arith::MaxSIOp::create(
      b, loc, wide, arith::SubIOp::create(b, loc, constant(0), wide));
  Value exponent =
      arith::AddIOp::create(b, loc, magnitude, constant(minExponent + 126));
  Value bits = arith::OrIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, exponent, constant(23)),
      arith::AndIOp::create(b, loc, wide, constant(INT32_MIN)));
  Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, wide,
                                       constant(0));
  Value selected = arith::SelectOp::create(b, loc, isZero, constant(0), bits);
  return arith::BitcastOp::create(b, loc, b.getF32Type(), selected);
}

/// A linalg.generic with identity output map over `shape` that copies
/// `source` read through `sourceMap`, converting integers to `elementType`
/// by sign extension (the strided reorderings of codes and bases).
Value reorder(OpBuilder &b, Location loc, Value source, AffineMap sourceMap,
              ArrayRef<int64_t> shape, Type elementType) {
  int64_t rank = shape.size();
  Value init = tensor::EmptyOp::create(b, loc, shape, elementType);
  return linalg::GenericOp::create(
             b, loc, init.getType(), source, init,
             SmallVector<AffineMap>{sourceMap, b.getMultiDimIdentityMap(rank)},
             SmallVector<IteratorType>(rank, IteratorType::parallel),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value value = args[0];
               if (value.getType() != elementType)
                 value = arith::ExtSIOp::create(nb, nloc, elementType, value);
               linalg::YieldOp::create(nb, nloc, value);
             })
      .getResult(0);
}

/// A row-major offset as a function of loop indices d:
/// `constant + sum_i coefficients[i] * d_i`.
struct LinearOffset {
  int64_t constant = 0;
  SmallVector<int64_t> coefficients;
};

/// The row-major offset into a tensor of `sourceShape` that `map` (loop
/// indices -> source indices) reads; failure unless each of its results is a
/// sum of indices times constants (then the offset is linear in them).
FailureOr<LinearOffset> linearOffset(AffineMap map,
                                     ArrayRef<int64_t> sourceShape) {
  if (map.getNumSymbols() != 0 ||
      map.getNumResults() != static_cast<unsigned>(sourceShape.size()))
    return failure();
  for (AffineExpr result : map.getResults()) {
    WalkResult walk = result.walk([](AffineExpr expr) {
      return isa<AffineBinaryOpExpr>(expr) &&
                     expr.getKind() != AffineExprKind::Add &&
                     expr.getKind() != AffineExprKind::Mul
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();
  }
  SmallVector<int64_t> strides(sourceShape.size(), 1);
  for (int64_t i = static_cast<int64_t>(sourceShape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * sourceShape[i + 1];
  auto offsetAt = [&](ArrayRef<int64_t> dims) {
    int64_t offset = 0;
    for (auto [index, stride] : llvm::zip(map.compose(dims), strides))
      offset += index * stride;
    return offset;
  };
  LinearOffset linear;
  SmallVector<int64_t> dims(map.getNumDims(), 0);
  linear.constant = offsetAt(dims);
  for (unsigned i = 0; i < map.getNumDims(); ++i) {
    dims[i] = 1;
    linear.coefficients.push_back(offsetAt(dims) - linear.constant);
    dims[i] = 0;
  }
  return linear;
}

/// What `reorder(source, sourceMap, shape, i8)` computes, done now when
/// `source` is a constant of integer codes: the codes in the order of
/// `shape`, row-major, sign-extended to 8 bits (f32 has room for the
/// exponents of codes of at most 8 bits, the verifier of mlg.decode_pow2).
/// Failure when `source` is not a constant or `sourceMap` not a sum of loop
/// indices times constants.
FailureOr<SmallVector<int8_t>> reorderedConstantCodes(Value source,
                                                      AffineMap sourceMap,
                                                      ArrayRef<int64_t> shape) {
  DenseIntElementsAttr codes;
  if (!matchPattern(source, m_Constant(&codes)) ||
      codes.getElementType().getIntOrFloatBitWidth() > 8)
    return failure();
  int64_t count = product(shape);
  if (codes.isSplat())
    return SmallVector<int8_t>(
        count,
        static_cast<int8_t>(codes.getSplatValue<APInt>().getSExtValue()));
  FailureOr<LinearOffset> linear =
      linearOffset(sourceMap, codes.getType().getShape());
  if (failed(linear))
    return failure();
  // The maps of prepare() read within the source by construction; checked
  // all the same, so that a wrong one falls back to the run-time copy rather
  // than reading past the constant here.
  int64_t lowest = linear->constant, highest = linear->constant;
  for (auto [coefficient, size] : llvm::zip(linear->coefficients, shape))
    (coefficient < 0 ? lowest : highest) += coefficient * (size - 1);
  if (lowest < 0 || highest >= codes.getNumElements())
    return failure();
  auto values = codes.value_begin<APInt>();
  SmallVector<int8_t> reordered;
  reordered.reserve(count);
  // An odometer over `shape`, row-major, carrying the source offset.
  int64_t rank = shape.size();
  SmallVector<int64_t> index(rank, 0);
  int64_t offset = linear->constant;
  for (int64_t n = 0; n < count; ++n) {
    reordered.push_back(
        static_cast<int8_t>((*(values + offset)).getSExtValue()));
    for (int64_t i = rank - 1; i >= 0; --i) {
      offset += linear->coefficients[i];
      if (++index[i] < shape[i])
        break;
      offset -= linear->coefficients[i] * shape[i];
      index[i] = 0;
    }
  }
  return reordered;
}

/// Codes per lane of a bit-plane group (the bits of a byte), and lanes
/// (bytes) per group: 64, a cache line and a whole number of vectors at
/// every x86 vector width.
constexpr int64_t kPlaneCodes = 8, kPlaneLanes = 64;

/// `codes` (row-major, sign-extended `bits`-bit values, bits < 8) of `shape`
/// stored in bit planes, `bits` bits a code, and a linalg.generic that
/// expands them to i8. Codes are taken in groups of kPlaneCodes x
/// kPlaneLanes; plane byte [group, b, lane] holds in its bit m bit b of code
/// (group, m, lane). Every code of a vector of lanes is unpacked by the same
/// shifts from contiguous bytes, so the expansion vectorizes, where mlgc's
/// packed bit stream (packSubByteConstants) unpacks code by code: on the
/// SmartDeal ResNet-18 that scalar pass, over every code at every call, was
/// most of the cost of the codes' reordering (docs/cpu-strategy.md).
Value expandedBitPlanes(OpBuilder &b, Location loc, ArrayRef<int8_t> codes,
                        unsigned bits, ArrayRef<int64_t> shape) {
  int64_t count = codes.size();
  int64_t groupCodes = kPlaneCodes * kPlaneLanes;
  int64_t groups = (count + groupCodes - 1) / groupCodes;
  SmallVector<int8_t> planes(groups * bits * kPlaneLanes, 0);
  for (int64_t n = 0; n < count; ++n) {
    int64_t group = n / groupCodes, m = n / kPlaneLanes % kPlaneCodes,
            lane = n % kPlaneLanes;
    auto code = static_cast<uint8_t>(codes[n]);
    for (unsigned bit = 0; bit < bits; ++bit)
      if (code >> bit & 1)
        planes[(group * bits + bit) * kPlaneLanes + lane] |=
            static_cast<int8_t>(1u << m);
  }
  Type i8 = b.getI8Type();
  auto planesType = RankedTensorType::get(
      {groups, static_cast<int64_t>(bits), kPlaneLanes}, i8);
  Value stored = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(planesType, ArrayRef<int8_t>(planes)));

  MLIRContext *ctx = b.getContext();
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<Value> inputs(bits, stored);
  SmallVector<AffineMap> maps;
  for (unsigned bit = 0; bit < bits; ++bit)
    maps.push_back(AffineMap::get(
        3, 0, {d(0), getAffineConstantExpr(bit, ctx), d(2)}, ctx));
  maps.push_back(b.getMultiDimIdentityMap(3));
  SmallVector<int64_t> expandedShape{groups, kPlaneCodes, kPlaneLanes};
  Value init = tensor::EmptyOp::create(b, loc, expandedShape, i8);
  Value expanded =
      linalg::GenericOp::create(
          b, loc, init.getType(), inputs, init, maps,
          SmallVector<IteratorType>(3, IteratorType::parallel),
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            auto constant = [&](int64_t v) -> Value {
              return arith::ConstantIntOp::create(nb, nloc, i8, v);
            };
            Value m = arith::IndexCastOp::create(
                nb, nloc, i8, linalg::IndexOp::create(nb, nloc, 1));
            Value code = constant(0);
            for (unsigned bit = 0; bit < bits; ++bit) {
              Value plane = arith::ShRUIOp::create(nb, nloc, args[bit], m);
              Value one = arith::AndIOp::create(nb, nloc, plane, constant(1));
              code = arith::OrIOp::create(
                  nb, nloc, code,
                  arith::ShLIOp::create(nb, nloc, one, constant(bit)));
            }
            // Sign-extend from `bits` bits.
            Value spare = constant(8 - bits);
            code = arith::ShRSIOp::create(
                nb, nloc, arith::ShLIOp::create(nb, nloc, code, spare), spare);
            linalg::YieldOp::create(nb, nloc, code);
          })
          .getResult(0);
  Value flat = reshaped(b, loc, expanded, {groups * groupCodes});
  if (groups * groupCodes != count)
    flat = sliceAlong(b, loc, flat, 0, b.getIndexAttr(0), count);
  return reshaped(b, loc, flat, shape);
}

/// The codes reordered into `shape` (source element at `sourceMap`) and
/// widened to i8: at compile time when they are a constant (stored in bit
/// planes when narrower than a byte, and expanded when the entry point
/// runs), else by a strided copy at run time.
Value reorderCodes(OpBuilder &b, Location loc, Value codes, AffineMap sourceMap,
                   ArrayRef<int64_t> shape) {
  Type i8 = b.getI8Type();
  FailureOr<SmallVector<int8_t>> reordered =
      reorderedConstantCodes(codes, sourceMap, shape);
  if (failed(reordered))
    return reorder(b, loc, codes, sourceMap, shape, i8);
  unsigned bits = getElementTypeOrSelf(codes.getType()).getIntOrFloatBitWidth();
  bool uniform = llvm::all_equal(*reordered);
  if (bits < 8 && !uniform)
    return expandedBitPlanes(b, loc, *reordered, bits, shape);
  auto type = RankedTensorType::get(shape, i8);
  if (uniform)
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            type, ArrayRef<Attribute>{b.getI8IntegerAttr((*reordered)[0])}));
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<int8_t>(*reordered)));
}

/// How a block of W is laid out and indexed. Loops of the generation run
/// over the block's shape; `codeMap(j)` and `basisMap(j)` read the reordered
/// codes and bases of tap j.
struct BlockLayout {
  SmallVector<int64_t> shape;
  function_ref<AffineMap(int64_t)> codeMap, basisMap;
};

/// One block of W: decode and sum the taps elementwise (+0 first, then
/// ascending j, like the reference).
Value generateBlock(OpBuilder &b, Location loc, const SmartDealWeight &sd,
                    Value codes, Value basis, const BlockLayout &layout) {
  int64_t rank = layout.shape.size();
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (int64_t j = 0; j < sd.taps; ++j) {
    inputs.push_back(codes);
    maps.push_back(layout.codeMap(j));
  }
  for (int64_t j = 0; j < sd.taps; ++j) {
    inputs.push_back(basis);
    maps.push_back(layout.basisMap(j));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Type f32 = b.getF32Type();
  Value init = tensor::EmptyOp::create(b, loc, layout.shape, f32);
  int64_t minExponent = sd.minExponent;
  int64_t taps = sd.taps;
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init, maps,
             SmallVector<IteratorType>(rank, IteratorType::parallel),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value sum = arith::ConstantOp::create(nb, nloc, f32,
                                                     nb.getF32FloatAttr(0.0));
               for (int64_t j = 0; j < taps; ++j) {
                 Value coefficient =
                     decodeToF32(nb, nloc, args[j], minExponent);
                 Value term = arith::MulFOp::create(nb, nloc, coefficient,
                                                    args[taps + j]);
                 sum = arith::AddFOp::create(nb, nloc, sum, term);
               }
               linalg::YieldOp::create(nb, nloc, sum);
             })
      .getResult(0);
}

/// What the consumer is: a kxk convolution whose block rows are kernel rows
/// (W's flat index per channel is ((c*kh + y)*kw + x) with cols = kw), or a
/// 1x1 convolution / matmul whose blocks are runs of input channels.
struct ConsumerShape {
  bool spatial = false;
  int64_t kh = 1, kw = 1;
  /// Input channels of W (after the crop).
  int64_t ci = 0;
};

/// The layout a block of W is handed to its consumer in.
enum class BlockForm {
  /// [tile, Ci, kh, kw], a transpose of the generated HWCF block, which
  /// mlg-cpu-vectorize's own transpose to HWCF cancels.
  FCHW,
  /// [kh, kw, Ci, tile], as generated.
  HWCF,
  /// [Ci, tile], a matmul's right-hand side.
  Matrix,
};

/// The block of W for output channels [offset, offset + tile), in `form`.
struct Regenerator {
  const SmartDealWeight &sd;
  ConsumerShape consumer;
  BlockForm form;
  int64_t tile;
  /// Codes [Co/tile, .., tile] and bases [taps, cols, splits, Co], reordered
  /// once.
  Value codes, basis;

  Value block(OpBuilder &b, Location loc, Value offset) const {
    MLIRContext *ctx = b.getContext();
    // The block's slab of the codes, [.., tile] (rank-reduced).
    auto codesType = cast<RankedTensorType>(codes.getType());
    auto slabType = RankedTensorType::get(codesType.getShape().drop_front(),
                                          codesType.getElementType());
    Value index = arith::DivUIOp::create(
        b, loc, offset, arith::ConstantIndexOp::create(b, loc, tile));
    SmallVector<OpFoldResult> offsets(codesType.getRank(), b.getIndexAttr(0));
    offsets[0] = index;
    SmallVector<OpFoldResult> sizes{b.getIndexAttr(1)};
    for (int64_t size : slabType.getShape())
      sizes.push_back(b.getIndexAttr(size));
    SmallVector<OpFoldResult> strides(codesType.getRank(), b.getIndexAttr(1));
    Value codeBlock = tensor::ExtractSliceOp::create(b, loc, slabType, codes,
                                                     offsets, sizes, strides);
    Value basisBlock = sliceAlong(b, loc, basis, 3, offset, tile);
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    auto c = [&](int64_t v) { return getAffineConstantExpr(v, ctx); };
    if (consumer.spatial) {
      // Loops (y, x, s, ch, f); codes [splits, kh, taps, ch, tile],
      // r = ch*kh + y.
      int64_t channels = sd.rows / consumer.kh;
      auto codeMap = [&](int64_t j) {
        return AffineMap::get(5, 0, {d(2), d(0), c(j), d(3), d(4)}, ctx);
      };
      auto basisMap = [&](int64_t j) {
        return AffineMap::get(5, 0, {c(j), d(1), d(2), d(4)}, ctx);
      };
      BlockLayout layout{{consumer.kh, consumer.kw, sd.splits, channels, tile},
                         codeMap,
                         basisMap};
      Value hwcf = generateBlock(b, loc, sd, codeBlock, basisBlock, layout);
      hwcf =
          reshaped(b, loc, hwcf, {consumer.kh, consumer.kw, consumer.ci, tile});
      return form == BlockForm::HWCF ? hwcf
                                     : transposed(b, loc, hwcf, {3, 2, 0, 1});
    }
    // Loops (s, r, t, f); codes [splits, taps, rows, tile].
    auto codeMap = [&](int64_t j) {
      return AffineMap::get(4, 0, {d(0), c(j), d(1), d(3)}, ctx);
    };
    auto basisMap = [&](int64_t j) {
      return AffineMap::get(4, 0, {c(j), d(2), d(0), d(3)}, ctx);
    };
    BlockLayout layout{{sd.splits, sd.rows, sd.cols, tile}, codeMap, basisMap};
    Value rows = generateBlock(b, loc, sd, codeBlock, basisBlock, layout);
    rows = reshaped(b, loc, rows, {sd.perChannel, tile});
    if (consumer.ci != sd.perChannel)
      rows = sliceAlong(b, loc, rows, 0, b.getIndexAttr(0), consumer.ci);
    if (form == BlockForm::Matrix)
      return rows;
    Value hwcf = reshaped(b, loc, rows, {1, 1, consumer.ci, tile});
    return form == BlockForm::HWCF ? hwcf
                                   : transposed(b, loc, hwcf, {3, 2, 0, 1});
  }
};

/// Reorders the codes and bases once, so that the output channel is their
/// last dimension. The codes are stored block by block: a block's codes are
/// one contiguous slab, and the reordering, which reads each output
/// channel's codes with a stride of all its blocks, walks `tile` channels
/// at a time (a few KiB of them, which stay in L1 while it reads them
/// kh * taps times). Constant codes are reordered at compile time.
Regenerator prepare(OpBuilder &b, Location loc, const SmartDealWeight &sd,
                    ConsumerShape consumer, BlockForm form, int64_t tile) {
  MLIRContext *ctx = b.getContext();
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  int64_t blocks = sd.co / tile;
  Value codes;
  if (consumer.spatial) {
    // [Co/tile, splits, kh, taps, channels, tile] from
    // codes[(b*tile + f)*splits + s, ch*kh + y, j].
    int64_t channels = sd.rows / consumer.kh;
    AffineExpr channel = d(0) * tile + d(5);
    AffineMap map = AffineMap::get(
        6, 0, {channel * sd.splits + d(1), d(4) * consumer.kh + d(2), d(3)},
        ctx);
    codes =
        reorderCodes(b, loc, sd.codes, map,
                     {blocks, sd.splits, consumer.kh, sd.taps, channels, tile});
  } else {
    // [Co/tile, splits, taps, rows, tile] from
    // codes[(b*tile + f)*splits + s, r, j].
    AffineExpr channel = d(0) * tile + d(4);
    AffineMap map =
        AffineMap::get(5, 0, {channel * sd.splits + d(1), d(3), d(2)}, ctx);
    codes = reorderCodes(b, loc, sd.codes, map,
                         {blocks, sd.splits, sd.taps, sd.rows, tile});
  }
  // [taps, cols, splits, Co] from basis[o*splits + s, j, t].
  AffineMap basisMap =
      AffineMap::get(4, 0, {d(3) * sd.splits + d(2), d(0), d(1)}, ctx);
  Value basis = reorder(b, loc, sd.basis, basisMap,
                        {sd.taps, sd.cols, sd.splits, sd.co}, b.getF32Type());
  return Regenerator{sd, consumer, form, tile, codes, basis};
}

/// Erases `value`'s defining op and, through their first operands, the
/// reshapes, crop, transpose, generation, decoding and codes constant (when
/// reordered at compile time) that produced it, as long as nothing else uses
/// them (another consumer keeps its chain).
void eraseDeadChain(PatternRewriter &rewriter, Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
             tensor::ExtractSliceOp, linalg::TransposeOp, GenerateIntraOp,
             DecodePow2Op, arith::ConstantOp>(def) ||
        !def->use_empty())
      return;
    if (auto generate = dyn_cast<GenerateIntraOp>(def))
      value = generate.getCoeff();
    else if (def->getNumOperands() != 0)
      value = def->getOperand(0);
    else
      value = Value();
    rewriter.eraseOp(def);
    if (!value)
      return;
  }
}

/// Applies `blockFn(offset, tile, acc)` to the blocks of `tile` output
/// channels along `channelDim` of `init`: one call without a loop when a
/// single block covers them, else an scf.for.
Value forEachChannelBlock(
    OpBuilder &b, Location loc, Value init, int64_t channelDim, int64_t co,
    int64_t tile,
    function_ref<Value(OpBuilder &, Location, Value, Value)> blockFn) {
  // Blocks of a filled output start from the fill, not from a slice of the
  // accumulator, which would be read for nothing (and, where the CPU
  // lowering runs the convolution in another layout, transposed per block).
  auto fill = init.getDefiningOp<linalg::FillOp>();
  auto apply = [&](OpBuilder &nb, Location nloc, Value acc, Value offset) {
    Value blockInit;
    if (fill && fill.hasPureTensorSemantics()) {
      SmallVector<int64_t> shape(
          cast<RankedTensorType>(init.getType()).getShape());
      shape[channelDim] = tile;
      Value empty = tensor::EmptyOp::create(
          nb, nloc, shape, getElementTypeOrSelf(init.getType()));
      blockInit = linalg::FillOp::create(nb, nloc, fill.getInputs()[0], empty)
                      .getResult(0);
    } else {
      blockInit = sliceAlong(nb, nloc, acc, channelDim, offset, tile);
    }
    Value result = blockFn(nb, nloc, offset, blockInit);
    return insertAlong(nb, nloc, result, acc, channelDim, offset);
  };
  if (tile == co)
    return blockFn(b, loc, arith::ConstantIndexOp::create(b, loc, 0), init);
  Value lower = arith::ConstantIndexOp::create(b, loc, 0);
  Value upper = arith::ConstantIndexOp::create(b, loc, co);
  Value step = arith::ConstantIndexOp::create(b, loc, tile);
  return scf::ForOp::create(
             b, loc, lower, upper, step, ValueRange{init},
             [&](OpBuilder &nb, Location nloc, Value iv, ValueRange carried) {
               scf::YieldOp::create(nb, nloc, apply(nb, nloc, carried[0], iv));
             })
      .getResult(0);
}

/// Whether `consumer` regenerates its weight block by block: unless marked
/// dense, or unmarked when that defaults to dense.
bool regeneratesByBlocks(Operation *consumer, bool unmarkedDense) {
  auto mark = consumer->getAttrOfType<StringAttr>(kSmartDealStrategyAttrName);
  return mark ? mark.getValue() != "dense" : !unmarkedDense;
}

/// A convolution whose filter is W (NCHW / FCHW) or W transposed to HWCF
/// (NHWC / HWCF): a loop over blocks of output channels, each regenerated in
/// the filter's layout and convolved into its slice of the output.
template <typename ConvOp, bool Nhwc>
struct SmartDealConv : OpRewritePattern<ConvOp> {
  SmartDealConv(MLIRContext *ctx, int64_t tileChannels, bool unmarkedDense)
      : OpRewritePattern<ConvOp>(ctx, /*benefit=*/1),
        tileChannels(tileChannels), unmarkedDense(unmarkedDense) {}

  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    if (!regeneratesByBlocks(op, unmarkedDense))
      return rewriter.notifyMatchFailure(op, "W is to be regenerated whole");
    if (!op.hasPureTensorSemantics() || op->getNumResults() != 1 ||
        !hasStaticShapes(op) || !isF32Tensor(op.getInputs()[0]) ||
        !isF32Tensor(op.getOutputs()[0]))
      return rewriter.notifyMatchFailure(op, "not a static f32 convolution");
    Value filter = op.getInputs()[1];
    Value weight = filter;
    if (Nhwc) {
      auto transpose = filter.getDefiningOp<linalg::TransposeOp>();
      if (!transpose || !transpose.hasPureTensorSemantics() ||
          transpose.getPermutation() != ArrayRef<int64_t>{2, 3, 1, 0})
        return rewriter.notifyMatchFailure(op, "filter is not W as HWCF");
      weight = transpose.getInput();
    }
    FailureOr<SmartDealWeight> sd = matchSmartDealWeight(weight);
    if (failed(sd) || shapeOf(weight).size() != 4)
      return rewriter.notifyMatchFailure(op, "weight is not a SmartDeal chain");
    ArrayRef<int64_t> w = shapeOf(weight);
    ConsumerShape consumer;
    consumer.ci = w[1];
    consumer.kh = w[2];
    consumer.kw = w[3];
    consumer.spatial = consumer.kh * consumer.kw != 1;
    if (consumer.spatial &&
        (sd->cols != consumer.kw || sd->rows % consumer.kh != 0 ||
         sd->perChannel != sd->keptPerChannel))
      return rewriter.notifyMatchFailure(op, "blocks are not kernel rows");

    Location loc = op.getLoc();
    int64_t tile = largestDivisorAtMost(sd->co, tileChannels);
    Regenerator regenerate =
        prepare(rewriter, loc, *sd, consumer,
                Nhwc ? BlockForm::HWCF : BlockForm::FCHW, tile);
    Value input = op.getInputs()[0];
    Value result = forEachChannelBlock(
        rewriter, loc, op.getOutputs()[0], /*channelDim=*/Nhwc ? 3 : 1, sd->co,
        tile,
        [&](OpBuilder &b, Location bloc, Value offset, Value acc) -> Value {
          Value block = regenerate.block(b, bloc, offset);
          return ConvOp::create(b, bloc, TypeRange{acc.getType()},
                                ValueRange{input, block}, acc, op.getStrides(),
                                op.getDilations())
              ->getResult(0);
        });
    rewriter.replaceOp(op, result);
    eraseDeadChain(rewriter, filter);
    return success();
  }

  int64_t tileChannels;
  bool unmarkedDense;
};

/// linalg.matmul(x, transpose(W)) of a linear layer.
struct SmartDealMatmul : OpRewritePattern<linalg::MatmulOp> {
  SmartDealMatmul(MLIRContext *ctx, int64_t tileChannels, bool unmarkedDense)
      : OpRewritePattern(ctx, /*benefit=*/1), tileChannels(tileChannels),
        unmarkedDense(unmarkedDense) {}

  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!regeneratesByBlocks(op, unmarkedDense))
      return rewriter.notifyMatchFailure(op, "W is to be regenerated whole");
    if (!op.hasPureTensorSemantics() || op->getNumResults() != 1 ||
        op.hasUserDefinedMaps() || !hasStaticShapes(op) ||
        !isF32Tensor(op.getInputs()[0]) || !isF32Tensor(op.getOutputs()[0]))
      return rewriter.notifyMatchFailure(op, "not a static f32 matmul");
    auto transpose = op.getInputs()[1].getDefiningOp<linalg::TransposeOp>();
    if (!transpose || !transpose.hasPureTensorSemantics() ||
        transpose.getPermutation() != ArrayRef<int64_t>{1, 0})
      return rewriter.notifyMatchFailure(op, "rhs is not a transposed weight");
    Value weight = transpose.getInput();
    FailureOr<SmartDealWeight> sd = matchSmartDealWeight(weight);
    if (failed(sd) || shapeOf(weight).size() != 2)
      return rewriter.notifyMatchFailure(op, "weight is not a SmartDeal chain");
    ConsumerShape consumer;
    consumer.ci = shapeOf(weight)[1];

    Location loc = op.getLoc();
    int64_t tile = largestDivisorAtMost(sd->co, tileChannels);
    Regenerator regenerate =
        prepare(rewriter, loc, *sd, consumer, BlockForm::Matrix, tile);
    Value lhs = op.getInputs()[0];
    Value result = forEachChannelBlock(
        rewriter, loc, op.getOutputs()[0], /*channelDim=*/1, sd->co, tile,
        [&](OpBuilder &b, Location bloc, Value offset, Value acc) -> Value {
          Value block = regenerate.block(b, bloc, offset);
          return linalg::MatmulOp::create(b, bloc, TypeRange{acc.getType()},
                                          ValueRange{lhs, block}, acc)
              ->getResult(0);
        });
    Value rhs = op.getInputs()[1];
    rewriter.replaceOp(op, result);
    eraseDeadChain(rewriter, rhs);
    return success();
  }

  int64_t tileChannels;
  bool unmarkedDense;
};

} // namespace

void mlir::mlg::populateSmartDealStrategyPatterns(RewritePatternSet &patterns,
                                                  int64_t tileChannels,
                                                  bool unmarkedDense) {
  patterns.add<SmartDealConv<linalg::Conv2DNchwFchwOp, /*Nhwc=*/false>,
               SmartDealConv<linalg::Conv2DNhwcHwcfOp, /*Nhwc=*/true>,
               SmartDealMatmul>(
      patterns.getContext(), std::max<int64_t>(tileChannels, 1), unmarkedDense);
}
