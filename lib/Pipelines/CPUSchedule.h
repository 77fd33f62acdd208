//===- CPUSchedule.h - Pieces of the CPU schedule (internal) ----*- C++ -*-===//

#ifndef MLG_LIB_PIPELINES_CPUSCHEDULE_H
#define MLG_LIB_PIPELINES_CPUSCHEDULE_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::mlg {

/// Permutations between NCHW and NHWC, as transposeOrFold takes them (result
/// dim i is source dim perm[i]).
inline constexpr int64_t kNCHWToNHWC[] = {0, 2, 3, 1};
inline constexpr int64_t kNHWCToNCHW[] = {0, 3, 1, 2};

/// `type` with its dimensions permuted by `perm` (result dim i is dim
/// perm[i]).
RankedTensorType permutedType(RankedTensorType type, ArrayRef<int64_t> perm);

/// Rewrites static linalg.conv_2d_nchw_fchw and depthwise_conv_2d_nchw_chw
/// under `root` to their NHWC forms between transposes; constant filters are
/// transposed at compile time.
void convertConvolutionsToNHWC(RewriterBase &rewriter, Operation *root);

/// Patterns that move the NHWC->NCHW transposes left by
/// convertConvolutionsToNHWC below the elementwise generics, pads and poolings
/// that can work in NHWC, so that they meet (and cancel with) the next
/// convolution's transpose to NHWC.
void populateSinkLayoutTransposePatterns(RewritePatternSet &patterns);

/// `value` transposed by `perm` (result dim i is source dim perm[i]): a new
/// constant when it is a dense constant, else a linalg.transpose.
Value transposeOrFold(OpBuilder &b, Location loc, Value value,
                      ArrayRef<int64_t> perm);

/// An HWCF filter [kh, kw, C, F] as [F / block, kh, kw, C, block], so that the
/// part of the filter one output-channel tile reads is contiguous; constant
/// filters are packed at compile time. `block` must divide F.
Value packFilterBlocks(OpBuilder &b, Location loc, Value filter, int64_t block);

/// The element bytes of a dense or dense_resource constant that is not a
/// splat, if available.
std::optional<ArrayRef<char>> constantBytes(ElementsAttr attr);

/// `value`, a static tensor, with its last dimension extended to `size` by
/// zeros; a new constant when `value` is a non-splat dense or dense_resource
/// constant of whole-byte elements, else a tensor.pad.
Value padLastDimOrFold(OpBuilder &b, Location loc, Value value, int64_t size);

/// Rewrites `op`, a linalg.conv_2d_nhwc_hwcf or a linalg.matmul with the
/// default indexing maps on static tensors, into the same op over `size`
/// output channels (matrix columns), more than it has: its filter (right-hand
/// side) gets zero columns and its init is padded (a fill of the padded shape
/// when it is a fill that only `op` reads); what replaces `op` is the slice of
/// the padded op's result with the original channels. Returns the padded op.
Operation *padOutputChannels(RewriterBase &rewriter, Operation *op,
                             int64_t size);

/// Unit attribute that mlg-cpu-vectorize puts on the tile loop of a layer
/// worth running on several threads: its iterations write disjoint output
/// tiles. mlg-cpu-parallelize turns such loops into OpenMP work-sharing loops.
inline constexpr llvm::StringLiteral kParallelLoopAttr = "mlg.parallel";

} // namespace mlir::mlg

#endif // MLG_LIB_PIPELINES_CPUSCHEDULE_H
