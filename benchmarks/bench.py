"""Speed and memory of tinygrad_edu, as ratios measured in one run (this machine is noisy).

1. one training step (forward, loss, backward, update) of the 784-600-400-10
   ReLU MLP at batch 500, float32 and float64: the Tensor engine, the report's
   network, a hand-written numpy step, PyTorch on the CPU (when installed), and
   the step's eight matrix products alone, the floor no implementation can beat.
   Each contender runs ALONE in a fresh process, as a program would, with the
   default allocator; the processes alternate, the order rotating every round,
   and the table gives medians. (Sharing one process lets the allocator decide:
   glibc returns large freed blocks to the system and page-faults them back at
   the next step, and which contender pays depends on what ran just before it,
   ±10% of a step.) For the three engines the table also splits the step into
   its forward pass (with the loss), backward pass and update: where the time
   above the floor goes.
2. the scalar engine's nodes per second, forward + backward of a 2-16-16-1 MLP
   over 100 points, against a minimal closure-based engine kept here as the
   baseline (micrograd's design: closures, a recursive topological sort),
   interleaved round by round in one process;
3. data loading, one epoch of each engine, and the default example end to end
   (wall time, test accuracy, training seconds, peak memory);
4. the CNN's training step (examples/fashion_mnist_cnn.py's network, batch 64, one thread):
   the Tensor engine, PyTorch on the CPU, and the step's GEMMs alone (bench_cnn.py, each
   contender alone in a fresh process, alternated; `python benchmarks/bench_cnn.py` for more).

    python benchmarks/bench.py                  # everything, about 5 minutes
    python benchmarks/bench.py --quick          # a smoke run in seconds (CI)
    python benchmarks/bench.py --json out.json  # also write the table as JSON
"""

import argparse
import gc
import importlib.util
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

from tinygrad_edu import Tensor, Value, nn, optim
from tinygrad_edu.autograd import topological_order
from tinygrad_edu.data import load_fashion_mnist, one_hot
from tinygrad_edu.data.safe_paths import UnsafePathError, check_inside, path_argument
from tinygrad_edu.report import ShallowNeuralNetwork
from tinygrad_edu.train.runfiles import atomic_write
from tinygrad_edu.train.script import positive

ROOT = Path(__file__).resolve().parents[1]
SIZES = (784, 600, 400, 10)
LR, BETA = 0.01, 0.8


# ---- 1. the training step, each contender alone in a fresh process ----------------------------
STEP_CONTENDERS = ("matmul floor", "numpy by hand", "autograd", "report", "pytorch")


def matmul_floor(params, x, y):
    """The floor no implementation of the step can beat: its eight matrix products, alone.

    Forward z_k = a_{k-1} W_kᵀ (3 products); backward dW_k = δ_kᵀ a_{k-1} (3) and
    δ_{k-1} = δ_k W_k (2: no gradient for the pixels). Same shapes, same layouts.
    """
    (w1, _), (w2, _), (w3, _) = params
    a1 = x @ w1.T
    a2 = a1 @ w2.T
    d3 = a2 @ w3.T
    d2 = d3 @ w3
    d1 = d2 @ w2
    return d3.T @ a2, d2.T @ a1, d1.T @ x


def numpy_step(params, velocity, x, y):
    """Forward, softmax cross-entropy, hand-derived backward, the report's momentum: plain numpy."""
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


def make_step(name, dtype, batch):
    """A function doing one training step of contender `name` on a fixed random batch.

    The engines' steps return (time the forward pass ended, time the backward pass ended).
    """
    rng = np.random.default_rng(0)
    x = rng.random((batch, SIZES[0])).astype(dtype)
    labels = rng.integers(0, SIZES[-1], size=batch)
    y = one_hot(labels, SIZES[-1], dtype=dtype)
    model = nn.MLP(SIZES, dtype=dtype, seed=0)
    params = [(lin.weight.data.copy(), lin.bias.data.copy()) for lin in model.linears]
    if name == "matmul floor":
        def floor_step():
            matmul_floor(params, x, y)  # (returns nothing: the floor has no phases)

        return floor_step
    if name == "numpy by hand":
        velocity = [(np.zeros_like(w), np.zeros_like(b)) for w, b in params]
        return lambda: numpy_step(params, velocity, x, y)
    if name == "autograd":
        sgd = optim.SGD(model.parameters(), lr=LR, momentum=BETA, dampening=BETA)

        def autograd_step():
            loss = nn.cross_entropy(model(Tensor(x)), labels)
            forward_done = time.perf_counter()
            sgd.zero_grad()
            loss.backward()
            backward_done = time.perf_counter()
            sgd.step()
            return forward_done, backward_done

        return autograd_step
    if name == "report":
        net = ShallowNeuralNetwork(SIZES, dtype=dtype, seed=0)

        def report_step():
            output = net.feed_forward(x)
            forward_done = time.perf_counter()
            net.back_propagate(y, output)
            backward_done = time.perf_counter()
            net.optimize(LR, "momentum", BETA)
            return forward_done, backward_done

        return report_step
    if name == "pytorch":
        return torch_step(params, x, labels)
    raise ValueError(f"unknown contender {name!r}; choose from {STEP_CONTENDERS}")


def torch_step(params, x, labels):
    """The same step in PyTorch on the CPU: nn.Sequential, F.cross_entropy, SGD(momentum=β, dampening=β)."""
    import torch  # an optional contender: only this function needs it

    layers = []
    for w, b in params:
        linear_layer = torch.nn.Linear(w.shape[1], w.shape[0], dtype=torch.from_numpy(w).dtype)
        with torch.no_grad():
            linear_layer.weight.copy_(torch.from_numpy(w))
            linear_layer.bias.copy_(torch.from_numpy(b))
        layers += [linear_layer, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    sgd = torch.optim.SGD(model.parameters(), lr=LR, momentum=BETA, dampening=BETA)
    inputs, targets = torch.from_numpy(x), torch.from_numpy(labels)

    def step():
        loss = torch.nn.functional.cross_entropy(model(inputs), targets)
        forward_done = time.perf_counter()
        sgd.zero_grad()
        loss.backward()
        backward_done = time.perf_counter()
        sgd.step()
        return forward_done, backward_done

    return step


def time_step_alone(name, dtype, batch, steps, warmup=3):
    """{"step": median seconds of `steps` training steps of one contender (run in a process of its own)}.

    For the engines (not the floor or the numpy step), also "phases": the medians of
    the forward pass with the loss, the backward pass, and the update: where a step's time goes.
    """
    step = make_step(name, dtype, batch)
    for _ in range(warmup):
        step()
    times, phases = [], []
    for _ in range(steps):
        start = time.perf_counter()
        marks = step()
        end = time.perf_counter()
        times.append(end - start)
        if marks:  # (forward done, backward done)
            phases.append((marks[0] - start, marks[1] - marks[0], end - marks[1]))
    result = {"step": statistics.median(times)}
    if phases:
        result["phases"] = [statistics.median(phase) for phase in zip(*phases)]
    return result


def available_step_contenders():
    return [name for name in STEP_CONTENDERS
            if name != "pytorch" or importlib.util.find_spec("torch") is not None]


def bench_training_step(rounds, steps, batch):
    """Every contender in a fresh process per round, the order rotating; medians over rounds.

    A program runs one engine: sharing a process would let the allocator's state
    (what the previous contender freed) decide the ratios, not the code.
    """
    rows = []
    names = available_step_contenders()
    for dtype in ("float32", "float64"):
        results = {name: [] for name in names}
        for r in range(rounds):
            for name in names[r % len(names):] + names[: r % len(names)]:
                worker = [sys.executable, __file__, "--step-worker", name, "--dtype", dtype,
                          "--batch", str(batch), "--steps", str(steps)]
                result = subprocess.run(worker, check=True, capture_output=True, text=True)
                results[name].append(json.loads(result.stdout))
        medians = {name: statistics.median(r["step"] for r in runs) for name, runs in results.items()}
        for name in names:
            row = {"benchmark": f"training step, {dtype}, batch {batch}", "contender": name,
                   "median_ms": 1e3 * medians[name],
                   "ratio_to_matmul_floor": medians[name] / medians["matmul floor"]}
            if "phases" in results[name][0]:
                for k, phase in enumerate(("forward_ms", "backward_ms", "update_ms")):
                    row[phase] = 1e3 * statistics.median(r["phases"][k] for r in results[name])
            rows.append(row)
    return rows


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
def bench_cnn_step(quick):
    """bench_cnn.py's rows: the CNN step of the Tensor engine, PyTorch and the GEMM floor (section 4)."""
    import bench_cnn  # (this folder; it imports this module, so not at the top)

    return bench_cnn.bench(rounds=1 if quick else 7, steps=2 if quick else 10, batch=64)


def format_table(rows):
    extras = ("ratio_to_matmul_floor", "ratio_to_gemm_floor", "ratio_to_pytorch", "forward_ms", "backward_ms",
              "update_ms", "nodes_per_second",
              "speedup_vs_baseline", "test_accuracy", "peak_memory_mib", "baseline")
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


positive_int = positive(int)  # argparse type: a whole number ≥ 1


def batch_size(text):
    """argparse type: a batch of 1 to 60,000 images (the training set; more only runs out of memory)."""
    value = positive_int(text)
    if value > 60_000:
        raise argparse.ArgumentTypeError(f"must be at most 60000, the training set's size, got {text}")
    return value


def check_json_target(parser, path):
    """parser.error unless `path` names a file (not a symlink) in a folder this user can write to."""
    if path.name in ("", ".", "..") or path.is_dir():
        parser.error(f"--json {str(path)!r}: must name a file, not a folder")
    if not (path.parent.is_dir() and os.access(path.parent, os.W_OK)):
        parser.error(f"--json {path}: {path.parent} is not a folder this user can write to")
    try:
        check_inside(path.parent, path)
    except UnsafePathError as error:
        parser.error(f"--json {error}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few rounds, small workloads (a smoke test)")
    parser.add_argument("--json", type=path_argument, help="also write the rows and the machine to this file")
    parser.add_argument("--step-worker", choices=STEP_CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=batch_size, default=500, help=argparse.SUPPRESS)
    parser.add_argument("--steps", type=positive_int, default=20, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.json is not None:  # checked now, not after minutes of timing
        check_json_target(parser, args.json)
    if args.step_worker:  # one contender alone: print its median step (and phase) times in seconds
        print(json.dumps(time_step_alone(args.step_worker, args.dtype, args.batch, args.steps)))
        return None
    rows = bench_training_step(rounds=1 if args.quick else 7, steps=3 if args.quick else 20, batch=500)
    rows += bench_scalar_engine(rounds=1 if args.quick else 11, n_points=10 if args.quick else 100,
                                depth=100_000 if args.quick else 1_000_000)
    rows += bench_data_and_epochs(args.quick)
    rows += bench_example(args.quick)
    rows += bench_cnn_step(args.quick)
    info = machine()
    print(f"machine: {info}\n")
    print(format_table(rows))
    if args.json:
        text = json.dumps({"machine": info, "rows": rows}, indent=1)
        atomic_write(args.json, lambda f: f.write(text.encode()))  # never a half-written file
    return rows


if __name__ == "__main__":
    main()
