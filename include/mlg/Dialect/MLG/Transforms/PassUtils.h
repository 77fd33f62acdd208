//===- PassUtils.h - Small helpers shared by the MLG passes -----*- C++ -*-===//

#ifndef MLG_DIALECT_MLG_TRANSFORMS_PASSUTILS_H
#define MLG_DIALECT_MLG_TRANSFORMS_PASSUTILS_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Threading.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

namespace mlir::mlg {

/// The shortest decimal that reads back as `value` ("0.001", not the
/// "1.000000e-03" diagnostics print for doubles), for messages that quote
/// an option's value.
inline std::string formatNumber(double value) {
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

/// parallelFor over `jobs`, taking the costliest first (`cost(job)` is an
/// estimate): layers differ in size by 100x, and a large one started last
/// would leave the other threads idle. Each job writes only its own results,
/// so the order does not change them.
template <typename Job, typename Cost, typename Body>
void parallelForLargestFirst(MLIRContext *context, std::vector<Job> &jobs,
                             Cost cost, Body body) {
  std::vector<size_t> order(jobs.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::vector<int64_t> costs;
  costs.reserve(jobs.size());
  for (const Job &job : jobs)
    costs.push_back(cost(job));
  // Ties in job order. (std::stable_sort: libstdc++ 12's trips -Werror.)
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return costs[a] != costs[b] ? costs[a] > costs[b] : a < b;
  });
  parallelFor(context, 0, order.size(),
              [&](size_t i) { body(jobs[order[i]], order[i]); });
}

} // namespace mlir::mlg

#endif // MLG_DIALECT_MLG_TRANSFORMS_PASSUTILS_H
