//===- CPUSchedule.h - Pieces of the CPU schedule (internal) ----*- C++ -*-===//

#ifndef MLG_LIB_PIPELINES_CPUSCHEDULE_H
#define MLG_LIB_PIPELINES_CPUSCHEDULE_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::mlg {

/// Rewrites static linalg.conv_2d_nchw_fchw and depthwise_conv_2d_nchw_chw
/// under `root` to their NHWC forms between transposes; constant filters are
/// transposed at compile time.
void convertConvolutionsToNHWC(RewriterBase &rewriter, Operation *root);

} // namespace mlir::mlg

#endif // MLG_LIB_PIPELINES_CPUSCHEDULE_H
