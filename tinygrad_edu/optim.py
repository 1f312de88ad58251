"""Optimizers: SGD with momentum (the report's rule among its settings) and Adam (lesson 7).

Each `step()` updates the parameters in place from their `.grad`, under the
formulas in the class docstrings; g is a parameter's gradient, w the parameter.

A step allocates no arrays: each parameter has a scratch array of its own shape,
kept by the optimizer, into which the update's terms (such as lr · v) are written
with numpy's `out=` before they are applied, rather than megabytes of fresh
temporaries per step.
"""

import math
import numbers

import numpy as np

from tinygrad_edu.tensor import Tensor


class Optimizer:
    """Holds the parameters; `zero_grad()` clears their gradients, `step()` updates them."""

    _buffers = ()  # names of the per-parameter lists that step() carries from call to call

    def __init__(self, params, lr):
        if isinstance(params, Tensor):  # list(t) would give t's rows: new tensors, never the leaf itself
            raise TypeError(f"{type(self).__name__}: pass a list of parameters, e.g. [w], not a Tensor")
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got an empty list of parameters")
        for i, p in enumerate(self.params):
            if not isinstance(p, Tensor) or not p.requires_grad:
                raise TypeError(
                    f"{type(self).__name__}: parameter {i} is not a Tensor with requires_grad=True"
                )
            if p._parents:  # updating a computed tensor would never reach the leaves it came from
                raise ValueError(f"{type(self).__name__}: parameter {i} was computed by an op, not a leaf")
        if len({id(p) for p in self.params}) != len(self.params):
            raise ValueError(f"{type(self).__name__}: a parameter appears twice; it would be updated twice")
        self.lr = _check_range("lr", lr, low=0.0, low_open=True)
        self._scratch = [None] * len(self.params)  # see _scratch_for

    def zero_grad(self):
        for p in self.params:
            p.zero_grad()

    def step(self):
        raise NotImplementedError

    def state_dict(self):
        """{"<buffer>.<i>": array} for each running buffer (e.g. velocity.0): savable with np.savez."""
        return {
            f"{name}.{i}": np.array(value)
            for name in self._buffers
            for i, value in enumerate(getattr(self, name) or [])
        }

    def load_state_dict(self, state):
        """Restore what `state_dict()` returned; names and shapes must match."""
        current = self.state_dict()
        if current.keys() != state.keys():
            missing, unexpected = sorted(current.keys() - state.keys()), sorted(state.keys() - current.keys())
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        for key, value in current.items():
            if np.shape(state[key]) != value.shape:
                raise ValueError(
                    f"load_state_dict: {key!r} has shape {np.shape(state[key])}, expected {value.shape}"
                )
        for key in current:
            name, i = key.rsplit(".", 1)
            buffer = getattr(self, name)
            if isinstance(buffer[int(i)], np.ndarray):
                buffer[int(i)][...] = state[key]
            else:  # a per-parameter count, such as Adam's t
                buffer[int(i)] = type(buffer[int(i)])(state[key])

    def _scratch_for(self, i):
        """Parameter i's scratch array, for the terms of its update; made at its first step
        (as PyTorch makes its momentum buffers), so a parameter that never steps costs nothing."""
        if self._scratch[i] is None:
            self._scratch[i] = np.empty_like(self.params[i].data)
        return self._scratch[i]

    def _params_with_grad(self):
        """(index, parameter) for parameters that received a gradient since the last zero_grad."""
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            if np.shape(p.grad) != p.shape:
                raise ValueError(
                    f"{type(self).__name__}.step(): parameter {i} has shape {p.shape} but its .grad "
                    f"has shape {np.shape(p.grad)}"
                )
            yield i, p


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum (PyTorch's parameters).

        v ← μ v + (1 − dampening) g          (v starts at 0; only if momentum μ > 0)
        w ← w − lr · v                        (or w − lr · (g + μ v) with nesterov=True)

    The report's rule  v ← βv + (1−β)g; w ← w − ηv  is SGD(lr=η, momentum=β, dampening=β).
    One difference from PyTorch: PyTorch's first step sets v = g, ignoring
    dampening; here v starts at 0, as in the report, so the two agree from step 1.
    """

    _buffers = ("velocity",)

    def __init__(self, params, lr, momentum=0.0, dampening=0.0, nesterov=False):
        super().__init__(params, lr)
        momentum = _check_range("momentum", momentum, low=0.0, high=1.0)
        dampening = _check_range("dampening", dampening, low=0.0, high=1.0)
        if not isinstance(nesterov, bool):
            raise TypeError(f"SGD: nesterov must be True or False, got {nesterov!r}")
        if nesterov and (momentum == 0 or dampening != 0):
            raise ValueError(
                f"SGD: nesterov=True needs momentum > 0 and dampening = 0, "
                f"got momentum={momentum} and dampening={dampening}"
            )
        self.momentum, self.dampening, self.nesterov = momentum, dampening, nesterov
        self.velocity = [np.zeros_like(p.data) for p in self.params] if momentum else None

    def step(self):
        for i, p in self._params_with_grad():
            scratch = self._scratch_for(i)
            direction = p.grad
            if self.momentum:
                v = self.velocity[i]
                v *= self.momentum
                if self.dampening:
                    v += np.multiply(p.grad, 1 - self.dampening, out=scratch)
                else:  # (1 − 0) · g is g: skip a pass over the array
                    v += p.grad
                direction = v
                if self.nesterov:
                    direction = np.add(p.grad, np.multiply(v, self.momentum, out=scratch), out=scratch)
            p.data -= np.multiply(direction, self.lr, out=scratch)


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): per-parameter steps from running moments of g.

        m ← β₁ m + (1 − β₁) g,   s ← β₂ s + (1 − β₂) g²            (both start at 0)
        w ← w − lr · m̂ / (√ŝ + eps),  m̂ = m / (1 − β₁ᵗ),  ŝ = s / (1 − β₂ᵗ)

    t counts the steps that updated this parameter's m and s (as in PyTorch), so a
    parameter that first gets a gradient late still has its moments corrected right.
    """

    _buffers = ("m", "s", "t")

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2) such as (0.9, 0.999), got {betas!r}")
        betas = tuple(_check_range(f"betas[{k}]", beta, low=0.0, high=1.0) for k, beta in enumerate(betas))
        self.betas, self.eps = betas, _check_range("eps", eps, low=0.0, low_open=True)
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.s = [np.zeros_like(p.data) for p in self.params]
        self.t = [0] * len(self.params)

    def step(self):
        beta1, beta2 = self.betas
        for i, p in self._params_with_grad():
            self.t[i] += 1
            step_size = self.lr / (1 - beta1 ** self.t[i])  # folds m̂'s correction into the step
            s_correction = math.sqrt(1 - beta2 ** self.t[i])
            m, s, scratch = self.m[i], self.s[i], self._scratch_for(i)
            m *= beta1
            m += np.multiply(p.grad, 1 - beta1, out=scratch)
            s *= beta2
            s += np.multiply(np.multiply(p.grad, 1 - beta2, out=scratch), p.grad, out=scratch)
            denominator = np.sqrt(s, out=scratch)
            denominator /= s_correction
            denominator += self.eps
            p.data -= np.multiply(np.divide(m, denominator, out=scratch), step_size, out=scratch)


class CosineAnnealingLR:
    """lr_t = lr_min + (lr_0 − lr_min)(1 + cos(π t / T)) / 2, for t = 0 … T; call `step()` once per t."""

    def __init__(self, optimizer, T_max, eta_min=0.0):
        if not isinstance(optimizer, Optimizer):
            kind = type(optimizer).__name__
            raise TypeError(f"CosineAnnealingLR: optimizer must be an Optimizer, got {kind}")
        if not isinstance(T_max, int) or isinstance(T_max, bool) or T_max < 1:
            raise ValueError(f"CosineAnnealingLR: T_max must be a positive integer, got {T_max!r}")
        eta_min = _check_range("eta_min", eta_min, low=0.0)
        self.optimizer, self.T_max, self.eta_min = optimizer, T_max, eta_min
        self.base_lr, self.t = optimizer.lr, 0

    def step(self):
        self.t = min(self.t + 1, self.T_max)
        cosine = (1 + math.cos(math.pi * self.t / self.T_max)) / 2
        self.optimizer.lr = self.eta_min + (self.base_lr - self.eta_min) * cosine


def _check_range(name, value, low=None, high=None, low_open=False):
    """`value` as a Python float; ValueError naming `name` unless it is finite and low ≤ value < high.

    (low < value if low_open.) A Python float keeps a float32 update in float32,
    where a numpy float64 hyperparameter would compute it in float64.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name} must be {'>' if low_open else '≥'} {low}, got {value}")
    if high is not None and value >= high:
        raise ValueError(f"{name} must be < {high}, got {value}")
    return float(value)
