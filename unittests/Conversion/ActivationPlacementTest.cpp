//===- ActivationPlacementTest.cpp - Global SRAM placement of tensors -----===//

#include "ActivationPlacement.h"

#include "gtest/gtest.h"

#include <random>

using namespace mlir::mlg::ptc_lowering;

namespace {

bool liveTogether(const LiveTensor &a, const LiveTensor &b) {
  return a.first <= b.last && b.first <= a.last;
}

/// Every pair of placed tensors live at the same time is disjoint, every
/// offset aligned and within the capacity.
void expectValid(llvm::ArrayRef<LiveTensor> tensors,
                 llvm::ArrayRef<std::optional<int64_t>> offsets,
                 int64_t capacity) {
  ASSERT_EQ(tensors.size(), offsets.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (!offsets[i])
      continue;
    EXPECT_EQ(*offsets[i] % 16, 0);
    EXPECT_LE(*offsets[i] + tensors[i].bytes, capacity);
    for (size_t j = 0; j < i; ++j)
      if (offsets[j] && liveTogether(tensors[i], tensors[j]))
        EXPECT_TRUE(*offsets[i] + tensors[i].bytes <= *offsets[j] ||
                    *offsets[j] + tensors[j].bytes <= *offsets[i])
            << "tensors " << j << " and " << i << " overlap";
  }
}

} // namespace

// Two residual blocks: stem (0) -> conv (1) -> conv (2) -> add(0, 2) (3)
// -> conv (4) -> conv (5) -> add(3, 5) (6). The block input stays live
// across the block; tensors of the first block are reused by the second.
TEST(ActivationPlacementTest, ResidualBlocksShareDeadSpace) {
  std::vector<LiveTensor> tensors{
      {0, 3, 100}, // stem result, read by conv 1 and add 3
      {1, 2, 100}, // conv 1
      {2, 3, 100}, // conv 2
      {3, 6, 100}, // add 3, read by conv 4 and add 6
      {4, 5, 100}, // conv 4
      {5, 6, 100}, // conv 5
  };
  auto offsets = placeLiveTensors(tensors, 1 << 20, 16);
  expectValid(tensors, offsets, 1 << 20);
  // First fit, 100 bytes aligned to 112: the stem at 0, conv 1 after it,
  // conv 2 after both (all live at layer 2); the add reuses conv 1's bytes
  // (dead after layer 2) next to the stem it reads.
  EXPECT_EQ(offsets[0], 0);
  EXPECT_EQ(offsets[1], 112);
  EXPECT_EQ(offsets[2], 224);
  EXPECT_EQ(offsets[3], 112);
  EXPECT_EQ(offsets[4], 0);   // the stem is dead after layer 3
  EXPECT_EQ(offsets[5], 224); // conv 4 (0) and the add (112) are live
}

TEST(ActivationPlacementTest, TensorsThatDoNotFitStayInDram) {
  std::vector<LiveTensor> tensors{
      {0, 1, 600}, {1, 2, 500}, {2, 4, 200}, {3, 4, 2000}, {4, 5, 100}};
  auto offsets = placeLiveTensors(tensors, 1024, 16);
  expectValid(tensors, offsets, 1024);
  EXPECT_EQ(offsets[0], 0);
  EXPECT_EQ(offsets[1], std::nullopt); // 608 + 500 > 1024
  EXPECT_EQ(offsets[2], 0);            // tensor 0 died at 1
  EXPECT_EQ(offsets[3], std::nullopt); // larger than the memory
  EXPECT_EQ(offsets[4], 208);          // after tensor 2, still live
  // Capacity 0 (placement off): everything in DRAM.
  for (const std::optional<int64_t> &offset : placeLiveTensors(tensors, 0, 16))
    EXPECT_EQ(offset, std::nullopt);
}

TEST(ActivationPlacementTest, RandomGraphsNeverOverlapWhileLive) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<LiveTensor> tensors;
    int n = 1 + rng() % 30;
    for (int i = 0; i < n; ++i) {
      int64_t last = i + int64_t(rng() % 5);
      tensors.push_back({i, last, 1 + int64_t(rng() % 700)});
    }
    int64_t capacity = 16 * int64_t(rng() % 200);
    expectValid(tensors, placeLiveTensors(tensors, capacity, 16), capacity);
  }
}
