"""Speed and memory of tinygrad_edu, as ratios measured in one run (this machine is noisy).

Every comparison interleaves its contenders round by round and reports medians,
so a slow spell on a shared machine hits all of them alike:

1. one training step (forward, loss, backward, update) of the 784-600-400-10
   ReLU MLP at batch 500: the Tensor engine and the report's network against a
   minimal hand-written numpy step kept here as the floor, float32 and float64;
2. the scalar engine's nodes per second, forward + backward of a 2-16-16-1 MLP
   over 100 points, against a minimal closure-based engine kept here as the
   baseline (micrograd's design: closures, a recursive topological sort);
3. data loading, one epoch of each engine, and the default example end to end
   (wall time, test accuracy, training seconds, peak memory).

    python benchmarks/bench.py                  # everything, about 3 minutes
    python benchmarks/bench.py --quick          # a smoke run in seconds (CI)
    python benchmarks/bench.py --json out.json  # also write the table as JSON

The allocator: by default glibc gives large freed blocks back to the operating
system and takes them again, page fault by page fault, at the next step. Which
contender pays depends on what ran just before it: ±10% of a step, unrelated to
the code measured. So the benchmark re-runs itself with glibc told to keep its
memory (PINNED_ALLOCATOR below; all contenders alike, and ~15% faster);
`--default-allocator` measures without it.
"""

import argparse
import gc
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from tinygrad_edu import Value, nn, optim
from tinygrad_edu.autograd import topological_order
from tinygrad_edu.data import load_fashion_mnist, one_hot
from tinygrad_edu.report import ShallowNeuralNetwork
from tinygrad_edu.tensor import Tensor

ROOT = Path(__file__).resolve().parents[1]
SIZES = (784, 600, 400, 10)
PINNED_ALLOCATOR = {"MALLOC_MMAP_THRESHOLD_": str(2**30), "MALLOC_TRIM_THRESHOLD_": str(2**32)}
LR, BETA = 0.01, 0.8


# ---- 1. the training step ------------------------------------------------------------------
def floor_step(params, velocity, x, y):
    """The floor: forward, softmax cross-entropy, hand-derived backward, the report's momentum."""
    (w1, b1), (w2, b2), (w3, b3) = params
    z1 = x @ w1.T + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ w2.T + b2
    a2 = np.maximum(z2, 0)
    z3 = a2 @ w3.T + b3
    p = np.exp(z3 - z3.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    d3 = (p - y) / len(x)
    d2 = (d3 @ w3) * (z2 > 0)
    d1 = (d2 @ w2) * (z1 > 0)
    grads = ((d1.T @ x, d1.sum(0)), (d2.T @ a1, d2.sum(0)), (d3.T @ a2, d3.sum(0)))
    for layer, layer_v, layer_g in zip(params, velocity, grads):
        for w, v, g in zip(layer, layer_v, layer_g):
            v *= BETA
            v += (1 - BETA) * g
            w -= LR * v


def make_step_contenders(dtype, batch):
    """{name: a function doing one training step} for the floor, the Tensor engine and the report."""
    rng = np.random.default_rng(0)
    x = rng.random((batch, SIZES[0])).astype(dtype)
    labels = rng.integers(0, SIZES[-1], size=batch)
    y = one_hot(labels, SIZES[-1], dtype=dtype)

    model = nn.MLP(SIZES, dtype=dtype, seed=0)
    sgd = optim.SGD(model.parameters(), lr=LR, momentum=BETA, dampening=BETA)
    params = [(lin.weight.data.copy(), lin.bias.data.copy()) for lin in model.linears]
    velocity = [(np.zeros_like(w), np.zeros_like(b)) for w, b in params]
    net = ShallowNeuralNetwork(SIZES, dtype=dtype, seed=0)

    def autograd_step():
        loss = nn.cross_entropy(model(Tensor(x)), labels)
        sgd.zero_grad()
        loss.backward()
        sgd.step()

    def report_step():
        net.back_propagate(y, net.feed_forward(x))
        net.optimize(LR, "momentum", BETA)

    return {"floor": lambda: floor_step(params, velocity, x, y), "autograd": autograd_step,
            "report": report_step}


def interleaved_medians(contenders, rounds, warmup=2):
    """{name: median seconds} of `rounds` calls each, the contenders taking turns every round.

    The order rotates from round to round: what one contender leaves behind (free
    memory the allocator may or may not have returned) must not always land on
    the same next one.
    """
    for fn in contenders.values():
        for _ in range(warmup):
            fn()
    names = list(contenders)
    times = {name: [] for name in contenders}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            fn = contenders[name]
            gc.collect()  # so no contender pays for the garbage another one left
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def bench_training_step(rounds, batch):
    rows = []
    for dtype in ("float32", "float64"):
        medians = interleaved_medians(make_step_contenders(dtype, batch), rounds)
        for name in ("floor", "autograd", "report"):
            ratio = medians[name] / medians["floor"]
            rows.append({"benchmark": f"training step, {dtype}, batch {batch}", "contender": name,
                         "median_ms": 1e3 * medians[name], "ratio_to_floor": ratio})
    return rows


# ---- 2. the scalar engine ------------------------------------------------------------------
class ClosureValue:
    """The baseline: micrograd's design (closures, sets of children, recursive topological sort)."""

    def __init__(self, data, children=()):
        self.data, self.grad, self._prev = data, 0.0, set(children)
        self._backward = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, ClosureValue) else ClosureValue(other)
        out = ClosureValue(self.data + other.data, (self, other))

        def backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, ClosureValue) else ClosureValue(other)
        out = ClosureValue(self.data * other.data, (self, other))

        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = backward
        return out

    def __sub__(self, other):
        return self + other * -1.0

    def relu(self):
        out = ClosureValue(max(self.data, 0.0), (self,))

        def backward():
            self.grad += (out.data > 0) * out.grad

        out._backward = backward
        return out

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if node not in seen:
                seen.add(node)
                for child in node._prev:
                    visit(child)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


def scalar_mlp_workload(value_type, n_points=100, sizes=(2, 16, 16, 1), seed=0):
    """A function running forward + backward of a squared loss over `n_points`; returns the loss node."""
    rng = random.Random(seed)
    layers = [[([value_type(rng.uniform(-1, 1)) for _ in range(n_in)], value_type(0.0))
               for _ in range(n_out)] for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    points = [([rng.uniform(-1, 1) for _ in range(sizes[0])], rng.choice((-1.0, 1.0)))
              for _ in range(n_points)]

    def run():
        loss = value_type(0.0)
        for inputs, target in points:
            activations = [value_type(v) for v in inputs]
            for depth, layer in enumerate(layers):
                outputs = []
                for weights, bias in layer:
                    total = bias
                    for w, a in zip(weights, activations):
                        total = total + w * a
                    outputs.append(total.relu() if depth < len(layers) - 1 else total)
                activations = outputs
            error = activations[0] - target
            loss = loss + error * error
        loss.backward()
        return loss

    return run


def bench_scalar_engine(rounds, n_points, depth):
    runs = {"closure baseline": scalar_mlp_workload(ClosureValue, n_points),
            "Value": scalar_mlp_workload(Value, n_points)}
    nodes = len(topological_order(runs["Value"]()))
    medians = interleaved_medians(runs, rounds, warmup=1)
    rows = [{"benchmark": f"scalar MLP 2-16-16-1, {n_points} points, fwd+bwd ({nodes} nodes)",
             "contender": name, "median_ms": 1e3 * seconds, "nodes_per_second": nodes / seconds,
             "speedup_vs_baseline": medians["closure baseline"] / seconds}
            for name, seconds in medians.items()]
    rows.append(bench_depth(depth))
    return rows


def bench_depth(depth):
    """Backward through a chain `depth` ops deep; the closure baseline's recursion fails near 1,000."""
    x = Value(0.5)
    y = x
    for _ in range(depth):
        y = y * 1.0
    start = time.perf_counter()
    y.backward()
    seconds = time.perf_counter() - start
    chain = ClosureValue(0.5)
    for _ in range(2_000):
        chain = chain * 1.0
    try:
        chain.backward()
        baseline = "ok at depth 2000"
    except RecursionError:
        baseline = "RecursionError at depth 2000"
    return {"benchmark": f"Value chain of {depth:,} ops, backward", "contender": "Value",
            "median_ms": 1e3 * seconds, "baseline": baseline}


# ---- 3. data, epochs, the example ----------------------------------------------------------
def bench_data_and_epochs(quick):
    rows = []
    load_times = []
    for _ in range(1 if quick else 3):
        gc.collect()
        start = time.perf_counter()
        data = load_fashion_mnist()
        load_times.append(time.perf_counter() - start)
    rows.append({"benchmark": "load Fashion-MNIST (70,000 images, checksums)", "contender": "data.py",
                 "median_ms": 1e3 * statistics.median(load_times)})
    n = 5_000 if quick else 55_000
    x, labels = data.x_train[:n], data.y_train[:n]
    y = one_hot(labels, 10)
    model = nn.MLP(SIZES, seed=0)
    sgd = optim.SGD(model.parameters(), lr=LR, momentum=BETA, dampening=BETA)
    net = ShallowNeuralNetwork(SIZES, seed=0)
    for name in ("autograd", "report"):
        start = time.perf_counter()
        for i in range(0, n, 500):
            if name == "autograd":
                loss = nn.cross_entropy(model(Tensor(x[i:i + 500])), labels[i:i + 500])
                sgd.zero_grad()
                loss.backward()
                sgd.step()
            else:
                net.back_propagate(y[i:i + 500], net.feed_forward(x[i:i + 500]))
                net.optimize(LR, "momentum", BETA)
        rows.append({"benchmark": f"one epoch of {n:,} images, batch 500, float32", "contender": name,
                     "median_ms": 1e3 * (time.perf_counter() - start)})
    return rows


def bench_example(quick):
    """The default example (`examples/fashion_mnist.py`) end to end, both engines in lockstep."""
    with tempfile.TemporaryDirectory() as out:
        args = [sys.executable, str(ROOT / "examples" / "fashion_mnist.py"), "--out", out, "--no-plots"]
        if quick:
            args += ["--epochs", "1", "--train-limit", "2000", "--sizes", "784,32,10"]
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, text=True)
        wall = time.perf_counter() - start
        results = json.loads((Path(out) / "history.json").read_text())["results"]
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows = [{"benchmark": "default example end to end" + (" (quick settings)" if quick else ""),
             "contender": "both engines", "median_ms": 1e3 * wall, "peak_memory_mib": peak_mib}]
    for engine in ("autograd", "report"):
        rows.append({"benchmark": "default example: training time and test accuracy", "contender": engine,
                     "median_ms": 1e3 * results[engine]["train_seconds"],
                     "test_accuracy": results[engine]["test_accuracy"]})
    return rows


# ---- the table --------------------------------------------------------------------------------
def format_table(rows):
    extras = ("ratio_to_floor", "nodes_per_second", "speedup_vs_baseline", "test_accuracy",
              "peak_memory_mib", "baseline")
    lines = ["| benchmark | contender | median ms | notes |", "|---|---|---:|---|"]
    for row in rows:
        notes = ", ".join(f"{key.replace('_', ' ')} {_fmt(row[key])}" for key in extras if key in row)
        lines.append(f"| {row['benchmark']} | {row['contender']} | {row['median_ms']:.1f} | {notes} |")
    return "\n".join(lines)


def _fmt(value):
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 1000 else f"{value:.3f}"
    return str(value)


def machine():
    from threadpoolctl import threadpool_info

    blas = [f"{i.get('internal_api')} {i.get('version')} ({i.get('num_threads')} threads)"
            for i in threadpool_info() if i.get("user_api") == "blas"]
    return {"python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(), "blas": blas,
            "date": time.strftime("%Y-%m-%d %H:%M")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few rounds, small workloads (a smoke test)")
    parser.add_argument("--json", type=Path, help="also write the rows and the machine to this file")
    parser.add_argument("--default-allocator", action="store_true",
                        help="measure with glibc's default trimming (noisier; see the module docstring)")
    args = parser.parse_args(argv)
    pinned = all(os.environ.get(key) == value for key, value in PINNED_ALLOCATOR.items())
    if argv is None and not args.default_allocator and not pinned:
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **PINNED_ALLOCATOR})
    rows = bench_training_step(rounds=3 if args.quick else 30, batch=500)
    rows += bench_scalar_engine(rounds=1 if args.quick else 11, n_points=10 if args.quick else 100,
                                depth=100_000 if args.quick else 1_000_000)
    rows += bench_data_and_epochs(args.quick)
    rows += bench_example(args.quick)
    info = {**machine(), "allocator": "glibc default" if args.default_allocator else PINNED_ALLOCATOR}
    print(f"machine: {info}\n")
    print(format_table(rows))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "rows": rows}, indent=1))
    return rows


if __name__ == "__main__":
    main()
