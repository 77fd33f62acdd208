"""ONNX importer: `from_onnx(path_or_model)` -> MLIR text.

The model is loaded (a path, serialized bytes or an onnx.ModelProto), checked with
onnx.checker, shape-inferred, and translated node by node through `emitter.Emitter` into the
same IR form as the PyTorch importer (linalg on tensors, NCHW, weights as dense_resource blobs).
Translation choices:

  * every value computed only from initializers and constants (the Shape/Gather/Unsqueeze/
    Concat/Reshape chains torch.onnx.export writes for `x.view(x.size(0), -1)`) is folded with
    numpy; the graph's inputs have static shapes, so Shape is a constant too;
  * BatchNormalization directly after a Conv whose only user it is folds into the Conv's weight
    and bias; any other BatchNormalization is one per-channel affine linalg.generic;
  * a bias and the activations after it (each the only user of the previous result) are one
    linalg.generic, as are an Add/Sub/Mul/Div and the activations after it; Sigmoid followed by
    Mul(x, Sigmoid(x)) is SiLU, HardSigmoid followed by Mul(x, HardSigmoid(x)) is hardswish;
  * ops that consume a parameter are located at their module's name: torch.onnx.export's scoped
    node names (`/layer1/layer1.0/conv1/Conv`) give the module's qualified name (`layer1.0.conv1`)
    as mlg-compress expects; other node names are used as they are.
  * a parameter's resource name is its initializer's name, except for torch's anonymous
    initializers (`onnx::Conv_193`, weights with BatchNorm folded in by the exporter), which are
    named after their module (`layer1.0.conv1.weight`), as mlg.from_torch names them.

Supported operators (default domain; tested at opsets 10, 11, 13, 14 and 17): Conv (2-D, groups,
dilations, pads or auto_pad), BatchNormalization (inference), Relu, Clip, HardSwish, HardSigmoid,
Sigmoid, Tanh, LeakyRelu, Add, Sub, Mul, Div, Concat, MaxPool, AveragePool, GlobalAveragePool,
GlobalMaxPool, Flatten, Reshape, Squeeze, Unsqueeze, Transpose, Slice, Pad (constant), Expand,
Tile, Gemm, MatMul, ReduceMean, Softmax, LayerNormalization, Sqrt, Exp, Log, Abs, Neg, Erf,
Reciprocal, Softplus, Elu, Pow (constant scalar exponent), Dropout, Identity, Cast (to float); on constants also
Constant, ConstantOfShape, Shape, Size, Gather, Range, Equal, Where.

An operator outside the supported set raises UnsupportedOperatorError naming the op type and,
as location, "<file>:node <index> '<node name>'"; a file that is not a valid ONNX model raises
InvalidModelError (a ValueError) naming the file.
"""

import os

import numpy as np
import onnx
import onnx.checker
import onnx.numpy_helper
import onnx.shape_inference
from google.protobuf.message import DecodeError

from .emitter import Emitter, Value, activation_body, conv_output_size
from .errors import FrontendError, UnsupportedOperatorError


class InvalidModelError(FrontendError, ValueError):
    """The input is not a valid ONNX model (not protobuf, truncated, rejected by onnx.checker or
    shape inference), or it has no static shapes."""


# ----------------------------------------------------------------------------------------------
# Loading


def _load(path_or_model):
    """(ModelProto, source name for messages)."""
    if isinstance(path_or_model, onnx.ModelProto):
        model = onnx.ModelProto()
        model.CopyFrom(path_or_model)
        return model, "<ModelProto>"
    if isinstance(path_or_model, (bytes, bytearray, memoryview)):
        return _parse(bytes(path_or_model), "<bytes>"), "<bytes>"
    if isinstance(path_or_model, (str, os.PathLike)):
        source = os.fspath(path_or_model)
        try:
            with open(source, "rb") as f:
                data = f.read()
        except OSError as e:
            raise InvalidModelError("cannot read ONNX model %s: %s" % (source, e.strerror or e)) from e
        model = _parse(data, source)
        if any(t.data_location == onnx.TensorProto.EXTERNAL for t in model.graph.initializer):
            try:
                onnx.load_external_data_for_model(model, os.path.dirname(os.path.abspath(source)))
            except Exception as e:
                raise InvalidModelError("%s: cannot load the external data of its initializers: %s" % (source, e)) from e
        return model, source
    raise TypeError("from_onnx expects a path, bytes or an onnx.ModelProto, got %s" % type(path_or_model).__name__)


def _parse(data, source):
    model = onnx.ModelProto()
    try:
        model.ParseFromString(data)
    except (DecodeError, RuntimeError, ValueError) as e:
        raise InvalidModelError("%s is not a valid ONNX model (protobuf parse error: %s); is the file "
                                "truncated or not an .onnx file?" % (source, e)) from e
    return model


def _check(model, source):
    try:
        onnx.checker.check_model(model)
    except (onnx.checker.ValidationError, DecodeError, RuntimeError, ValueError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise InvalidModelError("%s is not a valid ONNX model (onnx.checker: %s)" % (source, first)) from e
    try:
        return onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    except Exception as e:  # InferenceError, RuntimeError, ... depending on the onnx version
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise InvalidModelError("%s: ONNX shape inference failed: %s" % (source, first)) from e


# ----------------------------------------------------------------------------------------------
# Names


def _scope_module(node_name):
    """The module qualified name of a torch.onnx.export node name: `/layer1/layer1.0/conv1/Conv`
    -> `layer1.0.conv1` (each scope is a child's attribute name, or for a Sequential's child the
    Sequential's scope, a dot and the child's name); None for other names."""
    if not node_name.startswith("/"):
        return None
    parts = [p for p in node_name.split("/")[1:-1] if p]
    qual = last = ""
    for p in parts:
        if last and p.startswith(last + "."):
            # a Sequential's child: `downsample.0` under `downsample`
            qual += p[len(last):]
        else:
            qual = "%s.%s" % (qual, p) if qual else p
        last = p
    return qual


def _anonymous(name):
    """Initializers the torch exporter created itself (folded constants) have no useful name."""
    return name.startswith("onnx::") or name.isdigit() or not name


class _Const:
    """A value known at import time: an initializer, a Constant or a folded computation."""

    __slots__ = ("array", "name")

    def __init__(self, array, name):
        self.array = np.asarray(array)
        self.name = name


_FLOAT_TYPES = {onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE, onnx.TensorProto.FLOAT16}


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _decode(v):
    return v.decode() if isinstance(v, bytes) else v


# ----------------------------------------------------------------------------------------------
# The translator


class _Translator:
    def __init__(self, model, source, name):
        self.model = model
        self.graph = model.graph
        self.source = source
        self.name = name
        self.em = Emitter()
        self.env = {}
        self.done = set()
        self.opset = 1
        for imp in model.opset_import:
            if imp.domain in ("", "ai.onnx"):
                self.opset = imp.version
        self.shapes = {}
        for vi in list(self.graph.value_info) + list(self.graph.output) + list(self.graph.input):
            t = vi.type.tensor_type
            if t.HasField("shape") and all(d.HasField("dim_value") for d in t.shape.dim):
                self.shapes[vi.name] = tuple(d.dim_value for d in t.shape.dim)
        self.consumers = {}
        for i, node in enumerate(self.graph.node):
            for inp in node.input:
                if inp:
                    self.consumers.setdefault(inp, []).append(i)
        self.outputs = {o.name for o in self.graph.output}

    # -- helpers ------------------------------------------------------------------------------

    def where(self, index):
        return "%s:node %d '%s'" % (self.source, index, self.graph.node[index].name)

    def unsupported(self, index, detail=""):
        node = self.graph.node[index]
        op = node.op_type if node.domain in ("", "ai.onnx") else "%s.%s" % (node.domain, node.op_type)
        return UnsupportedOperatorError("ONNX %s" % op, self.where(index), detail)

    def module(self, index):
        """The location of node `index`: its module's qualified name (torch's scoped names), or
        the node's name, or `<op_type>_<index>`."""
        node = self.graph.node[index]
        scope = _scope_module(node.name)
        if scope:
            return scope
        return node.name or "%s_%d" % (node.op_type, index)

    def param_name(self, index, const, attr):
        if not _anonymous(const.name):
            return const.name
        return "%s.%s" % (self.module(index), attr)

    def get(self, name):
        return self.env[name]  # translate() has checked that every input is defined

    def value(self, index, name):
        """The Value of input `name`; a constant becomes a dense_resource parameter."""
        v = self.get(name)
        if isinstance(v, Value):
            return v
        return self.em.param(self.param_name(index, v, "const"), v.array.astype(np.float32), self.module(index))

    def const(self, index, name, what):
        v = self.get(name)
        if not isinstance(v, _Const):
            raise self.unsupported(index, "%s must be a constant (an initializer)" % what)
        return v.array

    def optional_const(self, index, node, i, what):
        if len(node.input) > i and node.input[i]:
            return self.const(index, node.input[i], what)
        return None

    def sole_consumer(self, name):
        """The index of the only node using `name`, or None (several users, or a graph output)."""
        users = self.consumers.get(name, [])
        if len(users) != 1 or name in self.outputs:
            return None
        return users[0]

    def activation_kind(self, index, x_name):
        """The emitter activation kind node `index` applies to `x_name`, with the nodes it spans
        (SiLU and hardswish written as x * act(x) span two), or (None, [])."""
        node = self.graph.node[index]
        if not node.input or node.input[0] != x_name or node.domain not in ("", "ai.onnx"):
            return None, []
        a = _attrs(node)
        op = node.op_type
        kind = None
        if op == "Relu":
            kind = "relu"
        elif op == "Clip":
            lo, hi = self._clip_bounds(index, node, a)
            if lo is False:
                return None, []
            kind = "relu6" if (lo, hi) == (0.0, 6.0) else ("clamp", lo, hi)
        elif op == "HardSwish":
            kind = "hardswish"
        elif op == "Sigmoid":
            kind = "sigmoid"
        elif op == "HardSigmoid":
            if abs(a.get("alpha", 0.2) - 1.0 / 6.0) < 1e-7 and a.get("beta", 0.5) == 0.5:
                kind = "hardsigmoid"
        elif op == "Tanh":
            kind = "tanh"
        elif op == "LeakyRelu":
            kind = ("leaky_relu", float(a.get("alpha", 0.01)))
        if kind is None:
            return None, []
        if kind in ("sigmoid", "hardsigmoid"):
            gate = node.output[0]
            users = self.consumers.get(x_name, [])
            mul = self.sole_consumer(gate)
            if mul is not None and len(users) == 2 and mul in users and x_name not in self.outputs:
                m = self.graph.node[mul]
                if m.op_type == "Mul" and sorted(m.input) == sorted([x_name, gate]):
                    return ("silu" if kind == "sigmoid" else "hardswish"), [index, mul]
        return kind, [index]

    def _clip_bounds(self, index, node, a):
        if self.opset < 11:
            return float(a.get("min", -3.4028234663852886e38)), float(a.get("max", 3.4028234663852886e38))
        bounds = []
        for i in (1, 2):
            if len(node.input) > i and node.input[i]:
                v = self.env.get(node.input[i])  # not computed yet when looked at from a Conv
                if not isinstance(v, _Const):
                    return False, False
                bounds.append(float(v.array.reshape(-1)[0]))
            else:
                bounds.append(None)
        return bounds[0], bounds[1]

    def epilogue(self, name):
        """Activations applied to `name` as a chain of sole users: (kinds, node indices, the
        ONNX name of the last result)."""
        kinds, nodes = [], []
        while True:
            users = self.consumers.get(name, [])
            if name in self.outputs or not users:
                break
            # x * act(x) has two users of x; anything else needs a sole user
            kind, span = self.activation_kind(users[0], name) if users else (None, [])
            if kind is None or (len(span) == 1 and len(users) != 1) or (len(span) == 2 and len(users) != 2):
                break
            kinds.append(kind)
            nodes.extend(span)
            name = self.graph.node[span[-1]].output[0]
        return kinds, nodes, name

    def finish(self, index, value, fused=(), last=None):
        node = self.graph.node[index]
        self.env[node.output[0]] = value
        for f in fused:
            self.done.add(f)
        if last is not None:
            self.env[last] = value

    def check_shape(self, name, value):
        expected = self.shapes.get(name)
        if expected is not None and tuple(value.shape) != tuple(expected):
            raise AssertionError("mlg ONNX importer: %s has shape %s, ONNX shape inference says %s"
                                 % (name, value.shape, expected))

    # -- driver -------------------------------------------------------------------------------

    def run(self):
        g = self.graph
        for init in g.initializer:
            self.env[init.name] = _Const(onnx.numpy_helper.to_array(init), init.name)
        # Constants first: a fused epilogue looks ahead at Clip bounds defined after the Conv.
        for index, node in enumerate(g.node):
            if node.op_type == "Constant" and node.domain in ("", "ai.onnx"):
                self.env[node.output[0]] = _Const(_f_constant(self, index, node, [], _attrs(node))[0], node.output[0])
                self.done.add(index)
        args = []
        for inp in g.input:
            if inp.name in self.env:
                continue  # an initializer listed as an input (keep_initializers_as_inputs)
            t = inp.type.tensor_type
            if not inp.type.HasField("tensor_type"):
                raise InvalidModelError("%s: input '%s' is not a tensor" % (self.source, inp.name))
            if t.elem_type != onnx.TensorProto.FLOAT:
                raise InvalidModelError("%s: input '%s' has element type %s; only float32 inputs are supported"
                                        % (self.source, inp.name, onnx.TensorProto.DataType.Name(t.elem_type)))
            dims = list(t.shape.dim) if t.HasField("shape") else None
            if dims is None or any(not d.HasField("dim_value") or d.dim_value <= 0 for d in dims):
                shown = "unknown rank" if dims is None else "[%s]" % ", ".join(
                    str(d.dim_value) if d.HasField("dim_value") and d.dim_value > 0 else (d.dim_param or "?") for d in dims)
                raise InvalidModelError("%s: input '%s' has a dynamic shape %s; the importer needs static shapes "
                                        "(export with fixed sizes, no dynamic_axes)" % (self.source, inp.name, shown))
            v = Value("%%input%d" % len(args), [d.dim_value for d in dims])
            args.append(v)
            self.env[inp.name] = v
        for index, node in enumerate(g.node):
            if index in self.done:
                continue
            self.translate(index, node)
        results = []
        for out in g.output:
            v = self.get(out.name)
            if isinstance(v, _Const):
                v = self.em.param(out.name, v.array.astype(np.float32))
            results.append(v)
        return args, results

    def translate(self, index, node):
        if node.domain not in ("", "ai.onnx"):
            raise self.unsupported(index, "operator domain %r" % node.domain)
        for i in node.input:
            if i and i not in self.env:
                raise InvalidModelError("%s: node %d '%s' uses '%s', which nothing defines"
                                        % (self.source, index, node.name, i))
        inputs = [self.env[i] if i else None for i in node.input]
        folder = _FOLDERS.get(node.op_type)
        if folder is not None and all(v is None or isinstance(v, _Const) for v in inputs) \
                and node.op_type not in ("Shape", "Size"):
            try:
                arrays = folder(self, index, node, [v.array if v is not None else None for v in inputs], _attrs(node))
            except UnsupportedOperatorError:
                raise
            except Exception as e:
                raise self.unsupported(index, "cannot fold it on constants: %s" % e) from e
            for out, arr in zip(node.output, arrays):
                self.env[out] = _Const(arr, out)
            return
        if node.op_type in ("Shape", "Size"):
            x = inputs[0]
            shape = x.shape if isinstance(x, Value) else x.array.shape
            a = _attrs(node)
            if node.op_type == "Size":
                arr = np.array(int(np.prod(shape)), np.int64)
            else:
                arr = np.array(shape, np.int64)[slice(a.get("start", 0), a.get("end", None))]
            self.env[node.output[0]] = _Const(arr, node.output[0])
            return
        handler = _HANDLERS.get(node.op_type)
        if handler is None:
            raise self.unsupported(index)
        value = handler(self, index, node, _attrs(node))
        out = node.output[0]
        if out not in self.env:
            self.env[out] = value
        if isinstance(value, Value):
            self.check_shape(out, value)
        for extra in node.output[1:]:
            if extra and self.consumers.get(extra) or extra in self.outputs:
                raise self.unsupported(index, "its output '%s' is used" % extra)

    # -- layers -------------------------------------------------------------------------------

    def conv(self, index, node, a):
        x = self.value(index, node.input[0])
        if x.rank != 4:
            raise self.unsupported(index, "only 2-D convolutions (NCHW input), got rank %d" % x.rank)
        wc = self.get(node.input[1])
        if not isinstance(wc, _Const):
            raise self.unsupported(index, "the weight must be an initializer")
        weight = wc.array.astype(np.float32)
        bias = self.optional_const(index, node, 2, "the bias")
        bias_c = self.get(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        kh, kw = weight.shape[2:]
        stride = tuple(a.get("strides", [1, 1]))
        dilation = tuple(a.get("dilations", [1, 1]))
        groups = int(a.get("group", 1))
        pads = _padding(a, x.shape[2:], (kh, kw), stride, dilation)
        if pads is None:
            raise self.unsupported(index, "auto_pad=%s" % _decode(a.get("auto_pad")))
        module = self.module(index)
        wname = self.param_name(index, wc, "weight")
        bname = self.param_name(index, bias_c, "bias") if bias_c is not None else _join_name(wname, "bias")
        tail = node.output[0]
        fused = []
        user = self.sole_consumer(tail)
        if user is not None:
            bn = self.graph.node[user]
            # (its statistics must be known already: they may come from nodes after the Conv)
            if bn.op_type == "BatchNormalization" and bn.input[0] == tail and not self.consumers_of_extra(bn) \
                    and all(isinstance(self.env.get(i), _Const) for i in bn.input[1:5]):
                scale, shift = self.bn_scale_shift(user, bn)
                weight = (weight.astype(np.float64) * scale[:, None, None, None]).astype(np.float32)
                b = shift if bias is None else bias.astype(np.float64) * scale + shift
                bias = b.astype(np.float32)
                tail = bn.output[0]
                fused.append(user)
                if _anonymous(wc.name) or wname.endswith(".weight"):
                    bname = _join_name(wname, "bias")
        kinds, act_nodes, last = self.epilogue(tail)
        y = self.em.conv2d(x, weight, stride=stride, padding=pads, dilation=dilation, groups=groups, loc=module,
                           weight_name=wname)
        b = self.em.param(bname, bias, module) if bias is not None else None
        y = self.em.bias_add(y, b, 1, kinds, module)
        for f in fused:
            self.env[self.graph.node[f].output[0]] = y
        self.finish(index, y, fused + act_nodes, last)
        return y

    def consumers_of_extra(self, node):
        return [o for o in node.output[1:] if o and (self.consumers.get(o) or o in self.outputs)]

    def bn_scale_shift(self, index, node):
        a = _attrs(node)
        if a.get("training_mode", 0):
            raise self.unsupported(index, "training_mode=1")
        if self.consumers_of_extra(node):
            raise self.unsupported(index, "running statistics outputs are used")
        gamma, beta, mean, var = (self.const(index, node.input[i], what).astype(np.float64)
                                  for i, what in ((1, "scale"), (2, "B"), (3, "input_mean"), (4, "input_var")))
        scale = gamma / np.sqrt(var + float(a.get("epsilon", 1e-5)))
        shift = beta - mean * scale
        return scale, shift

    def batchnorm(self, index, node, a):
        x = self.value(index, node.input[0])
        if x.rank < 2:
            raise self.unsupported(index, "BatchNormalization of a rank-%d tensor" % x.rank)
        scale, shift = self.bn_scale_shift(index, node)
        module = self.module(index)
        kinds, act_nodes, last = self.epilogue(node.output[0])
        s = self.em.param(_join_name(module, "weight"), scale.astype(np.float32), module)
        t = self.em.param(_join_name(module, "bias"), shift.astype(np.float32), module)
        y = self.em.affine(x, s, t, 1, kinds, module)
        self.finish(index, y, act_nodes, last)
        return y

    def gemm(self, index, node, a):
        module = self.module(index)
        x = self.value(index, node.input[0])
        if a.get("transA", 0):
            x = self.em.transpose(x, [1, 0], module)
        alpha, beta = float(a.get("alpha", 1.0)), float(a.get("beta", 1.0))
        bc = self.get(node.input[1])
        if isinstance(bc, _Const):
            w = bc.array.astype(np.float64)
            w = (w.T if a.get("transB", 0) else w) * alpha
            wname = self.param_name(index, bc, "weight")
            wv = self.em.param(wname, w.astype(np.float32), module)
            scaled = True
        else:
            wv = bc
            if a.get("transB", 0):
                wv = self.em.transpose(wv, [1, 0], module)
            scaled = alpha == 1.0
            wname = _join_name(module, "weight")
        kinds, act_nodes, last = self.epilogue(node.output[0])
        y = self.em.matmul(x, wv, module)
        if not scaled:
            y = self.em.scale(y, alpha, module)
        c = self.get(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        if c is None or beta == 0.0:
            y = self.em.bias_add(y, None, 1, kinds, module)
        elif isinstance(c, _Const) and c.array.size in (y.shape[1], 1) and (c.array.ndim < 2 or c.array.shape[0] == 1):
            bias = np.broadcast_to(c.array.astype(np.float64).reshape(-1) * beta, (y.shape[1],))
            bname = self.param_name(index, c, "bias") if not _anonymous(c.name) else _join_name(wname, "bias")
            b = self.em.param(bname, bias.astype(np.float32), module)
            y = self.em.bias_add(y, b, 1, kinds, module)
        else:
            cv = self.value(index, node.input[2])
            fns = [activation_body(k) for k in kinds]

            def body(blk, p, q):
                r = blk.add(p, blk.mul(q, blk.const(beta)) if beta != 1.0 else q)
                for fn in fns:
                    r = fn(blk, r)
                return r

            y = self.em.elementwise([y, cv], body, module, out_shape=y.shape)
        self.finish(index, y, act_nodes, last)
        return y

    def matmul(self, index, node, a):
        module = self.module(index)
        x = self.value(index, node.input[0])
        bc = self.get(node.input[1])
        if isinstance(bc, _Const):
            if bc.array.ndim != 2:
                raise self.unsupported(index, "a constant right operand of rank %d" % bc.array.ndim)
            w = self.em.param(self.param_name(index, bc, "weight"), bc.array.astype(np.float32), module)
        else:
            w = bc
            if w.rank != 2:
                raise self.unsupported(index, "a right operand of rank %d (only 2-D)" % w.rank)
        if x.rank < 2:
            raise self.unsupported(index, "a left operand of rank %d" % x.rank)
        lead = x.shape[:-1]
        x2 = self.em.reshape(x, (int(np.prod(lead)), x.shape[-1]))
        y = self.em.matmul(x2, w, module)
        return self.em.reshape(y, lead + (w.shape[1],))

    def binary(self, index, node, a):
        op = node.op_type
        inputs = [self.get(n) for n in node.input]
        if all(isinstance(v, _Const) for v in inputs):
            raise AssertionError("folded before")
        kinds, act_nodes, last = self.epilogue(node.output[0])
        tails = [activation_body(k) for k in kinds]
        module = self.module(index)
        loc = module if any(isinstance(v, _Const) and v.array.size > 1 for v in inputs) else (
            _scope_module(node.name) or None)
        operands, scalars = [], []
        out_shape = np.broadcast_shapes(*[v.shape if isinstance(v, Value) else v.array.shape for v in inputs])
        for i, v in enumerate(inputs):
            if isinstance(v, _Const) and v.array.size == 1:
                scalars.append(float(v.array.reshape(-1)[0]))
            else:
                operands.append(self.value(index, node.input[i]))
                scalars.append(None)
        fn = {"Add": lambda b, p, q: b.add(p, q), "Sub": lambda b, p, q: b.sub(p, q),
              "Mul": lambda b, p, q: b.mul(p, q), "Div": lambda b, p, q: b.div(p, q)}[op]

        def body(blk, *args):
            it = iter(args)
            ops = [next(it) if s is None else blk.const(s) for s in scalars]
            y = fn(blk, ops[0], ops[1])
            for t in tails:
                y = t(blk, y)
            return y

        y = self.em.elementwise(operands, body, loc, out_shape=out_shape)
        self.finish(index, y, act_nodes, last)
        return y


def _join_name(prefix, attr):
    """`layer1.conv.bias` from `layer1.conv.weight` or `layer1.conv`."""
    if prefix.endswith(".weight"):
        prefix = prefix[: -len(".weight")]
    return "%s.%s" % (prefix, attr) if prefix else attr


def _padding(a, spatial, kernel, stride, dilation):
    """(top, left, bottom, right) of a Conv/pool's auto_pad and pads, or None."""
    auto = _decode(a.get("auto_pad", "NOTSET"))
    if auto in ("NOTSET", ""):
        p = list(a.get("pads", [0, 0, 0, 0]))
        if len(p) != 4:
            return None
        return (p[0], p[1], p[2], p[3])
    if auto == "VALID":
        return (0, 0, 0, 0)
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        low, high = [], []
        for size, k, s, d in zip(spatial, kernel, stride, dilation):
            out = -(-size // s)
            total = max((out - 1) * s + d * (k - 1) + 1 - size, 0)
            small, big = total // 2, total - total // 2
            low.append(small if auto == "SAME_UPPER" else big)
            high.append(big if auto == "SAME_UPPER" else small)
        return (low[0], low[1], high[0], high[1])
    return None


# ----------------------------------------------------------------------------------------------
# Handlers: (translator, index, node, attributes) -> Value


def _h_conv(t, index, node, a):
    return t.conv(index, node, a)


def _h_batchnorm(t, index, node, a):
    return t.batchnorm(index, node, a)


def _h_activation(t, index, node, a):
    x_name = node.input[0]
    x = t.value(index, x_name)
    kind, span = t.activation_kind(index, x_name)
    loc = _scope_module(node.name) or None
    if kind is None:
        if node.op_type == "HardSigmoid":
            alpha, beta = float(a.get("alpha", 0.2)), float(a.get("beta", 0.5))
            fn = lambda b, v: b.clamp(b.add(b.mul(v, b.const(alpha)), b.const(beta)), 0.0, 1.0)
        elif node.op_type == "Clip":
            raise t.unsupported(index, "min/max computed at run time")
        else:
            raise t.unsupported(index)
        y = t.em.elementwise([x], fn, loc)
        t.finish(index, y)
        return y
    kinds, act_nodes, last = t.epilogue(t.graph.node[span[-1]].output[0])
    fns = [activation_body(k) for k in [kind] + kinds]

    def body(b, v):
        for fn in fns:
            v = fn(b, v)
        return v

    y = t.em.elementwise([x], body, loc)
    for s in span:
        t.env[t.graph.node[s].output[0]] = y
    t.finish(index, y, span[1:] + act_nodes, last)
    return y


def _h_identity(t, index, node, a):
    return t.get(node.input[0])


def _h_dropout(t, index, node, a):
    if len(node.input) > 2 and node.input[2]:
        mode = t.get(node.input[2])
        if not isinstance(mode, _Const) or bool(mode.array.reshape(-1)[0]):
            raise t.unsupported(index, "training_mode")
    return t.get(node.input[0])


def _h_cast(t, index, node, a):
    if a.get("to") != onnx.TensorProto.FLOAT:
        raise t.unsupported(index, "cast of a tensor to %s" % onnx.TensorProto.DataType.Name(a.get("to")))
    return t.get(node.input[0])


def _h_binary(t, index, node, a):
    return t.binary(index, node, a)


# Elementwise maps by the emitter's activation names (the table of both importers).
_UNARY = {"Sqrt": "sqrt", "Exp": "exp", "Log": "log", "Abs": "abs", "Neg": "neg", "Erf": "erf",
          "Reciprocal": "reciprocal", "Softplus": "softplus"}


def _h_unary(t, index, node, a):
    x = t.value(index, node.input[0])
    kind = ("elu", float(a.get("alpha", 1.0))) if node.op_type == "Elu" else _UNARY[node.op_type]
    return t.em.elementwise([x], activation_body(kind), _scope_module(node.name) or None)


def _h_pow(t, index, node, a):
    """x ** e for a constant scalar e (LayerNorm's variance exports as Pow(x, 2))."""
    x = t.value(index, node.input[0])
    e = t.const(index, node.input[1], "the exponent")
    if e.size != 1:
        raise t.unsupported(index, "an exponent that is not a scalar")
    return t.em.elementwise([x], activation_body(("pow", float(e.reshape(-1)[0]))),
                            _scope_module(node.name) or None)


def _h_layer_norm(t, index, node, a):
    """LayerNormalization (opset 17) over the dims from `axis` on, with constant scale and bias."""
    x = t.value(index, node.input[0])
    axis = int(a.get("axis", -1)) % x.rank
    if int(a.get("stash_type", 1)) != 1 or len([o for o in node.output if o]) > 1:
        raise t.unsupported(index, "the mean and inverse deviation outputs")
    module = t.module(index)
    affine = []
    for i, role in ((1, "weight"), (2, "bias")):
        c = t.optional_const(index, node, i, role)
        affine.append(None if c is None else t.em.param(
            t.param_name(index, t.get(node.input[i]), role),
            np.broadcast_to(c.astype(np.float32), x.shape[axis:]).copy(), module))
    return t.em.layer_norm(x, x.rank - axis, affine[0], affine[1], float(a.get("epsilon", 1e-5)),
                           module)


def _h_concat(t, index, node, a):
    values = [t.value(index, n) for n in node.input]
    axis = int(a["axis"]) % values[0].rank
    return t.em.concat(values, axis)


def _pool_pads(t, index, node, a, x, kernel, stride, dilation):
    pads = _padding(a, x.shape[2:], kernel, stride, dilation)
    if pads is None:
        raise t.unsupported(index, "auto_pad=%s" % _decode(a.get("auto_pad")))
    top, left, bottom, right = pads
    if a.get("ceil_mode", 0):
        extra = []
        for size, k, s, d, lo, hi in zip(x.shape[2:], kernel, stride, dilation, (top, left), (bottom, right)):
            floor_out = conv_output_size(size, k, s, lo, hi, d)
            ceil_out = -(-(size + lo + hi - d * (k - 1) - 1) // s) + 1
            if (ceil_out - 1) * s >= size + lo:
                ceil_out -= 1
            extra.append(max((ceil_out - floor_out) * s, 0) if ceil_out > floor_out else 0)
        bottom += extra[0]
        right += extra[1]
        return (top, left, bottom, right), (extra[0] > 0 or extra[1] > 0)
    return (top, left, bottom, right), False


def _h_maxpool(t, index, node, a):
    x = t.value(index, node.input[0])
    if x.rank != 4:
        raise t.unsupported(index, "only 2-D pooling")
    if a.get("storage_order", 0):
        raise t.unsupported(index, "storage_order=1")
    kernel = tuple(a["kernel_shape"])
    stride = tuple(a.get("strides", [1, 1]))
    dilation = tuple(a.get("dilations", [1, 1]))
    pads, _ = _pool_pads(t, index, node, a, x, kernel, stride, dilation)
    return t.em.pool2d(x, "max", kernel, stride, pads, dilation, _scope_module(node.name) or None)


def _h_avgpool(t, index, node, a):
    x = t.value(index, node.input[0])
    if x.rank != 4:
        raise t.unsupported(index, "only 2-D pooling")
    kernel = tuple(a["kernel_shape"])
    stride = tuple(a.get("strides", [1, 1]))
    if tuple(a.get("dilations", [1, 1])) != (1, 1):
        raise t.unsupported(index, "dilations")
    pads, clipped = _pool_pads(t, index, node, a, x, kernel, stride, (1, 1))
    if any(pads) and not a.get("count_include_pad", 0):
        raise t.unsupported(index, "count_include_pad=0 with padding")
    if clipped:
        raise t.unsupported(index, "ceil_mode=1 with a window past the padded input")
    loc = _scope_module(node.name) or None
    s = t.em.pool2d(x, "sum", kernel, stride, pads, 1, loc)
    return t.em.scale(s, 1.0 / (kernel[0] * kernel[1]), loc)


def _h_global_avgpool(t, index, node, a):
    x = t.value(index, node.input[0])
    return t.em.mean(x, list(range(2, x.rank)), True, _scope_module(node.name) or None)


def _h_global_maxpool(t, index, node, a):
    x = t.value(index, node.input[0])
    return t.em.reduce(x, list(range(2, x.rank)), "max", True, _scope_module(node.name) or None)


def _h_flatten(t, index, node, a):
    x = t.value(index, node.input[0])
    axis = _flatten_axis(a, x.rank)
    return t.em.reshape(x, (int(np.prod(x.shape[:axis])), int(np.prod(x.shape[axis:]))))


def _flatten_axis(a, rank):
    axis = int(a.get("axis", 1))
    return axis + rank if axis < 0 else axis


def _h_reshape(t, index, node, a):
    x = t.value(index, node.input[0])
    shape = t.const(index, node.input[1], "the target shape")
    return t.em.reshape(x, _reshape_target(x.shape, shape, a.get("allowzero", 0)))


def _h_squeeze(t, index, node, a):
    x = t.value(index, node.input[0])
    axes = _axes(t, index, node, a)
    return t.em.reshape(x, _squeezed(x.shape, axes))


def _h_unsqueeze(t, index, node, a):
    x = t.value(index, node.input[0])
    return t.em.reshape(x, _unsqueezed(x.shape, _axes(t, index, node, a)))


def _h_transpose(t, index, node, a):
    x = t.value(index, node.input[0])
    perm = a.get("perm", list(reversed(range(x.rank))))
    return t.em.transpose(x, perm)


def _h_reduce_mean(t, index, node, a):
    x = t.value(index, node.input[0])
    axes = _axes(t, index, node, a)
    if axes is None:
        if a.get("noop_with_empty_axes", 0):
            return x
        axes = list(range(x.rank))
    y = t.em.mean(x, axes, True, _scope_module(node.name) or None)
    if not a.get("keepdims", 1):
        y = t.em.reshape(y, _squeezed(x.shape, axes))
    return y


def _h_softmax(t, index, node, a):
    x = t.value(index, node.input[0])
    axis = int(a.get("axis", -1 if t.opset >= 13 else 1)) % x.rank
    if t.opset < 13 and axis != x.rank - 1 and any(d != 1 for d in x.shape[axis + 1:]):
        raise t.unsupported(index, "opset-%d Softmax over the flattened dims %d.." % (t.opset, axis))
    return t.em.softmax(x, axis, _scope_module(node.name) or None)


def _h_pad(t, index, node, a):
    x = t.value(index, node.input[0])
    mode = _decode(a.get("mode", "constant"))
    if mode != "constant":
        raise t.unsupported(index, "mode=%s" % mode)
    if t.opset >= 11:
        pads = [int(p) for p in t.const(index, node.input[1], "pads")]
        value = t.optional_const(index, node, 2, "constant_value")
        value = float(value.reshape(-1)[0]) if value is not None and value.size else 0.0
        axes = t.optional_const(index, node, 3, "axes")
    else:
        pads, value, axes = list(a["pads"]), float(a.get("value", 0.0)), None
    n = len(pads) // 2
    axes = list(range(x.rank)) if axes is None else [int(d) % x.rank for d in axes]
    low, high = [0] * x.rank, [0] * x.rank
    for i, d in enumerate(axes[:n]):
        low[d], high[d] = pads[i], pads[i + n]
    if any(p < 0 for p in low + high):
        raise t.unsupported(index, "negative pads")
    return t.em.pad(x, low, high, value)


def _h_slice(t, index, node, a):
    x = t.value(index, node.input[0])
    starts, ends, axes, steps = _slice_args(t, index, node, a, x.rank)
    offsets, sizes, strides = [0] * x.rank, list(x.shape), [1] * x.rank
    for s, e, ax, st in zip(starts, ends, axes, steps):
        if st <= 0:
            raise t.unsupported(index, "non-positive steps")
        begin, end, step = slice(int(s), int(e), int(st)).indices(x.shape[ax])
        offsets[ax], sizes[ax], strides[ax] = begin, max(0, -(-(end - begin) // step)), step
    return t.em.slice(x, offsets, sizes, strides)


def _h_expand(t, index, node, a):
    x = t.value(index, node.input[0])
    shape = [int(d) for d in t.const(index, node.input[1], "the shape")]
    out = np.broadcast_shapes(x.shape, tuple(shape))
    if tuple(out) == x.shape:
        return x
    return t.em.elementwise([x], lambda b, v: v, _scope_module(node.name) or None, out_shape=out)


def _h_tile(t, index, node, a):
    """Tile with constant repeats: copies concatenated along each repeated axis."""
    x = t.value(index, node.input[0])
    repeats = [int(r) for r in t.const(index, node.input[1], "repeats")]
    if len(repeats) != x.rank or any(r < 1 for r in repeats):
        raise t.unsupported(index, "repeats %s for a rank-%d tensor" % (repeats, x.rank))
    for axis, r in enumerate(repeats):
        if r > 1:
            x = t.em.concat([x] * r, axis)
    return x


def _slice_args(t, index, node, a, rank):
    if t.opset < 10:
        starts, ends = a["starts"], a["ends"]
        axes = a.get("axes", list(range(len(starts))))
        steps = [1] * len(starts)
    else:
        starts = t.const(index, node.input[1], "starts")
        ends = t.const(index, node.input[2], "ends")
        axes = t.optional_const(index, node, 3, "axes")
        steps = t.optional_const(index, node, 4, "steps")
        axes = list(range(len(starts))) if axes is None else list(axes)
        steps = [1] * len(starts) if steps is None else list(steps)
    return list(starts), list(ends), [int(ax) % rank for ax in axes], list(steps)


def _axes(t, index, node, a):
    """The axes of Squeeze/Unsqueeze/Reduce*: an attribute (older opsets) or input 1; None if absent."""
    if "axes" in a:
        return [int(x) for x in a["axes"]]
    if len(node.input) > 1 and node.input[1]:
        return [int(x) for x in t.const(index, node.input[1], "axes").reshape(-1)]
    return None


def _squeezed(shape, axes):
    if axes is None:
        return tuple(d for d in shape if d != 1)
    axes = {ax % len(shape) for ax in axes}
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def _unsqueezed(shape, axes):
    rank = len(shape) + len(axes)
    axes = sorted(ax % rank for ax in axes)
    out, it = [], iter(shape)
    for i in range(rank):
        out.append(1 if i in axes else next(it))
    return tuple(out)


def _reshape_target(shape, target, allowzero=0):
    target = [int(d) for d in np.asarray(target).reshape(-1)]
    out = [(shape[i] if d == 0 and not allowzero else d) for i, d in enumerate(target)]
    if -1 in out:
        known = int(np.prod([d for d in out if d != -1]))
        out[out.index(-1)] = int(np.prod(shape)) // known if known else 0
    return tuple(out)


# ----------------------------------------------------------------------------------------------
# Constant folding: (translator, index, node, arrays, attributes) -> output arrays


def _f_binary(fn):
    def fold(t, index, node, v, a):
        x, y = v
        if np.issubdtype(x.dtype, np.integer) and node.op_type == "Div":
            return [np.trunc(x / y).astype(x.dtype)]
        return [fn(x, y).astype(np.result_type(x, y))]
    return fold


def _f_constant(t, index, node, v, a):
    for key in ("value", "value_float", "value_floats", "value_int", "value_ints"):
        if key in a:
            val = a[key]
            if key == "value":
                return [onnx.numpy_helper.to_array(val)]
            dtype = np.float32 if "float" in key else np.int64
            return [np.array(val, dtype)]
    raise t.unsupported(index, "Constant with attribute %s" % ", ".join(sorted(a)))


def _f_constant_of_shape(t, index, node, v, a):
    value = onnx.numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
    return [np.full([int(d) for d in v[0]], value.reshape(-1)[0], value.dtype)]


def _f_gather(t, index, node, v, a):
    return [np.take(v[0], v[1].astype(np.int64), axis=int(a.get("axis", 0)))]


def _f_unsqueeze(t, index, node, v, a):
    axes = a["axes"] if "axes" in a else [int(x) for x in v[1].reshape(-1)]
    return [v[0].reshape(_unsqueezed(v[0].shape, axes))]


def _f_squeeze(t, index, node, v, a):
    axes = a["axes"] if "axes" in a else ([int(x) for x in v[1].reshape(-1)] if len(v) > 1 and v[1] is not None else None)
    return [v[0].reshape(_squeezed(v[0].shape, axes))]


def _f_slice(t, index, node, v, a):
    x = v[0]
    starts, ends, axes, steps = _slice_args(t, index, node, a, x.ndim)
    idx = [slice(None)] * x.ndim
    for s, e, ax, st in zip(starts, ends, axes, steps):
        idx[ax] = slice(int(s), int(e), int(st))
    return [x[tuple(idx)]]


def _f_cast(t, index, node, v, a):
    return [v[0].astype(onnx.helper.tensor_dtype_to_np_dtype(a["to"]))]


_FOLDERS = {
    "Constant": _f_constant,
    "ConstantOfShape": _f_constant_of_shape,
    "Identity": lambda t, i, n, v, a: [v[0]],
    "Dropout": lambda t, i, n, v, a: [v[0]],
    "Cast": _f_cast,
    "Gather": _f_gather,
    "Unsqueeze": _f_unsqueeze,
    "Squeeze": _f_squeeze,
    "Concat": lambda t, i, n, v, a: [np.concatenate([np.atleast_1d(x) for x in v], axis=int(a["axis"]))],
    "Reshape": lambda t, i, n, v, a: [v[0].reshape(_reshape_target(v[0].shape, v[1], a.get("allowzero", 0)))],
    "Flatten": lambda t, i, n, v, a: [v[0].reshape(int(np.prod(v[0].shape[:_flatten_axis(a, v[0].ndim)])), -1)],
    "Transpose": lambda t, i, n, v, a: [np.transpose(v[0], a.get("perm"))],
    "Slice": _f_slice,
    "Add": _f_binary(np.add),
    "Sub": _f_binary(np.subtract),
    "Mul": _f_binary(np.multiply),
    "Div": _f_binary(np.divide),
    "Pow": _f_binary(np.power),
    "Sqrt": lambda t, i, n, v, a: [np.sqrt(v[0])],
    "Range": lambda t, i, n, v, a: [np.arange(v[0], v[1], v[2]).astype(v[0].dtype)],
    "Equal": lambda t, i, n, v, a: [np.equal(v[0], v[1])],
    "Where": lambda t, i, n, v, a: [np.where(v[0], v[1], v[2])],
    "Expand": lambda t, i, n, v, a: [v[0] * np.ones([int(d) for d in v[1]], v[0].dtype)],
    "Tile": lambda t, i, n, v, a: [np.tile(v[0], [int(r) for r in v[1]])],
}

_HANDLERS = {
    "Conv": _h_conv,
    "BatchNormalization": _h_batchnorm,
    "Relu": _h_activation, "Clip": _h_activation, "HardSwish": _h_activation, "HardSigmoid": _h_activation,
    "Sigmoid": _h_activation, "Tanh": _h_activation, "LeakyRelu": _h_activation,
    "Identity": _h_identity, "Dropout": _h_dropout, "Cast": _h_cast,
    "Add": _h_binary, "Sub": _h_binary, "Mul": _h_binary, "Div": _h_binary,
    "Concat": _h_concat,
    "MaxPool": _h_maxpool, "AveragePool": _h_avgpool,
    "GlobalAveragePool": _h_global_avgpool, "GlobalMaxPool": _h_global_maxpool,
    "Flatten": _h_flatten, "Reshape": _h_reshape, "Squeeze": _h_squeeze, "Unsqueeze": _h_unsqueeze,
    "Transpose": _h_transpose,
    "Gemm": lambda t, i, n, a: t.gemm(i, n, a),
    "MatMul": lambda t, i, n, a: t.matmul(i, n, a),
    "ReduceMean": _h_reduce_mean,
    "Softmax": _h_softmax,
    "Pad": _h_pad,
    "Slice": _h_slice,
    "Expand": _h_expand,
    "Tile": _h_tile,
    "Sqrt": _h_unary, "Exp": _h_unary, "Log": _h_unary, "Abs": _h_unary, "Neg": _h_unary,
    "Erf": _h_unary, "Reciprocal": _h_unary, "Softplus": _h_unary, "Elu": _h_unary,
    "Pow": _h_pow,
    "LayerNormalization": _h_layer_norm,
}


# ----------------------------------------------------------------------------------------------
# Entry point


def from_onnx(path_or_model, *, name="forward"):
    """Imports an ONNX model as an MLIR module with one public function `name`.

    `path_or_model` is a file path, the serialized model (bytes) or an onnx.ModelProto. The
    model is checked (onnx.checker) and shape-inferred; its inputs must be float32 with static
    shapes. Returns the MLIR text: linalg on tensors, NCHW, every parameter a dense_resource blob,
    ops consuming parameters located at their module's name. Raises InvalidModelError (a
    ValueError naming the file) for a file that is not a valid ONNX model or has dynamic shapes,
    UnsupportedOperatorError (op type and "<file>:node <index> '<node name>'") for an operator
    outside the supported set.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError("function name %r is not an identifier" % (name,))
    model, source = _load(path_or_model)
    model = _check(model, source)
    translator = _Translator(model, source, name)
    args, results = translator.run()
    graph_name = model.graph.name or "graph"
    header = "Imported from ONNX (%s, graph %s, opset %d) by mlg.from_onnx." % (
        os.path.basename(source), graph_name, translator.opset)
    return translator.em.module(name, args, results, header)


__all__ = ["InvalidModelError", "from_onnx"]
