//===- LayerEstimate.cpp - Per-layer cost: dense vs generated -------------===//

#include "mlg/Target/PTC/LayerEstimate.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace llvm;

namespace mlg::ptc {

static void add(Cost &into, const Cost &c) {
  into.cycles += c.cycles;
  into.latencyNs += c.latencyNs;
  into.energy += c.energy;
}

Expected<Cost> estimateSlicedGemm(const AcceleratorModel &model, GemmDesc g,
                                  unsigned weightBits, unsigned inputBits) {
  if (weightBits == 0 || inputBits == 0)
    return createStringError("GEMM operand of 0 bits");
  uint64_t weightSlices = ceilDiv(weightBits, model.weightBits);
  uint64_t inputSlices = ceilDiv(inputBits, model.inputBits);
  uint64_t originalBatch = g.batch;
  g.weightBits = static_cast<unsigned>(ceilDiv(weightBits, weightSlices));
  g.inputBits = static_cast<unsigned>(ceilDiv(inputBits, inputSlices));
  g.batch *= weightSlices * inputSlices;
  Expected<Cost> cost = estimateGemm(model, g);
  if (!cost)
    return cost.takeError();
  if (model.kind == CoreKind::WeightStationary) {
    Expected<Cost> prog =
        estimateProgram(model, {getProgramRounds(model, g.rows, g.reduction) *
                                    originalBatch * weightSlices,
                                g.weightBits});
    if (!prog)
      return prog.takeError();
    add(*cost, *prog);
  }
  if (weightSlices * inputSlices > 1) {
    Expected<Cost> recomp =
        estimateRecomp(model, {weightSlices * inputSlices,
                               g.rows * g.columns * originalBatch});
    if (!recomp)
      return recomp.takeError();
    add(*cost, *recomp);
  }
  return cost;
}

Expected<GeneratorShape> getGeneratorShape(const ConvLayerDesc &layer,
                                           const GeneratorDesc &gen) {
  uint64_t co = layer.outChannels, ci = layer.inChannels;
  uint64_t k2 = layer.kernelSize * layer.kernelSize;
  if (!gen.bi || !gen.bc || !gen.qb || !gen.qu || !gen.qv)
    return createStringError("generator with a zero Bi, Bc or bit width");
  GeneratorShape s;
  s.level1 = gen.bi < std::min(ci, k2);
  s.level2 = gen.bc < std::min(co, ci * k2);
  if (!s.level1 && !s.level2)
    return createStringError(
        formatv("generation is off for this layer (Bi={0} >= min(Ci, k^2) and "
                "Bc={1} >= min(Co, Ci*k^2)): its weights are dense",
                gen.bi, gen.bc));
  uint64_t bc = s.level2 ? gen.bc : co;
  if (s.level1) {
    s.basisElements = bc * gen.bi * k2;
    s.uElements = bc * ci * gen.bi;
  } else {
    s.basisElements = bc * ci * k2;
  }
  s.vElements = s.level2 ? co * bc : 0;
  s.basisBits = s.basisElements * gen.qb;
  s.coeffBits = s.uElements * gen.qu + s.vElements * gen.qv;
  return s;
}

/// DMA of `bits` as transfers of at most half the local buffer (the other
/// half is in use: double buffering). With pipelined DMA (more than one
/// outstanding request) the transfers follow each other at their streaming
/// time and only the last one's access latency is exposed, as on ptc-sim's
/// timeline (docs/ptc-model.md §3.2).
static Expected<Cost> chunkedTransfer(const AcceleratorModel &model,
                                      uint64_t bits, MemoryEndpoint source,
                                      MemoryEndpoint destination,
                                      LocalBuffer buffer) {
  uint64_t chunk = std::max<uint64_t>(model.getLocal(buffer).sizeBytes * 4, 8);
  Cost total;
  double exposedLatencyNs = 0;
  bool pipelined = false;
  for (uint64_t done = 0; done < bits;) {
    uint64_t n = std::min(chunk, bits - done);
    // All full chunks cost the same: price one and multiply.
    uint64_t repeats = n == chunk ? (bits - done) / chunk : 1;
    Expected<Cost> c = estimateTransfer(model, {n, source, destination});
    if (!c)
      return c.takeError();
    pipelined = c->outstandingRequests > 1;
    total.latencyNs += (pipelined ? c->occupancyNs : c->latencyNs) * repeats;
    exposedLatencyNs = pipelined ? c->latencyNs - c->occupancyNs : 0;
    total.cycles += c->cycles * repeats;
    total.energy += c->energy.scaled(static_cast<double>(repeats));
    done += n * repeats;
  }
  if (pipelined) {
    total.latencyNs += exposedLatencyNs;
    total.cycles = static_cast<uint64_t>(
        std::ceil(total.latencyNs * model.clockGHz - 1e-9));
  }
  return total;
}

/// Latency (load, compute and store overlap; the compute waits for the
/// prerequisite), cycles and energy from the parts of `est`.
static void finishEstimate(const AcceleratorModel &model, LayerEstimate &est) {
  est.loadNs = est.weightLoad.latencyNs + est.activationLoad.latencyNs;
  est.computeNs = est.generation.latencyNs + est.convolution.latencyNs;
  est.storeNs = est.outputStore.latencyNs;
  est.latencyNs =
      std::max({est.loadNs, est.prerequisiteNs + est.computeNs, est.storeNs});
  est.cycles = static_cast<uint64_t>(est.latencyNs * model.clockGHz + 0.5);
  for (const Cost *c : {&est.weightLoad, &est.activationLoad, &est.outputStore,
                        &est.generation, &est.convolution})
    est.energy += c->energy;
}

Expected<LayerEstimate>
estimateConvLayer(const AcceleratorModel &model, const ConvLayerDesc &layer,
                  const std::optional<GeneratorDesc> &generator) {
  if (!layer.outChannels || !layer.inChannels || !layer.kernelSize ||
      !layer.outHeight || !layer.outWidth || !layer.batch)
    return createStringError("convolution layer with an empty dimension");
  uint64_t k2 = layer.kernelSize * layer.kernelSize;
  uint64_t inH = layer.inHeight ? layer.inHeight : layer.outHeight;
  uint64_t inW = layer.inWidth ? layer.inWidth : layer.outWidth;
  uint64_t columns = layer.outHeight * layer.outWidth * layer.batch;

  LayerEstimate est;
  est.source = generator ? WeightSource::Generated : WeightSource::Dense;

  // Activations in, outputs out: the same for both weight sources.
  uint64_t inputBits =
      layer.inChannels * inH * inW * layer.batch * layer.activationBits;
  uint64_t outputBits = layer.outChannels * columns * layer.activationBits;
  Expected<Cost> actLoad = chunkedTransfer(
      model, inputBits, MemoryEndpoint::dram(),
      MemoryEndpoint::local(LocalBuffer::Inp), LocalBuffer::Inp);
  if (!actLoad)
    return actLoad.takeError();
  Expected<Cost> store = chunkedTransfer(
      model, outputBits, MemoryEndpoint::local(LocalBuffer::Acc),
      MemoryEndpoint::dram(), LocalBuffer::Acc);
  if (!store)
    return store.takeError();
  est.activationLoad = *actLoad;
  est.outputStore = *store;
  est.dramActivationBits = inputBits + outputBits;

  GemmDesc conv;
  conv.rows = layer.outChannels;
  conv.reduction = layer.inChannels * k2;
  conv.columns = columns;
  conv.outputBits = layer.outputBits;
  Expected<Cost> convCost =
      estimateSlicedGemm(model, conv, layer.weightBits, layer.activationBits);
  if (!convCost)
    return convCost.takeError();
  est.convolution = *convCost;

  if (!generator) {
    est.dramWeightBits =
        layer.outChannels * layer.inChannels * k2 * layer.weightBits;
    Expected<Cost> load = chunkedTransfer(
        model, est.dramWeightBits, MemoryEndpoint::dram(),
        MemoryEndpoint::local(LocalBuffer::Wgt), LocalBuffer::Wgt);
    if (!load)
      return load.takeError();
    est.weightLoad = *load;
    // The convolution walks weight row blocks of R*H rows; it can start once
    // the first block is in WGT, and later blocks stream behind it.
    uint64_t firstBlockBits = std::min<uint64_t>(
        est.dramWeightBits,
        uint64_t(model.intrinsicRows()) * conv.reduction * layer.weightBits);
    Expected<Cost> first =
        estimateTransfer(model, {firstBlockBits, MemoryEndpoint::dram(),
                                 MemoryEndpoint::local(LocalBuffer::Wgt)});
    if (!first)
      return first.takeError();
    est.prerequisiteNs = first->latencyNs;
  } else {
    const GeneratorDesc &gen = *generator;
    Expected<GeneratorShape> shape = getGeneratorShape(layer, gen);
    if (!shape)
      return shape.takeError();
    est.dramWeightBits = shape->totalBits();
    // The generator stays resident for the whole layer, so it must fit.
    for (auto [bits, buffer] :
         {std::pair{shape->basisBits, LocalBuffer::Basis},
          std::pair{shape->coeffBits, LocalBuffer::Coeff}}) {
      Expected<Cost> load = estimateTransfer(
          model, {bits, MemoryEndpoint::dram(), MemoryEndpoint::local(buffer)});
      if (!load)
        return createStringError("the generator does not fit on chip: " +
                                 toString(load.takeError()));
      add(est.weightLoad, *load);
    }
    est.prerequisiteNs = est.weightLoad.latencyNs;

    uint64_t bc = shape->level2 ? gen.bc : layer.outChannels;
    auto generate = [&](const GenerationDesc &step, unsigned coeffBits,
                        unsigned operandBits) -> Error {
      Expected<GemmDesc> gemm = getGenerationGemm(step);
      if (!gemm)
        return gemm.takeError();
      Expected<Cost> cost =
          estimateSlicedGemm(model, *gemm, coeffBits, operandBits);
      if (!cost)
        return cost.takeError();
      cost->energy.localBuffers +=
          static_cast<double>(gemm->rows) * gemm->columns * gemm->batch *
          step.storeBits * model.getLocal(LocalBuffer::Wgt).energyPerBitPJ;
      add(est.generation, *cost);
      return Error::success();
    };
    if (shape->level1) {
      GenerationDesc l1;
      l1.level = 1;
      l1.bc = bc;
      l1.ci = layer.inChannels;
      l1.bi = gen.bi;
      l1.k2 = k2;
      l1.outputBits = layer.outputBits;
      l1.storeBits = shape->level2 ? gen.intermediateBits : layer.weightBits;
      if (Error err = generate(l1, gen.qu, gen.qb))
        return std::move(err);
    }
    if (shape->level2) {
      GenerationDesc l2;
      l2.level = 2;
      l2.bc = bc;
      l2.ci = layer.inChannels;
      l2.k2 = k2;
      l2.co = layer.outChannels;
      l2.outputBits = layer.outputBits;
      l2.storeBits = layer.weightBits;
      if (Error err = generate(l2, gen.qv,
                               shape->level1 ? gen.intermediateBits : gen.qb))
        return std::move(err);
    }
  }

  finishEstimate(model, est);
  return est;
}

Expected<LayerEstimate> estimateSmartDealLayer(const AcceleratorModel &model,
                                               const ConvLayerDesc &layer,
                                               const SmartDealDesc &sd) {
  if (!sd.weights || !sd.terms)
    return createStringError("SmartDeal generation of no weights");
  // Activations and the GEMM as for dense weights of the generated width;
  // the weight load and the generation replaced.
  ConvLayerDesc generated = layer;
  if (sd.weightBits)
    generated.weightBits = sd.weightBits;
  Expected<LayerEstimate> dense =
      estimateConvLayer(model, generated, std::nullopt);
  if (!dense)
    return dense.takeError();
  LayerEstimate est = *dense;
  est.source = WeightSource::Generated;
  est.weightLoad = Cost{};
  est.dramWeightBits = sd.codeBits + sd.basisBits;
  for (auto [bits, buffer] : {std::pair{sd.codeBits, LocalBuffer::Coeff},
                              std::pair{sd.basisBits, LocalBuffer::Basis}}) {
    if (!bits)
      continue;
    Expected<Cost> load =
        chunkedTransfer(model, bits, MemoryEndpoint::dram(),
                        MemoryEndpoint::local(buffer), buffer);
    if (!load)
      return load.takeError();
    add(est.weightLoad, *load);
  }
  Expected<Cost> first = estimateTransfer(
      model, {std::max<uint64_t>(1, sd.firstBlockBits), MemoryEndpoint::dram(),
              MemoryEndpoint::local(LocalBuffer::Coeff)});
  if (!first)
    return first.takeError();
  est.prerequisiteNs = first->latencyNs;
  Expected<Cost> generation = estimateShiftAdd(model, {sd.terms, sd.weights});
  if (!generation)
    return generation.takeError();
  est.generation = *generation;
  est.energy = EnergyBreakdown{};
  finishEstimate(model, est);
  return est;
}

/// Picks between the dense estimate and a generated one by `objective`.
static WeightSourceChoice pickWeightSource(const LayerEstimate &dense,
                                           Expected<LayerEstimate> generated,
                                           ChoiceObjective objective) {
  WeightSourceChoice result;
  result.dense = dense;
  if (!generated) {
    // Not an error for the caller: such a layer simply keeps dense weights.
    result.reason = toString(generated.takeError());
    return result;
  }
  result.generated = *generated;
  bool lessEnergy = generated->energy.total() < dense.energy.total();
  bool notSlower = generated->latencyNs <= dense.latencyNs;
  bool faster = generated->latencyNs < dense.latencyNs;
  bool generate = false;
  switch (objective) {
  case ChoiceObjective::Energy:
    generate = lessEnergy;
    break;
  case ChoiceObjective::Latency:
    generate = faster;
    break;
  case ChoiceObjective::EnergyAndLatency:
    generate = lessEnergy && notSlower;
    break;
  }
  if (generate) {
    result.choice = WeightSource::Generated;
  } else {
    result.reason =
        formatv("generation costs {0:f1} nJ and {1:f1} ns against {2:f1} nJ "
                "and {3:f1} ns dense",
                generated->energy.total() * 1e-3, generated->latencyNs,
                dense.energy.total() * 1e-3, dense.latencyNs)
            .str();
  }
  return result;
}

Expected<WeightSourceChoice> chooseWeightSource(const AcceleratorModel &model,
                                                const ConvLayerDesc &layer,
                                                const GeneratorDesc &generator,
                                                ChoiceObjective objective) {
  Expected<LayerEstimate> dense = estimateConvLayer(model, layer, std::nullopt);
  if (!dense)
    return dense.takeError();
  return pickWeightSource(*dense, estimateConvLayer(model, layer, generator),
                          objective);
}

Expected<WeightSourceChoice>
chooseSmartDealSource(const AcceleratorModel &model, const ConvLayerDesc &layer,
                      const SmartDealDesc &smartDeal,
                      ChoiceObjective objective) {
  Expected<LayerEstimate> dense = estimateConvLayer(model, layer, std::nullopt);
  if (!dense)
    return dense.takeError();
  return pickWeightSource(
      *dense, estimateSmartDealLayer(model, layer, smartDeal), objective);
}

} // namespace mlg::ptc
