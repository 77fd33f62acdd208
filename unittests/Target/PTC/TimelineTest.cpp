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

// Pipelined DMA (docs/ptc-sim.md §2): each LOAD takes 20 ns of access
// latency + 5 ns of streaming. Serialized (1 outstanding request) four
// back-to-back LOADs end at 100 ns; with 8 outstanding requests the queue
// is held 5 ns per LOAD and each one's data arrives 20 ns later: LOAD i
// runs [5i, 5i + 25], the last ends at 40 ns.
TEST(Timeline, PipelinedLoadsOverlapTheirAccessLatency) {
  for (unsigned outstanding : {1u, 8u}) {
    Timeline t;
    for (int i = 0; i < 4; ++i)
      ASSERT_TRUE(static_cast<bool>(
          t.enqueue(Queue::Load, 25, {}, Pipelining{outstanding, 5})));
    ASSERT_FALSE(static_cast<bool>(t.run()));
    for (int i = 0; i < 4; ++i) {
      double start = outstanding == 1 ? 25.0 * i : 5.0 * i;
      EXPECT_DOUBLE_EQ(t.get(i).startNs, start) << outstanding << " " << i;
      EXPECT_DOUBLE_EQ(t.get(i).finishNs, start + 25);
    }
    EXPECT_DOUBLE_EQ(t.makespanNs(), outstanding == 1 ? 100 : 40);
    EXPECT_DOUBLE_EQ(t.busyNs(Queue::Load), outstanding == 1 ? 100 : 20);
  }
}

// At most `outstanding` requests in flight: with 2, LOAD 2 waits for LOAD 0
// to finish (25 ns), LOAD 3 for LOAD 1 (30 ns).
TEST(Timeline, OutstandingRequestsBoundTheOverlap) {
  Timeline t;
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(
        static_cast<bool>(t.enqueue(Queue::Load, 25, {}, Pipelining{2, 5})));
  ASSERT_FALSE(static_cast<bool>(t.run()));
  const double starts[] = {0, 5, 25, 30};
  for (int i = 0; i < 4; ++i)
    EXPECT_DOUBLE_EQ(t.get(i).startNs, starts[i]) << i;
  EXPECT_DOUBLE_EQ(t.makespanNs(), 55);
}

// The token a pipelined LOAD pushes carries its data's arrival: a dependent
// GEMM waits for the access latency (25 ns), though the load queue was
// free after 5 ns. A non-pipelined instruction in the same queue waits for
// every transfer still in flight there (compute: LOAD acc, then ALU).
TEST(Timeline, DependentComputeWaitsForTheLatency) {
  Timeline t;
  ASSERT_TRUE(static_cast<bool>(t.enqueue(
      Queue::Load, 25, flags(false, false, false, true), Pipelining{8, 5})));
  ASSERT_TRUE(static_cast<bool>(
      t.enqueue(Queue::Load, 25, {}, Pipelining{8, 5})));
  enqueueOrFail(t, Queue::Compute, 10, flags(true, false, false, false));
  ASSERT_TRUE(static_cast<bool>(
      t.enqueue(Queue::Compute, 25, {}, Pipelining{8, 5})));
  enqueueOrFail(t, Queue::Compute, 10);
  ASSERT_FALSE(static_cast<bool>(t.run()));
  EXPECT_DOUBLE_EQ(t.get(1).startNs, 5);
  EXPECT_DOUBLE_EQ(t.get(2).startNs, 25); // the GEMM
  EXPECT_DOUBLE_EQ(t.get(3).startNs, 35); // LOAD acc after the GEMM
  EXPECT_DOUBLE_EQ(t.get(4).startNs, 60); // ALU: the LOAD acc's data
  EXPECT_DOUBLE_EQ(t.makespanNs(), 70);
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
  // A pipelined occupancy longer than the duration, or no request slot.
  for (Pipelining bad : {Pipelining{4, 2}, Pipelining{0, 0}}) {
    Expected<size_t> pipelined = t.enqueue(Queue::Load, 1, {}, bad);
    ASSERT_FALSE(static_cast<bool>(pipelined));
    consumeError(pipelined.takeError());
  }
}

} // namespace
