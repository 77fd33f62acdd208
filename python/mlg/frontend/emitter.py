"""MLIR text for the importers: linalg on tensors, NCHW, f32, weights as dense_resource blobs.

The form is the one examples/models/README.md ("IR form") defines and the mlg passes recognise:

  * every parameter is `arith.constant dense_resource<NAME>`, NAME the framework's parameter name
    with every character that is not a letter, digit or `_` replaced by `_` (quoted when it does
    not start with a letter or `_`); the blobs go to the trailing dialect_resources section;
  * convolutions are [tensor.pad] + zero-filled init + linalg.conv_2d_nchw_fchw (weight [Co, Ci, kh,
    kw]), linalg.depthwise_conv_2d_nchw_chw (weight [C, kh, kw]) or, for other groupings,
    linalg.conv_2d_ngchw_gfchw (weight [G, Co/G, Ci/G, kh, kw]) between an expand and a collapse of
    the channels; a bias and the activations after it are one linalg.generic;
  * a linear layer is linalg.matmul with the weight stored transposed ([in, out]);
  * ops that consume a parameter carry loc("<module name>").

Trained MLG layers are written as their generator chains: `codes` (signed integer codes,
`arith.constant dense<...> : tensor<...xiB>`) -> `dequantize` (mlg.dequantize on a midrise or
midtread grid) -> `generate_intra` -> `generate_cross` -> the convolution or matmul, the form
mlg-compress produces.

`Emitter` is framework-neutral: the PyTorch importer (torch.py) and an ONNX importer drive it
with numpy arrays and `Value`s (layers: conv2d, matmul, bias_add, affine, pool2d, contract_axis;
elementwise with numpy broadcasting and a scalar `Body`; reduce, mean, softmax, layer_norm;
reshape, transpose, concat, slice, pad). Shapes are static; every value is f32.
"""

import re
import struct

import numpy as np

F32 = "f32"


def ttype(shape, element=F32):
    """`tensor<2x3xf32>`; `tensor<f32>` for rank 0."""
    if len(shape) == 0:
        return "tensor<%s>" % element
    return "tensor<%sx%s>" % ("x".join(str(int(d)) for d in shape), element)


def f32_hex(value):
    """The exact f32 bit pattern of `value` as an MLIR hexadecimal float literal."""
    return "0x%08X" % struct.unpack("<I", struct.pack("<f", float(value)))[0]


def float_attr(value):
    """A double for an attribute, in a form MLIR parses back to the same value."""
    return "%.17e" % float(value)


def dims(rank):
    return ["d%d" % i for i in range(rank)]


def affine_map(rank, results):
    return "affine_map<(%s) -> (%s)>" % (", ".join(dims(rank)), ", ".join(results))


def identity_map(rank):
    return affine_map(rank, dims(rank))


def loc_suffix(loc):
    return ' loc("%s")' % loc.replace("\\", "\\\\").replace('"', '\\"') if loc else ""


_KEYWORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def resource_key(name):
    """The resource name of a parameter: its name with dots (and anything else that is not a
    letter, digit or `_`) replaced by `_`."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name) or "_"


def _quote_key(key):
    return key if _KEYWORD.match(key) else '"%s"' % key


class Value:
    """An SSA tensor value: its name (`%conv3`) and static shape."""

    __slots__ = ("name", "shape")

    def __init__(self, name, shape):
        self.name = name
        self.shape = tuple(int(d) for d in shape)

    @property
    def type(self):
        return ttype(self.shape)

    @property
    def rank(self):
        return len(self.shape)

    def __repr__(self):
        return "Value(%s : %s)" % (self.name, self.type)


class Body:
    """The scalar region of an elementwise linalg.generic: each method appends one op and
    returns its SSA name."""

    def __init__(self, emitter):
        self._emitter = emitter
        self.lines = []
        self._count = 0

    def _op(self, text):
        self._count += 1
        name = "%%s%d" % self._count
        self.lines.append("%s = %s : f32" % (name, text))
        return name

    def const(self, value):
        return self._emitter.scalar(value)

    def add(self, a, b):
        return self._op("arith.addf %s, %s" % (a, b))

    def sub(self, a, b):
        return self._op("arith.subf %s, %s" % (a, b))

    def mul(self, a, b):
        return self._op("arith.mulf %s, %s" % (a, b))

    def div(self, a, b):
        return self._op("arith.divf %s, %s" % (a, b))

    def max(self, a, b):
        return self._op("arith.maximumf %s, %s" % (a, b))

    def min(self, a, b):
        return self._op("arith.minimumf %s, %s" % (a, b))

    def neg(self, a):
        return self._op("arith.negf %s" % a)

    def exp(self, a):
        return self._op("math.exp %s" % a)

    def tanh(self, a):
        return self._op("math.tanh %s" % a)

    def abs(self, a):
        return self._op("math.absf %s" % a)

    def sqrt(self, a):
        return self._op("math.sqrt %s" % a)

    def log(self, a):
        return self._op("math.log %s" % a)

    def powf(self, a, b):
        return self._op("math.powf %s, %s" % (a, b))

    def erf(self, a):
        """erf by Abramowitz & Stegun 7.1.26 (absolute error <= 1.5e-7): mlgc's LLVM lowering
        has no math.erf."""
        z = self.abs(a)
        t = self.div(self.const(1.0), self.add(self.const(1.0), self.mul(self.const(0.3275911), z)))
        poly = self.const(1.061405429)
        for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
            poly = self.add(self.mul(poly, t), self.const(c))
        poly = self.mul(poly, t)
        r = self.sub(self.const(1.0), self.mul(poly, self.exp(self.neg(self.mul(z, z)))))
        negative = self._op("arith.cmpf olt, %s, %s" % (a, self.const(0.0)))  # an i1
        return self._op("arith.select %s, %s, %s" % (negative, self.neg(r), r))

    def clamp(self, a, low=None, high=None):
        if low is not None:
            a = self.max(a, self.const(low))
        if high is not None:
            a = self.min(a, self.const(high))
        return a

    def sigmoid(self, a):
        one = self.const(1.0)
        return self.div(one, self.add(one, self.exp(self.neg(a))))


# Activations by name: (Body, x) -> y. The importers map their operators onto these names.
def _gelu(b, x):
    return b.mul(b.mul(x, b.const(0.5)), b.add(b.const(1.0), b.erf(b.mul(x, b.const(0.7071067811865476)))))


def _gelu_tanh(b, x):
    inner = b.mul(b.const(0.7978845608028654), b.add(x, b.mul(b.const(0.044715), b.mul(x, b.mul(x, x)))))
    return b.mul(b.mul(x, b.const(0.5)), b.add(b.const(1.0), b.tanh(inner)))


def _softplus(b, x):
    """log(1 + exp(x)), written max(x, 0) + log(1 + exp(-|x|)) so that exp never overflows."""
    return b.add(b.max(x, b.const(0.0)), b.log(b.add(b.const(1.0), b.exp(b.neg(b.abs(x))))))


def _power(b, x, exponent):
    """x ** exponent: small integer powers as products, 0.5 as a square root, else math.powf."""
    if exponent == 0.5:
        return b.sqrt(x)
    if exponent == int(exponent) and 1 <= abs(exponent) <= 4:
        y = x
        for _ in range(int(abs(exponent)) - 1):
            y = b.mul(y, x)
        return y if exponent > 0 else b.div(b.const(1.0), y)
    return b.powf(x, b.const(exponent))


def _hardsigmoid(b, x):
    return b.div(b.clamp(b.add(x, b.const(3.0)), 0.0, 6.0), b.const(6.0))


ACTIVATIONS = {
    "relu": lambda b, x: b.max(x, b.const(0.0)),
    "relu6": lambda b, x: b.clamp(x, 0.0, 6.0),
    "hardsigmoid": _hardsigmoid,
    "hardswish": lambda b, x: b.mul(x, _hardsigmoid(b, x)),
    "sigmoid": lambda b, x: b.sigmoid(x),
    "silu": lambda b, x: b.mul(x, b.sigmoid(x)),
    "tanh": lambda b, x: b.tanh(x),
    "gelu": _gelu,
    "gelu_tanh": _gelu_tanh,
    # Elementwise maps that are not activations proper share the table (and the fusion into
    # a producer's epilogue).
    "abs": lambda b, x: b.abs(x),
    "neg": lambda b, x: b.neg(x),
    "exp": lambda b, x: b.exp(x),
    "log": lambda b, x: b.log(x),
    "sqrt": lambda b, x: b.sqrt(x),
    "rsqrt": lambda b, x: b.div(b.const(1.0), b.sqrt(x)),
    "reciprocal": lambda b, x: b.div(b.const(1.0), x),
    "erf": lambda b, x: b.erf(x),
    "softplus": _softplus,
    "mish": lambda b, x: b.mul(x, b.tanh(_softplus(b, x))),
}


def activation_body(kind):
    """(Body, x) -> y for an activation spec: a name of ACTIVATIONS, ("clamp", low, high) or
    ("leaky_relu", slope), ("elu", alpha), ("pow", exponent)."""
    if isinstance(kind, tuple):
        if kind[0] == "clamp":
            return lambda b, x: b.clamp(x, kind[1], kind[2])
        if kind[0] == "leaky_relu":
            slope = kind[1]
            return lambda b, x: b.add(b.max(x, b.const(0.0)), b.mul(b.min(x, b.const(0.0)), b.const(slope)))
        if kind[0] == "elu":  # x > 0 ? x : alpha (exp(x) - 1), without a select
            alpha = kind[1]
            return lambda b, x: b.add(b.max(x, b.const(0.0)), b.mul(
                b.const(alpha), b.sub(b.exp(b.min(x, b.const(0.0))), b.const(1.0))))
        if kind[0] == "pow":
            return lambda b, x: _power(b, x, kind[1])
        raise ValueError("unknown activation %r" % (kind,))
    return ACTIVATIONS[kind]


def _pair(v):
    if isinstance(v, (list, tuple)):
        if len(v) == 1:
            return (int(v[0]), int(v[0]))
        return tuple(int(x) for x in v)
    return (int(v), int(v))


def conv_output_size(size, kernel, stride, pad_low, pad_high, dilation):
    return (size + pad_low + pad_high - dilation * (kernel - 1) - 1) // stride + 1


class Emitter:
    """Accumulates one function's body and the module's resources; `module()` writes the text."""

    def __init__(self):
        self.lines = []
        self._prelude = []
        self._scalars = {}
        self.resources = {}  # key -> little-endian f32 bytes, in order of creation
        self._count = 0

    # -- names and constants ------------------------------------------------------------------

    def fresh(self, stem):
        self._count += 1
        return "%%%s%d" % (stem, self._count)

    def emit(self, line):
        self.lines.append("    " + line)

    def scalar(self, value):
        """An f32 constant at the top of the function (shared by every user)."""
        bits = f32_hex(value)
        if bits not in self._scalars:
            name = "%%cst%d" % len(self._scalars)
            self._prelude.append("    %s = arith.constant %s : f32" % (name, bits))
            self._scalars[bits] = name
        return self._scalars[bits]

    def param(self, name, array, loc=None):
        """`arith.constant dense_resource<NAME>` holding `array` (as f32); NAME from `name`,
        made unique."""
        arr = np.ascontiguousarray(np.asarray(array, dtype=np.float32)).astype("<f4", copy=False)
        base = key = resource_key(name)
        n = 1
        while key in self.resources:
            key = "%s_%d" % (base, n)
            n += 1
        self.resources[key] = arr.tobytes()
        v = Value(self.fresh("w"), arr.shape)
        self.emit("%s = arith.constant dense_resource<%s> : %s%s" % (v.name, _quote_key(key), v.type, loc_suffix(loc)))
        return v

    def codes(self, array, bits, loc=None):
        """`arith.constant dense<"0x..."> : tensor<...xi<bits>>` holding signed integer codes."""
        arr = np.asarray(array).astype(np.int64)
        if not 1 <= bits <= 16:
            raise ValueError("code width must be 1..16 bits, got %d" % bits)
        low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        if arr.size and (arr.min() < low or arr.max() > high):
            raise ValueError("codes out of the signed %d-bit range [%d, %d]" % (bits, low, high))
        masked = arr & ((1 << bits) - 1)
        if bits == 1:  # i1 hex data is bit-packed: write the literal (code -1 is the bit 1)
            data = _bool_literal(masked.astype(bool)) if arr.ndim else ("true" if masked else "false")
        else:  # one element per byte (two above 8 bits), two's complement of the width
            data = '"0x%s"' % masked.astype("<u1" if bits <= 8 else "<u2").tobytes().hex().upper()
        v = Value(self.fresh("codes"), arr.shape)
        self.emit("%s = arith.constant dense<%s> : %s%s"
                  % (v.name, data, ttype(arr.shape, "i%d" % bits), loc_suffix(loc)))
        return v

    def dequantize(self, codes, bits, grid, scale, loc=None):
        """`mlg.dequantize` of `codes` (a Value of i<bits>) on a per-tensor midrise/midtread grid."""
        if grid == "midrise":
            spec = "midrise<scale = %s>" % float_attr(scale)
        elif grid == "midtread":
            m = (1 << (bits - 1)) - 1
            spec = "!quant.uniform<i%d<%d:%d>:f32, %s>" % (bits, -m, m, float_attr(scale))
        else:
            raise ValueError("unknown grid %r (expected 'midrise' or 'midtread')" % (grid,))
        v = Value(self.fresh("deq"), codes.shape)
        self.emit("%s = mlg.dequantize %s as %s : %s -> %s%s"
                  % (v.name, codes.name, spec, ttype(codes.shape, "i%d" % bits), v.type, loc_suffix(loc)))
        return v

    def generate_intra(self, coeff, basis, loc=None):
        """mlg.generate_intra: [Bc, Ci, Bi] x [Bc, Bi, S...] -> [Bc, Ci, S...]."""
        v = Value(self.fresh("wc"), (basis.shape[0], coeff.shape[1]) + basis.shape[2:])
        self.emit("%s = mlg.generate_intra %s, %s : %s, %s -> %s%s"
                  % (v.name, coeff.name, basis.name, coeff.type, basis.type, v.type, loc_suffix(loc)))
        return v

    def generate_cross(self, coeff, kernels, loc=None):
        """mlg.generate_cross: [Co, Bc] x [Bc, R...] -> [Co, R...]."""
        v = Value(self.fresh("wg"), (coeff.shape[0],) + kernels.shape[1:])
        self.emit("%s = mlg.generate_cross %s, %s : %s, %s -> %s%s"
                  % (v.name, coeff.name, kernels.name, coeff.type, kernels.type, v.type, loc_suffix(loc)))
        return v

    # -- structural ops -----------------------------------------------------------------------

    def empty(self, shape):
        v = Value(self.fresh("e"), shape)
        self.emit("%s = tensor.empty() : %s" % (v.name, v.type))
        return v

    def filled(self, shape, value):
        e = self.empty(shape)
        v = Value(self.fresh("f"), shape)
        self.emit("%s = linalg.fill ins(%s : f32) outs(%s : %s) -> %s"
                  % (v.name, self.scalar(value), e.name, e.type, v.type))
        return v

    def pad(self, x, low, high, value=0.0):
        if not any(low) and not any(high):
            return x
        shape = tuple(d + a + b for d, a, b in zip(x.shape, low, high))
        v = Value(self.fresh("pad"), shape)
        fill = self.scalar(value)
        idx = ", ".join("%%i%d: index" % i for i in range(x.rank))
        self.emit("%s = tensor.pad %s low[%s] high[%s] {" % (v.name, x.name, ", ".join(map(str, low)),
                                                              ", ".join(map(str, high))))
        self.emit("^bb0(%s):" % idx)
        self.emit("  tensor.yield %s : f32" % fill)
        self.emit("} : %s to %s" % (x.type, v.type))
        return v

    def collapse(self, x, reassociation, shape):
        if tuple(shape) == x.shape:
            return x
        v = Value(self.fresh("collapsed"), shape)
        self.emit("%s = tensor.collapse_shape %s %s : %s into %s"
                  % (v.name, x.name, _reassoc_text(reassociation), x.type, v.type))
        return v

    def expand(self, x, reassociation, shape):
        if tuple(shape) == x.shape:
            return x
        v = Value(self.fresh("expanded"), shape)
        self.emit("%s = tensor.expand_shape %s %s output_shape [%s] : %s into %s"
                  % (v.name, x.name, _reassoc_text(reassociation), ", ".join(map(str, shape)), x.type, v.type))
        return v

    def reshape(self, x, shape):
        """x viewed with `shape` (same number of elements, row-major): one collapse_shape or
        expand_shape when the dims group, else a collapse to 1-D and an expand."""
        shape = tuple(int(d) for d in shape)
        if int(np.prod(shape)) != int(np.prod(x.shape)):
            raise ValueError("cannot reshape %s to %s" % (x.shape, shape))
        if shape == x.shape:
            return x
        groups = _group_dims(x.shape, shape)
        if groups is not None:
            return self.collapse(x, groups, shape)
        groups = _group_dims(shape, x.shape)
        if groups is not None:
            return self.expand(x, groups, shape)
        flat_shape = (int(np.prod(x.shape)),)
        flat = self.collapse(x, [list(range(x.rank))], flat_shape) if x.rank != 1 else x
        if len(shape) == 1:
            return flat
        return self.expand(flat, [list(range(len(shape)))], shape)

    def transpose(self, x, perm, loc=None):
        perm = [int(p) for p in perm]
        if perm == list(range(x.rank)):
            return x
        shape = tuple(x.shape[p] for p in perm)
        e = self.empty(shape)
        v = Value(self.fresh("transposed"), shape)
        self.emit("%s = linalg.transpose ins(%s : %s) outs(%s : %s) permutation = [%s]%s"
                  % (v.name, x.name, x.type, e.name, e.type, ", ".join(map(str, perm)), loc_suffix(loc)))
        return v

    def concat(self, values, axis):
        """Concatenation along `axis`: tensor.insert_slice of each input into one tensor.empty."""
        if len(values) == 1:
            return values[0]
        shape = list(values[0].shape)
        shape[axis] = sum(v.shape[axis] for v in values)
        acc = self.empty(shape)
        offset = 0
        for val in values:
            offsets = ["0"] * len(shape)
            offsets[axis] = str(offset)
            nxt = Value(self.fresh("cat"), shape)
            self.emit("%s = tensor.insert_slice %s into %s[%s] [%s] [%s] : %s into %s"
                      % (nxt.name, val.name, acc.name, ", ".join(offsets), ", ".join(map(str, val.shape)),
                         ", ".join(["1"] * len(shape)), val.type, acc.type))
            acc = nxt
            offset += val.shape[axis]
        return acc

    def slice(self, x, offsets, sizes, strides=None):
        strides = strides or [1] * x.rank
        if list(offsets) == [0] * x.rank and tuple(sizes) == x.shape and list(strides) == [1] * x.rank:
            return x
        v = Value(self.fresh("slice"), sizes)
        self.emit("%s = tensor.extract_slice %s[%s] [%s] [%s] : %s to %s"
                  % (v.name, x.name, ", ".join(map(str, offsets)), ", ".join(map(str, sizes)),
                     ", ".join(map(str, strides)), x.type, v.type))
        return v

    # -- elementwise and reductions -----------------------------------------------------------

    def _broadcast_operand(self, x, out_shape):
        """x and its indexing map for an elementwise op over `out_shape` (numpy broadcasting):
        the broadcast unit dimensions are collapsed away, so every map is a projection."""
        rank = len(out_shape)
        offset = rank - x.rank
        kept = [j for j in range(x.rank) if not (x.shape[j] == 1 and out_shape[offset + j] != 1)]
        for j in kept:
            if x.shape[j] != out_shape[offset + j]:
                raise ValueError("cannot broadcast %s to %s" % (x.shape, out_shape))
        if len(kept) != x.rank:
            reassoc = _reassoc_keeping(x.rank, kept)
            x = self.collapse(x, reassoc, tuple(x.shape[j] for j in kept))
        return x, affine_map(rank, ["d%d" % (offset + j) for j in kept])

    def elementwise(self, inputs, body, loc=None, out_shape=None):
        """One linalg.generic over the broadcast shape of `inputs` (numpy rules; a _View input
        is a 1-D Value read along one dimension); `body(Body, *scalars)` returns the result's
        SSA name."""
        if out_shape is None:
            out_shape = np.broadcast_shapes(*[v.shape for v in inputs])
        out_shape = tuple(int(d) for d in out_shape)
        rank = len(out_shape)
        operands, maps = [], []
        for x in inputs:
            if isinstance(x, _View):
                operands.append(x.value)
                maps.append(affine_map(rank, ["d%d" % x.axis]))
            else:
                x, m = self._broadcast_operand(x, out_shape)
                operands.append(x)
                maps.append(m)
        maps.append(identity_map(rank))
        e = self.empty(out_shape)
        v = Value(self.fresh("ew"), out_shape)
        blk = Body(self)
        args = ["%%a%d" % i for i in range(len(operands))]
        result = body(blk, *args)
        self.emit("%s = linalg.generic {indexing_maps = [%s], iterator_types = [%s]} ins(%s : %s) outs(%s : %s) {"
                  % (v.name, ", ".join(maps), ", ".join(['"parallel"'] * rank),
                     ", ".join(o.name for o in operands), ", ".join(o.type for o in operands), e.name, e.type))
        self.emit("^bb0(%s, %%out: f32):" % ", ".join("%s: f32" % a for a in args))
        for line in blk.lines:
            self.emit("  " + line)
        self.emit("  linalg.yield %s : f32" % result)
        self.emit("} -> %s%s" % (v.type, loc_suffix(loc)))
        return v

    def activation(self, x, kind, loc=None):
        fn = activation_body(kind)
        return self.elementwise([x], lambda b, a: fn(b, a), loc)

    def reduce(self, x, axes, kind="sum", keepdim=True, loc=None):
        """Sum or max over `axes` (one linalg.generic); the result keeps unit dims if `keepdim`."""
        axes = sorted(set(a % x.rank for a in axes))
        kept = [d for d in range(x.rank) if d not in axes]
        red_shape = tuple(x.shape[d] for d in kept)
        init = self.filled(red_shape, 0.0 if kind == "sum" else float("-inf"))
        v = Value(self.fresh("red"), red_shape)
        iters = ", ".join('"reduction"' if d in axes else '"parallel"' for d in range(x.rank))
        self.emit("%s = linalg.generic {indexing_maps = [%s, %s], iterator_types = [%s]} ins(%s : %s) outs(%s : %s) {"
                  % (v.name, identity_map(x.rank), affine_map(x.rank, ["d%d" % d for d in kept]), iters,
                     x.name, x.type, init.name, init.type))
        self.emit("^bb0(%in: f32, %acc: f32):")
        self.emit("  %%r = %s %%in, %%acc : f32" % ("arith.addf" if kind == "sum" else "arith.maximumf"))
        self.emit("  linalg.yield %r : f32")
        self.emit("} -> %s%s" % (v.type, loc_suffix(loc)))
        if keepdim:
            shape = tuple(1 if d in axes else x.shape[d] for d in range(x.rank))
            v = self.reshape(v, shape)
        return v

    def mean(self, x, axes, keepdim=True, loc=None):
        axes = sorted(set(a % x.rank for a in axes))
        count = int(np.prod([x.shape[a] for a in axes]))
        s = self.reduce(x, axes, "sum", keepdim, loc)
        return self.scale(s, 1.0 / count, loc)

    def scale(self, x, factor, loc=None):
        if factor == 1.0:
            return x
        return self.elementwise([x], lambda b, a: b.mul(a, b.const(factor)), loc)

    def layer_norm(self, x, ndims, weight=None, bias=None, eps=1e-5, loc=None):
        """Normalisation over the last `ndims` dims, then * weight + bias (Values of those dims)."""
        axes = list(range(x.rank - ndims, x.rank))
        mean = self.mean(x, axes, True, loc)
        centered = self.elementwise([x, mean], lambda b, a, m: b.sub(a, m), loc)
        var = self.mean(self.elementwise([centered], lambda b, a: b.mul(a, a), loc), axes, True, loc)
        inputs = [centered, var] + [v for v in (weight, bias) if v is not None]

        def body(b, c, v, *affine):
            y = b.div(c, b.sqrt(b.add(v, b.const(eps))))
            rest = list(affine)
            if weight is not None:
                y = b.mul(y, rest.pop(0))
            if bias is not None:
                y = b.add(y, rest.pop(0))
            return y

        return self.elementwise(inputs, body, loc)

    def softmax(self, x, axis, loc=None):
        m = self.reduce(x, [axis], "max", True, loc)
        e = self.elementwise([x, m], lambda b, a, mx: b.exp(b.sub(a, mx)), loc)
        s = self.reduce(e, [axis], "sum", True, loc)
        return self.elementwise([e, s], lambda b, a, t: b.div(a, t), loc)

    # -- layers -------------------------------------------------------------------------------

    def conv2d(self, x, weight, *, stride=1, padding=0, dilation=1, groups=1, loc=None, weight_name=None):
        """A 2-D convolution of NCHW `x` with `weight` [Co, Ci/G, kh, kw] (or, depthwise, a Value
        [C, kh, kw]), without bias.

        `weight` is a numpy array (stored as the parameter `weight_name` in the layout the chosen
        linalg op wants) or a Value (a generated weight, reshaped to that layout).
        `padding` is an int, (ph, pw) or (top, left, bottom, right)."""
        sh, sw = _pair(stride)
        dh, dw = _pair(dilation)
        pad = _pair(padding)
        if len(pad) == 2:
            pad = (pad[0], pad[1], pad[0], pad[1])
        top, left, bottom, right = pad
        n, ci, h, w = x.shape
        wshape = tuple(weight.shape)
        if len(wshape) == 3:  # a depthwise weight already in [C, kh, kw]
            wshape = (wshape[0], 1) + wshape[1:]
        co, cg, kh, kw = wshape
        g = int(groups)
        if ci != cg * g or co % g:
            raise ValueError("conv2d: %d input channels, weight %s, groups %d do not match" % (ci, wshape, g))
        ho = conv_output_size(h, kh, sh, top, bottom, dh)
        wo = conv_output_size(w, kw, sw, left, right, dw)
        out_shape = (n, co, ho, wo)
        x = self.pad(x, [0, 0, top, left], [0, 0, bottom, right], 0.0)
        attrs = "{dilations = dense<[%d, %d]> : tensor<2xi64>, strides = dense<[%d, %d]> : tensor<2xi64>}" % (dh, dw, sh, sw)
        is_value = isinstance(weight, Value)
        if g == 1:
            wv = weight if is_value else self.param(weight_name, weight)
            init = self.filled(out_shape, 0.0)
            v = Value(self.fresh("conv"), out_shape)
            self.emit("%s = linalg.conv_2d_nchw_fchw %s ins(%s, %s : %s, %s) outs(%s : %s) -> %s%s"
                      % (v.name, attrs, x.name, wv.name, x.type, wv.type, init.name, init.type, v.type, loc_suffix(loc)))
            return v
        if g == ci and co == ci:
            dshape = (co, kh, kw)
            # [C, 1, kh, kw] and [1, C, kh, kw] (a depthwise generator) collapse to [C, kh, kw]
            wv = self.reshape(weight, dshape) if is_value else self.param(weight_name, np.reshape(weight, dshape))
            init = self.filled(out_shape, 0.0)
            v = Value(self.fresh("dwconv"), out_shape)
            self.emit("%s = linalg.depthwise_conv_2d_nchw_chw %s ins(%s, %s : %s, %s) outs(%s : %s) -> %s%s"
                      % (v.name, attrs, x.name, wv.name, x.type, wv.type, init.name, init.type, v.type, loc_suffix(loc)))
            return v
        gshape = (g, co // g, cg, kh, kw)
        wv = self.reshape(weight, gshape) if is_value else self.param(weight_name, np.reshape(weight, gshape))
        xg = self.expand(x, [[0], [1, 2], [3], [4]], (n, g, cg) + x.shape[2:])
        gout = (n, g, co // g, ho, wo)
        init = self.filled(gout, 0.0)
        v = Value(self.fresh("gconv"), gout)
        self.emit("%s = linalg.conv_2d_ngchw_gfchw %s ins(%s, %s : %s, %s) outs(%s : %s) -> %s%s"
                  % (v.name, attrs, xg.name, wv.name, xg.type, wv.type, init.name, init.type, v.type, loc_suffix(loc)))
        return self.collapse(v, [[0], [1, 2], [3], [4]], out_shape)

    def matmul(self, x, weight_kn, loc=None):
        """x [M, K] times weight_kn [K, N] (a Value), into a zero-filled init."""
        m, k = x.shape
        out_shape = (m, weight_kn.shape[1])
        init = self.filled(out_shape, 0.0)
        v = Value(self.fresh("mm"), out_shape)
        self.emit("%s = linalg.matmul ins(%s, %s : %s, %s) outs(%s : %s) -> %s%s"
                  % (v.name, x.name, weight_kn.name, x.type, weight_kn.type, init.name, init.type, v.type, loc_suffix(loc)))
        return v

    def batch_matmul(self, a, b, loc=None):
        """a [B, M, K] times b [B, K, N] (linalg.batch_matmul into a zero-filled init)."""
        out_shape = (a.shape[0], a.shape[1], b.shape[2])
        init = self.filled(out_shape, 0.0)
        v = Value(self.fresh("bmm"), out_shape)
        self.emit("%s = linalg.batch_matmul ins(%s, %s : %s, %s) outs(%s : %s) -> %s%s"
                  % (v.name, a.name, b.name, a.type, b.type, init.name, init.type, v.type, loc_suffix(loc)))
        return v

    def broadcast_to(self, x, shape, loc=None):
        """x broadcast (numpy rules) to `shape`: one copying linalg.generic."""
        if tuple(shape) == x.shape:
            return x
        return self.elementwise([x], lambda b, a: a, loc, shape)

    def bias_add(self, x, bias, axis=1, activations=(), loc=None):
        """x + bias (per index of `axis`), then `activations` in order, as one linalg.generic.
        `bias` is a Value of shape [x.shape[axis]] or None."""
        fns = [activation_body(a) for a in activations]
        if bias is None and not fns:
            return x

        def body(b, a, *rest):
            y = b.add(a, rest[0]) if rest else a
            for fn in fns:
                y = fn(b, y)
            return y

        inputs = [x]
        if bias is not None:
            shape = [1] * x.rank
            shape[axis] = bias.shape[0]
            inputs.append(_View(bias, tuple(shape), axis))
        return self.elementwise(inputs, body, loc, x.shape)

    def affine(self, x, scale, shift, axis=1, activations=(), loc=None):
        """x * scale + shift per index of `axis` (Values [C]), then `activations`: one generic."""
        fns = [activation_body(a) for a in activations]

        def body(b, a, s, t):
            y = b.add(b.mul(a, s), t)
            for fn in fns:
                y = fn(b, y)
            return y

        shape = [1] * x.rank
        shape[axis] = scale.shape[0]
        return self.elementwise([x, _View(scale, tuple(shape), axis), _View(shift, tuple(shape), axis)], body, loc,
                                x.shape)

    def pool2d(self, x, kind, kernel, stride, padding=(0, 0, 0, 0), dilation=1, loc=None):
        """Max or sum pooling of NCHW `x`; `padding` (top, left, bottom, right) pads with -inf
        (max) or 0 (sum)."""
        kh, kw = _pair(kernel)
        sh, sw = _pair(stride)
        dh, dw = _pair(dilation)
        top, left, bottom, right = padding
        fill = float("-inf") if kind == "max" else 0.0
        x = self.pad(x, [0, 0, top, left], [0, 0, bottom, right], fill)
        n, c, h, w = x.shape
        out_shape = (n, c, conv_output_size(h, kh, sh, 0, 0, dh), conv_output_size(w, kw, sw, 0, 0, dw))
        win = self.empty((kh, kw))
        init = self.filled(out_shape, fill)
        v = Value(self.fresh("pool"), out_shape)
        self.emit("%s = linalg.pooling_nchw_%s {dilations = dense<[%d, %d]> : tensor<2xi64>, strides = dense<[%d, %d]> : tensor<2xi64>}"
                  " ins(%s, %s : %s, %s) outs(%s : %s) -> %s%s"
                  % (v.name, kind, dh, dw, sh, sw, x.name, win.name, x.type, win.type, init.name, init.type, v.type,
                     loc_suffix(loc)))
        return v

    def contract_axis(self, x, axis, matrix, loc=None):
        """y[..., i, ...] = sum_j matrix[i, j] * x[..., j, ...] along `axis`, with `matrix` a
        small numpy constant (an adaptive pooling operator); one linalg.generic."""
        matrix = np.asarray(matrix, dtype=np.float32)
        rank = x.rank
        out_shape = list(x.shape)
        out_shape[axis] = matrix.shape[0]
        mv = Value(self.fresh("pm"), matrix.shape)
        self.emit("%s = arith.constant dense<%s> : %s"
                  % (mv.name, _dense_literal(matrix), mv.type))
        init = self.filled(out_shape, 0.0)
        v = Value(self.fresh("ctr"), out_shape)
        # loops: the output dims, then the reduced j (d<rank>)
        loops = rank + 1
        j = "d%d" % rank
        x_idx = ["d%d" % d if d != axis else j for d in range(rank)]
        self.emit("%s = linalg.generic {indexing_maps = [%s, %s, %s], iterator_types = [%s]} ins(%s, %s : %s, %s) outs(%s : %s) {"
                  % (v.name, affine_map(loops, x_idx), affine_map(loops, ["d%d" % axis, j]),
                     affine_map(loops, ["d%d" % d for d in range(rank)]),
                     ", ".join(['"parallel"'] * rank + ['"reduction"']), x.name, mv.name, x.type, mv.type,
                     init.name, init.type))
        self.emit("^bb0(%in: f32, %m: f32, %acc: f32):")
        self.emit("  %p = arith.mulf %in, %m : f32")
        self.emit("  %r = arith.addf %acc, %p : f32")
        self.emit("  linalg.yield %r : f32")
        self.emit("} -> %s%s" % (v.type, loc_suffix(loc)))
        return v

    # -- module -------------------------------------------------------------------------------

    def module(self, name, arguments, results, header=""):
        """The module text: one public func.func @name(arguments) -> results, then the blobs."""
        out = []
        if header:
            out.append("".join("// %s\n" % line for line in header.splitlines()) + "\n")
        out.append("module {\n")
        args = ", ".join("%s: %s" % (a.name, a.type) for a in arguments)
        rtypes = ", ".join(r.type for r in results)
        if len(results) != 1:
            rtypes = "(%s)" % rtypes
        out.append("  func.func @%s(%s) -> %s {\n" % (name, args, rtypes))
        out.extend(line + "\n" for line in self._prelude)
        out.extend(line + "\n" for line in self.lines)
        out.append("    return %s : %s\n" % (", ".join(r.name for r in results), ", ".join(r.type for r in results)))
        out.append("  }\n}\n")
        if self.resources:
            out.append("\n{-#\n  dialect_resources: {\n    builtin: {\n")
            # Lower-case hex (MLIR reads either case): no second copy of the largest string.
            out.append(",\n".join('      %s: "0x04000000%s"' % (_quote_key(k), data.hex())
                                  for k, data in self.resources.items()))
            out.append("\n    }\n  }\n#-}\n")
        return "".join(out)


class _View:
    """A 1-D Value read along one output dimension (a per-channel parameter)."""

    __slots__ = ("value", "shape", "axis")

    def __init__(self, value, shape, axis):
        self.value, self.shape, self.axis = value, shape, axis


def _reassoc_text(groups):
    return "[%s]" % ", ".join("[%s]" % ", ".join(str(i) for i in g) for g in groups)


def _reassoc_keeping(rank, kept):
    """Reassociation collapsing the unit dims not in `kept` into a neighbouring kept dim: each
    kept dim owns itself and the dropped dims before it; trailing dropped dims join the last."""
    if not kept:
        return []
    groups, pending = [], []
    for d in range(rank):
        pending.append(d)
        if d in kept:
            groups.append(pending)
            pending = []
    groups[-1].extend(pending)
    return groups


def _group_dims(src, dst):
    """Reassociation collapsing shape `src` into `dst` (each dst dim the product of consecutive
    src dims, trailing unit dims joining the last group), or None when the greedy grouping fails."""
    groups, i = [], 0
    for d in dst:
        group, prod = [], 1
        while i < len(src) and (not group or prod < d):
            prod *= src[i]
            group.append(i)
            i += 1
        if prod != d or not group:
            return None
        groups.append(group)
    if i != len(src):
        if not groups or any(src[j] != 1 for j in range(i, len(src))):
            return None
        groups[-1].extend(range(i, len(src)))
    return groups


def _bool_literal(arr):
    if arr.ndim > 1:
        return "[%s]" % ", ".join(_bool_literal(a) for a in arr)
    return "[%s]" % ", ".join("true" if v else "false" for v in arr)


def _dense_literal(arr):
    if arr.ndim > 1:
        return "[%s]" % ", ".join(_dense_literal(a) for a in arr)
    return "[%s]" % ", ".join("%.9e" % float(v) for v in arr)
