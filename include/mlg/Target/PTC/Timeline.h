//===- Timeline.h - Load/compute/store overlap with tokens ------*- C++ -*-===//
//
// The decoupled access/execute timing of a VTA-style accelerator: three
// in-order queues (load, compute, store) run concurrently and synchronise
// only through dependency tokens, which is what lets a double-buffered
// program overlap DMA with compute. An instruction starts when its queue
// is free and every token it pops has been pushed; the tokens it pushes
// carry its finish time. The makespan is the critical path through the
// queues and tokens.
//
// A simulator enqueues each executed instruction with its duration (from
// CostModel.h) and flags, then calls run(); run() resolves as many
// instructions as the tokens allow, so it can also be called incrementally.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_PTC_TIMELINE_H
#define MLG_TARGET_PTC_TIMELINE_H

#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace mlg::ptc {

enum class Queue { Load = 0, Compute = 1, Store = 2 };

/// VTA's four dependency bits. "prev" is the queue before this one in
/// load -> compute -> store, "next" the one after.
struct TokenFlags {
  bool popPrev = false, popNext = false, pushPrev = false, pushNext = false;
};

/// How a DMA transfer shares its queue with the next ones (docs/ptc-sim.md
/// §2): it holds the queue for `occupancyNs`, its data arrives after its
/// whole duration, and at most `outstanding` transfers are in flight.
/// `outstanding` 1 (the default) occupies the queue for the whole duration.
struct Pipelining {
  unsigned outstanding = 1;
  double occupancyNs = 0;
};

struct ScheduledInstruction {
  Queue queue;
  double durationNs;
  TokenFlags flags;
  Pipelining pipelining;
  double startNs = -1, finishNs = -1; // set once scheduled
  /// Time the instruction holds its queue: durationNs, or the pipelined
  /// occupancy.
  double occupancyNs() const {
    return pipelining.outstanding > 1 ? pipelining.occupancyNs : durationNs;
  }
};

class Timeline {
public:
  /// Appends an instruction to `queue`; returns its index. Flags that name
  /// a queue that does not exist (load has no prev, store no next) are an
  /// error.
  llvm::Expected<size_t> enqueue(Queue queue, double durationNs,
                                 TokenFlags flags = {},
                                 Pipelining pipelining = {});

  /// Schedules every instruction whose tokens are available. With
  /// `requireComplete`, an instruction still blocked afterwards (a pop whose
  /// token is never pushed) is an error naming it.
  llvm::Error run(bool requireComplete = true);

  const ScheduledInstruction &get(size_t index) const {
    return instructions[index];
  }
  size_t size() const { return instructions.size(); }
  /// Finish time of the last scheduled instruction.
  double makespanNs() const;
  /// Sum of the occupancies (durations, or pipelined occupancies) of what
  /// was scheduled on `queue`.
  double busyNs(Queue queue) const;

private:
  enum TokenQueue {
    LoadToCompute,
    ComputeToLoad,
    ComputeToStore,
    StoreToCompute,
    NumTokenQueues
  };
  static bool popSource(Queue q, bool prev, TokenQueue &out);
  static bool pushTarget(Queue q, bool prev, TokenQueue &out);

  std::vector<ScheduledInstruction> instructions;
  std::vector<size_t> pending[3]; // per queue, in program order
  size_t nextPending[3] = {0, 0, 0};
  double queueFreeNs[3] = {0, 0, 0};
  /// Finish times of each queue's pipelined transfers still possibly in
  /// flight, oldest first (at most the largest window seen).
  std::deque<double> inFlight[3];
  unsigned maxWindow[3] = {1, 1, 1};
  std::deque<double> tokens[NumTokenQueues];
};

} // namespace mlg::ptc

#endif // MLG_TARGET_PTC_TIMELINE_H
