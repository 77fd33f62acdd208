"""PyTorch importer: `from_torch(module, example_inputs)` -> MLIR text.

The module is traced with torch.fx (in eval mode), run once on the example inputs to learn every
shape, and translated node by node through `emitter.Emitter` into linalg on tensors (the IR form
of examples/models/README.md). Translation choices:

  * BatchNorm2d directly after a convolution whose only user it is folds into that convolution's
    weight and bias; any other BatchNorm is one per-channel affine linalg.generic;
  * a bias add and the activations that follow it (each the only user of the previous result)
    are one linalg.generic, as are an add/mul/sub and the activations after it;
  * a leaf module with `mlg_generators()` (mlg.nn's trained layers) becomes its generator chain
    mlg.dequantize -> mlg.generate_intra -> mlg.generate_cross -> convolution/matmul, so the
    compiler sees the trained generators rather than a dense weight.

Operators, as nn modules, F.* / torch.* functions and Tensor methods: Conv2d (stride, padding
incl. "same", dilation, groups, depthwise, channel multiplier, bias), Linear (any leading dims),
BatchNorm1d/2d, LayerNorm, ReLU, ReLU6, Hardtanh/clamp, LeakyReLU, Hardswish, Hardsigmoid,
Sigmoid, SiLU, Tanh, GELU (exact and tanh), ELU, Softplus (beta 1), Mish, abs, neg, exp, log,
sqrt, rsqrt, reciprocal, erf, pow and ** (a constant scalar exponent), add/sub/mul/div (tensors
with broadcasting, or a scalar), cat, max/avg pooling (padding, ceil_mode), adaptive avg/max pooling (avg: any sizes),
flatten/view/reshape/squeeze/unsqueeze, permute/transpose, chunk/split and getitem, basic
slicing, expand, constant F.pad, mean, sum, matmul/bmm/@ (2-D weights or equal batch dims),
softmax, MultiheadAttention (no masks; attention weights not returned),
dropout/identity, torchvision's stochastic_depth and channel_shuffle.
In-place forms (add_, relu_, +=, inplace=True) are read as their out-of-place forms; one whose
overwritten input is read again afterwards is reported as unsupported.

Tensors computed from parameters and constants alone (a weight rescaled in forward, a table
indexed by a constant buffer) are evaluated at import and stored as constants.

Anything else raises UnsupportedOperatorError naming the operator, the module it sits in and the
user's file:line.
"""

import dis
import inspect
import operator
import os
import sys
import traceback

import numpy as np
import torch
import torch.fx
import torch.nn as nn
import torch.nn.functional as F

from .emitter import Emitter, Value, activation_body, conv_output_size
from .errors import TraceError, UnsupportedOperatorError

_HERE = os.path.dirname(os.path.abspath(__file__))


# ----------------------------------------------------------------------------------------------
# Tracing


class _Tracer(torch.fx.Tracer):
    """fx tracer that keeps stack traces, records the qualified name of the module each node
    comes from (node.meta["mlg_module"]), and keeps modules with mlg_generators() as leaves."""

    def __init__(self):
        super().__init__(autowrap_functions=_leaf_functions())
        self.record_stack_traces = True
        self._module_stack = [""]

    def is_leaf_module(self, m, qualname):
        if callable(getattr(m, "mlg_generators", None)):
            return True
        return super().is_leaf_module(m, qualname)

    def call_module(self, m, forward, args, kwargs):
        qualname = self.path_of_module(m)
        self._module_stack.append(qualname)
        try:
            return super().call_module(m, forward, args, kwargs)
        finally:
            self._module_stack.pop()

    def create_node(self, kind, target, args, kwargs, name=None, type_expr=None):
        node = super().create_node(kind, target, args, kwargs, name, type_expr)
        node.meta["mlg_module"] = target if kind == "call_module" else self._module_stack[-1]
        return node


def _traceback_location(tb):
    """file:line of the innermost frame of `tb` in the user's code (not torch's, not ours)."""
    where = None
    for frame, lineno in traceback.walk_tb(tb):
        path = os.path.abspath(frame.f_code.co_filename)
        if "/torch/" not in path and not path.startswith(_HERE):
            where = "%s:%d" % (frame.f_code.co_filename, lineno)
    return where


def _leaf_functions():
    """Library functions that fx cannot trace through but the importer translates whole
    (torchvision's channel_shuffle unpacks x.size()); only from modules already imported."""
    found = []
    for module_name, name in _NAMED_FUNCTION_HANDLERS:
        module = sys.modules.get(module_name)
        fn = getattr(module, name, None) if module is not None else None
        if fn is not None and module_name.startswith("torchvision.models"):
            found.append(fn)
    return tuple(found)


def _proxy_iter(self):
    """torch.fx.Proxy.__iter__ that finds the caller's UNPACK_SEQUENCE by byte offset: torch
    1.13 indexes the instruction list by f_lasti // 2, which Python 3.11's inline caches break,
    so `a, b = x.chunk(2, 1)` would not trace."""
    frame = inspect.currentframe().f_back
    for inst in dis.get_instructions(frame.f_code):
        if inst.offset == frame.f_lasti:
            if inst.opname == "UNPACK_SEQUENCE":
                return (self[i] for i in range(inst.argval))
            break
    return self.tracer.iter(self)


def _trace(module):
    tracer = _Tracer()
    saved_iter = torch.fx.Proxy.__iter__
    torch.fx.Proxy.__iter__ = _proxy_iter
    try:
        graph = tracer.trace(module)
    except Exception as e:  # fx raises TraceError, TypeError, RuntimeError, ... on dynamic code
        where = _traceback_location(e.__traceback__)
        raise TraceError(
            "cannot trace %s with torch.fx%s: %s: %s. The importer needs a static graph: control "
            "flow that depends on tensor values, or Python operations on tensors that fx cannot "
            "record, must be removed (or moved into a leaf module)."
            % (type(module).__name__, " at " + where if where else "", type(e).__name__, e)) from e
    finally:
        torch.fx.Proxy.__iter__ = saved_iter
    return torch.fx.GraphModule(tracer.root, graph)


class _Recorder(torch.fx.Interpreter):
    """Runs the graph once, keeping each node's tensor shape or, for non-tensors, its value, and
    the tensors that do not depend on the inputs (computed from parameters and constants only),
    which become constants."""

    def __init__(self, gm):
        super().__init__(gm)
        self.results = {}
        self.constants = {}
        self._dynamic = set()

    def run_node(self, n):
        result = super().run_node(n)
        if n.op == "placeholder" or any(a in self._dynamic for a in n.all_input_nodes):
            self._dynamic.add(n)
        elif n.op.startswith("call") and isinstance(result, torch.Tensor):
            self.constants[n] = result.detach().clone()
        if isinstance(result, torch.Tensor):
            self.results[n] = _TensorInfo(result)
        elif isinstance(result, (list, tuple)) and any(isinstance(r, torch.Tensor) for r in result):
            self.results[n] = [(_TensorInfo(r) if isinstance(r, torch.Tensor) else r) for r in result]
        else:
            self.results[n] = result
        return result


class _TensorInfo:
    __slots__ = ("shape", "dtype")

    def __init__(self, t):
        self.shape = tuple(t.shape)
        self.dtype = t.dtype


# ----------------------------------------------------------------------------------------------
# Operator tables


_ACTIVATION_MODULES = {
    nn.ReLU: "relu", nn.ReLU6: "relu6", nn.Hardswish: "hardswish", nn.Hardsigmoid: "hardsigmoid",
    nn.Sigmoid: "sigmoid", nn.SiLU: "silu", nn.Tanh: "tanh", nn.Mish: "mish",
}
_ACTIVATION_FUNCTIONS = {
    F.relu: "relu", torch.relu: "relu", torch.relu_: "relu", F.relu_: "relu", F.relu6: "relu6",
    F.hardswish: "hardswish", F.hardsigmoid: "hardsigmoid", torch.sigmoid: "sigmoid", F.sigmoid: "sigmoid",
    F.silu: "silu", torch.tanh: "tanh", F.tanh: "tanh", F.mish: "mish",
    torch.abs: "abs", torch.neg: "neg", operator.neg: "neg", torch.exp: "exp", torch.log: "log",
    torch.sqrt: "sqrt", torch.rsqrt: "rsqrt", torch.reciprocal: "reciprocal", torch.erf: "erf",
    torch.special.erf: "erf",
}
_ACTIVATION_METHODS = {
    "relu": "relu", "relu_": "relu", "sigmoid": "sigmoid", "sigmoid_": "sigmoid", "tanh": "tanh", "tanh_": "tanh",
    "abs": "abs", "neg": "neg", "exp": "exp", "log": "log", "sqrt": "sqrt", "rsqrt": "rsqrt",
    "reciprocal": "reciprocal", "erf": "erf",
}
_IDENTITY_MODULES = (nn.Identity, nn.Dropout, nn.Dropout2d, nn.Dropout1d, nn.AlphaDropout, nn.FeatureAlphaDropout)
_IDENTITY_FUNCTIONS = {F.dropout, F.dropout2d, F.alpha_dropout, F.feature_alpha_dropout, torch.dropout}
_IDENTITY_METHODS = {"contiguous", "clone", "detach", "float"}
_BINARY = {
    operator.add: "add", operator.iadd: "add", torch.add: "add",
    operator.mul: "mul", operator.imul: "mul", torch.mul: "mul",
    operator.sub: "sub", operator.isub: "sub", torch.sub: "sub",
    operator.truediv: "div", operator.itruediv: "div", torch.div: "div",
}
_BINARY_METHODS = {"add": "add", "add_": "add", "mul": "mul", "mul_": "mul", "sub": "sub", "sub_": "sub",
                   "div": "div", "div_": "div"}


def _op_name(node):
    """A readable name for the operator of `node` (for error messages)."""
    if node.op == "call_module":
        return "module %s" % type(node.graph.owning_module.get_submodule(node.target)).__qualname__
    if node.op == "call_method":
        return "Tensor.%s" % node.target
    if node.op == "call_function":
        fn = node.target
        mod = getattr(fn, "__module__", None) or ""
        name = getattr(fn, "__name__", repr(fn))
        if mod.startswith("torch.nn.functional"):
            return "F.%s" % name
        if mod == "_operator":
            return "operator.%s" % name
        if mod.startswith("torch") or mod == "":
            return "torch.%s" % name
        return "%s.%s" % (mod, name)
    return "%s %s" % (node.op, node.target)


def _user_location(node):
    """`module 'layer1.0' (model.py:42)`: the module qualified name and the innermost frame of
    the node's stack trace that is neither torch's nor this package's."""
    parts = []
    mod = node.meta.get("mlg_module", "")
    parts.append("module '%s'" % mod if mod else "the top-level module")
    trace = node.stack_trace or node.meta.get("stack_trace") or ""
    for line in trace.splitlines():
        line = line.strip()
        if not line.startswith("File "):
            continue
        try:
            path = line.split('"')[1]
            lineno = line.split(", line ")[1].split(",")[0]
        except IndexError:
            continue
        norm = os.path.abspath(path) if not path.startswith("<") else path
        if "/torch/" in norm or norm.startswith(_HERE):
            continue
        parts.append("(%s:%s)" % (path, lineno))
        break
    return " ".join(parts)


# ----------------------------------------------------------------------------------------------
# The translator


def _pair(v):
    if isinstance(v, (list, tuple)):
        return (int(v[0]), int(v[1])) if len(v) > 1 else (int(v[0]), int(v[0]))
    return (int(v), int(v))


def _np(t):
    return t.detach().to(torch.float32).cpu().numpy()


class _Param:
    """A get_attr tensor: becomes a dense_resource constant when first used as an operand."""

    def __init__(self, name, tensor):
        self.name, self.tensor, self.value = name, tensor, None


class _Translator:
    def __init__(self, gm, recorded, constants):
        self.gm = gm
        self.rec = recorded
        self.constants = constants
        self.em = Emitter()
        self.env = {}
        self.done = set()
        self.modules = dict(gm.named_modules())

    # -- helpers ------------------------------------------------------------------------------

    def unsupported(self, node, detail=""):
        return UnsupportedOperatorError(_op_name(node), _user_location(node), detail)

    def shape(self, node):
        info = self.rec[node]
        return info.shape

    def val(self, arg, node=None):
        """The emitted Value of a tensor argument; Python numbers are returned as they are."""
        if isinstance(arg, torch.fx.Node):
            v = self.env[arg]
            if isinstance(v, _Param):
                if v.value is None:
                    v.value = self.em.param(v.name, _np(v.tensor))
                return v.value
            return v
        return arg

    def const(self, arg):
        """A non-tensor argument's concrete value (recorded when it was computed in the graph)."""
        if isinstance(arg, torch.fx.Node):
            v = self.env.get(arg)
            if isinstance(v, (Value, _Param)):
                raise TypeError("expected a constant, got a tensor")
            return v
        if isinstance(arg, (list, tuple)):
            return type(arg)(self.const(a) for a in arg)
        return arg

    def sole_user(self, node):
        users = list(node.users)
        return users[0] if len(users) == 1 else None

    def activation_kind(self, node):
        """The activation `node` applies to its first argument, or None."""
        if node.op == "call_module":
            m = self.modules[node.target]
            if type(m) in _ACTIVATION_MODULES:
                return _ACTIVATION_MODULES[type(m)]
            if isinstance(m, nn.Hardtanh):
                return ("clamp", float(m.min_val), float(m.max_val))
            if isinstance(m, nn.LeakyReLU):
                return ("leaky_relu", float(m.negative_slope))
            if isinstance(m, nn.GELU):
                return {"none": "gelu", "tanh": "gelu_tanh"}.get(m.approximate)
            if isinstance(m, nn.ELU):
                return ("elu", float(m.alpha))
            if isinstance(m, nn.Softplus) and m.beta == 1:
                return "softplus"
        elif node.op == "call_function":
            if node.target in _ACTIVATION_FUNCTIONS:
                return _ACTIVATION_FUNCTIONS[node.target]
            if node.target in (F.hardtanh, F.hardtanh_):
                lo = self._arg(node, 1, "min_val", -1.0)
                hi = self._arg(node, 2, "max_val", 1.0)
                return ("clamp", float(lo), float(hi))
            if node.target in (torch.clamp, torch.clip, torch.clamp_min, torch.clamp_max):
                return self._clamp_kind(node)
            if node.target is F.gelu:
                return {"none": "gelu", "tanh": "gelu_tanh"}.get(node.kwargs.get("approximate", "none"))
            if node.target is F.leaky_relu:
                return ("leaky_relu", float(self._arg(node, 1, "negative_slope", 0.01)))
            if node.target is F.elu:
                return ("elu", float(self._arg(node, 1, "alpha", 1.0)))
            if node.target is F.softplus and self._arg(node, 1, "beta", 1) == 1:
                return "softplus"
            if node.target in (torch.pow, operator.pow):
                return self._pow_kind(node)
        elif node.op == "call_method":
            if node.target == "pow":
                return self._pow_kind(node)
            if node.target in _ACTIVATION_METHODS:
                return _ACTIVATION_METHODS[node.target]
            if node.target in ("clamp", "clamp_", "clip", "clamp_min", "clamp_max"):
                return self._clamp_kind(node)
        return None

    def _pow_kind(self, node):
        """("pow", e) for a tensor to a constant scalar power, else None."""
        exponent = node.args[1] if len(node.args) > 1 else node.kwargs.get("exponent")
        if not isinstance(node.args[0], torch.fx.Node) or not isinstance(exponent, (int, float)):
            return None
        return ("pow", float(exponent))

    def _clamp_kind(self, node):
        name = getattr(node.target, "__name__", node.target)
        lo = hi = None
        if name.endswith("clamp_max"):
            hi = self._arg(node, 1, "max", None)
        elif name.endswith("clamp_min"):
            lo = self._arg(node, 1, "min", None)
        else:
            lo = self._arg(node, 1, "min", None)
            hi = self._arg(node, 2, "max", None)
        if isinstance(lo, torch.fx.Node) or isinstance(hi, torch.fx.Node):
            return None
        return ("clamp", None if lo is None else float(lo), None if hi is None else float(hi))

    def _arg(self, node, index, key, default):
        if len(node.args) > index:
            return self.const(node.args[index])
        return self.const(node.kwargs.get(key, default))

    def epilogue(self, node):
        """Activations that follow `node` as a chain of sole users: their nodes and kinds."""
        nodes, kinds = [], []
        cur = node
        while True:
            user = self.sole_user(cur)
            if user is None or not user.args or user.args[0] is not cur:
                break
            kind = self.activation_kind(user)
            if kind is None:
                break
            nodes.append(user)
            kinds.append(kind)
            cur = user
        return nodes, kinds

    def finish(self, node, value, fused=()):
        self.env[node] = value
        for f in fused:
            self.env[f] = value
            self.done.add(f)

    def is_inplace(self, node):
        """Whether `node` writes into its first argument (relu_, add_, +=, inplace=True)."""
        if node.op == "call_method":
            return node.target.endswith("_") and not node.target.endswith("__")
        if node.op == "call_function":
            if node.target in (operator.iadd, operator.isub, operator.imul, operator.itruediv):
                return True
            name = getattr(node.target, "__name__", "")
            return bool(node.kwargs.get("inplace")) or (name.endswith("_") and not name.endswith("__"))
        if node.op == "call_module":
            return bool(getattr(self.modules[node.target], "inplace", False))
        return False

    def check_no_visible_mutation(self, node):
        """In-place ops are translated as their out-of-place forms, which is faithful only when
        nothing reads the overwritten tensor afterwards."""
        if not self.is_inplace(node) or not node.args or not isinstance(node.args[0], torch.fx.Node):
            return
        target = node.args[0]
        later = [u for u in target.users if u is not node and self.order[u] > self.order[node]]
        if later:
            raise self.unsupported(node, "in place on a tensor that %s reads afterwards" % later[0].name)

    def check_shape(self, node, value):
        expected = self.rec[node].shape
        if tuple(value.shape) != tuple(expected):
            raise AssertionError("mlg importer: %s produced shape %s, torch %s (%s)"
                                 % (_op_name(node), value.shape, expected, _user_location(node)))

    # -- driver -------------------------------------------------------------------------------

    def run(self):
        args, results = [], []
        self.order = {n: i for i, n in enumerate(self.gm.graph.nodes)}
        for node in self.gm.graph.nodes:
            if node in self.done:
                continue
            if node.op == "placeholder":
                info = self.rec.get(node)
                if not isinstance(info, _TensorInfo):
                    self.env[node] = info
                    continue
                if info.dtype != torch.float32:
                    raise self.unsupported(node, "input of dtype %s (only float32)" % info.dtype)
                v = Value("%%input%d" % len(args), info.shape)
                args.append(v)
                self.env[node] = v
            elif node.op == "get_attr":
                attr = _fetch_attr(self.gm, node.target)
                self.env[node] = _Param(node.target, attr) if isinstance(attr, torch.Tensor) else attr
            elif node.op == "output":
                outs = node.args[0]
                flat = list(outs) if isinstance(outs, (list, tuple)) else [outs]
                for o in flat:
                    v = self.val(o)
                    if not isinstance(v, Value):
                        raise self.unsupported(node, "outputs must be tensors")
                    results.append(v)
            else:
                info = self.rec.get(node)
                if not _holds_tensor(info):
                    # Shapes are static, so non-tensor values (sizes, ints) are constants.
                    self.env[node] = info
                    continue
                if node in self.constants:
                    self.env[node] = _Param(_join(node.meta.get("mlg_module", ""), node.name), self.constants[node])
                    continue
                self.check_no_visible_mutation(node)
                value = self.translate(node)
                if isinstance(value, Value):
                    self.check_shape(node, value)
                self.env.setdefault(node, value)
        return args, results

    def translate(self, node):
        if node.op == "call_module":
            m = self.modules[node.target]
            if callable(getattr(m, "mlg_generators", None)):
                return self.mlg_layer(node, m)
            handler = _MODULE_HANDLERS.get(type(m))
            if handler is None:
                # A subclass is translated as its base only if it computes the same forward.
                for cls, h in _MODULE_HANDLERS.items():
                    if isinstance(m, cls) and type(m).forward is cls.forward:
                        handler = h
                        break
            if handler is None:
                raise self.unsupported(node)
            return handler(self, node, m)
        if node.op == "call_function":
            handler = _FUNCTION_HANDLERS.get(node.target)
            if handler is None:
                key = (getattr(node.target, "__module__", None), getattr(node.target, "__name__", None))
                handler = _NAMED_FUNCTION_HANDLERS.get(key)
            if handler is None:
                raise self.unsupported(node)
            return handler(self, node)
        if node.op == "call_method":
            handler = _METHOD_HANDLERS.get(node.target)
            if handler is None:
                raise self.unsupported(node)
            return handler(self, node)
        raise self.unsupported(node)

    # -- layers -------------------------------------------------------------------------------

    def conv(self, node, x, weight, bias, stride, padding, dilation, groups, name):
        """A convolution with numpy weight/bias, folding a following BatchNorm and fusing the
        activations after it."""
        loc = name
        stride, dilation = _pair(stride), _pair(dilation)
        kh, kw = weight.shape[2:]
        pads = _conv_padding(padding, x.shape[2:], (kh, kw), stride, dilation)
        tail, fused = node, []
        user = self.sole_user(node)
        if user is not None and user.op == "call_module" and isinstance(self.modules[user.target], nn.BatchNorm2d) \
                and user.args[0] is node:
            scale, shift = _bn_scale_shift(self.modules[user.target])
            if scale is not None:
                weight = weight * scale[:, None, None, None]
                bias = shift if bias is None else bias * scale + shift
                tail = user
                fused.append(user)
        act_nodes, kinds = self.epilogue(tail)
        y = self.em.conv2d(x, weight, stride=stride, padding=pads, dilation=dilation, groups=groups, loc=loc,
                           weight_name=_join(name, "weight"))
        b = self.em.param(_join(name, "bias"), bias, loc) if bias is not None else None
        y = self.em.bias_add(y, b, 1, kinds, loc)
        self.finish(node, y, fused + act_nodes)
        return y

    def linear(self, node, x, weight, bias, name):
        """x @ weight.T + bias (weight a torch tensor [out, in], stored transposed), fusing the
        activations after it."""
        act_nodes, kinds = self.epilogue(node)
        w = self.em.param(_join(name, "weight"), weight.t().contiguous().numpy(), name)
        y = self._matmul_nd(x, w, name)
        b = self.em.param(_join(name, "bias"), bias, name) if bias is not None else None
        y = self.em.bias_add(y, b, y.rank - 1, kinds, name)
        self.finish(node, y, act_nodes)
        return y

    def _matmul_nd(self, x, w_kn, loc):
        lead = x.shape[:-1]
        x2 = self.em.reshape(x, (int(np.prod(lead)) if lead else 1, x.shape[-1]))
        y = self.em.matmul(x2, w_kn, loc)
        return self.em.reshape(y, lead + (w_kn.shape[1],))

    def batchnorm(self, node, x, scale, shift, name):
        act_nodes, kinds = self.epilogue(node)
        s = self.em.param(_join(name, "weight"), scale, name)
        t = self.em.param(_join(name, "bias"), shift, name)
        y = self.em.affine(x, s, t, 1, kinds, name)
        self.finish(node, y, act_nodes)
        return y

    def mlg_layer(self, node, m):
        """A module with mlg_generators(): its generator chain, then the conv/matmul."""
        name = node.target
        x = self.val(node.args[0])
        gens = m.mlg_generators()
        kind = gens.get("kind")
        if gens.get("basis") is None:
            raise self.unsupported(node, "mlg_generators() has no basis")
        # A matmul weight that is stored, not generated (a dense quantized classifier), is
        # written as mlg-compress writes the classifier: a float constant [in, out] of its
        # decoded values (the photonic lowering takes dense matmul weights only as constants).
        stored_matmul = kind == "matmul" and gens.get("u") is None and gens.get("v") is None
        basis = (self.em.param(_join(name, "weight"), _decoded(gens["basis"]).T, name)
                 if stored_matmul else
                 self._generator(gens["basis"], _join(name, "basis"), name))
        u = self._generator(gens.get("u"), _join(name, "u"), name)
        v = self._generator(gens.get("v"), _join(name, "v"), name)
        w = self.em.generate_intra(u, basis, name) if u is not None else basis
        w = self.em.generate_cross(v, w, name) if v is not None else w
        act_nodes, kinds = self.epilogue(node)
        bias = gens.get("bias")
        b = self.em.param(_join(name, "bias"), np.asarray(bias, np.float32), name) if bias is not None else None
        if kind == "conv2d":
            groups = int(gens.get("groups", 1))
            stride, dilation = _pair(gens.get("stride", 1)), _pair(gens.get("dilation", 1))
            ci = x.shape[1]
            if w.shape[0] == 1 and groups == ci and groups > 1 and len(w.shape) == 4:
                # a depthwise generator's one kernel [1, C*m, kh, kw] is the weight [C*m, 1, kh, kw]
                if w.shape[1] == ci:
                    w = self.em.collapse(w, [[0, 1], [2], [3]], w.shape[1:])
                else:
                    w = self.em.reshape(w, (w.shape[1], 1) + w.shape[2:])
            pads = _conv_padding(gens.get("padding", 0), x.shape[2:], w.shape[-2:], stride, dilation)
            y = self.em.conv2d(x, w, stride=stride, padding=pads, dilation=dilation, groups=groups, loc=name)
            y = self.em.bias_add(y, b, 1, kinds, name)
        elif kind == "matmul":
            wt = w if stored_matmul else self.em.transpose(w, [1, 0], name)
            y = self._matmul_nd(x, wt, name)
            y = self.em.bias_add(y, b, y.rank - 1, kinds, name)
        else:
            raise self.unsupported(node, "mlg_generators() kind %r" % (kind,))
        self.finish(node, y, act_nodes)
        return y

    def _generator(self, t, pname, loc):
        if t is None:
            return None
        if "values" in t:
            return self.em.param(pname, np.asarray(t["values"], np.float32), loc)
        bits = int(t["bits"])
        codes = self.em.codes(np.asarray(t["codes"]), bits, loc)
        return self.em.dequantize(codes, bits, t.get("grid", "midrise"), float(t["scale"]), loc)

    def binary(self, node, op, a, b):
        act_nodes, kinds = self.epilogue(node)
        fns = {"add": lambda blk, x, y: blk.add(x, y), "mul": lambda blk, x, y: blk.mul(x, y),
               "sub": lambda blk, x, y: blk.sub(x, y), "div": lambda blk, x, y: blk.div(x, y)}
        tails = [activation_body(k) for k in kinds]
        loc = node.meta.get("mlg_module") or None
        inputs, scalars = [], []
        for arg in (a, b):
            v = self.val(arg)
            if isinstance(v, Value):
                inputs.append(v)
                scalars.append(None)
            elif isinstance(v, (int, float)):
                scalars.append(float(v))
            else:
                raise self.unsupported(node, "operand of type %s" % type(v).__name__)
        if not inputs:
            raise self.unsupported(node, "no tensor operand")

        def body(blk, *args):
            it = iter(args)
            ops = [next(it) if s is None else blk.const(s) for s in scalars]
            y = fns[op](blk, ops[0], ops[1])
            for fn in tails:
                y = fn(blk, y)
            return y

        y = self.em.elementwise(inputs, body, loc)
        self.finish(node, y, act_nodes)
        return y


def _holds_tensor(info):
    if isinstance(info, _TensorInfo):
        return True
    if isinstance(info, list):
        return any(isinstance(i, _TensorInfo) for i in info)
    return False


def _fetch_attr(gm, target):
    obj = gm
    for part in target.split("."):
        obj = getattr(obj, part)
    return obj


def _owner(param_name):
    """The module part of a parameter name: `layer1.0.conv1` for `layer1.0.conv1.weight`, ""
    for a parameter of the root module."""
    return param_name.rsplit(".", 1)[0] if "." in param_name else ""


def _decoded(generator):
    """The float32 values of a generator of mlg_generators(), decoded exactly as mlg.dequantize
    decodes them (docs/dialect.md §3.2): s · (c + o), o = 1/2 on the midrise grid, 0 on the
    midtread one, each step rounded to f32."""
    if "values" in generator:
        return np.asarray(generator["values"], np.float32)
    offset = np.float32(0.5 if generator.get("grid", "midrise") == "midrise" else 0.0)
    levels = np.asarray(generator["codes"]).astype(np.float32) + offset
    return (np.float32(generator["scale"]) * levels).astype(np.float32)


def _join(module_name, attr):
    return "%s.%s" % (module_name, attr) if module_name else attr


def _bn_scale_shift(bn):
    """Inference BatchNorm as scale and shift per channel; (None, None) without running stats."""
    if bn.running_mean is None or bn.running_var is None:
        return None, None
    mean, var = _np(bn.running_mean).astype(np.float64), _np(bn.running_var).astype(np.float64)
    gamma = _np(bn.weight).astype(np.float64) if bn.weight is not None else np.ones_like(mean)
    beta = _np(bn.bias).astype(np.float64) if bn.bias is not None else np.zeros_like(mean)
    scale = gamma / np.sqrt(var + bn.eps)
    shift = beta - mean * scale
    return scale.astype(np.float32), shift.astype(np.float32)


def _conv_padding(padding, spatial, kernel, stride, dilation):
    """(top, left, bottom, right) for PyTorch's padding argument (ints or 'valid'/'same')."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "same":
            total = [d * (k - 1) for d, k in zip(dilation, kernel)]
            return (total[0] // 2, total[1] // 2, total[0] - total[0] // 2, total[1] - total[1] // 2)
        raise ValueError("padding %r" % padding)
    if isinstance(padding, (list, tuple)) and len(padding) == 4:
        return tuple(int(p) for p in padding)
    ph, pw = _pair(padding)
    return (ph, pw, ph, pw)


# ----------------------------------------------------------------------------------------------
# Handlers: (translator, node[, module]) -> Value


def _h_conv_module(t, node, m):
    if m.padding_mode != "zeros":
        raise t.unsupported(node, "padding_mode=%r" % m.padding_mode)
    x = t.val(node.args[0])
    bias = _np(m.bias) if m.bias is not None else None
    return t.conv(node, x, _np(m.weight), bias, m.stride, m.padding, m.dilation, m.groups, node.target)


def _parameter_operands(t, node):
    """(input, weight, bias or None) of F.conv2d / F.linear, whose weight and bias must be
    parameters of the model."""
    x = t.val(node.args[0])
    w_node = node.args[1] if len(node.args) > 1 else node.kwargs["weight"]
    b_node = node.args[2] if len(node.args) > 2 else node.kwargs.get("bias")
    w, b = t.env.get(w_node), t.env.get(b_node) if b_node is not None else None
    if not isinstance(w, _Param) or (b is not None and not isinstance(b, _Param)):
        raise t.unsupported(node, "the weight and bias must be parameters")
    return x, w, b


def _h_conv_function(t, node):
    x, w, b = _parameter_operands(t, node)
    stride = t._arg(node, 3, "stride", 1)
    padding = t._arg(node, 4, "padding", 0)
    dilation = t._arg(node, 5, "dilation", 1)
    groups = t._arg(node, 6, "groups", 1)
    name = _owner(w.name)
    return t.conv(node, x, _np(w.tensor), _np(b.tensor) if b is not None else None, stride, padding, dilation,
                  groups, name)


def _h_linear_module(t, node, m):
    x = t.val(node.args[0])
    return t.linear(node, x, m.weight.detach().float(), _np(m.bias) if m.bias is not None else None, node.target)


def _h_linear_function(t, node):
    x, w, b = _parameter_operands(t, node)
    name = _owner(w.name)
    return t.linear(node, x, w.tensor.detach().float(), _np(b.tensor) if b is not None else None, name)


def _h_bn_module(t, node, m):
    if m.training and not m.track_running_stats:
        raise t.unsupported(node, "BatchNorm without running statistics")
    scale, shift = _bn_scale_shift(m)
    if scale is None:
        raise t.unsupported(node, "BatchNorm without running statistics")
    x = t.val(node.args[0])
    if x.rank < 2:
        raise t.unsupported(node, "BatchNorm of a rank-%d tensor" % x.rank)
    return t.batchnorm(node, x, scale, shift, node.target)


def _h_activation(t, node, m=None):
    kind = t.activation_kind(node)
    if kind is None:
        raise t.unsupported(node)
    x = t.val(node.args[0])
    act_nodes, kinds = t.epilogue(node)
    y = t.em.elementwise([x], lambda b, a: _chain(b, a, [kind] + kinds), node.meta.get("mlg_module") or None)
    t.finish(node, y, act_nodes)
    return y


def _chain(b, a, kinds):
    for k in kinds:
        a = activation_body(k)(b, a)
    return a


def _h_identity(t, node, m=None):
    return t.val(node.args[0])


def _h_binary(t, node):
    op = _BINARY[node.target]
    a = node.args[0] if node.args else node.kwargs["input"]
    b = node.args[1] if len(node.args) > 1 else node.kwargs["other"]
    alpha = node.kwargs.get("alpha", 1)
    if alpha != 1:
        raise t.unsupported(node, "alpha=%r" % alpha)
    if "rounding_mode" in node.kwargs and node.kwargs["rounding_mode"] is not None:
        raise t.unsupported(node, "rounding_mode")
    return t.binary(node, op, a, b)


def _h_binary_method(t, node):
    op = _BINARY_METHODS[node.target]
    if node.kwargs.get("alpha", 1) != 1:
        raise t.unsupported(node, "alpha")
    return t.binary(node, op, node.args[0], node.args[1] if len(node.args) > 1 else node.kwargs["other"])


def _h_cat(t, node):
    tensors = node.args[0] if node.args else node.kwargs["tensors"]
    dim = t._arg(node, 1, "dim", 0)
    values = [t.val(a) for a in tensors]
    return t.em.concat(values, dim % values[0].rank)


def _pool_padding(size, k, s, p, d, ceil_mode):
    """(low, high, output size) of a pooling window along one dim, PyTorch's rules: with
    ceil_mode the last window may start in the padding on the left or the input, not past it."""
    out = conv_output_size(size, k, s, p, p, d)
    if ceil_mode:
        out = -(-(size + 2 * p - d * (k - 1) - 1) // s) + 1
        if (out - 1) * s >= size + p:
            out -= 1
    high = (out - 1) * s + d * (k - 1) + 1 - size - p
    # At least the symmetric padding (rows no window reaches are harmless), as backends that
    # only take symmetric pooling padding (the PTC lowering) expect.
    return p, max(high, p), out


def _max_pool(t, node, x, kernel, stride, padding, dilation, ceil_mode, return_indices, loc):
    if return_indices:
        raise t.unsupported(node, "return_indices=True")
    kh, kw = _pair(kernel)
    sh, sw = _pair(stride if stride not in (None, [], ()) else kernel)
    ph, pw = _pair(padding)
    dh, dw = _pair(dilation)
    top, bottom, _ = _pool_padding(x.shape[2], kh, sh, ph, dh, ceil_mode)
    left, right, _ = _pool_padding(x.shape[3], kw, sw, pw, dw, ceil_mode)
    return t.em.pool2d(x, "max", (kh, kw), (sh, sw), (top, left, bottom, right), (dh, dw), loc)


def _avg_pool(t, node, x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override, loc):
    kh, kw = _pair(kernel)
    sh, sw = _pair(stride if stride not in (None, [], ()) else kernel)
    ph, pw = _pair(padding)
    top, bottom, oh = _pool_padding(x.shape[2], kh, sh, ph, 1, ceil_mode)
    left, right, ow = _pool_padding(x.shape[3], kw, sw, pw, 1, ceil_mode)
    clipped = bottom > ph or right > pw
    if (ph or pw or clipped) and not count_include_pad and divisor_override is None:
        raise t.unsupported(node, "count_include_pad=False with padding")
    if clipped and divisor_override is None:
        raise t.unsupported(node, "ceil_mode=True with a window past the padded input")
    s = t.em.pool2d(x, "sum", (kh, kw), (sh, sw), (top, left, bottom, right), 1, loc)
    return t.em.scale(s, 1.0 / (divisor_override or kh * kw), loc)


def _adaptive_pool(t, node, x, output_size, kind, loc):
    n, c, h, w = x.shape
    if isinstance(output_size, int):
        output_size = (output_size, output_size)
    oh = h if output_size[0] is None else int(output_size[0])
    ow = w if output_size[1] is None else int(output_size[1])
    if h % oh == 0 and w % ow == 0:
        kh, kw = h // oh, w // ow
        if kh == 1 and kw == 1:
            return x
        if kind == "max":
            return t.em.pool2d(x, "max", (kh, kw), (kh, kw), (0, 0, 0, 0), 1, loc)
        s = t.em.pool2d(x, "sum", (kh, kw), (kh, kw), (0, 0, 0, 0), 1, loc)
        return t.em.scale(s, 1.0 / (kh * kw), loc)
    if kind == "max":
        raise t.unsupported(node, "adaptive max pooling from %dx%d to %dx%d (sizes not divisible)" % (h, w, oh, ow))
    # Non-divisible: average over PyTorch's windows [floor(i*H/o), ceil((i+1)*H/o)) as two
    # contractions with constant averaging matrices.
    y = t.em.contract_axis(x, 2, _adaptive_matrix(h, oh), loc)
    return t.em.contract_axis(y, 3, _adaptive_matrix(w, ow), loc)


def _adaptive_matrix(size, out):
    m = np.zeros((out, size), np.float64)
    for i in range(out):
        a, b = (i * size) // out, -(-((i + 1) * size) // out)
        m[i, a:b] = 1.0 / (b - a)
    return m


def _h_maxpool_module(t, node, m):
    return _max_pool(t, node, t.val(node.args[0]), m.kernel_size, m.stride, m.padding, m.dilation, m.ceil_mode,
                     m.return_indices, node.target)


def _h_maxpool_function(t, node):
    return _max_pool(t, node, t.val(node.args[0]), t._arg(node, 1, "kernel_size", None), t._arg(node, 2, "stride", None),
                     t._arg(node, 3, "padding", 0), t._arg(node, 4, "dilation", 1), t._arg(node, 5, "ceil_mode", False),
                     t._arg(node, 6, "return_indices", False), node.meta.get("mlg_module") or None)


def _h_avgpool_module(t, node, m):
    return _avg_pool(t, node, t.val(node.args[0]), m.kernel_size, m.stride, m.padding, m.ceil_mode,
                     m.count_include_pad, m.divisor_override, node.target)


def _h_avgpool_function(t, node):
    return _avg_pool(t, node, t.val(node.args[0]), t._arg(node, 1, "kernel_size", None), t._arg(node, 2, "stride", None),
                     t._arg(node, 3, "padding", 0), t._arg(node, 4, "ceil_mode", False),
                     t._arg(node, 5, "count_include_pad", True), t._arg(node, 6, "divisor_override", None),
                     node.meta.get("mlg_module") or None)


def _h_adaptive_avg_module(t, node, m):
    return _adaptive_pool(t, node, t.val(node.args[0]), m.output_size, "avg", node.target)


def _h_adaptive_max_module(t, node, m):
    if m.return_indices:
        raise t.unsupported(node, "return_indices=True")
    return _adaptive_pool(t, node, t.val(node.args[0]), m.output_size, "max", node.target)


def _h_adaptive_avg_function(t, node):
    return _adaptive_pool(t, node, t.val(node.args[0]), t._arg(node, 1, "output_size", None), "avg",
                          node.meta.get("mlg_module") or None)


def _h_adaptive_max_function(t, node):
    if t._arg(node, 2, "return_indices", False):
        raise t.unsupported(node, "return_indices=True")
    return _adaptive_pool(t, node, t.val(node.args[0]), t._arg(node, 1, "output_size", None), "max",
                          node.meta.get("mlg_module") or None)


def _reshape_to_recorded(t, node):
    return t.em.reshape(t.val(node.args[0]), t.shape(node))


def _h_flatten_module(t, node, m):
    return _reshape_to_recorded(t, node)


def _h_reshape(t, node):
    return _reshape_to_recorded(t, node)


def _reduction(t, node, reduce):
    """torch.mean / torch.sum (and their Tensor forms) over `dim` (all when None); `reduce(x,
    dims, loc)` emits the keepdim reduction, reshaped afterwards when keepdim is False."""
    x = t.val(node.args[0])
    dim = t._arg(node, 1, "dim", None)
    keepdim = t._arg(node, 2, "keepdim", False)
    if node.kwargs.get("dtype") is not None:
        raise t.unsupported(node, "dtype")
    dims = list(range(x.rank)) if dim is None else ([dim] if isinstance(dim, int) else list(dim))
    y = reduce(x, dims, node.meta.get("mlg_module") or None)
    return t.em.reshape(y, t.shape(node)) if not keepdim else y


def _h_mean(t, node):
    return _reduction(t, node, lambda x, dims, loc: t.em.mean(x, dims, True, loc))


def _h_sum(t, node):
    return _reduction(t, node, lambda x, dims, loc: t.em.reduce(x, dims, "sum", True, loc))


def _h_matmul(t, node):
    """matmul / bmm / @ of two tensors: 2-D x 2-D, N-D x 2-D (a constant or activation) and
    batched N-D x N-D with equal batch dims."""
    a = t.val(node.args[0])
    b = t.val(node.args[1])
    loc = node.meta.get("mlg_module") or None
    if not isinstance(a, Value) or not isinstance(b, Value) or a.rank < 2 or b.rank < 2:
        raise t.unsupported(node, "operands of ranks other than >= 2")
    if b.rank == 2:
        lead = a.shape[:-1]
        y = t.em.matmul(t.em.reshape(a, (int(np.prod(lead)), a.shape[-1])), b, loc)
        return t.em.reshape(y, lead + (b.shape[1],))
    if a.shape[:-2] != b.shape[:-2]:
        raise t.unsupported(node, "broadcast batch dimensions %s and %s" % (a.shape[:-2], b.shape[:-2]))
    batch = int(np.prod(a.shape[:-2]))
    y = t.em.batch_matmul(t.em.reshape(a, (batch,) + a.shape[-2:]), t.em.reshape(b, (batch,) + b.shape[-2:]), loc)
    return t.em.reshape(y, a.shape[:-2] + (a.shape[-2], b.shape[-1]))


def _h_pad(t, node):
    x = t.val(node.args[0])
    pads = list(t._arg(node, 1, "pad", None))
    mode = t._arg(node, 2, "mode", "constant")
    value = t._arg(node, 3, "value", None)
    if mode != "constant":
        raise t.unsupported(node, "mode=%r" % mode)
    low, high = [0] * x.rank, [0] * x.rank
    for i in range(len(pads) // 2):  # pairs from the last dim backwards
        low[x.rank - 1 - i], high[x.rank - 1 - i] = pads[2 * i], pads[2 * i + 1]
    if any(p < 0 for p in low + high):
        raise t.unsupported(node, "negative padding")
    return t.em.pad(x, low, high, 0.0 if value is None else float(value))


def _h_softmax(t, node):
    x = t.val(node.args[0])
    dim = t._arg(node, 1, "dim", None)
    if dim is None:
        raise t.unsupported(node, "softmax without dim")
    if node.kwargs.get("dtype") is not None or (len(node.args) > 3 and node.args[3] is not None):
        raise t.unsupported(node, "dtype")
    return t.em.softmax(x, dim % x.rank, node.meta.get("mlg_module") or None)


def _h_softmax_module(t, node, m):
    x = t.val(node.args[0])
    if m.dim is None:
        raise t.unsupported(node, "softmax without dim")
    return t.em.softmax(x, m.dim % x.rank, node.target)


def _h_transpose(t, node):
    x = t.val(node.args[0])
    a, b = t._arg(node, 1, "dim0", None), t._arg(node, 2, "dim1", None)
    perm = list(range(x.rank))
    perm[a % x.rank], perm[b % x.rank] = perm[b % x.rank], perm[a % x.rank]
    return t.em.transpose(x, perm)


def _h_permute(t, node):
    x = t.val(node.args[0])
    rest = [t.const(a) for a in node.args[1:]] or [t.const(node.kwargs["dims"])]
    perm = rest[0] if len(rest) == 1 and isinstance(rest[0], (list, tuple)) else rest
    return t.em.transpose(x, [p % x.rank for p in perm])


def _h_split(t, node):
    """chunk / split: a list of slices (getitem picks them)."""
    x = t.val(node.args[0])
    shapes = t.rec[node]
    if node.target in ("chunk", torch.chunk):
        dim = t._arg(node, 2, "dim", 0)
    else:
        dim = t._arg(node, 2, "dim", 0)
    dim %= x.rank
    out, offset = [], 0
    for info in shapes:
        offsets = [0] * x.rank
        offsets[dim] = offset
        out.append(t.em.slice(x, offsets, info.shape))
        offset += info.shape[dim]
    t.env[node] = out
    return out


def _h_getitem(t, node):
    container = t.env.get(node.args[0])
    index = t.const(node.args[1])
    if isinstance(container, list) and isinstance(index, int):
        return container[index]
    if isinstance(container, Value):
        return _tensor_index(t, node, container, index)
    raise t.unsupported(node, "indexing of %s" % type(container).__name__)


def _tensor_index(t, node, x, index):
    """Basic indexing with ints and slices of step 1 (and Ellipsis)."""
    if not isinstance(index, tuple):
        index = (index,)
    if any(i is Ellipsis for i in index):
        k = index.index(Ellipsis)
        index = index[:k] + (slice(None),) * (x.rank - len(index) + 1) + index[k + 1:]
    offsets, sizes, strides = [], [], []
    for d in range(x.rank):
        i = index[d] if d < len(index) else slice(None)
        if isinstance(i, int):
            offsets.append(i % x.shape[d])
            sizes.append(1)
            strides.append(1)
        elif isinstance(i, slice):
            start, stop, step = i.indices(x.shape[d])
            offsets.append(start)
            sizes.append(max(0, -(-(stop - start) // step)))
            strides.append(step)
        else:
            raise t.unsupported(node, "tensor index %r" % (i,))
    y = t.em.slice(x, offsets, sizes, strides)
    return t.em.reshape(y, t.shape(node))


def _h_bn_function(t, node):
    x = t.val(node.args[0])
    names = ["running_mean", "running_var", "weight", "bias"]
    vals = []
    for i, key in enumerate(names):
        a = node.args[i + 1] if len(node.args) > i + 1 else node.kwargs.get(key)
        p = t.env.get(a) if isinstance(a, torch.fx.Node) else None
        if a is not None and not isinstance(p, _Param):
            raise t.unsupported(node, "%s must be a parameter or buffer" % key)
        vals.append(_np(p.tensor).astype(np.float64) if p is not None else None)
    if t._arg(node, 5, "training", False):
        raise t.unsupported(node, "training=True")
    eps = t._arg(node, 7, "eps", 1e-5)
    mean, var, gamma, beta = vals
    if mean is None or var is None:
        raise t.unsupported(node, "batch_norm without running statistics")
    gamma = np.ones_like(mean) if gamma is None else gamma
    beta = np.zeros_like(mean) if beta is None else beta
    scale = gamma / np.sqrt(var + eps)
    shift = beta - mean * scale
    p = node.args[3] if len(node.args) > 3 else node.kwargs.get("weight")
    name = _owner(t.env[p].name) if p is not None else (node.meta.get("mlg_module") or node.name)
    return t.batchnorm(node, x, scale.astype(np.float32), shift.astype(np.float32), name)


def _h_expand(t, node):
    return t.em.broadcast_to(t.val(node.args[0]), t.shape(node), node.meta.get("mlg_module") or None)


def _h_multihead_attention(t, node, m):
    """nn.MultiheadAttention (self- or cross-attention, no masks): the input projection as one
    matmul per operand, scaled dot products per head (linalg.batch_matmul), softmax, the output
    projection. Returns [output, None]; attention weights are not produced."""
    def arg(i, key):
        return node.args[i] if len(node.args) > i else node.kwargs.get(key)

    for key, i in (("key_padding_mask", 3), ("attn_mask", 5)):
        if arg(i, key) is not None:
            raise t.unsupported(node, key)
    if m.bias_k is not None or m.add_zero_attn or not m._qkv_same_embed_dim:
        raise t.unsupported(node, "bias_k/bias_v, add_zero_attn or separate q/k/v dims")
    need_weights = t.const(arg(4, "need_weights"))
    def reads_weights(user):
        if user.op == "call_function" and user.target is operator.getitem:
            return user.args[1] != 0 and len(user.users) > 0
        return True

    if need_weights is not False and any(reads_weights(u) for u in node.users):
        raise t.unsupported(node, "need_weights=True with the attention weights used")
    name = node.target
    e, h = m.embed_dim, m.num_heads
    d = e // h
    weight = m.in_proj_weight.detach().float()
    bias = m.in_proj_bias.detach().float() if m.in_proj_bias is not None else None
    projected = []
    for i, (index, key) in enumerate(((0, "query"), (1, "key"), (2, "value"))):
        x = t.val(arg(index, key))
        if not m.batch_first:  # [L, N, E] -> [N, L, E]
            x = t.em.transpose(x, [1, 0, 2])
        n, length = x.shape[0], x.shape[1]
        w = t.em.param(_join(name, "in_proj_weight_%s" % "qkv"[i]), weight[i * e:(i + 1) * e].t().contiguous().numpy(), name)
        y = t.em.matmul(t.em.reshape(x, (n * length, e)), w, name)
        if bias is not None:
            b = t.em.param(_join(name, "in_proj_bias_%s" % "qkv"[i]), _np(bias[i * e:(i + 1) * e]), name)
            y = t.em.bias_add(y, b, 1, (), name)
        y = t.em.transpose(t.em.reshape(y, (n, length, h, d)), [0, 2, 1, 3])  # [N, H, L, D]
        projected.append(t.em.reshape(y, (n * h, length, d)))
    q, k, v = projected
    q = t.em.scale(q, 1.0 / float(np.sqrt(d)), name)
    scores = t.em.batch_matmul(q, t.em.transpose(k, [0, 2, 1]), name)
    attn = t.em.softmax(scores, 2, name)
    out = t.em.batch_matmul(attn, v, name)  # [N*H, Lq, D]
    n, lq = out.shape[0] // h, out.shape[1]
    out = t.em.transpose(t.em.reshape(out, (n, h, lq, d)), [0, 2, 1, 3])
    ow = t.em.param(_join(name, "out_proj.weight"), m.out_proj.weight.detach().float().t().contiguous().numpy(), name)
    y = t.em.matmul(t.em.reshape(out, (n * lq, e)), ow, name)
    if m.out_proj.bias is not None:
        y = t.em.bias_add(y, t.em.param(_join(name, "out_proj.bias"), _np(m.out_proj.bias), name), 1, (), name)
    y = t.em.reshape(y, (n, lq, e))
    if not m.batch_first:
        y = t.em.transpose(y, [1, 0, 2])
    return [y, None]


def _h_stochastic_depth(t, node):
    if t._arg(node, 3, "training", True):
        raise t.unsupported(node, "training=True")
    return t.val(node.args[0])


def _h_channel_shuffle(t, node):
    x = t.val(node.args[0])
    groups = int(t._arg(node, 1, "groups", None))
    n, c, h, w = x.shape
    y = t.em.reshape(x, (n, groups, c // groups, h, w))
    y = t.em.transpose(y, [0, 2, 1, 3, 4])
    return t.em.reshape(y, (n, c, h, w))


# Functions of libraries the importer does not import itself, by (module, name).
_NAMED_FUNCTION_HANDLERS = {
    ("torchvision.ops.stochastic_depth", "stochastic_depth"): _h_stochastic_depth,
    ("torchvision.models.shufflenetv2", "channel_shuffle"): _h_channel_shuffle,
}

def _layer_norm(t, node, x, shape, weight, bias, eps, loc):
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if tuple(x.shape[x.rank - len(shape):]) != shape:
        raise t.unsupported(node, "normalized_shape %s of a %s tensor" % (shape, x.shape))
    w = t.em.param(_join(loc or "", "weight"), _np(weight), loc) if weight is not None else None
    b = t.em.param(_join(loc or "", "bias"), _np(bias), loc) if bias is not None else None
    return t.em.layer_norm(x, len(shape), w, b, float(eps), loc)


def _h_layer_norm_module(t, node, m):
    return _layer_norm(t, node, t.val(node.args[0]), m.normalized_shape, m.weight, m.bias, m.eps, node.target)


def _h_layer_norm_function(t, node):
    x = t.val(node.args[0])
    shape = t._arg(node, 1, "normalized_shape", None)
    params = []
    for i, key in ((2, "weight"), (3, "bias")):
        a = node.args[i] if len(node.args) > i else node.kwargs.get(key)
        p = t.env.get(a) if isinstance(a, torch.fx.Node) else None
        if a is not None and not isinstance(p, _Param):
            raise t.unsupported(node, "%s must be a parameter" % key)
        params.append(p)
    eps = t._arg(node, 4, "eps", 1e-5)
    w, b = params
    loc = _owner(w.name) if w is not None else (node.meta.get("mlg_module") or None)
    return _layer_norm(t, node, x, shape, w.tensor if w else None, b.tensor if b else None, eps, loc)


_MODULE_HANDLERS = {
    nn.LayerNorm: _h_layer_norm_module,
    nn.MultiheadAttention: _h_multihead_attention,
    nn.GELU: _h_activation,
    nn.Conv2d: _h_conv_module,
    nn.Linear: _h_linear_module,
    nn.BatchNorm2d: _h_bn_module,
    nn.BatchNorm1d: _h_bn_module,
    nn.MaxPool2d: _h_maxpool_module,
    nn.AvgPool2d: _h_avgpool_module,
    nn.AdaptiveAvgPool2d: _h_adaptive_avg_module,
    nn.AdaptiveMaxPool2d: _h_adaptive_max_module,
    nn.Flatten: _h_flatten_module,
    nn.Softmax: _h_softmax_module,
    nn.Hardtanh: _h_activation,
    nn.LeakyReLU: _h_activation,
    nn.ELU: _h_activation,
    nn.Softplus: _h_activation,
}
for _cls in _ACTIVATION_MODULES:
    _MODULE_HANDLERS[_cls] = _h_activation
for _cls in _IDENTITY_MODULES:
    _MODULE_HANDLERS[_cls] = _h_identity

_FUNCTION_HANDLERS = {
    F.conv2d: _h_conv_function,
    F.layer_norm: _h_layer_norm_function,
    F.gelu: _h_activation,
    F.linear: _h_linear_function,
    F.batch_norm: _h_bn_function,
    torch.cat: _h_cat, torch.concat: _h_cat,
    F.max_pool2d: _h_maxpool_function, torch.max_pool2d: _h_maxpool_function,
    F.avg_pool2d: _h_avgpool_function, torch._C._nn.avg_pool2d: _h_avgpool_function,
    F.adaptive_avg_pool2d: _h_adaptive_avg_function,
    F.adaptive_max_pool2d: _h_adaptive_max_function,
    torch.flatten: _h_reshape, torch.reshape: _h_reshape, torch.squeeze: _h_reshape, torch.unsqueeze: _h_reshape,
    torch.mean: _h_mean, torch.sum: _h_sum,
    torch.matmul: _h_matmul, torch.bmm: _h_matmul, operator.matmul: _h_matmul,
    F.pad: _h_pad,
    F.softmax: _h_softmax, torch.softmax: _h_softmax,
    torch.transpose: _h_transpose, torch.permute: _h_permute,
    torch.chunk: _h_split, torch.split: _h_split,
    operator.getitem: _h_getitem,
    F.hardtanh: _h_activation, F.hardtanh_: _h_activation, F.leaky_relu: _h_activation,
    torch.clamp: _h_activation, torch.clip: _h_activation, torch.clamp_min: _h_activation,
    torch.clamp_max: _h_activation,
    F.elu: _h_activation, F.softplus: _h_activation, torch.pow: _h_activation, operator.pow: _h_activation,
}
for _fn in _ACTIVATION_FUNCTIONS:
    _FUNCTION_HANDLERS[_fn] = _h_activation
for _fn in _IDENTITY_FUNCTIONS:
    _FUNCTION_HANDLERS[_fn] = _h_identity
for _fn in _BINARY:
    _FUNCTION_HANDLERS[_fn] = _h_binary

_METHOD_HANDLERS = {
    "view": _h_reshape, "reshape": _h_reshape, "flatten": _h_reshape, "squeeze": _h_reshape,
    "unsqueeze": _h_reshape, "view_as": _h_reshape, "reshape_as": _h_reshape,
    "mean": _h_mean, "sum": _h_sum, "matmul": _h_matmul, "bmm": _h_matmul, "softmax": _h_softmax, "transpose": _h_transpose, "permute": _h_permute,
    "chunk": _h_split, "split": _h_split, "expand": _h_expand, "expand_as": _h_expand,
    "clamp": _h_activation, "clamp_": _h_activation, "clip": _h_activation, "clamp_min": _h_activation,
    "clamp_max": _h_activation, "pow": _h_activation,
}
for _m in _ACTIVATION_METHODS:
    _METHOD_HANDLERS[_m] = _h_activation
for _m in _IDENTITY_METHODS:
    _METHOD_HANDLERS[_m] = _h_identity
for _m in _BINARY_METHODS:
    _METHOD_HANDLERS[_m] = _h_binary_method


# ----------------------------------------------------------------------------------------------
# Entry point


def from_torch(module, example_inputs, *, name="forward"):
    """Imports `module` (a torch.nn.Module) as an MLIR module with one public function `name`.

    `example_inputs` is a tensor (or numpy array) or a tuple/list of them (float32): the
    function's arguments have their shapes, which are static. The module is traced with torch.fx in eval mode
    (its training flag is restored afterwards). Returns the MLIR text: linalg on tensors, NCHW,
    every parameter a dense_resource blob, ops consuming parameters located at their module's
    qualified name. Raises UnsupportedOperatorError (operator, module and file:line) for an
    operator outside the supported set, TraceError when fx cannot trace the module.
    """
    if not isinstance(module, nn.Module):
        raise TypeError("from_torch expects a torch.nn.Module, got %s" % type(module).__name__)
    if isinstance(example_inputs, (torch.Tensor, np.ndarray)):
        example_inputs = (example_inputs,)
    example_inputs = tuple(torch.from_numpy(np.ascontiguousarray(x)) if isinstance(x, np.ndarray) else x
                           for x in example_inputs)
    if not name.isidentifier():
        raise ValueError("function name %r is not an identifier" % name)
    was_training = module.training
    module.eval()
    try:
        gm = _trace(module)
        recorder = _Recorder(gm)
        with torch.no_grad():
            recorder.run(*example_inputs)
        translator = _Translator(gm, recorder.results, recorder.constants)
        args, results = translator.run()
    finally:
        module.train(was_training)
    header = "Imported from PyTorch (%s) by mlg.from_torch." % type(module).__name__
    return translator.em.module(name, args, results, header)


__all__ = ["from_torch"]
