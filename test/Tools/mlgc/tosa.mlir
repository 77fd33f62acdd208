// TOSA input goes through tosa-to-linalg first: an NHWC convolution with
// bias and a clamp (ReLU), compiled, run by mlg-run and compared with numpy
// in float64; and the same model with mlg-compress, whose OHWI weight
// becomes a generator chain.
// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: %python tosa_net.py write
// RUN: mlgc tosa.mlir -o tosa.so 2>&1 | FileCheck %s --check-prefix=STAGES
// RUN: mlg-run tosa.so --input x.npy --output y.npy
// RUN: %python tosa_net.py check y.npy | FileCheck %s
// RUN: mlgc -q tosa.mlir --emit=mlir --pack-codes=false --compress="bi=2 bc=4 qb=3 qu=6 qv=3" -o - | FileCheck %s --check-prefix=COMPRESSED

// STAGES: mlgc: [2/6] prepare: tosa-to-linalg
// CHECK: rel error {{.*}} ok
// The generated weight is computed at run time from i3/i6 codes.
// COMPRESSED-DAG: llvm.mlir.global private constant @{{.+}} : !llvm.array<4 x array<2 x array<3 x array<3 x i3>>>>
// COMPRESSED-DAG: llvm.func @mlg_tosa_conv(

//--- tosa_net.py
import sys
import numpy as np

rng = np.random.default_rng(3)
w = rng.standard_normal((16, 3, 3, 8)).astype(np.float32)  # OHWI
b = rng.standard_normal(16).astype(np.float32)


def lit(a):
    return repr(float(a)) if a.ndim == 0 else "[" + ", ".join(lit(x) for x in a) + "]"


if sys.argv[1] == "write":
    np.save("x.npy", rng.standard_normal((1, 6, 6, 8)).astype(np.float32))
    open("tosa.mlir", "w").write(f"""
func.func @tosa_conv(%x: tensor<1x6x6x8xf32>) -> tensor<1x6x6x16xf32> {{
  %w = "tosa.const"() {{values = dense<{lit(w)}> : tensor<16x3x3x8xf32>}} : () -> tensor<16x3x3x8xf32>
  %b = "tosa.const"() {{values = dense<{lit(b)}> : tensor<16xf32>}} : () -> tensor<16xf32>
  %zp = "tosa.const"() {{values = dense<0.0> : tensor<1xf32>}} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {{acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}} : (tensor<1x6x6x8xf32>, tensor<16x3x3x8xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x16xf32>
  %r = tosa.clamp %y {{min_val = 0.0 : f32, max_val = 3.4e38 : f32}} : (tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32>
  return %r : tensor<1x6x6x16xf32>
}}
""")
else:
    x = np.load("x.npy").astype(np.float64)
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (3, 3), axis=(1, 2))  # n h w c kh kw
    ref = np.maximum(np.einsum("nhwcij,oijc->nhwo", win, w.astype(np.float64)) + b, 0)
    y = np.load(sys.argv[2])
    err = np.linalg.norm(y - ref) / np.linalg.norm(ref)
    print(f"shape {y.shape} rel error {err:.2e}", "ok" if y.shape == ref.shape and err <= 1e-4 else "FAIL")
