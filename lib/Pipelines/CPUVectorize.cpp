//===- CPUVectorize.cpp - Register tiling and vectorization for CPUs ------===//
//
// The schedule of shared/reference/cpu-codegen.md (tile, decompose to 1-D,
// vectorize, hoist: ~90-100% of oneDNN there), done with the C++
// transform functions so that tile sizes follow each op's shape:
//   1. NCHW convolutions become NHWC/HWCF ones (CPUConvLayout.cpp), the
//      layout transposes sink through the ops between convolutions until they
//      cancel (CPULayoutPropagation.cpp), and the rest fuse with the
//      elementwise ops around them;
//   2. output tiles of (rows x up to 2 vectors of channels) accumulators,
//      channel tiles outermost, then reduction tiles (kh = kw = 1 and a
//      channel chunk); the filter is packed per channel tile so each tile
//      reads a contiguous block (at compile time for constant filters);
//   3. the now 1-row 2-D convolutions become 1-D ones, which vectorize into
//      vector.contract;
//   4. cleanup, then the accumulators are hoisted out of the reduction loops
//      (once per loop: a second application never terminates).
// Tile sizes divide the loop sizes, so every tile is static and vectorizes;
// output channels that do not fill whole vectors are padded to whole vectors
// first (CPUPadChannels.cpp). An op that fails a step stays a
// linalg op and later becomes loops.
//
//===----------------------------------------------------------------------===//

#include "CPUSchedule.h"
#include "mlg/Pipelines/Pipelines.h"
#include "mlg/Support/Divisors.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

#include "llvm/TargetParser/Host.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGCPUVECTORIZE
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;

int64_t mlir::mlg::hostVectorWidth() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    return 16;
  if (features.lookup("avx"))
    return 8;
  return 4;
}

namespace {

/// The register tile of accumulators: `rows` output rows (or matrix rows) by
/// `lanes` channels (or matrix columns).
struct RegisterTile {
  int64_t rows, lanes;
};

/// Picks the register tile with the most accumulators (FMAs per loaded
/// value) that divides the loop sizes and fits the vector registers together
/// with one register per channel vector of the filter and one broadcast:
///   rows * vectors + vectors + 1 <= registers.
/// Measured: 7 x 2 vectors with AVX-512 (32 registers; the reference recipe),
/// 6 x 2 vectors with AVX2 (16 registers; 7 x 2 spills), 4 x 2 where 6 rows
/// do not divide and the width is not split. Up to 2 vectors of
/// channels, up to 7 rows (8 with 16 registers, whose tiles are narrower).
/// With `rowsMustDivide` false, the rows need not divide `rowsSize`; the
/// caller splits off the remainder (see convolutionRowSplit).
RegisterTile registerTile(int64_t rowsSize, int64_t lanesSize,
                          int64_t vectorWidth, bool rowsMustDivide = true) {
  int64_t registers = vectorWidth >= 16 ? 32 : 16;
  int64_t maxRows = vectorWidth >= 16 ? 7 : 8;
  RegisterTile best{1, largestDivisorAtMost(lanesSize, vectorWidth)};
  int64_t bestScore = 0;
  for (int64_t vectors = 1; vectors <= 2; ++vectors) {
    // Whole vectors when the channels allow it (1000 -> 8, not 10 lanes).
    int64_t lanes = vectors * vectorWidth;
    if (lanesSize % vectorWidth != 0)
      lanes = largestDivisorAtMost(lanesSize, lanes);
    else if (lanesSize % lanes != 0)
      continue;
    int64_t used = (lanes + vectorWidth - 1) / vectorWidth;
    for (int64_t rows = 1; rows <= std::min(maxRows, rowsSize); ++rows) {
      if ((rowsMustDivide && rowsSize % rows != 0) ||
          rows * used + used + 1 > registers)
        continue;
      int64_t score = rows * lanes;
      if (score >= bestScore) {
        bestScore = score;
        best = {rows, lanes};
      }
    }
  }
  return best;
}

/// The number of register tiles that cover `rowsSize` x `lanesSize` with
/// tile `t` (a partial last row tile counts as one).
int64_t tileCount(RegisterTile t, int64_t rowsSize, int64_t lanesSize) {
  return (rowsSize + t.rows - 1) / t.rows * (lanesSize / t.lanes);
}

/// The output channel count (matrix columns) that an NHWC convolution or a
/// matmul is padded to (padOutputChannels): the next multiple of the vector
/// width, when its own count is above one vector and not a multiple of it.
/// Padding never needs more vector operations per output row and reduction
/// step (ceil(F / width), against F / lanes * ceil(lanes / width) for the
/// register tile of F lanes) and often far fewer: 59 and 61 channels take
/// 1-lane tiles, 59 operations instead of 4. Where the count is the same
/// (22-28 channels in 2-vector tiles) it still pays: LLVM splits the
/// odd-length loads, stores and broadcasts of a 22-28-lane vector (mlgc,
/// ImageNet ResNet-18, mode=auto bc_max_error=0.35: 65 -> 55 ms of CPU time
/// when these are padded too). Below one vector nothing is padded, which
/// would only multiply the output traffic.
std::optional<int64_t> paddedChannelCount(linalg::LinalgOp op,
                                          int64_t vectorWidth) {
  int64_t lanesDim;
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    lanesDim = 3;
  else if (auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation());
           matmul && !matmul.hasUserDefinedMaps())
    lanesDim = 1;
  else
    return std::nullopt;
  int64_t lanes = op.getStaticLoopRanges()[lanesDim];
  if (lanes < vectorWidth || lanes % vectorWidth == 0)
    return std::nullopt;
  return (lanes + vectorWidth - 1) / vectorWidth * vectorWidth;
}

/// Where to split the output columns of an NHWC convolution with loop sizes
/// `loops` so that the first part takes a register tile that does not divide
/// the whole width: with 16 registers, 112 columns take 4 x 2-vector tiles
/// (8 accumulators, each FMA chain at the FMA latency bound) but 108 take
/// 6 x 2-vector ones (12 accumulators) and 4 are left. Split only when that
/// needs fewer tiles, and the rest keeps the channel tile (so one packed
/// filter serves both parts).
std::optional<int64_t> convolutionRowSplit(ArrayRef<int64_t> loops,
                                           int64_t vectorWidth) {
  int64_t rows = loops[2], lanes = loops[3];
  RegisterTile dividing = registerTile(rows, lanes, vectorWidth);
  RegisterTile free = registerTile(rows, lanes, vectorWidth,
                                   /*rowsMustDivide=*/false);
  if (rows % free.rows == 0 || rows < free.rows ||
      tileCount(free, rows, lanes) >= tileCount(dividing, rows, lanes))
    return std::nullopt;
  int64_t head = rows - rows % free.rows;
  if (registerTile(head, lanes, vectorWidth).lanes != free.lanes ||
      registerTile(rows - head, lanes, vectorWidth).lanes != free.lanes)
    return std::nullopt;
  return head;
}

/// Tile sizes of one op: the outer (parallel) level and the reduction level,
/// both over all loops of the op (0: not tiled).
struct TileSizes {
  SmallVector<int64_t> outer, reduction;
  /// Order of the outer tile loops: output channels (matrix columns) first,
  /// so one column block of the filter stays in cache across all output
  /// rows instead of the whole filter being streamed per output tile.
  SmallVector<int64_t> outerOrder;
};

std::optional<TileSizes> tileSizesFor(linalg::LinalgOp op,
                                      int64_t vectorWidth) {
  SmallVector<int64_t> loops = op.getStaticLoopRanges();
  if (llvm::any_of(loops, ShapedType::isDynamic))
    return std::nullopt;
  // An empty iteration space (a zero-sized kernel or channel count) has
  // nothing to vectorize, and upstream tiling dereferences null on it.
  if (llvm::is_contained(loops, 0))
    return std::nullopt;
  if (isa<linalg::Conv2DNhwcHwcfOp>(op)) {
    // (n, oh, ow, f, kh, kw, c)
    RegisterTile t = registerTile(loops[2], loops[3], vectorWidth);
    return TileSizes{{1, 1, t.rows, t.lanes, 0, 0, 0},
                     {0, 0, 0, 0, 1, 1, largestDivisorAtMost(loops[6], 16)},
                     {0, 3, 1, 2, 4, 5, 6}};
  }
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(op)) {
    // (n, oh, ow, c, kh, kw): kw stays whole and is unrolled by the
    // vectorizer.
    RegisterTile t = registerTile(loops[2], loops[3], vectorWidth);
    return TileSizes{{1, 1, t.rows, t.lanes, 0, 0}, {0, 0, 0, 0, 1, 0}, {}};
  }
  if (isa<linalg::MatmulOp>(op)) {
    // (m, n, k)
    RegisterTile t = registerTile(loops[0], loops[1], vectorWidth);
    return TileSizes{{t.rows, t.lanes, 0},
                     {0, 0, largestDivisorAtMost(loops[2], 16)},
                     {1, 0, 2}};
  }
  return std::nullopt;
}

bool isScheduled(Operation *op) {
  if (!isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp,
           linalg::MatmulOp>(op))
    return false;
  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (!linalgOp.hasPureTensorSemantics() || op->getNumResults() != 1)
    return false;
  return llvm::all_of(op->getOperandTypes(), [](Type t) {
    auto ranked = dyn_cast<RankedTensorType>(t);
    return ranked && ranked.hasStaticShape() &&
           isa<FloatType>(ranked.getElementType());
  });
}

/// Tiles `op` with `sizes` and replaces it; returns the tiled op. `loops`, if
/// given, receives the tile loops, outermost first.
FailureOr<Operation *>
tile(RewriterBase &rewriter, Operation *op, ArrayRef<int64_t> sizes,
     ArrayRef<int64_t> order,
     SmallVectorImpl<LoopLikeOpInterface> *loops = nullptr) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  if (!order.empty())
    options.setInterchange(order);
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(tiled) || tiled->tiledOps.size() != 1)
    return failure();
  if (loops)
    loops->assign(tiled->loops.begin(), tiled->loops.end());
  rewriter.replaceOp(op, tiled->replacements);
  return tiled->tiledOps.front();
}

/// Rewrites a tile whose row window is 1 as a 1-D convolution.
FailureOr<Operation *> decompose(PatternRewriter &rewriter, Operation *op) {
  rewriter.setInsertionPoint(op);
  if (auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op)) {
    linalg::DownscaleSizeOneWindowed2DConvolution<linalg::Conv2DNhwcHwcfOp,
                                                  linalg::Conv1DNwcWcfOp>
        pattern(rewriter.getContext());
    FailureOr<linalg::Conv1DNwcWcfOp> result =
        pattern.returningMatchAndRewrite(conv, rewriter);
    if (failed(result))
      return failure();
    return result->getOperation();
  }
  if (auto conv = dyn_cast<linalg::DepthwiseConv2DNhwcHwcOp>(op)) {
    linalg::DownscaleDepthwiseConv2DNhwcHwcOp pattern(rewriter.getContext());
    FailureOr<linalg::DepthwiseConv1DNwcWcOp> result =
        pattern.returningMatchAndRewrite(conv, rewriter);
    if (failed(result))
      return failure();
    return result->getOperation();
  }
  return op; // matmul: vectorized as is
}

/// Makes the tiled convolution `tiled` read its filter tile, an
/// extract_slice [0, 0, 0, f] of the HWCF filter, from the block f / block of
/// `packed` ([F / block, kh, kw, C, block]) instead.
void usePackedFilter(RewriterBase &rewriter, Operation *tiled, Value packed,
                     int64_t block) {
  auto slice = tiled->getOperand(1).getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice)
    return;
  auto tileType = cast<RankedTensorType>(slice.getResult().getType());
  if (!tileType.hasStaticShape() || tileType.getDimSize(3) != block)
    return;
  Location loc = tiled->getLoc();
  rewriter.setInsertionPoint(tiled);
  AffineExpr f = rewriter.getAffineDimExpr(0);
  OpFoldResult blockIndex = affine::makeComposedFoldedAffineApply(
      rewriter, loc, f.floorDiv(block), {slice.getMixedOffsets()[3]});
  SmallVector<OpFoldResult> offsets = {blockIndex, rewriter.getIndexAttr(0),
                                       rewriter.getIndexAttr(0),
                                       rewriter.getIndexAttr(0),
                                       rewriter.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(1)};
  for (int64_t d : tileType.getShape())
    sizes.push_back(rewriter.getIndexAttr(d));
  SmallVector<OpFoldResult> strides(5, rewriter.getIndexAttr(1));
  Value filterBlock = tensor::ExtractSliceOp::create(rewriter, loc, tileType, packed,
                                                offsets, sizes, strides);
  rewriter.modifyOpInPlace(tiled, [&] { tiled->setOperand(1, filterBlock); });
}

/// Fewest multiply-adds for which a layer is split over threads. OpenMP's
/// fork and join cost a few microseconds even with libomp's persistent team;
/// 2^18 MACs take about 5 us on one core at 100 GFLOP/s, so smaller layers
/// stay on one thread.
constexpr int64_t kMinParallelMacs = int64_t(1) << 18;

/// The static trip count of `loop`, if it has one.
std::optional<int64_t> staticTripCount(LoopLikeOpInterface loop) {
  std::optional<SmallVector<OpFoldResult>> lbs = loop.getLoopLowerBounds(),
                                           ubs = loop.getLoopUpperBounds(),
                                           steps = loop.getLoopSteps();
  if (!lbs || !ubs || !steps || lbs->size() != 1)
    return std::nullopt;
  std::optional<int64_t> lb = getConstantIntValue(lbs->front()),
                         ub = getConstantIntValue(ubs->front()),
                         step = getConstantIntValue(steps->front());
  if (!lb || !ub || !step || *step <= 0)
    return std::nullopt;
  return (*ub - *lb + *step - 1) / *step;
}

/// Marks the outermost of the output tile loops `loops` (outermost first)
/// with at least `threads` iterations as parallel, when the op's `macs` are
/// worth the fork and join. Output tiles are disjoint, so any of these loops
/// is parallel; the outermost gives each thread the largest share (whole
/// blocks of output channels, whose filter block then stays in that core's
/// cache).
void markParallelLoop(ArrayRef<LoopLikeOpInterface> loops, int64_t macs,
                      int64_t threads) {
  if (threads <= 1 || macs < kMinParallelMacs)
    return;
  for (LoopLikeOpInterface loop : loops) {
    std::optional<int64_t> trips = staticTripCount(loop);
    if (trips && *trips >= threads) {
      loop->setAttr(kParallelLoopAttr, UnitAttr::get(loop->getContext()));
      return;
    }
  }
}

/// The multiply-adds of `op` (the product of its static loop sizes).
int64_t staticMacs(Operation *op) {
  int64_t macs = 1;
  for (int64_t size : cast<linalg::LinalgOp>(op).getStaticLoopRanges())
    macs *= size;
  return macs;
}

/// The linalg.fill whose result `op` (a contraction) accumulates into and
/// nothing else reads, or null.
linalg::FillOp soleInitFill(Operation *op) {
  Value init =
      cast<DestinationStyleOpInterface>(op).getDpsInitOperand(0)->get();
  auto fill = init.getDefiningOp<linalg::FillOp>();
  return fill && init.hasOneUse() ? fill : linalg::FillOp();
}

/// Gives the output tile `tiled` its own fill of `value` (the op's initial
/// value), so its accumulators start from a constant in registers instead
/// of being read from a filled output in memory; returns the tile's fill.
linalg::FillOp fillTileInit(RewriterBase &rewriter, Operation *tiled,
                            Value value) {
  OpOperand *init =
      cast<DestinationStyleOpInterface>(tiled).getDpsInitOperand(0);
  rewriter.setInsertionPoint(tiled);
  auto fill = linalg::FillOp::create(
      rewriter, tiled->getLoc(), ValueRange{value}, ValueRange{init->get()});
  rewriter.modifyOpInPlace(tiled, [&] { init->set(fill.getResult(0)); });
  return fill;
}

/// Vectorizes `op` in place if it can (a fill: a transfer_write of a
/// broadcast). With `namedContraction`, a matmul becomes one vector.contract
/// of its operands (not broadcasts and a 3-D contraction), which lowers to
/// outer products.
void vectorizeIfPossible(RewriterBase &rewriter, Operation *op,
                         bool namedContraction = false) {
  if (failed(linalg::vectorizeOpPrecondition(op)))
    return;
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
      rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
      /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
      /*assumeDynamicDimsMatchVecSizes=*/false, namedContraction);
  if (succeeded(vectorized))
    rewriter.replaceOp(op, vectorized->replacements);
}

/// Tiles `op` with `sizes` (reading the filter from `packedFilter` when
/// given), decomposes and vectorizes it; stops at the first step that does
/// not apply, leaving correct (if slower) IR. With `threads` > 1, the output
/// tile loop of a large enough op is marked parallel. With `initValue`, each
/// output tile starts from its own fill of that value (fillTileInit).
/// Returns whether the output tiling, and with it the tile fills, happened.
bool scheduleTiles(PatternRewriter &rewriter, Operation *op,
                   const TileSizes &sizes, Value packedFilter, int64_t threads,
                   Value initValue) {
  int64_t macs = staticMacs(op);
  int64_t channelTile = sizes.outer.size() > 3 ? sizes.outer[3] : 0;
  SmallVector<LoopLikeOpInterface> outerLoops;
  FailureOr<Operation *> outer =
      tile(rewriter, op, sizes.outer, sizes.outerOrder, &outerLoops);
  if (failed(outer))
    return false;
  markParallelLoop(outerLoops, macs, threads);
  if (packedFilter)
    usePackedFilter(rewriter, *outer, packedFilter, channelTile);
  if (initValue)
    vectorizeIfPossible(rewriter, fillTileInit(rewriter, *outer, initValue));
  FailureOr<Operation *> inner =
      tile(rewriter, *outer, sizes.reduction, /*order=*/{});
  if (failed(inner))
    return true;
  FailureOr<Operation *> oneD = decompose(rewriter, *inner);
  if (succeeded(oneD))
    vectorizeIfPossible(rewriter, *oneD,
                        /*namedContraction=*/isa<linalg::MatmulOp>(*oneD));
  return true;
}

/// Schedules one op: one whose output channels do not fill whole vectors is
/// padded first (paddedChannelCount); a convolution whose output width a
/// register tile does not divide is split (convolutionRowSplit), each part
/// then tiled.
/// When the op accumulates into a fill nobody else reads, every output tile
/// gets its own fill and the whole-output fill goes: one pass less over the
/// output in memory (a write of all of it, and a read per tile).
void schedule(PatternRewriter &rewriter, Operation *op, int64_t vectorWidth,
              int64_t threads) {
  std::optional<TileSizes> sizes =
      tileSizesFor(cast<linalg::LinalgOp>(op), vectorWidth);
  if (!sizes)
    return;
  if (std::optional<int64_t> channels =
          paddedChannelCount(cast<linalg::LinalgOp>(op), vectorWidth)) {
    op = padOutputChannels(rewriter, op, *channels);
    sizes = tileSizesFor(cast<linalg::LinalgOp>(op), vectorWidth);
    if (!sizes)
      return;
  }
  linalg::FillOp initFill = soleInitFill(op);
  Value initValue = initFill ? initFill.getInputs()[0] : Value();
  bool everyTileFilled = true;
  auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op);
  if (!conv) {
    everyTileFilled = scheduleTiles(rewriter, op, *sizes, /*packedFilter=*/{},
                                    threads, initValue);
  } else {
    SmallVector<int64_t> loops = conv.getStaticLoopRanges();
    std::optional<int64_t> split = convolutionRowSplit(loops, vectorWidth);
    // The filter of a convolution tiled over output channels is packed in
    // blocks of the channel tile, so each tile reads a contiguous block; both
    // parts of a split convolution share one packed filter.
    int64_t channelTile = split ? registerTile(loops[2], loops[3], vectorWidth,
                                               /*rowsMustDivide=*/false)
                                      .lanes
                                : sizes->outer[3];
    Value packedFilter;
    if (channelTile < loops[3]) {
      rewriter.setInsertionPoint(op);
      packedFilter = packFilterBlocks(rewriter, op->getLoc(),
                                      conv.getInputs()[1], channelTile);
    }
    if (!split) {
      everyTileFilled =
          scheduleTiles(rewriter, op, *sizes, packedFilter, threads, initValue);
    } else {
      rewriter.setInsertionPoint(op);
      auto [head, tail] =
          linalg::splitOp(rewriter, cast<TilingInterface>(op),
                          /*dimension=*/2, rewriter.getIndexAttr(*split));
      for (TilingInterface part : {head, tail}) {
        if (!part)
          continue;
        std::optional<TileSizes> partSizes = tileSizesFor(
            cast<linalg::LinalgOp>(part.getOperation()), vectorWidth);
        everyTileFilled &=
            partSizes && scheduleTiles(rewriter, part, *partSizes, packedFilter,
                                       threads, initValue);
      }
    }
  }
  // Every output element is now written by a tile fill before it is
  // accumulated, so the tiles can start from the fill's destination.
  if (initFill && everyTileFilled) {
    rewriter.replaceAllUsesWith(initFill.getResult(0),
                                initFill.getOutputs()[0]);
    rewriter.eraseOp(initFill);
  }
}

/// Canonicalization of every loaded dialect and op, plus the folds that turn
/// slices of tiles into transfer indices and reductions into contractions.
RewritePatternSet cleanupPatterns(MLIRContext *ctx) {
  RewritePatternSet patterns(ctx);
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName name : ctx->getRegisteredOperations())
    name.getCanonicalizationPatterns(patterns, ctx);
  linalg::populateLinalgTilingCanonicalizationPatterns(patterns);
  tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
  vector::populateVectorReductionToContractPatterns(patterns);
  vector::populateSinkVectorOpsPatterns(patterns);
  return patterns;
}

/// The layout transposes around NHWC convolutions, made generic and fused
/// with their elementwise neighbours (bias, batch norm, ReLU, residual adds):
/// a transpose back to NCHW followed by one to NHWC composes to nothing, and
/// the elementwise work is done in the layout its consumer reads.
void fuseLayoutTransposes(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<linalg::TransposeOp> transposes;
  func.walk([&](linalg::TransposeOp op) {
    if (op.hasPureTensorSemantics())
      transposes.push_back(op);
  });
  if (transposes.empty())
    return;
  for (linalg::TransposeOp op : transposes) {
    rewriter.setInsertionPoint(op);
    (void)linalg::generalizeNamedOp(rewriter, op);
  }
  RewritePatternSet patterns(func.getContext());
  linalg::populateElementwiseOpsFusionPatterns(
      patterns, [](OpOperand *operand) {
        // Only elementwise generics on both sides: never into or out of the
        // convolutions, fills or pads the schedule works on.
        auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
        auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
        return producer && consumer &&
               producer.getNumParallelLoops() == producer.getNumLoops() &&
               consumer.getNumParallelLoops() == consumer.getNumLoops();
      });
  (void)applyPatternsGreedily(func, std::move(patterns));
}

struct MLGCPUVectorizePass
    : mlg::impl::MLGCPUVectorizeBase<MLGCPUVectorizePass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override {
    cleanup = FrozenRewritePatternSet(cleanupPatterns(ctx));
    RewritePatternSet layout = cleanupPatterns(ctx);
    populateSinkLayoutTransposePatterns(layout);
    layoutPropagation = FrozenRewritePatternSet(std::move(layout));
    return success();
  }

  /// Cleanup to a fixed point where it converges; not converging within the
  /// driver's limits leaves valid IR, so it is not an error.
  void applyCleanup(Operation *root) {
    (void)applyPatternsGreedily(root, cleanup);
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    int64_t width = vectorWidth > 0 ? int64_t(vectorWidth) : hostVectorWidth();

    PatternRewriter rewriter(ctx);
    convertConvolutionsToNHWC(rewriter, func);
    // Keeps activations NHWC from one convolution to the next (transposes
    // sink until they cancel), folding transposes of fills, before tiling.
    (void)applyPatternsGreedily(func, layoutPropagation);
    fuseLayoutTransposes(rewriter, func);

    SmallVector<Operation *> targets;
    func.walk([&](Operation *op) {
      if (isScheduled(op))
        targets.push_back(op);
    });
    for (Operation *op : targets)
      schedule(rewriter, op, width, threads);

    applyCleanup(func);
    DominanceInfo dominance(func);
    eliminateCommonSubExpressions(rewriter, dominance, func);

    // Constants and index math defined in the loops would block the subset
    // hoisting, so loop-invariant code goes out first. Loops are visited
    // innermost first, each exactly once.
    SmallVector<scf::ForOp> loops;
    func.walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops)
      moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
    for (scf::ForOp loop : loops)
      hoistLoopInvariantSubsets(
          rewriter, cast<LoopLikeOpInterface>(loop.getOperation()));

    applyCleanup(func);
  }

private:
  FrozenRewritePatternSet cleanup;
  FrozenRewritePatternSet layoutPropagation;
};

} // namespace
