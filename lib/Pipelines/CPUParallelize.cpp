//===- CPUParallelize.cpp - Marked loops to OpenMP work-sharing loops ----===//
//
// The loops mlg-cpu-vectorize marked parallel (output tile loops of large
// layers) become omp.parallel + omp.wsloop. Built here rather than through
// upstream scf.parallel + convert-scf-to-openmp, which wraps each body in a
// memref.alloca_scope that convert-scf-to-cf then fills with several blocks,
// something the scope's verifier rejects; and num_threads must be a run-time
// value (MLG_NUM_THREADS) here, not a constant.
//
//===----------------------------------------------------------------------===//

#include "CPUSchedule.h"
#include "mlg/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Parser/Parser.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGCPULINALGTOMARKEDLOOPS
#define GEN_PASS_DEF_MLGCPUPARALLELIZE
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;

namespace {

constexpr llvm::StringLiteral kThreadCountFunction = "mlg_thread_count";

/// Fewest iterations for which a memory-bound loop nest is split over
/// threads: a fork and join costs a few microseconds, about what one core
/// takes to stream 2^18 floats in and out.
constexpr int64_t kMinParallelIterations = int64_t(1) << 18;

/// mlg_thread_count(max): MLG_NUM_THREADS when it parses to an integer in
/// [1, max], else max; read once and cached. The cache is accessed
/// atomically since several host threads may run entry points at once (they
/// all store the same value). getenv and strtol come from libc, which the
/// library links anyway.
constexpr const char *kThreadCountSource = R"mlir(
llvm.mlir.global internal constant @mlg_num_threads_name("MLG_NUM_THREADS\00") {addr_space = 0 : i32}
llvm.mlir.global internal @mlg_num_threads_cache(0 : i32) {addr_space = 0 : i32} : i32
llvm.func @getenv(!llvm.ptr) -> !llvm.ptr
llvm.func @strtol(!llvm.ptr, !llvm.ptr, i32) -> i64
llvm.func internal @mlg_thread_count(%max: i32) -> i32 {
  %zero = llvm.mlir.constant(0 : i32) : i32
  %cache = llvm.mlir.addressof @mlg_num_threads_cache : !llvm.ptr
  %cached = llvm.load %cache atomic monotonic {alignment = 4 : i64} : !llvm.ptr -> i32
  %known = llvm.icmp "sgt" %cached, %zero : i32
  llvm.cond_br %known, ^done(%cached : i32), ^read
^read:
  %name = llvm.mlir.addressof @mlg_num_threads_name : !llvm.ptr
  %text = llvm.call @getenv(%name) : (!llvm.ptr) -> !llvm.ptr
  %null = llvm.mlir.zero : !llvm.ptr
  %unset = llvm.icmp "eq" %text, %null : !llvm.ptr
  llvm.cond_br %unset, ^store(%max : i32), ^parse
^parse:
  %ten = llvm.mlir.constant(10 : i32) : i32
  %parsed = llvm.call @strtol(%text, %null, %ten) : (!llvm.ptr, !llvm.ptr, i32) -> i64
  %one = llvm.mlir.constant(1 : i64) : i64
  %max64 = llvm.sext %max : i32 to i64
  %low = llvm.icmp "slt" %parsed, %one : i64
  %high = llvm.icmp "sgt" %parsed, %max64 : i64
  %outside = llvm.or %low, %high : i1
  %chosen64 = llvm.select %outside, %max64, %parsed : i1, i64
  %chosen = llvm.trunc %chosen64 : i64 to i32
  llvm.br ^store(%chosen : i32)
^store(%count: i32):
  llvm.store %count, %cache atomic monotonic {alignment = 4 : i64} : i32, !llvm.ptr
  llvm.br ^done(%count : i32)
^done(%result: i32):
  llvm.return %result : i32
}
)mlir";

/// Adds mlg_thread_count and what it uses to `module`, unless there.
LogicalResult defineThreadCount(ModuleOp module) {
  if (module.lookupSymbol(kThreadCountFunction))
    return success();
  OwningOpRef<ModuleOp> source =
      parseSourceString<ModuleOp>(kThreadCountSource, module.getContext());
  if (!source)
    return module.emitError(
        "mlg-cpu-parallelize: internal error: cannot parse mlg_thread_count");
  for (Operation &op : llvm::make_early_inc_range(source->getOps())) {
    auto symbol = cast<SymbolOpInterface>(op);
    if (Operation *existing = module.lookupSymbol(symbol.getName())) {
      // getenv/strtol already declared: keep the module's declaration if it
      // matches, else the names clash.
      auto function = dyn_cast<LLVM::LLVMFuncOp>(existing);
      auto wanted = dyn_cast<LLVM::LLVMFuncOp>(op);
      if (function && wanted &&
          function.getFunctionType() == wanted.getFunctionType())
        continue;
      return existing->emitError("mlg-cpu-parallelize: symbol '")
             << symbol.getName()
             << "' is needed by mlg_thread_count with another definition";
    }
    op.moveBefore(module.getBody(), module.getBody()->end());
  }
  return success();
}

/// Whether bufferization left the loop in the form the mark promises: no
/// results, and no copy inside (an out-of-place buffer copied on every
/// iteration would be shared between threads).
bool isSafeToParallelize(scf::ForOp loop) {
  if (loop.getNumResults() != 0)
    return false;
  WalkResult copies = loop.getBody()->walk([](Operation *op) {
    return isa<memref::CopyOp, linalg::CopyOp>(op) ? WalkResult::interrupt()
                                                   : WalkResult::advance();
  });
  return !copies.wasInterrupted();
}

/// Replaces `loop` by omp.parallel num_threads(count) { omp.wsloop nowait
/// schedule(dynamic, 1) { omp.loop_nest { body } } }.
void convertToWorkSharingLoop(RewriterBase &rewriter, scf::ForOp loop,
                              int64_t maxThreads) {
  Location loc = loop.getLoc();
  rewriter.setInsertionPoint(loop);
  Value max = arith::ConstantIntOp::create(rewriter, loc, rewriter.getI32Type(),
                                           maxThreads);
  Value count = LLVM::CallOp::create(rewriter, loc, rewriter.getI32Type(),
                                     SymbolRefAttr::get(rewriter.getContext(),
                                                        kThreadCountFunction),
                                     ValueRange{max})
                    .getResult();

  omp::ParallelOperands parallelOperands;
  parallelOperands.numThreads = count;
  auto parallel = omp::ParallelOp::create(rewriter, loc, parallelOperands);
  rewriter.setInsertionPointToStart(&parallel.getRegion().emplaceBlock());
  // nowait: the end of the parallel region joins the threads anyway.
  // schedule(dynamic, 1): a thread takes the next tile block when it is
  // done, so one thread descheduled by a busy machine does not hold the
  // others at the join with half the work (static shares would). Which
  // thread computes a block does not change what it computes.
  omp::WsloopOperands workSharingOperands;
  workSharingOperands.nowait = rewriter.getUnitAttr();
  workSharingOperands.scheduleKind = omp::ClauseScheduleKindAttr::get(
      rewriter.getContext(), omp::ClauseScheduleKind::Dynamic);
  workSharingOperands.scheduleChunk =
      arith::ConstantIndexOp::create(rewriter, loc, 1);
  auto workSharing = omp::WsloopOp::create(rewriter, loc, workSharingOperands);
  omp::TerminatorOp::create(rewriter, loc);

  rewriter.setInsertionPointToStart(&workSharing.getRegion().emplaceBlock());
  omp::LoopNestOperands nestOperands;
  nestOperands.loopLowerBounds.push_back(loop.getLowerBound());
  nestOperands.loopUpperBounds.push_back(loop.getUpperBound());
  nestOperands.loopSteps.push_back(loop.getStep());
  auto nest = omp::LoopNestOp::create(rewriter, loc, nestOperands);

  // The loop body, its induction variable now the nest's.
  Block *body = loop.getBody();
  Block *nestBody = rewriter.createBlock(&nest.getRegion(), {},
                                         {loop.getInductionVar().getType()},
                                         {loop.getInductionVar().getLoc()});
  rewriter.eraseOp(body->getTerminator());
  rewriter.inlineBlockBefore(body, nestBody, nestBody->end(),
                             nestBody->getArguments());
  rewriter.setInsertionPointToEnd(nestBody);
  omp::YieldOp::create(rewriter, loc, ValueRange{});
  rewriter.eraseOp(loop);
}

/// The loop dimension of `op` to split over `threads`: the first with at
/// least `threads` iterations, if every dimension before it has one
/// iteration and it is a parallel iterator that every output indexes
/// directly (distinct values write distinct elements).
std::optional<unsigned> parallelDimension(linalg::LinalgOp op,
                                          ArrayRef<int64_t> ranges,
                                          int64_t threads) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned dim = 0, e = ranges.size(); dim < e; ++dim) {
    int64_t range = ranges[dim];
    if (range == 1)
      continue;
    if (range < threads || iterators[dim] != utils::IteratorType::parallel)
      return std::nullopt;
    for (OpOperand &init : op.getDpsInitsMutable()) {
      AffineMap map = op.getMatchingIndexingMap(&init);
      if (!llvm::any_of(map.getResults(), [&](AffineExpr e) {
            auto d = dyn_cast<AffineDimExpr>(e);
            return d && d.getPosition() == dim;
          }))
        return std::nullopt;
    }
    return dim;
  }
  return std::nullopt;
}

struct MLGCPULinalgToMarkedLoopsPass
    : mlg::impl::MLGCPULinalgToMarkedLoopsBase<MLGCPULinalgToMarkedLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (threads <= 1)
      return;
    func::FuncOp function = getOperation();
    SmallVector<linalg::LinalgOp> candidates;
    for (Block &block : function.getBody())
      for (auto op : block.getOps<linalg::LinalgOp>())
        if (op.hasPureBufferSemantics())
          candidates.push_back(op);
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : candidates) {
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      if (ranges.empty() || llvm::any_of(ranges, ShapedType::isDynamic))
        continue;
      int64_t iterations = 1;
      for (int64_t range : ranges)
        iterations *= range;
      if (iterations < kMinParallelIterations)
        continue;
      std::optional<unsigned> dim = parallelDimension(op, ranges, threads);
      if (!dim)
        continue;
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::LinalgLoops> loops =
          linalg::linalgOpToLoops(rewriter, op);
      // The loops follow the op's dimensions, outermost first.
      if (failed(loops) || loops->size() != ranges.size())
        continue;
      (*loops)[*dim]->setAttr(kParallelLoopAttr, rewriter.getUnitAttr());
      rewriter.eraseOp(op);
    }
  }
};

struct MLGCPUParallelizePass
    : mlg::impl::MLGCPUParallelizeBase<MLGCPUParallelizePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (threads < 1) {
      emitError(module.getLoc())
          << "mlg-cpu-parallelize: threads must be at least 1, got "
          << static_cast<int64_t>(threads);
      return signalPassFailure();
    }
    SmallVector<scf::ForOp> marked;
    // Outer loops first, so that a loop inside a converted one is seen inside
    // its omp.parallel.
    module.walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
      if (loop->hasAttr(kParallelLoopAttr))
        marked.push_back(loop);
    });
    IRRewriter rewriter(&getContext());
    bool converted = false;
    for (scf::ForOp loop : marked) {
      loop->removeAttr(kParallelLoopAttr);
      // Loops inside another parallel loop stay sequential.
      if (threads == 1 || !isSafeToParallelize(loop) ||
          loop->getParentOfType<omp::ParallelOp>())
        continue;
      convertToWorkSharingLoop(rewriter, loop, threads);
      converted = true;
    }
    if (converted && failed(defineThreadCount(module)))
      signalPassFailure();
  }
};

} // namespace
