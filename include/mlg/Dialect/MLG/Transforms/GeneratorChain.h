//===- GeneratorChain.h - The generator ops behind one weight ---*- C++ -*-===//
//
// A generated weight is generate_cross(V, generate_intra(U, basis)), or one
// of the two levels alone. Passes after mlg-decompose (precision assignment,
// the memory report) find these chains and their generator operands.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_MLG_TRANSFORMS_GENERATORCHAIN_H
#define MLG_DIALECT_MLG_TRANSFORMS_GENERATORCHAIN_H

#include "mlg/Compression/Decomposition.h"
#include "mlg/Dialect/MLG/IR/MLGOps.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::mlg {

using compression::GeneratorRole;
using compression::kGeneratorRoles;
StringRef stringifyGeneratorRole(GeneratorRole role);

struct GeneratorChain {
  /// The op producing the generated kernel (the cross op when present), or
  /// the fused generated_conv2d / generated_matmul holding the generators.
  Operation *root = nullptr;
  GenerateIntraOp intra;
  GenerateCrossOp cross;
  /// Set when `root` is a fused op (intra and cross are then null).
  bool fused = false;
  /// Sizes, with kh = kw = 1 for rank-2 (linear) kernels.
  compression::GeneratorShape shape;

  /// The operand holding a generator, or null when the chain has none.
  OpOperand *operand(GeneratorRole role) const;
  /// Shape of a generator tensor.
  ArrayRef<int64_t> generatorShape(GeneratorRole role) const;
};

/// The chain rooted at `root`: a generate_cross, or a generate_intra whose
/// result does not feed a generate_cross. Failure for other ops.
FailureOr<GeneratorChain> getGeneratorChain(Operation *root);

/// The generators of a fused mlg.generated_conv2d / generated_matmul, with
/// the sizes of the kernel they generate ([Co, Ci/G, kh, kw]; depthwise:
/// [1, C, kh, kw]; matmul: kh = kw = 1). Failure for other ops and dynamic
/// generator shapes.
FailureOr<GeneratorChain> getFusedGeneratorChain(Operation *op);

/// The chain producing `value`, looking through linalg.transpose,
/// tensor.expand_shape/collapse_shape and tensor.extract_slice (the crop of
/// a SmartDeal 1x1 or linear weight). Failure when `value` is not generated.
FailureOr<GeneratorChain> traceGeneratorChain(Value value);

/// Every chain root of `module`, in walk order.
SmallVector<GeneratorChain> collectGeneratorChains(ModuleOp module);

/// How a generator tensor is stored, when the IR says.
struct StoredTensor {
  int64_t elements = 0;
  /// Bits per element: the code width behind an mlg.dequantize of constant
  /// codes, else the float constant's element width.
  unsigned bits = 0;
  /// Scales kept next to the codes (0 for float storage).
  int64_t scales = 0;
  bool quantized = false;
  /// Bits of the elements as stored: elements * bits, except for the
  /// structurally sparse codes behind an mlg.decode_pow2.
  int64_t packedBits = 0;
  /// mlg.decode_pow2 of constant codes: the non-zero codes (else -1).
  int64_t nonzeros = -1;
};

/// Storage of `value` when it is a float constant, or mlg.dequantize or
/// mlg.decode_pow2 of constant codes; failure for anything computed at run
/// time.
FailureOr<StoredTensor> getStoredTensor(Value value);

} // namespace mlir::mlg

#endif // MLG_DIALECT_MLG_TRANSFORMS_GENERATORCHAIN_H
