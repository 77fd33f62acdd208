//===- ConvShape.cpp - Convolution shape arithmetic -----------------------===//

#include "mlg/Dialect/MLG/Utils/ConvShape.h"

int64_t mlir::mlg::convOutputSize(int64_t in, int64_t kernel, int64_t stride,
                                  int64_t dilation, int64_t padBefore,
                                  int64_t padAfter, int64_t dynamicSize) {
  if (in == dynamicSize || kernel == dynamicSize)
    return dynamicSize;
  int64_t span = in + padBefore + padAfter - dilation * (kernel - 1) - 1;
  if (span < 0)
    return 0;
  return span / stride + 1;
}
