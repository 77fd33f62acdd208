//===- ConvShape.cpp - Convolution shape arithmetic -----------------------===//

#include "mlg/Dialect/MLG/Utils/ConvShape.h"

#include "llvm/Support/CheckedArithmetic.h"

std::optional<int64_t>
mlir::mlg::convOutputSize(int64_t in, int64_t kernel, int64_t stride,
                          int64_t dilation, int64_t padBefore,
                          int64_t padAfter, int64_t dynamicSize) {
  if (in == dynamicSize || kernel == dynamicSize)
    return dynamicSize;
  std::optional<int64_t> padded = llvm::checkedAdd(in, padBefore);
  if (padded)
    padded = llvm::checkedAdd(*padded, padAfter);
  std::optional<int64_t> span = llvm::checkedMul(dilation, kernel - 1);
  if (!padded || !span)
    return std::nullopt;
  int64_t room = *padded - *span - 1; // Both terms are >= 0: cannot overflow.
  if (room < 0)
    return 0;
  return room / stride + 1;
}
