"""Python's protocols for Tensor: truth, len, iteration, float/int and numpy conversion, as PyTorch.

Python calls these without being asked — `if t:`, `for row in t:`, `float(t)`, `np.asarray(t)` —
so each refuses what would be ambiguous, instead of guessing:
    bool(t)        the truth of a one-element tensor; RuntimeError for more (or no) elements
    len(t)         the size of the first axis; TypeError for a 0-d tensor
    iter(t)        the rows t[0], t[1], … (each in the graph, like t[i]); TypeError for a 0-d tensor
    float(t), int(t)   the single element (int truncates); ValueError for more elements
    np.asarray(t)  the data, for a tensor outside the graph; RuntimeError if it requires grad
The last one is PyTorch's rule too: numpy would read the values and drop the graph without a word,
so a gradient could silently stop. Say it with `t.detach().numpy()` (or `t.numpy()`, `t.data`).
"""



class ProtocolOps:
    """`__bool__ __len__ __iter__ __float__ __int__ __array__` of `Tensor`."""

    __slots__ = ()

    def __bool__(self):
        if self.size != 1:
            amount = "no values" if self.size == 0 else "more than one value"
            raise RuntimeError(
                f"Boolean value of a Tensor with {amount} (shape {self.shape}) is ambiguous: "
                "say which you mean, e.g. bool(t.data.any()) or bool(t.data.all())"
            )
        return bool(self.data.reshape(()))

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor: it has no first axis (use t.size or t.item())")
        return self.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor: it has no rows (use t.item())")
        return (self[i] for i in range(self.shape[0]))

    def __float__(self):
        return float(self._only_element("float"))

    def __int__(self):
        return int(self._only_element("int"))  # truncates toward 0, as int(2.7) and PyTorch do

    def _only_element(self, caller):
        if self.size != 1:
            raise ValueError(
                f"{caller}() needs a tensor with one element (only one-element tensors are numbers), "
                f"got shape {self.shape}"
            )
        return self.data.reshape(()).item()

    def __array__(self, dtype=None, copy=None):
        if self.requires_grad:
            raise RuntimeError(
                "np.asarray() of a Tensor that requires grad would drop its graph silently: "
                "use t.detach().numpy() (or t.numpy(), t.data) to take the values out of the graph"
            )
        array = self.data if dtype is None else self.data.astype(dtype, copy=False)
        return array.copy() if copy else array
