//===- TimelineTest.cpp - Load/compute/store overlap ----------------------===//

#include "mlg/Target/PTC/Timeline.h"

#include <gtest/gtest.h>

using namespace llvm;
using namespace mlg::ptc;

namespace {

constexpr double kUnit = 100.0; // ns

void enqueueOrFail(Timeline &t, Queue q, double ns, TokenFlags flags = {}) {
  Expected<size_t> index = t.enqueue(q, ns, flags);
  if (!index)
    ADD_FAILURE() << toString(index.takeError());
}

TokenFlags flags(bool popPrev, bool popNext, bool pushPrev, bool pushNext) {
  return {popPrev, popNext, pushPrev, pushNext};
}

TEST(Timeline, IndependentLoadAndComputeOverlap) {
  Timeline t;
  enqueueOrFail(t, Queue::Load, kUnit);
  enqueueOrFail(t, Queue::Compute, kUnit);
  ASSERT_FALSE(static_cast<bool>(t.run()));
  EXPECT_DOUBLE_EQ(t.makespanNs(), kUnit); // 1 unit, not 2
}

TEST(Timeline, ATokenSerialises) {
  Timeline t;
  enqueueOrFail(t, Queue::Load, kUnit, flags(false, false, false, true));
  enqueueOrFail(t, Queue::Compute, kUnit, flags(true, false, false, false));
  ASSERT_FALSE(static_cast<bool>(t.run()));
  EXPECT_DOUBLE_EQ(t.get(1).startNs, kUnit);
  EXPECT_DOUBLE_EQ(t.makespanNs(), 2 * kUnit);
}

// Two INP buffers: load i fills buffer i%2 (waiting, from i=2 on, for
// compute i-2 to release it) and hands it to compute i. With equal load and
// compute times the loop costs (N+1) units instead of 2N: each iteration
// adds ~1 unit.
TEST(Timeline, DoubleBufferingOverlapsLoadWithCompute) {
  constexpr int n = 8;
  Timeline t;
  for (int i = 0; i < n; ++i) {
    enqueueOrFail(t, Queue::Load, kUnit,
                  flags(false, /*popNext=*/i >= 2, false, /*pushNext=*/true));
    enqueueOrFail(t, Queue::Compute, kUnit,
                  flags(/*popPrev=*/true, false, /*pushPrev=*/true, false));
  }
  ASSERT_FALSE(static_cast<bool>(t.run()));
  EXPECT_DOUBLE_EQ(t.makespanNs(), (n + 1) * kUnit);
  EXPECT_DOUBLE_EQ(t.busyNs(Queue::Load), n * kUnit);
  EXPECT_DOUBLE_EQ(t.busyNs(Queue::Compute), n * kUnit);
  // Single-buffered (load i also waits for compute i-1): 2N units.
  Timeline s;
  for (int i = 0; i < n; ++i) {
    enqueueOrFail(s, Queue::Load, kUnit,
                  flags(false, /*popNext=*/i >= 1, false, true));
    enqueueOrFail(s, Queue::Compute, kUnit, flags(true, false, true, false));
  }
  ASSERT_FALSE(static_cast<bool>(s.run()));
  EXPECT_DOUBLE_EQ(s.makespanNs(), 2 * n * kUnit);
}

// load -> compute -> store, with the store of tile i overlapping the
// compute of tile i+1: 3 tiles of 1 unit each finish at 5 units.
TEST(Timeline, ThreeStagePipeline) {
  Timeline t;
  for (int i = 0; i < 3; ++i) {
    enqueueOrFail(t, Queue::Load, kUnit, flags(false, false, false, true));
    enqueueOrFail(t, Queue::Compute, kUnit, flags(true, false, false, true));
    enqueueOrFail(t, Queue::Store, kUnit, flags(true, false, false, false));
  }
  ASSERT_FALSE(static_cast<bool>(t.run()));
  EXPECT_DOUBLE_EQ(t.makespanNs(), 5 * kUnit);
}

TEST(Timeline, IncrementalRunThenDeadlock) {
  Timeline t;
  enqueueOrFail(t, Queue::Compute, kUnit, flags(true, false, false, false));
  // Not complete yet: the load that pushes the token comes later.
  ASSERT_FALSE(static_cast<bool>(t.run(/*requireComplete=*/false)));
  EXPECT_LT(t.get(0).startNs, 0);
  enqueueOrFail(t, Queue::Load, 2 * kUnit, flags(false, false, false, true));
  ASSERT_FALSE(static_cast<bool>(t.run()));
  EXPECT_DOUBLE_EQ(t.get(0).startNs, 2 * kUnit);

  Timeline d;
  enqueueOrFail(d, Queue::Store, kUnit, flags(true, false, false, false));
  Error err = d.run();
  ASSERT_TRUE(static_cast<bool>(err));
  EXPECT_NE(toString(std::move(err)).find("deadlock: store instruction #0"),
            std::string::npos);
}

TEST(Timeline, FlagsWithoutANeighbourAreErrors) {
  Timeline t;
  Expected<size_t> load =
      t.enqueue(Queue::Load, 1, flags(true, false, false, false));
  ASSERT_FALSE(static_cast<bool>(load));
  consumeError(load.takeError());
  Expected<size_t> store =
      t.enqueue(Queue::Store, 1, flags(false, false, false, true));
  ASSERT_FALSE(static_cast<bool>(store));
  consumeError(store.takeError());
  Expected<size_t> negative = t.enqueue(Queue::Compute, -1);
  ASSERT_FALSE(static_cast<bool>(negative));
  consumeError(negative.takeError());
}

} // namespace
