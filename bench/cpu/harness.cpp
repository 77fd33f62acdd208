//===- harness.cpp - Time one convolution: ours, oneDNN, MLG strategies ---===//
//
// usage: harness OURS.so N C H W F KH KW STRIDE PAD MIN_SECONDS WEIGHTS
//                [LABEL=LIB.so ...]
//
// WEIGHTS: the filter, raw f32 in FCHW order. OURS.so is built by mlgc (C ABI
// of docs/c-abi.md, no compression) from an NHWC/HWCF convolution: its one
// entry point is forward(x NHWC) -> NHWC with the filter a constant of the
// library (as in a compiled model), or forward(x NHWC, w HWCF) -> NHWC with
// the filter an argument (then packed on every call). The same convolution
// runs in oneDNN (its preferred layouts, weights reordered once ahead of time,
// as a deployed model would). Each LABEL=LIB.so is built by mlgc from the
// same convolution (NCHW in and out), compressed and lowered with one
// execution strategy; LABEL is FAMILY/STRATEGY (e.g. MLG/tiled, SD/dense), a
// family being one compression (its generators). All run on the same input;
// ours is compared with oneDNN, each compressed library with the first one of
// its family (the families compute different functions); each is timed the
// same way (warm-up, then batches of about 50 ms until MIN_SECONDS, median
// batch; ours and oneDNN in alternating batches, so both meet the same load).
// Prints one JSON line:
//   {"ms_ours", "ms_onednn", "rel_diff", "strategies": {LABEL: {"ms",
//   "rel_diff"}}}
// where rel_diff is max|a - b| / max|b| (b: oneDNN, or the first library of
// LABEL's family).
// Threads: OMP_NUM_THREADS (Debian's oneDNN uses OpenMP).
//
//===----------------------------------------------------------------------===//

#include "mlg/Target/CPU/CABITypes.h"

#include <dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <functional>
#include <malloc.h>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

[[noreturn]] void die(const std::string &message) {
  std::fprintf(stderr, "harness: error: %s\n", message.c_str());
  std::exit(1);
}

double secondsNow() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Calls per timed batch (about 50 ms), after three warm-up calls.
int callsPerBatch(const std::function<void()> &call) {
  for (int i = 0; i < 3; ++i)
    call();
  double t0 = secondsNow();
  call();
  double once = std::max(secondsNow() - t0, 1e-7);
  return std::max(1, static_cast<int>(0.05 / once));
}

/// Seconds per call of one batch of `calls` calls.
double timeBatch(const std::function<void()> &call, int calls) {
  double b0 = secondsNow();
  for (int i = 0; i < calls; ++i)
    call();
  return (secondsNow() - b0) / calls;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

/// Median seconds per call over batches lasting at least minSeconds in all.
double timeCalls(const std::function<void()> &call, double minSeconds) {
  int perBatch = callsPerBatch(call);
  std::vector<double> batches;
  double start = secondsNow();
  while (batches.size() < 5 || secondsNow() - start < minSeconds)
    batches.push_back(timeBatch(call, perBatch));
  return median(batches);
}

/// timeCalls of `a` and `b` with their batches alternating, so that both
/// meet the same load on a shared machine (minSeconds each).
std::pair<double, double> timeInterleaved(const std::function<void()> &a,
                                          const std::function<void()> &b,
                                          double minSeconds) {
  int perBatchA = callsPerBatch(a), perBatchB = callsPerBatch(b);
  std::vector<double> batchesA, batchesB;
  double start = secondsNow();
  while (batchesA.size() < 5 || secondsNow() - start < 2 * minSeconds) {
    batchesA.push_back(timeBatch(a, perBatchA));
    batchesB.push_back(timeBatch(b, perBatchB));
  }
  return {median(batchesA), median(batchesB)};
}

/// max|a - b| / max|b|.
double relativeDifference(const std::vector<float> &a,
                          const std::vector<float> &b) {
  double diff = 0, scale = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::fabs(double(a[i]) - b[i]));
    scale = std::max(scale, std::fabs(double(b[i])));
  }
  return scale > 0 ? diff / scale : diff;
}

/// The only entry point of a library built by mlgc.
const mlg_entry_t *loadEntry(const std::string &path) {
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    die(dlerror());
  using ModelFn = const mlg_model_t *(*)();
  auto modelFn = reinterpret_cast<ModelFn>(dlsym(handle, "mlg_model"));
  if (!modelFn || modelFn()->abi_version != MLG_ABI_VERSION ||
      modelFn()->num_entries != 1)
    die(path + " is not an mlgc library of ABI " +
        std::to_string(MLG_ABI_VERSION) + " with one entry point");
  return &modelFn()->entries[0];
}

/// Dies unless the entry point's operand (input or output) has this shape.
void expectShape(const mlg_entry_t *entry, const mlg_tensor_t &operand,
                 std::vector<int64_t> shape) {
  if (std::vector<int64_t>(operand.shape, operand.shape + operand.rank) !=
      shape)
    die(std::string("entry point ") + entry->name +
        ": an operand does not have the shape of this convolution");
}

/// Calls entry on inputs, writing out; dies on a failure status.
std::function<void()> caller(const mlg_entry_t *entry,
                             std::vector<void *> inputs,
                             std::vector<float> &out) {
  return [entry, inputs, &out] {
    void *outputs[] = {out.data()};
    if (entry->invoke(inputs.data(), outputs) != 0)
      die(std::string("entry point ") + entry->name + " failed");
  };
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 13)
    die("usage: harness OURS.so N C H W F KH KW STRIDE PAD MIN_SECONDS "
        "WEIGHTS [LABEL=LIB.so ...]");
  // As mlg-run does: generated code allocates its temporaries on every call;
  // keep freed memory instead of page-faulting it in again each time.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  int64_t n = std::atoll(argv[2]), c = std::atoll(argv[3]),
          h = std::atoll(argv[4]), w = std::atoll(argv[5]),
          f = std::atoll(argv[6]), kh = std::atoll(argv[7]),
          kw = std::atoll(argv[8]), stride = std::atoll(argv[9]),
          pad = std::atoll(argv[10]);
  double minSeconds = std::atof(argv[11]);
  const char *weightsPath = argv[12];
  int64_t oh = (h + 2 * pad - kh) / stride + 1;
  int64_t ow = (w + 2 * pad - kw) / stride + 1;

  // Data in NCHW / FCHW (oneDNN's plain layouts), copied to NHWC / HWCF.
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> xNchw(n * c * h * w), wFchw(f * c * kh * kw);
  for (float &v : xNchw)
    v = dist(rng);
  FILE *file = std::fopen(weightsPath, "rb");
  if (!file || std::fread(wFchw.data(), sizeof(float), wFchw.size(), file) !=
                   wFchw.size())
    die("cannot read " + std::to_string(wFchw.size()) + " floats from " +
        weightsPath);
  std::fclose(file);
  std::vector<float> xNhwc(xNchw.size()), wHwcf(wFchw.size());
  for (int64_t in = 0; in < n; ++in)
    for (int64_t ic = 0; ic < c; ++ic)
      for (int64_t ih = 0; ih < h; ++ih)
        for (int64_t iw = 0; iw < w; ++iw)
          xNhwc[((in * h + ih) * w + iw) * c + ic] =
              xNchw[((in * c + ic) * h + ih) * w + iw];
  for (int64_t of = 0; of < f; ++of)
    for (int64_t ic = 0; ic < c; ++ic)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x)
          wHwcf[((y * kw + x) * c + ic) * f + of] =
              wFchw[((of * c + ic) * kh + y) * kw + x];

  // Ours: NHWC, the filter a constant or the second argument.
  const mlg_entry_t *ours = loadEntry(argv[1]);
  std::vector<void *> oursInputs{xNhwc.data()};
  expectShape(ours, ours->inputs[0], {n, h, w, c});
  expectShape(ours, ours->outputs[0], {n, oh, ow, f});
  if (ours->num_inputs == 2) {
    expectShape(ours, ours->inputs[1], {kh, kw, c, f});
    oursInputs.push_back(wHwcf.data());
  }
  std::vector<float> outNhwc(n * oh * ow * f);
  std::function<void()> runOurs = caller(ours, oursInputs, outNhwc);

  // oneDNN: inference convolution in the layouts it prefers.
  using namespace dnnl;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  memory::dims srcDims{n, c, h, w}, weiDims{f, c, kh, kw},
      dstDims{n, f, oh, ow}, strides{stride, stride}, padding{pad, pad};
  convolution_forward::desc desc(
      prop_kind::forward_inference, algorithm::convolution_direct,
      memory::desc(srcDims, dt::f32, tag::any),
      memory::desc(weiDims, dt::f32, tag::any),
      memory::desc(dstDims, dt::f32, tag::any), strides, padding, padding);
  convolution_forward::primitive_desc pd(desc, eng);
  memory srcPlain({srcDims, dt::f32, tag::nchw}, eng, xNchw.data());
  memory weiPlain({weiDims, dt::f32, tag::oihw}, eng, wFchw.data());
  memory src(pd.src_desc(), eng), wei(pd.weights_desc(), eng),
      dst(pd.dst_desc(), eng);
  reorder(srcPlain, src).execute(strm, srcPlain, src);
  reorder(weiPlain, wei).execute(strm, weiPlain, wei);
  convolution_forward prim(pd);
  auto runOneDNN = [&] {
    prim.execute(strm, {{DNNL_ARG_SRC, src},
                        {DNNL_ARG_WEIGHTS, wei},
                        {DNNL_ARG_DST, dst}});
    strm.wait();
  };

  // Compare outputs (oneDNN's converted to NHWC).
  runOneDNN();
  runOurs();
  std::vector<float> dnnlNhwc(outNhwc.size());
  memory dstNhwc({dstDims, dt::f32, tag::nhwc}, eng, dnnlNhwc.data());
  reorder(dst, dstNhwc).execute(strm, dst, dstNhwc);
  strm.wait();
  double relDiff = relativeDifference(outNhwc, dnnlNhwc);

  auto [tOurs, tDNNL] = timeInterleaved(runOurs, runOneDNN, minSeconds);
  std::printf("{\"ms_ours\": %.5f, \"ms_onednn\": %.5f, \"rel_diff\": %.3g, "
              "\"strategies\": {",
              tOurs * 1e3, tDNNL * 1e3, relDiff);

  // Compressed libraries: NCHW in and out, each compared with the first one
  // of its family (the label up to its '/').
  std::map<std::string, std::vector<float>> firstOut;
  for (int i = 13; i < argc; ++i) {
    std::string arg = argv[i];
    size_t eq = arg.find('=');
    if (eq == std::string::npos)
      die("expected LABEL=LIB.so, got " + arg);
    size_t slash = arg.rfind('/', eq);
    std::string family = slash == std::string::npos ? "" : arg.substr(0, slash);
    const mlg_entry_t *entry = loadEntry(arg.substr(eq + 1));
    expectShape(entry, entry->inputs[0], {n, c, h, w});
    expectShape(entry, entry->outputs[0], {n, f, oh, ow});
    std::vector<float> out(n * f * oh * ow);
    std::function<void()> run = caller(entry, {xNchw.data()}, out);
    run();
    std::vector<float> &first = firstOut.try_emplace(family, out).first->second;
    double diff = relativeDifference(out, first);
    double t = timeCalls(run, minSeconds);
    std::printf("%s\"%s\": {\"ms\": %.5f, \"rel_diff\": %.3g}",
                i > 13 ? ", " : "", arg.substr(0, eq).c_str(), t * 1e3, diff);
  }
  std::printf("}}\n");
  return 0;
}
