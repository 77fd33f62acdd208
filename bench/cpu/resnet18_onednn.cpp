//===- resnet18_onednn.cpp - ImageNet ResNet-18 built from oneDNN primitives ===//
//
// usage: resnet18_onednn WEIGHTS_DIR INPUT.npy OUTPUT.npy RUNS
//
// WEIGHTS_DIR holds the parameters written by
// `examples/models/resnet18.py --dataset imagenet --export-weights DIR`
// (PyTorch names and layouts, BatchNorm folded into a per-channel scale
// `<bn>.weight` and shift `<bn>.bias`). The network is the one that script
// writes as MLIR, deployed as oneDNN users deploy it: each BatchNorm folded
// into its convolution (weights times scale, shift as the bias), ReLU as an
// eltwise post-op, the residual add as a sum post-op into the shortcut, all
// activations in the layouts oneDNN prefers (format_tag::any), weights
// reordered once ahead of time; then a max pool, a global average pool and
// an inner product with bias. Runs the network once on INPUT ([1, 3, 224,
// 224], NCHW) and writes the logits [1, 1000] to OUTPUT, then times RUNS
// inferences after RUNS/10 (at least one) warm-up runs. Prints one JSON
// line: {"ms_min", "ms_median", "model_mb", "peak_mb"}: resident memory
// (MiB) after building the network, and the peak resident memory of the
// first inference, both above the resident memory before anything was
// loaded. Threads: OMP_NUM_THREADS (Debian's oneDNN uses OpenMP).
//
//===----------------------------------------------------------------------===//

#include "npy.h"

#include <dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

[[noreturn]] void die(const std::string &message) {
  std::fprintf(stderr, "resnet18_onednn: error: %s\n", message.c_str());
  std::exit(1);
}

/// VmRSS or VmHWM of this process in MiB.
double residentMiB(const char *field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(field, 0) == 0)
      return std::atof(line.c_str() + std::string(field).size() + 1) / 1024.0;
  die(std::string("no ") + field + " in /proc/self/status");
}

class Network {
public:
  Network(const std::string &dir) : dir(dir), eng(engine::kind::cpu, 0), strm(eng) {}

  bench::Float32Array param(const std::string &name,
                            size_t expectedElements) {
    bench::Float32Array array;
    std::string error = bench::readNpy(dir + "/" + name + ".npy", array);
    if (!error.empty())
      die(error);
    if (array.data.size() != expectedElements)
      die(name + ": " + std::to_string(array.data.size()) +
          " elements, expected " + std::to_string(expectedElements));
    return array;
  }

  /// Makes `current` have the layout `desc`, adding a reorder if needed.
  memory conform(const memory &current, const memory::desc &desc) {
    if (current.get_desc() == desc)
      return current;
    memory converted(desc, eng);
    steps.push_back({reorder(current, converted),
                     {{DNNL_ARG_FROM, current}, {DNNL_ARG_TO, converted}}});
    return converted;
  }

  /// conv `name` + folded BatchNorm `bn`; post-ops: relu, or
  /// sum into `residual` (whose memory becomes the output) then relu.
  memory convBn(const memory &src, const std::string &name,
                const std::string &bn, int64_t co, int64_t k, int64_t stride,
                int64_t pad, bool relu, const memory *residual = nullptr) {
    memory::dims srcDims = src.get_desc().dims();
    int64_t n = srcDims[0], ci = srcDims[1], h = srcDims[2], w = srcDims[3];
    int64_t ho = (h + 2 * pad - k) / stride + 1,
            wo = (w + 2 * pad - k) / stride + 1;
    bench::Float32Array weight = param(name + ".weight", co * ci * k * k);
    bench::Float32Array scale = param(bn + ".weight", co);
    bench::Float32Array shift = param(bn + ".bias", co);
    size_t perFilter = ci * k * k;
    for (int64_t o = 0; o < co; ++o)
      for (size_t i = 0; i < perFilter; ++i)
        weight.data[o * perFilter + i] *= scale.data[o];

    memory::dims weiDims{co, ci, k, k}, dstDims{n, co, ho, wo};
    post_ops ops;
    if (residual)
      ops.append_sum(1.0f);
    if (relu || residual)
      ops.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
    primitive_attr attr;
    attr.set_post_ops(ops);
    memory::desc dstDesc = residual ? residual->get_desc()
                                    : memory::desc(dstDims, dt::f32, tag::any);
    convolution_forward::desc desc(
        prop_kind::forward_inference, algorithm::convolution_direct,
        memory::desc(srcDims, dt::f32, tag::any),
        memory::desc(weiDims, dt::f32, tag::any),
        memory::desc({co}, dt::f32, tag::x), dstDesc, {stride, stride},
        {pad, pad}, {pad, pad});
    convolution_forward::primitive_desc pd(desc, attr, eng);
    memory weiPlain({weiDims, dt::f32, tag::oihw}, eng, weight.data.data());
    memory wei(pd.weights_desc(), eng);
    reorder(weiPlain, wei).execute(strm, weiPlain, wei);
    memory bias({{co}, dt::f32, tag::x}, eng);
    std::copy(shift.data.begin(), shift.data.end(),
              static_cast<float *>(bias.get_data_handle()));
    memory input = conform(src, pd.src_desc());
    memory dst = residual ? *residual : memory(pd.dst_desc(), eng);
    steps.push_back({convolution_forward(pd),
                     {{DNNL_ARG_SRC, input},
                      {DNNL_ARG_WEIGHTS, wei},
                      {DNNL_ARG_BIAS, bias},
                      {DNNL_ARG_DST, dst}}});
    constants.push_back(wei);
    constants.push_back(bias);
    return dst;
  }

  memory pool(const memory &src, algorithm alg, int64_t k, int64_t stride,
              int64_t pad) {
    memory::dims dims = src.get_desc().dims();
    int64_t ho = (dims[2] + 2 * pad - k) / stride + 1;
    pooling_forward::desc desc(
        prop_kind::forward_inference, alg, src.get_desc(),
        memory::desc({dims[0], dims[1], ho, ho}, dt::f32, tag::any),
        {stride, stride}, {k, k}, {pad, pad}, {pad, pad});
    pooling_forward::primitive_desc pd(desc, eng);
    memory dst(pd.dst_desc(), eng);
    steps.push_back(
        {pooling_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}}});
    return dst;
  }

  memory fullyConnected(const memory &src, int64_t classes) {
    memory::dims srcDims = src.get_desc().dims();
    int64_t features = srcDims[1];
    bench::Float32Array weight = param("fc.weight", classes * features);
    bench::Float32Array bias = param("fc.bias", classes);
    memory::dims weiDims{classes, features, 1, 1};
    inner_product_forward::desc desc(
        prop_kind::forward_inference, src.get_desc(),
        memory::desc(weiDims, dt::f32, tag::any),
        memory::desc({classes}, dt::f32, tag::x),
        memory::desc({srcDims[0], classes}, dt::f32, tag::nc));
    inner_product_forward::primitive_desc pd(desc, eng);
    memory weiPlain({weiDims, dt::f32, tag::oihw}, eng, weight.data.data());
    memory wei(pd.weights_desc(), eng);
    reorder(weiPlain, wei).execute(strm, weiPlain, wei);
    memory biasMemory({{classes}, dt::f32, tag::x}, eng);
    std::copy(bias.data.begin(), bias.data.end(),
              static_cast<float *>(biasMemory.get_data_handle()));
    memory input = conform(src, pd.src_desc());
    memory dst(pd.dst_desc(), eng);
    steps.push_back({inner_product_forward(pd),
                     {{DNNL_ARG_SRC, input},
                      {DNNL_ARG_WEIGHTS, wei},
                      {DNNL_ARG_BIAS, biasMemory},
                      {DNNL_ARG_DST, dst}}});
    constants.push_back(wei);
    constants.push_back(biasMemory);
    return dst;
  }

  /// Builds the network on `input` (plain NCHW); returns the logits memory.
  memory build(const memory &input) {
    memory x = convBn(input, "conv1", "bn1", 64, 7, 2, 3, true);
    x = pool(x, algorithm::pooling_max, 3, 2, 1);
    const int64_t planes[] = {64, 128, 256, 512};
    for (int stage = 0; stage < 4; ++stage) {
      for (int block = 0; block < 2; ++block) {
        std::string pre = "layer" + std::to_string(stage + 1) + "." +
                          std::to_string(block);
        int64_t stride = stage > 0 && block == 0 ? 2 : 1;
        memory shortcut = x;
        if (stride != 1 || x.get_desc().dims()[1] != planes[stage])
          shortcut = convBn(x, pre + ".downsample.0", pre + ".downsample.1",
                            planes[stage], 1, stride, 0, false);
        memory y = convBn(x, pre + ".conv1", pre + ".bn1", planes[stage], 3,
                          stride, 1, true);
        // The second conv adds its result into the shortcut's memory; its
        // layout must then be the shortcut's.
        x = convBn(y, pre + ".conv2", pre + ".bn2", planes[stage], 3, 1, 1,
                   true, &shortcut);
      }
    }
    memory::dims dims = x.get_desc().dims();
    x = pool(x, algorithm::pooling_avg_exclude_padding, dims[2], 1, 0);
    return fullyConnected(x, 1000);
  }

  void run() {
    for (auto &[prim, args] : steps)
      prim.execute(strm, args);
    strm.wait();
  }

  engine &getEngine() { return eng; }
  stream &getStream() { return strm; }

private:
  std::string dir;
  engine eng;
  stream strm;
  std::vector<std::pair<primitive, std::unordered_map<int, memory>>> steps;
  std::vector<memory> constants;
};

} // namespace

int main(int argc, char **argv) {
  if (argc != 5)
    die("usage: resnet18_onednn WEIGHTS_DIR INPUT.npy OUTPUT.npy RUNS");
  double residentBefore = residentMiB("VmRSS");
  int runs = std::max(1, std::atoi(argv[4]));
  bench::Float32Array input;
  std::string error = bench::readNpy(argv[2], input);
  if (!error.empty())
    die(error);
  if (input.shape != std::vector<int64_t>{1, 3, 224, 224})
    die(std::string(argv[2]) + ": expected shape (1, 3, 224, 224)");

  Network net(argv[1]);
  memory inputMemory({{1, 3, 224, 224}, dt::f32, tag::nchw}, net.getEngine(),
                     input.data.data());
  memory logits = net.build(inputMemory);
  double model = residentMiB("VmRSS") - residentBefore;

  std::ofstream("/proc/self/clear_refs") << "5";
  net.run();
  double peak = residentMiB("VmHWM") - residentBefore;
  const float *result = static_cast<const float *>(logits.get_data_handle());
  error = bench::writeNpy(argv[3], {1, 1000},
                          std::vector<float>(result, result + 1000));
  if (!error.empty())
    die(error);

  for (int i = 0; i < std::max(1, runs / 10); ++i)
    net.run();
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    net.run();
    ms.push_back(std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  double median = ms.size() % 2 ? ms[ms.size() / 2]
                                : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
  std::printf("{\"ms_min\": %.4f, \"ms_median\": %.4f, \"model_mb\": %.2f, "
              "\"peak_mb\": %.2f}\n",
              ms.front(), median, model, peak);
  return 0;
}
