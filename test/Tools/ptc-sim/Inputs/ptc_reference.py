"""Independent numpy reference for the ptc-sim lit tests.

  ptc_reference.py gen CASE DIR     writes the inputs DIR/<name>.npy
  ptc_reference.py check CASE DIR   compares DIR/out.npy with numpy

The semantics follow docs/ptc-sim.md (operand geometry, ADC rule), written
again here from the document, not from the simulator's code. Geometry of
Inputs/tiny.json: BATCH 2, BLOCK_IN 4, BLOCK_OUT 4; in/w 4 bits, ADC 8
bits, T_acc 2.
"""
import sys

import numpy as np

IN_BITS, W_BITS, ADC_BITS, T_ACC = 4, 4, 8, 2
BATCH, BLOCK_IN, BLOCK_OUT = 2, 4, 4


def sat(x, bits):
    return np.clip(x, -(1 << (bits - 1)), (1 << (bits - 1)) - 1)


def adc(x, terms, fs_bits=0):
    """One ADC conversion of an exact partial sum over `terms` products;
    `fs_bits` is CFG adc_fs_bits (0: the worst-case full scale)."""
    full_scale = fs_bits or IN_BITS + W_BITS - 1 + int(np.ceil(np.log2(terms)))
    shift = max(0, full_scale - ADC_BITS)
    code = (x + ((1 << shift) >> 1)) >> shift
    return sat(code, ADC_BITS) << shift


def chunks(products, terms, fs_bits=0):
    """Sum a run of step products: every T_ACC steps pass the ADC."""
    total = 0
    for i in range(0, len(products), T_ACC):
        total = total + adc(sum(products[i:i + T_ACC]), T_ACC * terms, fs_bits)
    return total


def gen_inputs(case, rng):
    if case == "gemm":
        return {"x": rng.integers(-8, 8, (3, 2, 4)),
                "w": rng.integers(-8, 8, (3, 4, 4))}
    if case == "adcfs":
        # Non-negative inputs and positive weights for outputs 0 and 1, so
        # that their window sums reach past the ADC's 8-bit codes.
        w = rng.integers(-8, 8, (3, 4, 4))
        w[:, :2, :] = rng.integers(3, 8, (3, 2, 4))
        return {"x": rng.integers(0, 8, (3, 2, 4)), "w": w}
    if case == "mlg":
        # U[bc][ci][i] as two rows U_i[bc][ci]; B[bc][i][t] as rows (i, t)
        # holding B[:, i, t]; V[o][bc]; X_t[b][ci] per tap t.
        return {"u": rng.integers(-3, 4, (2, 4, 4)),
                "basis": rng.integers(-3, 4, (2, 2, 4)),
                "v": rng.integers(-4, 4, (4, 4)),
                "x": rng.integers(-8, 8, (2, 2, 4))}
    if case == "recomp":
        # Two 3-bit slices: low (unsigned 0..7), high (signed -4..3).
        return {"slices": np.stack([rng.integers(0, 8, (2, 4)),
                                    rng.integers(-4, 4, (2, 4))])}
    if case == "shadd":
        # Four SmartDeal blocks (one per output o): 3-bit power-of-two
        # codes C[o][r][j] and 3-bit basis codes B[o][j][col].
        return {"codes": rng.integers(-3, 4, (4, 2, 2)),
                "basis": rng.integers(-4, 4, (4, 2, 2)),
                "x": rng.integers(-8, 8, (2, 4))}
    raise SystemExit("unknown case " + case)


def pow2_times(c, b):
    """The SHADD term of docs/isa.md: 0 for code 0, else
    sign(c) * b * 2^(|c| - 1)."""
    return np.where(c == 0, 0, np.sign(c) * b * (1 << np.maximum(np.abs(c) - 1, 0)))


def expected(case, d):
    if case == "gemm":
        x, w = sat(d["x"], IN_BITS), sat(d["w"], W_BITS)
        # acc[b][o] = sum over the 3 steps of inp[s][b] . wgt[s][o]
        steps = [x[s] @ w[s].T for s in range(3)]
        acc = chunks(steps, BLOCK_IN)
        acc = (acc * 5) >> 3
        return np.clip(np.maximum(acc, 0), -128, 127)
    if case == "adcfs":
        x, w = sat(d["x"], IN_BITS), sat(d["w"], W_BITS)
        steps = [x[s] @ w[s].T for s in range(3)]
        # Worst case F = 4 + 4 - 1 + log2(8) = 10 (shift 2), then CFG
        # adc_fs_bits 9 (shift 1) and 7 (shift 0, saturating at 8 bits).
        worst, fs9, fs7 = (chunks(steps, BLOCK_IN, fs) for fs in (0, 9, 7))
        windows = [sum(steps[0:2]), steps[2]]
        # The case must show both effects: finer steps and saturation.
        assert not np.array_equal(worst, fs9), "fs 9 changes nothing"
        assert any((abs(v) > 127).any() for v in windows), "no saturation"
        return np.stack([worst, fs9, fs7])
    if case == "mlg":
        u, basis, v, x = d["u"], d["basis"], d["v"], d["x"]
        w1 = []
        for t in range(2):
            # Level 1: two micro-ops (i = 0, 1) with the same destination.
            prods = [sat(u[i], W_BITS) * sat(basis[i, t], IN_BITS)[:, None]
                     for i in range(2)]
            r = chunks(prods, 1)
            w1.append(np.clip((r * 1) >> 1, -8, 7))  # requant 1, 1
        w = []
        for t in range(2):
            r = chunks([sat(v, W_BITS) @ sat(w1[t], IN_BITS)], BLOCK_OUT)
            w.append(np.clip((r * 3) >> 2, -8, 7))  # requant 3, 2
        steps = [sat(x[t], IN_BITS) @ w[t].T for t in range(2)]
        return chunks(steps, BLOCK_IN)
    if case == "recomp":
        lo, hi = d["slices"][0], d["slices"][1]
        exact = lo + (-(hi << 3))  # signed MSB: the top slice's weight is -8
        full = np.clip(exact, -32, 31)  # out_bits 6: no excess
        rounded = np.clip((exact + 2) >> 2, -8, 7)  # out_bits 4, round
        # rshift 2 with out_bits 6 (no excess), rounded: shift by 2.
        extra = np.clip((exact + 2) >> 2, -32, 31)
        # rshift 1 on top of the excess 2, truncated: shift by 3.
        both = np.clip(exact >> 3, -8, 7)
        return np.stack([full, rounded, extra, both])
    if case == "shadd":
        codes, basis, x = d["codes"], d["basis"], d["x"]
        w = np.zeros((BLOCK_OUT, BLOCK_IN), dtype=np.int64)
        for o in range(4):
            for r in range(2):
                for col in range(2):
                    w[o, 2 * r + col] = sum(
                        pow2_times(codes[o, r, j], basis[o, j, col])
                        for j in range(2))
        w = sat((w + 2) >> 2, W_BITS)  # rshift 2, rounded, to w_bits
        return chunks([sat(x, IN_BITS) @ w.T], BLOCK_IN)
    raise SystemExit("unknown case " + case)


def main():
    mode, case, out_dir = sys.argv[1:4]
    names = {"gemm": ["x", "w"], "adcfs": ["x", "w"], "mlg": ["u", "basis", "v", "x"],
             "recomp": ["slices"], "shadd": ["codes", "basis", "x"]}[case]
    if mode == "gen":
        data = gen_inputs(case, np.random.default_rng(7))
        for name in names:
            np.save(f"{out_dir}/{name}.npy", data[name].astype(np.float32))
        return
    data = {name: np.load(f"{out_dir}/{name}.npy").astype(np.int64)
            for name in names}
    want = expected(case, data)
    got = np.load(f"{out_dir}/out.npy").astype(np.int64)
    if got.shape != want.shape or not np.array_equal(got, want):
        print("MISMATCH\nwant:\n", want, "\ngot:\n", got)
        raise SystemExit(1)
    print(f"{case}: {want.size} values match")


if __name__ == "__main__":
    main()
