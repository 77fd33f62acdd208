//===- Strategies.h - Execution strategies for generated ops ----*- C++ -*-===//
//
// Lowerings of mlg.generated_conv2d and mlg.generated_matmul to linalg named
// ops (plus scf/tensor) on tensors, one pattern set per `strategy`. Each set
// rewrites the fused ops whose strategy is its own and, when
// `lowerAutomatic` is set, those left `auto`. Every strategy computes the
// semantics of docs/dialect.md, equal to the reference lowering up to
// floating-point reassociation.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_CONVERSION_MLGTOLINALG_STRATEGIES_H
#define MLG_CONVERSION_MLGTOLINALG_STRATEGIES_H

#include "mlir/Pass/Pass.h"

#include <cstdint>

namespace mlir {
class RewritePatternSet;

namespace mlg {

#define GEN_PASS_DECL_MLGLOWERGENERATED
#include "mlg/Conversion/Passes.h.inc"

/// `dense`: generate the whole weight W once, then one convolution / matmul.
void populateDenseStrategyPatterns(RewritePatternSet &patterns,
                                   bool lowerAutomatic = false);

/// `factorized`: never build W; run the cascade 1x1 conv with U, (depthwise)
/// kxk conv with the basis, 1x1 conv with V (matmul: x U^T, basis, V^T), skipping
/// the stages of absent generator levels.
void populateFactorizedStrategyPatterns(RewritePatternSet &patterns,
                                        bool lowerAutomatic = false);

/// `tiled`: an scf.for over blocks of `tileChannels` output channels that
/// generates one block of W and convolves with it, so all of W never exists.
void populateTiledStrategyPatterns(RewritePatternSet &patterns,
                                   int64_t tileChannels = 32,
                                   bool lowerAutomatic = false);

/// SmartDeal chains (mlg.decode_pow2 -> mlg.generate_intra -> the block
/// reshapes) feeding a linalg.conv_2d_nchw_fchw, or transposed a
/// linalg.conv_2d_nhwc_hwcf or linalg.matmul: the consumer becomes an scf.for
/// over blocks of `tileChannels` output channels (the largest divisor of Co not
/// above it) that decodes and generates one block of W with its output channel
/// innermost and applies the consumer to it. Bit-identical to the reference
/// lowering; W never exists whole. A consumer marked
/// `mlg.strategy = "dense"` (mlg-select-strategy), or unmarked when
/// `unmarkedDense`, is left to the generic lowering, which builds W whole.
void populateSmartDealStrategyPatterns(RewritePatternSet &patterns,
                                       int64_t tileChannels = 32,
                                       bool unmarkedDense = false);

} // namespace mlg
} // namespace mlir

#endif // MLG_CONVERSION_MLGTOLINALG_STRATEGIES_H
