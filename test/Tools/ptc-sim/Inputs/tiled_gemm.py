"""A double-buffered tiled GEMM on the dptc-hbm geometry, and its numpy check.

  tiled_gemm.py program DIR   writes DIR/prog.mlir, DIR/x.npy, DIR/w.npy
  tiled_gemm.py check DIR     compares DIR/y.npy with numpy

Y[24 x 96] = X[24 x 72] . W[96 x 72]^T on BATCH 12, BLOCK_IN 24, BLOCK_OUT 48:
four output tiles (2 batch tiles x 2 output blocks), each three GEMM steps
(K = 72 = 3 x 24) with T_acc = 2 (two ADC windows: 2 steps, then 1). The
inp/wgt/acc slots alternate and the tokens let tile t+1 load while tile t
computes (docs/ptc-sim.md).
"""
import sys

import numpy as np

M, K, N = 24, 72, 96
BATCH, BLOCK_IN, BLOCK_OUT = 12, 24, 48
IN_BITS = W_BITS = 4
ADC_BITS, T_ACC = 8, 2
KC = K // BLOCK_IN


def program():
    lines = ["ptc.program {",
             f'  ptc.data @x offset 0 = dense<0> : tensor<{M}x{K}xi4> {{role = "input"}}',
             f'  ptc.data @w offset 1024 = dense<0> : tensor<{N}x{K}xi4> {{role = "input"}}',
             f'  ptc.data @y offset 8192 = dense<0> : tensor<{M}x{N}xi16> {{role = "output"}}',
             "  ptc.uop dst 0 src 0 wgt 0",
             f"  ptc.uop dst 1 src {KC} wgt {KC}",
             '  ptc.layer "tiles"',
             "  ptc.load uop sram 0 dram 0 rows 1 cols 2 stride 2 pad [0, 0, 0, 0]",
             f"  ptc.cfg t_acc = {T_ACC}"]
    tiles = [(bt, ob) for bt in range(M // BATCH) for ob in range(N // BLOCK_OUT)]
    last = len(tiles) - 1
    for t, (bt, ob) in enumerate(tiles):
        slot = t % 2

        def deps(*flags):
            flags = [f for f in flags if f]
            return f" deps<{'|'.join(flags)}>" if flags else ""
        for kc in range(KC):
            w_base = (ob * BLOCK_OUT * K + kc * BLOCK_IN) // 2
            pop = "pop_next" if kc == 0 and t >= 2 else ""
            lines.append(f"  ptc.load wgt sram {slot * KC + kc} dram {1024 + w_base} rows {BLOCK_OUT} "
                         f"cols {BLOCK_IN} stride {K} pad [0, 0, 0, 0] bits 4{deps(pop)}")
        for kc in range(KC):
            x_base = (bt * BATCH * K + kc * BLOCK_IN) // 2
            push = "push_next" if kc == KC - 1 else ""
            lines.append(f"  ptc.load inp sram {slot * KC + kc} dram {x_base} rows {BATCH} "
                         f"cols {BLOCK_IN} stride {K} pad [0, 0, 0, 0] bits 4{deps(push)}")
        lines.append(f"  ptc.gemm reset uops [{slot}, {slot + 1}) iter 1 x 1 dst [0, 0] "
                     f"src [0, 0] wgt [0, 0]{deps('pop_prev', 'pop_next' if t >= 2 else '')}")
        lines.append(f"  ptc.gemm uops [{slot}, {slot + 1}) iter 1 x {KC} dst [0, 0] src [0, 1] "
                     f"wgt [0, 1]{deps('push_prev' if t + 2 <= last else '', 'push_next')}")
        y_base = 8192 + (bt * BATCH * N + ob * BLOCK_OUT) * 2
        lines.append(f"  ptc.store acc sram {slot} dram {y_base} rows {BATCH} cols {BLOCK_OUT} "
                     f"stride {N} pad [0, 0, 0, 0] bits 16"
                     f"{deps('pop_prev', 'push_prev' if t + 2 <= last or t == last else '')}")
    lines += ["  ptc.finish deps<pop_next>", "}"]
    return "\n".join(lines) + "\n"


def adc(x, terms):
    full_scale = IN_BITS + W_BITS - 1 + int(np.ceil(np.log2(terms)))
    shift = max(0, full_scale - ADC_BITS)
    code = (x + ((1 << shift) >> 1)) >> shift
    return np.clip(code, -(1 << (ADC_BITS - 1)), (1 << (ADC_BITS - 1)) - 1) << shift


def expected(x, w):
    y = np.zeros((M, N), np.int64)
    for bt in range(M // BATCH):
        for ob in range(N // BLOCK_OUT):
            rows = slice(bt * BATCH, (bt + 1) * BATCH)
            cols = slice(ob * BLOCK_OUT, (ob + 1) * BLOCK_OUT)
            steps = [x[rows, kc * BLOCK_IN:(kc + 1) * BLOCK_IN]
                     @ w[cols, kc * BLOCK_IN:(kc + 1) * BLOCK_IN].T for kc in range(KC)]
            for first in range(0, KC, T_ACC):
                y[rows, cols] += adc(sum(steps[first:first + T_ACC]), T_ACC * BLOCK_IN)
    return y


def main():
    mode, out_dir = sys.argv[1:3]
    if mode == "program":
        rng = np.random.default_rng(3)
        np.save(f"{out_dir}/x.npy", rng.integers(-8, 8, (M, K)).astype(np.float32))
        np.save(f"{out_dir}/w.npy", rng.integers(-8, 8, (N, K)).astype(np.float32))
        open(f"{out_dir}/prog.mlir", "w").write(program())
        return
    x = np.load(f"{out_dir}/x.npy").astype(np.int64)
    w = np.load(f"{out_dir}/w.npy").astype(np.int64)
    got = np.load(f"{out_dir}/y.npy").astype(np.int64)
    want = expected(x, w)
    exact = x @ w.T
    if not np.array_equal(got, want):
        print("MISMATCH at", np.argwhere(got != want)[:5])
        raise SystemExit(1)
    print(f"tiled gemm: {want.size} values match; ADC error vs exact: max "
          f"{np.abs(want - exact).max()} of |y| <= {np.abs(exact).max()}")


if __name__ == "__main__":
    main()
