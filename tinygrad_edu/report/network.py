"""The report's network: hand-derived backprop by the δ-recursion, pure numpy (lesson 5)

This module turns the network of a statistics student's homework report into
real, tested code.  The report trained a 784-600-400-10 ReLU network (softmax
output, cross-entropy loss) on Fashion-MNIST with mini-batch gradient descent
with momentum, and reached 88.84% test accuracy.  Its gradients were derived
*by hand* with the δ-recursion, and that is exactly what this file does: there
is no autograd here, only the equations, written out in numpy.

The module imports nothing from the rest of tinygrad_edu (only numpy and the
standard library).  That independence is the point: when the autograd engines
and this file agree on a gradient, two separate derivations agree, not one
piece of code with itself.

Conventions (the report's, which are the classic "network from scratch" ones)
----------------------------------------------------------------------------
* Data arrive row-major, one example per row: ``x`` has shape (m, n_0) and
  the one-hot labels ``y`` have shape (m, n_L).
* Inside the network everything is column-major, one example per *column*.
  The input is the transposed view ``A0 = xᵀ`` of shape (n_0, m); no copy.
* Layer k (k = 1 .. L) has a weight matrix ``W_k`` of shape (n_k, n_{k-1}) and
  a bias column ``b_k`` of shape (n_k, 1).  They live in ``params["Wk"]`` and
  ``params["bk"]``; their gradients live in ``grads`` under the same keys.

Forward pass (``feed_forward``)::

    A0  = xᵀ
    Z_k = W_k A_{k-1} + b_k           k = 1 .. L
    A_k = act(Z_k)                    k = 1 .. L-1   (hidden layers)
    A_L = softmax(Z_L)                the predicted probabilities ŷ, per column

Loss (``cross_entropy_loss``), averaged over the m examples of the batch::

    loss = -(1/m) Σ_examples Σ_classes  y · log ŷ

Backward pass (``back_propagate``), the δ-recursion of the report::

    δ_L = ŷ - y                                  (softmax + cross-entropy)
    δ_k = (W_{k+1}ᵀ δ_{k+1}) ⊙ act'(Z_k)         k = L-1 .. 1
    dW_k = δ_k A_{k-1}ᵀ / m
    db_k = mean of δ_k over the batch            shape (n_k, 1)

In the code the local ``dZ`` is the true derivative ∂loss/∂Z_k, which is
``δ_k / m``.  Dividing by m once, at the top, is the same arithmetic as
dividing every dW_k and db_k by m (the recursion is linear in δ), but it
touches a 10 × m matrix instead of every weight matrix.  With that, the lines
read ``dW = dZ A_prevᵀ`` and ``db = row sums of dZ``.

Update (``optimize``): plain SGD ``w ← w - η g`` or momentum::

    v ← β v + (1 - β) g          (v starts at 0; one v per parameter)
    w ← w - η v

The report *printed* ``v ← β v - (1 - β) ∇L``, which combined with
``w ← w - η v`` would climb the loss: a sign typo.  The rule its code
actually ran, and the one implemented here, is the one above.

Speed notes: float32 stays float32 (python scalars do not promote numpy
arrays, and lr/β are turned into python floats), ``W @ xᵀ`` runs on the
transposed view, and parameter and velocity updates happen in place.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from tinygrad_edu.report._checks import (
    check_chunk_size,
    check_fresh_output,
    check_network_args,
    check_output,
    check_step_args,
    check_train_args,
    check_weight_pairs,
    check_x,
    check_y,
    chunks,
)
from tinygrad_edu.report.activations import ACTIVATIONS, softmax


class ShallowNeuralNetwork:
    """A fully connected softmax classifier with hand-derived backprop.

    The name and the method names (``feed_forward``, ``back_propagate``,
    ``optimize``, ``train``) are the report's.  Unlike the report's class,
    any depth works: ``sizes`` lists the layer widths, input first, so
    ``(784, 600, 400, 10)`` has two hidden layers and ``(784, 10)`` none.

    Args:
        sizes: layer widths, input first, classes last; at least two
            positive ints.
        epochs: passes over the training set made by ``train``.
        activation: hidden-layer activation, one of ``"relu"``,
            ``"sigmoid"``, ``"tanh"``, ``"hardtanh"`` (``"hard_tanh"`` is
            accepted as a spelling of the last).  The output layer is always
            softmax.
        seed: seeds both the weight initialisation and the per-epoch
            shuffling, so equal seeds give identical runs.
        dtype: ``"float32"`` or ``"float64"``; all arrays use it.

    Initialisation (what the report's code most likely did)::

        rng = np.random.default_rng(seed)
        W_k = rng.standard_normal((n_k, n_{k-1})) * sqrt(1 / n_{k-1})
        b_k = zeros((n_k, 1))

    drawn in float64 in the order W1, W2, ... and then cast to ``dtype``, so
    a float32 and a float64 network with the same seed start from the same
    weights (up to rounding).  Scaling by sqrt(1/fan_in) keeps the variance
    of Z_k near that of the layer's inputs, layer after layer.

    Attributes:
        params: ``{"W1": ..., "b1": ..., "W2": ...}``, W_k (n_k, n_{k-1}),
            b_k (n_k, 1).
        grads: same keys and shapes; filled by ``back_propagate``.
        velocity: the momentum state v, same keys and shapes, starts at 0.
        cache: the ``Z_k``/``A_k`` of the last ``feed_forward`` (keys
            ``"A0"``, ``"Z1"``, ``"A1"``, ...), needed by ``back_propagate``.
        weight_updates: how many times ``optimize`` or ``set_weights`` has
            changed the weights; ``back_propagate`` uses it to refuse a cache
            made with older weights.
        history: the per-epoch metrics of the last ``train`` call.
    """

    def __init__(
        self,
        sizes=(784, 600, 400, 10),
        epochs: int = 10,
        activation: str = "relu",
        seed: int = 0,
        dtype="float32",
    ) -> None:
        sizes, epochs, activation, seed, dtype = check_network_args(sizes, epochs, activation, seed, dtype)
        self.sizes = sizes
        self.n_layers = len(sizes) - 1  # L: the number of weight layers
        self.epochs = epochs
        self.activation = activation
        self._act, self._act_prime = ACTIVATIONS[activation]
        self.seed = seed
        self.dtype = dtype

        rng = np.random.default_rng(self.seed)
        self.params: dict[str, np.ndarray] = {}
        for k in range(1, self.n_layers + 1):
            n_in, n_out = self.sizes[k - 1], self.sizes[k]
            W = rng.standard_normal((n_out, n_in)) * np.sqrt(1.0 / n_in)
            self.params[f"W{k}"] = W.astype(dtype)
            self.params[f"b{k}"] = np.zeros((n_out, 1), dtype=dtype)
        self.grads = {key: np.zeros_like(p) for key, p in self.params.items()}
        self.velocity = {key: np.zeros_like(p) for key, p in self.params.items()}
        self.cache: dict[str, np.ndarray] | None = None
        self.weight_updates = 0
        self._cache_weight_updates = 0  # weight_updates when the cache was made
        self.history: dict[str, list[float]] = {}
        # A separate stream for shuffling, derived from the same seed.
        self._shuffle_rng = np.random.default_rng([self.seed, 1])

    def __repr__(self) -> str:
        return (
            f"ShallowNeuralNetwork(sizes={list(self.sizes)}, epochs={self.epochs}, "
            f"activation={self.activation!r}, seed={self.seed}, dtype={self.dtype.name!r})"
        )

    # -- input checks (the rules are in _checks.py) ------------------------

    def _check_x(self, x, name: str = "x") -> np.ndarray:
        return check_x(x, self.sizes[0], self.dtype, name)

    def _check_y(self, y, output_shape: tuple[int, int], name: str = "y") -> np.ndarray:
        return check_y(y, output_shape, self.dtype, name)

    def _check_output(self, output) -> np.ndarray:
        return check_output(output, self.sizes[-1], self.dtype)

    # -- forward -------------------------------------------------------------

    def _forward(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Run the forward pass on a checked x; return the cache of Z_k, A_k."""
        L = self.n_layers
        A = x.T  # A0: features × batch, a view
        cache = {"A0": A}
        for k in range(1, L + 1):
            Z = self.params[f"W{k}"] @ A  # Z_k = W_k A_{k-1}
            Z += self.params[f"b{k}"]  #       + b_k  (in place, broadcast over columns)
            A = self._act(Z) if k < L else softmax(Z)  # A_k = act(Z_k); A_L = softmax(Z_L)
            cache[f"Z{k}"] = Z
            cache[f"A{k}"] = A
        return cache

    def feed_forward(self, x) -> np.ndarray:
        """Forward pass of a batch x of shape (m, n_0).

        Returns the softmax output ŷ = A_L of shape (n_L, m), one column of
        class probabilities per example, and keeps the cache of every Z_k and
        A_k in ``self.cache`` for ``back_propagate``.
        """
        x = self._check_x(x)
        self.cache = None  # free the last batch's arrays first: halves peak memory
        self.cache = self._forward(x)
        self._cache_weight_updates = self.weight_updates
        return self.cache[f"A{self.n_layers}"]

    # -- backward ------------------------------------------------------------

    def back_propagate(self, y, output) -> dict[str, np.ndarray]:
        """Backward pass by the δ-recursion; fills and returns ``self.grads``.

        Args:
            y: one-hot labels of shape (m, n_L).
            output: the very array ŷ of shape (n_L, m) that the latest
                ``feed_forward`` returned (its cache supplies the Z_k and A_k).

        The gradients are those of the batch-mean cross-entropy loss.

        Raises ValueError if ``output`` is not that array (an older batch's
        output, a copy, a slice: its cache is gone, so the gradients would mix
        two batches) and RuntimeError if ``optimize`` or ``set_weights``
        changed the weights since that ``feed_forward`` (the cache holds the
        old weights' Z_k, A_k).  Editing ``params`` or ``output`` in place is
        not detected: run ``feed_forward`` again after doing so.
        """
        if self.cache is None:
            raise RuntimeError("back_propagate needs the cache of a feed_forward call; run it first")
        cache = self.cache
        check_fresh_output(output, cache, self.n_layers, self.weight_updates - self._cache_weight_updates)
        y = self._check_y(y, output.shape)
        m = output.shape[1]

        # Output layer: softmax + cross-entropy give δ_L = ŷ - y; dZ = δ_L / m.
        dZ = (output - y.T) / m
        for k in range(self.n_layers, 0, -1):
            A_prev = cache[f"A{k - 1}"]
            self.grads[f"W{k}"] = dZ @ A_prev.T  # dW_k = δ_k A_{k-1}ᵀ / m
            self.grads[f"b{k}"] = dZ.sum(axis=1, keepdims=True)  # db_k = mean_batch δ_k
            if k > 1:  # (nothing to pass back into the input A0)
                dA_prev = self.params[f"W{k}"].T @ dZ  # ∂loss/∂A_{k-1} = W_kᵀ δ_k / m
                act_prime = self._act_prime(cache[f"Z{k - 1}"], A_prev)
                # δ_{k-1} = (W_kᵀ δ_k) ⊙ act'(Z_{k-1}); written over dA_prev, no longer needed.
                dZ = np.multiply(dA_prev, act_prime, out=dA_prev)
        return self.grads

    # -- update --------------------------------------------------------------

    def optimize(self, l_rate: float = 0.01, optimizer: str = "momentum", beta: float = 0.8) -> None:
        """One update of every parameter from ``self.grads``, in place.

        ``optimizer="sgd"``:       w ← w - η g
        ``optimizer="momentum"``:  v ← β v + (1 - β) g;  w ← w - η v

        with η = ``l_rate`` and the velocities v kept in ``self.velocity``
        from one call to the next.  ``beta`` is ignored by sgd.
        """
        l_rate, beta = check_step_args(l_rate, optimizer, beta)
        self.weight_updates += 1
        for key, w in self.params.items():
            g = self.grads[key]
            if optimizer == "sgd":
                w -= l_rate * g
            else:
                v = self.velocity[key]
                v *= beta
                v += (1 - beta) * g
                w -= l_rate * v

    def train_step(self, x, y, l_rate: float = 0.01, optimizer: str = "momentum", beta: float = 0.8) -> None:
        """One mini-batch step: feed_forward, back_propagate, optimize."""
        output = self.feed_forward(x)
        self.back_propagate(y, output)
        self.optimize(l_rate, optimizer, beta)

    # -- evaluation ----------------------------------------------------------

    def cross_entropy_loss(self, y, output) -> float:
        """-(1/m) Σ y log ŷ for one-hot y (m, n_L) and output ŷ (n_L, m).

        ŷ is clipped below at the smallest positive normal float of its
        dtype before the log, so a probability that underflowed to 0 costs
        a large finite loss instead of producing inf or nan.
        """
        output = self._check_output(output)
        y = self._check_y(y, output.shape)
        tiny = np.finfo(output.dtype).tiny
        log_p = np.log(np.maximum(output, tiny))
        return float(-np.sum(y.T * log_p) / output.shape[1])

    def accuracy(self, y, output) -> float:
        """Fraction of examples whose most probable class is the labelled one."""
        output = self._check_output(output)
        y = self._check_y(y, output.shape)
        return float(np.mean(np.argmax(output, axis=0) == np.argmax(y, axis=1)))

    def predict(self, x, chunk_size: int = 8192) -> np.ndarray:
        """Predicted class index for each row of x, shape (m,).

        Does not touch ``self.cache``.
        """
        x = self._check_x(x)
        check_chunk_size(chunk_size)
        L = self.n_layers
        return np.concatenate(
            [np.argmax(self._forward(x[rows])[f"A{L}"], axis=0) for rows in chunks(len(x), chunk_size)]
        )

    def evaluate(self, x, y, chunk_size: int = 8192) -> tuple[float, float]:
        """(mean cross-entropy loss, accuracy) over a whole data set.

        The forward pass runs on ``chunk_size`` rows at a time so that a large
        set (the report's 55000 training images) never needs all its
        activations in memory at once.  Does not touch ``self.cache``.
        """
        x = self._check_x(x)
        y = self._check_y(y, (self.sizes[-1], x.shape[0]))
        check_chunk_size(chunk_size)
        L = self.n_layers
        total_loss = 0.0
        total_correct = 0.0
        for rows in chunks(len(x), chunk_size):
            output = self._forward(x[rows])[f"A{L}"]
            n_rows = output.shape[1]
            total_loss += self.cross_entropy_loss(y[rows], output) * n_rows
            total_correct += self.accuracy(y[rows], output) * n_rows
        return total_loss / len(x), total_correct / len(x)

    # -- training ------------------------------------------------------------

    def train(
        self,
        x_train,
        y_train,
        x_val,
        y_val,
        batch_size: int = 500,
        optimizer: str = "momentum",
        l_rate: float = 0.01,
        beta: float = 0.8,
        verbose: bool = False,
        callback: Callable[[int, dict], bool | None] | None = None,
    ) -> dict[str, list[float]]:
        """Mini-batch training for ``self.epochs`` epochs, as in the report.

        Each epoch shuffles the training set (with the network's own seeded
        generator), walks through it in mini-batches of ``batch_size`` (the
        last, smaller batch included) doing feed_forward, back_propagate and
        optimize on each, then records loss and accuracy on the whole
        training and validation sets.

        Args:
            x_train, x_val: inputs of shape (n, n_0).
            y_train, y_val: one-hot labels of shape (n, n_L).
            batch_size: examples per update, a positive int.
            optimizer, l_rate, beta: as for ``optimize``.
            verbose: print one line of metrics per epoch, as the report did.
            callback: if given, called as ``callback(epoch, history)`` after
                each epoch (epoch counts from 1); returning True stops
                training early.

        Returns:
            ``{"train_loss": [...], "train_accuracy": [...], "val_loss": [...],
            "val_accuracy": [...]}``, one entry per epoch; also kept as
            ``self.history``.
        """
        check_step_args(l_rate, optimizer, beta)
        check_train_args(batch_size, callback, verbose)
        x_train = self._check_x(x_train, "x_train")
        y_train = self._check_y(y_train, (self.sizes[-1], x_train.shape[0]), "y_train")
        x_val = self._check_x(x_val, "x_val")
        y_val = self._check_y(y_val, (self.sizes[-1], x_val.shape[0]), "y_val")

        history: dict[str, list[float]] = {
            "train_loss": [],
            "train_accuracy": [],
            "val_loss": [],
            "val_accuracy": [],
        }
        self.history = history
        n = x_train.shape[0]
        start_time = time.perf_counter()
        for epoch in range(1, self.epochs + 1):
            order = self._shuffle_rng.permutation(n)
            for rows in chunks(n, batch_size):
                batch = order[rows]
                output = self.feed_forward(x_train[batch])
                self.back_propagate(y_train[batch], output)
                self.optimize(l_rate, optimizer, beta)

            train_loss, train_accuracy = self.evaluate(x_train, y_train)
            val_loss, val_accuracy = self.evaluate(x_val, y_val)
            history["train_loss"].append(train_loss)
            history["train_accuracy"].append(train_accuracy)
            history["val_loss"].append(val_loss)
            history["val_accuracy"].append(val_accuracy)
            if verbose:
                print(
                    f"Epoch {epoch}/{self.epochs}: {time.perf_counter() - start_time:.2f}s, "
                    f"train loss {train_loss:.4f}, train acc {train_accuracy:.4f}, "
                    f"val loss {val_loss:.4f}, val acc {val_accuracy:.4f}"
                )
            if callback is not None and callback(epoch, history):
                break
        return history

    # -- weights in the autograd engine's layout ------------------------------

    def get_weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Copies of the weights in the layout of the autograd ``nn.Linear``.

        Returns a list with one ``(weight, bias)`` pair per layer, first
        layer first: ``weight`` is W_k, shape (n_k, n_{k-1}), and ``bias`` is
        b_k flattened to shape (n_k,).  Plain numpy arrays, copied, so
        changing them does not change the network.
        """
        return [
            (self.params[f"W{k}"].copy(), self.params[f"b{k}"].reshape(-1).copy())
            for k in range(1, self.n_layers + 1)
        ]

    def set_weights(self, weights) -> None:
        """Load ``(weight, bias)`` pairs as returned by ``get_weights``.

        ``weight`` must have shape (n_k, n_{k-1}); ``bias`` shape (n_k,) or
        (n_k, 1).  Values are copied into the existing arrays (cast to the
        network's dtype).  The momentum velocity is reset to 0, since it
        belonged to the old weights.
        """
        checked = check_weight_pairs(weights, self.params, self.n_layers)
        for k, (weight, bias) in enumerate(checked, start=1):  # all checked: now copy
            self.params[f"W{k}"][...] = weight
            self.params[f"b{k}"][...] = bias.reshape(-1, 1)
        for v in self.velocity.values():
            v.fill(0)
        self.weight_updates += 1

    #: Aliases of get_weights / set_weights under the engine-flavoured names.
    to_linear_state = get_weights
    from_linear_state = set_weights
