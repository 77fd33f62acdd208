"""A double-buffered tiled GEMM on the dptc-hbm geometry, and its numpy check.

  tiled_gemm.py program DIR   writes DIR/prog.mlir, DIR/x.npy, DIR/w.npy
  tiled_gemm.py check DIR     compares DIR/y.npy with numpy
  tiled_gemm.py resnet18 DIR  writes DIR/big.mlir, DIR/bx.npy, DIR/bw.npy: a
                              program of ResNet-18's size (not a lit test)

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


def resnet18_sized(mt=5200, kc=24, nb=2, reload=16, gen_runs=40, distinct=256):
    """A synthetic program of the size of ResNet-18 (224x224, batch 1) on
    dptc-hbm, to time ptc-sim (docs/ptc-sim.md, Performance): `mt` batch
    tiles of 12 pixels, each `kc` K chunks of 24 and `nb` output blocks of 48
    (mt*nb*kc GEMM steps: 249 600 by default), every tile requantized by four
    ALU steps and stored; weights reloaded every `reload` batch tiles; before
    that, `gen_runs` x 100 GEN level-1 and level-2 steps. X is stored
    pre-tiled ([tile][kc][12][24]) so that one LOAD fills a tile's kc inp
    rows; batch tile t reads X tile and writes Y tile t % `distinct`.
    """
    m, k, n = distinct * BATCH, kc * BLOCK_IN, nb * BLOCK_OUT
    lines = ["ptc.program {",
             f'  ptc.data @x offset 0 = dense<0> : tensor<{m}x{k}xi4> {{role = "input"}}',
             f'  ptc.data @w offset {m * k // 2} = dense<0> : tensor<{n}x{k}xi4> {{role = "input"}}',
             f'  ptc.data @y offset {m * k // 2 + n * k // 2} = dense<0> : tensor<{m}x{n}xi8> {{role = "output"}}']
    w_base, y_base = m * k // 2, m * k // 2 + n * k // 2
    # uops 0..nb-1: GEMM of output block ob (acc row ob, wgt rows ob*kc + j);
    # nb..nb+1: GEN level 1 (two basis vectors into one wgt row); nb+2: GEN
    # level 2.
    for ob in range(nb):
        lines.append(f"  ptc.uop dst {ob} src 0 wgt {ob * kc}")
    lines.append("  ptc.uop dst 0 src 0 wgt 0")
    lines.append("  ptc.uop dst 0 src 1 wgt 1")
    lines.append("  ptc.uop dst 1 src 0 wgt 0")
    lines.append('  ptc.layer "generate"')
    lines.append(f"  ptc.load uop sram 0 dram 0 rows 1 cols {nb + 3} stride {nb + 3} pad [0, 0, 0, 0]")
    lines.append(f"  ptc.load coeff_u sram 0 dram {w_base} rows 2 cols {BLOCK_OUT * BLOCK_IN} stride {BLOCK_OUT * BLOCK_IN} pad [0, 0, 0, 0] bits 4")
    lines.append(f"  ptc.load basis sram 0 dram {w_base} rows 100 cols {BLOCK_OUT} stride {BLOCK_OUT} pad [0, 0, 0, 0] bits 4")
    lines.append(f"  ptc.load coeff_v sram 0 dram {w_base} rows 1 cols {BLOCK_OUT * BLOCK_OUT} stride {BLOCK_OUT * BLOCK_OUT} pad [0, 0, 0, 0] bits 4 deps<push_next>")
    lines.append("  ptc.cfg req_scale = 1")
    lines.append("  ptc.cfg req_shift = 2")
    for r in range(gen_runs):
        dep = " deps<pop_prev>" if r == 0 else ""
        # 50 runs of 2 steps (one W1 row each) into wgt rows 100..149.
        lines.append(f"  ptc.gen level 1 requant uops [{nb}, {nb + 2}) iter 50 x 1 dst [1, 0] a [0, 0] "
                     f"b [2, 0]{dep}")
        lines.append(f"  ptc.gen level 2 requant uops [{nb + 2}, {nb + 3}) iter 100 x 1 dst [1, 0] a [0, 0] b [1, 0]")
    lines.append('  ptc.layer "gemm"')
    lines.append("  ptc.cfg req_scale = 3")
    lines.append("  ptc.cfg req_shift = 9")
    for bt in range(mt):
        if bt % reload == 0:
            lines.append(f"  ptc.load wgt sram 0 dram {w_base} rows {n * kc} cols {BLOCK_IN} stride {BLOCK_IN} "
                         f"pad [0, 0, 0, 0] bits 4")
        lines.append(f"  ptc.load inp sram 0 dram {bt % distinct * kc * BATCH * BLOCK_IN // 2} rows {kc * BATCH} "
                     f"cols {BLOCK_IN} stride {BLOCK_IN} pad [0, 0, 0, 0] bits 4 deps<push_next>")
        for ob in range(nb):
            pop = " deps<pop_prev>" if ob == 0 else ""
            lines.append(f"  ptc.gemm reset uops [{ob}, {ob + 1}) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0]{pop}")
            lines.append(f"  ptc.gemm uops [{ob}, {ob + 1}) iter 1 x {kc} dst [0, 0] src [0, 1] wgt [0, 1]")
            for op, imm in (("mul", 3), ("shr", 9), ("max", 0), ("clip", 127)):
                push = " deps<push_next>" if op == "clip" else ""
                lines.append(f"  ptc.alu {op} uops [{ob}, {ob + 1}) iter 1 x 1 dst [0, 0] src [0, 0] imm {imm}{push}")
            y = y_base + bt % distinct * BATCH * n + ob * BLOCK_OUT
            lines.append(f"  ptc.store acc sram {ob} dram {y} rows {BATCH} cols {BLOCK_OUT} stride {n} "
                         f"pad [0, 0, 0, 0] bits 8 deps<pop_prev>")
    lines += ["  ptc.finish", "}"]
    return "\n".join(lines) + "\n", (m, k, n)


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
    if mode == "resnet18":
        text, (m, k, n) = resnet18_sized()
        rng = np.random.default_rng(5)
        np.save(f"{out_dir}/bx.npy", rng.integers(-8, 8, (m, k)).astype(np.float32))
        np.save(f"{out_dir}/bw.npy", rng.integers(-8, 8, (n, k)).astype(np.float32))
        open(f"{out_dir}/big.mlir", "w").write(text)
        return
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
