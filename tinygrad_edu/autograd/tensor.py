"""Tensor: the array autograd engine over numpy (lesson 4).

Each op computes its result with numpy and defines, right beside it, the
function that maps the gradient of the result, g = ∂L/∂out, to the gradients
∂L/∂input of each input (None for inputs that need no gradient).
`backward()` calls those functions over the graph in reverse topological order.
The ops live in `ops/`, one family per module (arithmetic, reductions, shape,
functions, activations, …); this module holds what every tensor is: its data, its dtype and
the backward pass.

Dtypes: float32 by default (numbers, lists, integer arrays), float64 when asked
or when built from a float64 numpy array. An op never changes a dtype: numbers
and arrays combined with a tensor are taken in its dtype, and mixing a float32
Tensor with a float64 Tensor is an error. Comparisons (`x > 0`) give bool tensors, outside the
graph; in arithmetic a bool tensor is taken in the other operand's dtype (float32 beside a number),
so `(x > 0) * x` keeps x's dtype, as in PyTorch.
"""

import numpy as np

from tinygrad_edu.autograd._checks import check_flag, float_dtype, refuse_huge_ints
from tinygrad_edu.autograd.backward import backpropagate
from tinygrad_edu.autograd.grad_mode import grad_mode
from tinygrad_edu.autograd.ops.activations import ActivationOps
from tinygrad_edu.autograd.ops.arithmetic import ArithmeticOps
from tinygrad_edu.autograd.ops.comparison import ComparisonOps
from tinygrad_edu.autograd.ops.elementwise import ElementwiseOps
from tinygrad_edu.autograd.ops.extrema import ExtremaOps
from tinygrad_edu.autograd.ops.functions import FunctionOps
from tinygrad_edu.autograd.ops.indexing import IndexingOps
from tinygrad_edu.autograd.ops.joining import JoiningOps
from tinygrad_edu.autograd.ops.layout import LayoutOps
from tinygrad_edu.autograd.ops.protocols import ProtocolOps
from tinygrad_edu.autograd.ops.reductions import ReductionOps
from tinygrad_edu.autograd.ops.shape import ShapeOps
from tinygrad_edu.autograd.ops.statistics import StatisticsOps
from tinygrad_edu.autograd.ops.windows import WindowOps
from tinygrad_edu.autograd.scalar import Value

MIXED_ENGINES = (
    "a Tensor and a Value do not mix: the two engines keep separate graphs, so no gradient could "
    "cross between them; use Tensor(v.data) for a Value's number, or Value(t.item()) for a tensor's"
)


class Tensor(
    ArithmeticOps, ReductionOps, ExtremaOps, ShapeOps, FunctionOps, ElementwiseOps, ComparisonOps,
    JoiningOps, LayoutOps, IndexingOps, WindowOps, ActivationOps, StatisticsOps, ProtocolOps,
):
    """An n-dimensional array that records the ops applied to it.

    `data` is a numpy array; `grad` is None until `backward()` reaches this
    tensor, then an array of the same shape holding ∂root/∂self. Gradients of
    leaves (tensors created by the user) accumulate until `zero_grad()`. As in
    PyTorch, a tensor computed by an op drops its gradient once backward has
    passed it on (that memory is the peak of a training step), unless
    `retain_grad()` was called on it.

    `Tensor(array)` copies the array, like `torch.tensor`: a caller who changes
    the array afterwards cannot change a result or a gradient computed from it.
    `.numpy()`, `detach()` and `Tensor.from_numpy` share memory, as in PyTorch.
    """

    __slots__ = ("data", "grad", "requires_grad", "_parents", "_backward", "_op", "_retains_grad")
    __array_ufunc__ = None  # `ndarray * tensor` defers to Tensor.__rmul__ instead of looping over elements

    def __init__(self, data, requires_grad=False, dtype=None):
        if isinstance(data, Tensor):
            raise TypeError("Tensor(Tensor) is ambiguous: use t.detach(), or Tensor(t.data)")
        if isinstance(data, Value):
            raise TypeError(MIXED_ENGINES)
        try:
            array = np.asarray(data)
        except ValueError as error:  # ragged nested lists
            raise ValueError(f"Tensor needs a rectangular array of numbers: {error}") from None
        if not isinstance(data, (np.ndarray, np.generic)) and array.dtype.kind in "Ouf":
            refuse_huge_ints(data, array)
        if dtype is None:  # numpy floats keep their precision; everything else becomes float32
            keep = isinstance(data, (np.ndarray, np.generic)) and array.dtype.kind == "f"
            dtype = array.dtype if keep else np.float32
        if array.dtype.kind not in "biuf":
            raise TypeError(f"Tensor needs numbers, got an array of dtype {array.dtype}")
        self.data = np.array(array, dtype=float_dtype(dtype))  # a copy, like torch.tensor: see below
        self.grad = None
        self.requires_grad = check_flag("Tensor", "requires_grad", requires_grad)
        self._parents = ()
        self._backward = None
        self._op = ""
        self._retains_grad = False

    @classmethod
    def from_numpy(cls, array, requires_grad=False):
        """A Tensor sharing memory with a float32/float64 numpy array, like `torch.from_numpy`:
        changing one changes the other (`Tensor(array)` copies instead)."""
        if not isinstance(array, np.ndarray) or array.dtype not in (np.float32, np.float64):
            shown = array.dtype if isinstance(array, np.ndarray) else type(array).__name__
            raise TypeError(f"from_numpy needs a float32 or float64 numpy array, got {shown}")
        out = cls._from_op(array, (), None, "")
        out.requires_grad = check_flag("Tensor.from_numpy", "requires_grad", requires_grad)
        return out

    @classmethod
    def _from_op(cls, data, parents, backward, op):
        """The result of an op: records parents and backward only when a gradient is needed."""
        out = cls.__new__(cls)
        out.data, out.grad, out._op = np.asarray(data), None, op  # a full reduction gives a numpy scalar
        if parents and op not in _CASTS:
            _check_result_dtype(out.data.dtype, parents, op)
        out._retains_grad = False
        out.requires_grad = grad_mode.enabled and any(p.requires_grad for p in parents)
        out._parents = parents if out.requires_grad else ()
        out._backward = backward if out.requires_grad else None
        return out

    # ---- properties and conversions ----
    shape = property(lambda self: self.data.shape, doc="The shape of `data`.")
    dtype = property(
        lambda self: self.data.dtype, doc="float32 or float64 (bool for a comparison, int64 for argmax)."
    )
    ndim = property(lambda self: self.data.ndim, doc="The number of axes.")
    size = property(lambda self: self.data.size, doc="The number of elements.")

    def __repr__(self):
        grad = ", requires_grad=True" if self.requires_grad else ""
        body = np.array2string(self.data, precision=4, separator=", ", prefix="Tensor(")
        return f"Tensor({body}, dtype={self.dtype}{grad})"

    def numpy(self):
        """The data as a numpy array (shares memory, like PyTorch's `.numpy()`)."""
        return self.data

    def item(self):
        """The single element of a one-element tensor, as a Python float."""
        if self.size != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        return float(self.data.reshape(()))

    def detach(self):
        """A tensor sharing `data` but cut from the graph (no gradient flows back)."""
        return Tensor._from_op(self.data, (), None, "")

    def zero_grad(self):
        """Forget the accumulated gradient (sets `grad` to None, like PyTorch)."""
        self.grad = None

    def retain_grad(self):
        """Keep this computed tensor's `.grad` after backward (leaves always keep theirs)."""
        self._retains_grad = True
        return self

    def _constant(self, value):
        """A number or array as a Tensor in this tensor's dtype; Tensors pass through.

        A bool tensor is taken in a float tensor's dtype (either side), and a number beside a
        bool tensor as float32, as in PyTorch: `(x > 0) * x` and `(x > 0) * 2.0` are float tensors.
        """
        if isinstance(value, Tensor):
            if value.dtype == self.dtype or self.dtype == bool and value.dtype.kind == "f":
                return value  # (numpy takes the bool side in the float dtype)
            if value.dtype == bool and self.dtype.kind == "f":
                return Tensor._from_op(value.data.astype(self.dtype), (), None, "")
            raise TypeError(
                f"dtype mismatch: {self.dtype} and {value.dtype} tensors; "
                "convert one of them explicitly (dtypes are never changed silently)"
            )
        if isinstance(value, Value):
            raise TypeError(MIXED_ENGINES)
        if isinstance(value, np.ndarray):  # a copy: changing the array after the op cannot change a gradient
            value = value.copy()
        return Tensor(value, dtype=np.float32 if self.dtype == bool else self.dtype)

    # ---- reverse mode ----
    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        """Compute ∂self/∂t for every tensor t this one depends on (`t.grad`).

        `gradient` is ∂L/∂self for some outer L; it may be omitted only for a
        one-element tensor, where it is 1. Leaves accumulate into `.grad`;
        computed tensors drop theirs once passed on, unless `retain_grad()`
        was called (then they hold this call's gradient only).

        With `create_graph=True` the gradients are Tensors with a graph of their
        own (differentiate them again for second derivatives); otherwise numpy
        arrays. The graph is freed on the way unless `retain_graph=True`
        (the default is `create_graph`), as in PyTorch.
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() through a tensor that does not require grad: none of the "
                "tensors it was computed from has requires_grad=True (or it was made "
                "under no_grad())"
            )
        create_graph = check_flag("backward()", "create_graph", create_graph)
        seed = self._seed(gradient, "backward()")
        if retain_graph is not None:
            retain_graph = check_flag("backward()", "retain_graph", retain_graph)
        retain_graph = create_graph if retain_graph is None else retain_graph
        handed_out = set()  # arrays already some tensor's .grad: the next one gets a copy
        for node, grad in backpropagate((self,), (seed,), retain_graph, create_graph):
            if create_graph:
                leaf_sum = not node._parents and node.grad is not None
                node.grad = node._constant(node.grad) + grad if leaf_sum else grad
                continue
            array = grad.data
            if id(array) in handed_out or not (array.flags.owndata and array.flags.writeable):
                array = array.copy()  # never an array that another tensor, or a read-only view, holds
            handed_out.add(id(array))
            leaf_sum = not node._parents and node.grad is not None
            node.grad = np.asarray(node.grad + array) if leaf_sum else array

    _backpropagate = staticmethod(backpropagate)  # for `grad`, which serves both engines

    def _seed(self, gradient, caller, argument="gradient"):
        """∂L/∂self as a Tensor of this shape and dtype: `gradient` (copied), or 1 for one element."""
        if gradient is None:
            if self.size != 1:
                raise RuntimeError(
                    f"{caller} on a tensor of shape {self.shape} needs {argument}= of that "
                    "shape (∂L/∂self); for a loss, reduce it first, e.g. t.sum().backward()"
                )
            return Tensor(np.ones_like(self.data))
        if isinstance(gradient, Tensor):
            gradient = gradient if gradient.requires_grad else gradient.data
        if not isinstance(gradient, Tensor):
            gradient = np.array(gradient)  # our own copy
            if gradient.dtype.kind not in "biuf":
                raise TypeError(f"{caller}: gradient must hold numbers, got dtype {gradient.dtype}")
            gradient = Tensor(gradient.astype(self.dtype, copy=False))
        if gradient.dtype != self.dtype:
            raise TypeError(f"{caller}: gradient has dtype {gradient.dtype}, the tensor {self.dtype}")
        if gradient.shape != self.shape:
            raise ValueError(
                f"{caller}: gradient has shape {gradient.shape}, but the tensor has shape {self.shape}"
            )
        return gradient


_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_CASTS = ("float", "double")  # the ops whose job is to change a dtype


def _check_result_dtype(dtype, parents, op):
    """TypeError unless an op keeps its inputs' dtype, or gives the float dtype of one of them.

    What numpy would otherwise do to a bool (or int64) tensor is refused: exp(bool) is float16,
    sum(bool) is int64, bool / bool is float64; PyTorch's rules differ, so we ask for a cast.
    """
    kinds = {p.data.dtype for p in parents}
    if kinds == {dtype} or dtype in _FLOATS and dtype in kinds:
        return
    names = " and ".join(sorted(str(kind) for kind in kinds))
    raise TypeError(f"{op} of a {names} tensor would give {dtype}: cast it first with .float() or .double()")
