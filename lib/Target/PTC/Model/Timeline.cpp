//===- Timeline.cpp - Load/compute/store overlap with tokens --------------===//

#include "mlg/Target/PTC/Timeline.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace llvm;

namespace mlg::ptc {

static StringRef getQueueName(Queue q) {
  switch (q) {
  case Queue::Load:
    return "load";
  case Queue::Compute:
    return "compute";
  case Queue::Store:
    return "store";
  }
  llvm_unreachable("unknown queue");
}

bool Timeline::popSource(Queue q, bool prev, TokenQueue &out) {
  switch (q) {
  case Queue::Load:
    out = ComputeToLoad;
    return !prev;
  case Queue::Compute:
    out = prev ? LoadToCompute : StoreToCompute;
    return true;
  case Queue::Store:
    out = ComputeToStore;
    return prev;
  }
  llvm_unreachable("unknown queue");
}

bool Timeline::pushTarget(Queue q, bool prev, TokenQueue &out) {
  switch (q) {
  case Queue::Load:
    out = LoadToCompute;
    return !prev;
  case Queue::Compute:
    out = prev ? ComputeToLoad : ComputeToStore;
    return true;
  case Queue::Store:
    out = StoreToCompute;
    return prev;
  }
  llvm_unreachable("unknown queue");
}

Expected<size_t> Timeline::enqueue(Queue queue, double durationNs,
                                   TokenFlags flags, Pipelining pipelining) {
  if (!(durationNs >= 0) || !std::isfinite(durationNs))
    return createStringError(formatv("{0} instruction with duration {1} ns",
                                     getQueueName(queue), durationNs));
  if (pipelining.outstanding == 0 ||
      (pipelining.outstanding > 1 &&
       !(pipelining.occupancyNs >= 0 && pipelining.occupancyNs <= durationNs)))
    return createStringError(
        formatv("{0} instruction with {1} outstanding requests and an "
                "occupancy of {2} ns (duration {3} ns)",
                getQueueName(queue), pipelining.outstanding,
                pipelining.occupancyNs, durationNs));
  TokenQueue unused;
  if ((flags.popPrev && !popSource(queue, true, unused)) ||
      (flags.popNext && !popSource(queue, false, unused)) ||
      (flags.pushPrev && !pushTarget(queue, true, unused)) ||
      (flags.pushNext && !pushTarget(queue, false, unused)))
    return createStringError(
        formatv("the {0} queue has no {1} neighbour", getQueueName(queue),
                queue == Queue::Load ? "previous" : "next"));
  size_t index = instructions.size();
  instructions.push_back({queue, durationNs, flags, pipelining});
  pending[static_cast<unsigned>(queue)].push_back(index);
  return index;
}

Error Timeline::run(bool requireComplete) {
  bool progress = true;
  while (progress) {
    progress = false;
    for (unsigned q = 0; q < 3; ++q) {
      while (nextPending[q] < pending[q].size()) {
        ScheduledInstruction &inst = instructions[pending[q][nextPending[q]]];
        Queue queue = static_cast<Queue>(q);
        TokenQueue prevSource = NumTokenQueues, nextSource = NumTokenQueues;
        if (inst.flags.popPrev)
          popSource(queue, true, prevSource);
        if (inst.flags.popNext)
          popSource(queue, false, nextSource);
        if ((prevSource != NumTokenQueues && tokens[prevSource].empty()) ||
            (nextSource != NumTokenQueues && tokens[nextSource].empty()))
          break; // blocked until another queue pushes
        double start = queueFreeNs[q];
        for (TokenQueue source : {prevSource, nextSource}) {
          if (source == NumTokenQueues)
            continue;
          start = std::max(start, tokens[source].front());
          tokens[source].pop_front();
        }
        // A pipelined transfer waits for a free request slot; anything
        // else (in order) for every transfer still in flight in its queue.
        std::deque<double> &flying = inFlight[q];
        unsigned window = inst.pipelining.outstanding;
        if (window > 1) {
          if (flying.size() >= window)
            start = std::max(start, flying[flying.size() - window]);
        } else {
          for (double finish : flying)
            start = std::max(start, finish);
          flying.clear();
        }
        inst.startNs = start;
        inst.finishNs = start + inst.durationNs;
        queueFreeNs[q] = start + inst.occupancyNs();
        if (window > 1) {
          flying.push_back(inst.finishNs);
          maxWindow[q] = std::max(maxWindow[q], window);
          while (flying.size() > maxWindow[q])
            flying.pop_front();
        }
        TokenQueue target;
        if (inst.flags.pushPrev && pushTarget(queue, true, target))
          tokens[target].push_back(inst.finishNs);
        if (inst.flags.pushNext && pushTarget(queue, false, target))
          tokens[target].push_back(inst.finishNs);
        ++nextPending[q];
        progress = true;
      }
    }
  }
  if (!requireComplete)
    return Error::success();
  for (unsigned q = 0; q < 3; ++q)
    if (nextPending[q] < pending[q].size())
      return createStringError(formatv(
          "deadlock: {0} instruction #{1} waits for a token that is never "
          "pushed",
          getQueueName(static_cast<Queue>(q)), pending[q][nextPending[q]]));
  return Error::success();
}

double Timeline::makespanNs() const {
  double end = 0;
  for (const ScheduledInstruction &inst : instructions)
    end = std::max(end, inst.finishNs);
  return end;
}

double Timeline::busyNs(Queue queue) const {
  double busy = 0;
  for (const ScheduledInstruction &inst : instructions)
    if (inst.queue == queue && inst.finishNs >= 0)
      busy += inst.occupancyNs();
  return busy;
}

} // namespace mlg::ptc
