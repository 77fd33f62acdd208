//===- harness.cpp - Time one convolution: mlg-to-llvm code against oneDNN -===//
//
// usage: harness LIB.so SYMBOL N C H W F KH KW STRIDE PAD MIN_SECONDS [WEIGHTS]
//
// LIB.so holds `void _mlir_ciface_SYMBOL(memref x, memref w, memref out)`,
// compiled from an NHWC/HWCF convolution by `mlg-opt --mlg-to-llvm`; out is
// written in place. With WEIGHTS (raw f32 in FCHW order), the filter is a
// constant inside LIB.so (as in a compiled model) and the function is
// `_mlir_ciface_SYMBOL(memref x, memref out)`. The same convolution runs in oneDNN (its preferred
// layouts, weights reordered once ahead of time, as a deployed model would).
// Both outputs are compared, then each is timed (warm-up, then batches until
// MIN_SECONDS, median batch). Prints one CSV line:
//   ms_mlg,ms_onednn,gflops_mlg,gflops_onednn,ratio,max_abs_diff
// Threads: OMP_NUM_THREADS (oneDNN uses OpenMP).
//
//===----------------------------------------------------------------------===//

#include <dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <functional>
#include <random>
#include <vector>

namespace {

/// The MLIR memref descriptor of a rank-4 identity-layout buffer.
struct MemRef4 {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[4];
  int64_t strides[4];
};

MemRef4 view(std::vector<float> &data, int64_t d0, int64_t d1, int64_t d2,
             int64_t d3) {
  return MemRef4{data.data(), data.data(), 0, {d0, d1, d2, d3},
                 {d1 * d2 * d3, d2 * d3, d3, 1}};
}

using ConvFn = void (*)(MemRef4 *, MemRef4 *, MemRef4 *);
using ConstantFilterConvFn = void (*)(MemRef4 *, MemRef4 *);

double secondsNow() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Median seconds per call over batches lasting at least minSeconds in all.
double timeCalls(const std::function<void()> &call, double minSeconds) {
  for (int i = 0; i < 3; ++i)
    call();
  double t0 = secondsNow();
  call();
  double once = std::max(secondsNow() - t0, 1e-7);
  int perBatch = std::max(1, static_cast<int>(0.05 / once));
  std::vector<double> batches;
  double start = secondsNow();
  while (batches.size() < 5 || secondsNow() - start < minSeconds) {
    double b0 = secondsNow();
    for (int i = 0; i < perBatch; ++i)
      call();
    batches.push_back((secondsNow() - b0) / perBatch);
  }
  std::sort(batches.begin(), batches.end());
  return batches[batches.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 13) {
    std::fprintf(stderr, "usage: %s LIB.so SYMBOL N C H W F KH KW STRIDE PAD "
                         "MIN_SECONDS [WEIGHTS]\n",
                 argv[0]);
    return 2;
  }
  const char *lib = argv[1];
  std::string symbol = std::string("_mlir_ciface_") + argv[2];
  int64_t n = std::atoll(argv[3]), c = std::atoll(argv[4]),
          h = std::atoll(argv[5]), w = std::atoll(argv[6]),
          f = std::atoll(argv[7]), kh = std::atoll(argv[8]),
          kw = std::atoll(argv[9]), stride = std::atoll(argv[10]),
          pad = std::atoll(argv[11]);
  double minSeconds = std::atof(argv[12]);
  const char *weightsPath = argc > 13 ? argv[13] : nullptr;
  int64_t oh = (h + 2 * pad - kh) / stride + 1;
  int64_t ow = (w + 2 * pad - kw) / stride + 1;

  void *handle = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    std::fprintf(stderr, "error: %s\n", dlerror());
    return 1;
  }
  void *fn = dlsym(handle, symbol.c_str());
  if (!fn) {
    std::fprintf(stderr, "error: no symbol %s in %s\n", symbol.c_str(), lib);
    return 1;
  }

  // Data in NCHW / FCHW (oneDNN's plain layouts), copied to NHWC / HWCF.
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> xNchw(n * c * h * w), wFchw(f * c * kh * kw);
  for (float &v : xNchw)
    v = dist(rng);
  for (float &v : wFchw)
    v = dist(rng);
  if (weightsPath) {
    FILE *file = std::fopen(weightsPath, "rb");
    if (!file || std::fread(wFchw.data(), sizeof(float), wFchw.size(), file) !=
                     wFchw.size()) {
      std::fprintf(stderr, "error: cannot read %zu floats from %s\n",
                   wFchw.size(), weightsPath);
      return 1;
    }
    std::fclose(file);
  }
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
  std::vector<float> outNhwc(n * oh * ow * f);
  MemRef4 xRef = view(xNhwc, n, h, w, c), wRef = view(wHwcf, kh, kw, c, f),
          outRef = view(outNhwc, n, oh, ow, f);

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
  auto runMLG = [&] {
    if (weightsPath)
      reinterpret_cast<ConstantFilterConvFn>(fn)(&xRef, &outRef);
    else
      reinterpret_cast<ConvFn>(fn)(&xRef, &wRef, &outRef);
  };

  // Compare outputs (oneDNN's converted to NHWC).
  runOneDNN();
  runMLG();
  std::vector<float> dnnlNhwc(outNhwc.size());
  memory dstNhwc({dstDims, dt::f32, tag::nhwc}, eng, dnnlNhwc.data());
  reorder(dst, dstNhwc).execute(strm, dst, dstNhwc);
  strm.wait();
  double maxDiff = 0;
  for (size_t i = 0; i < outNhwc.size(); ++i)
    maxDiff = std::max(maxDiff, std::fabs(double(outNhwc[i]) - dnnlNhwc[i]));

  double flops = 2.0 * n * f * oh * ow * c * kh * kw;
  double tMLG = timeCalls(runMLG, minSeconds);
  double tDNNL = timeCalls(runOneDNN, minSeconds);
  std::printf("%.4f,%.4f,%.2f,%.2f,%.3f,%.3g\n", tMLG * 1e3, tDNNL * 1e3,
              flops / tMLG * 1e-9, flops / tDNNL * 1e-9, tDNNL / tMLG,
              maxDiff);
  return 0;
}
