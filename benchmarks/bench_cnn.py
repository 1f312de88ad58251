"""Speed of one CNN training step: the Tensor engine against PyTorch on the CPU and the GEMM floor.

The network (Fashion-MNIST sized, 1×28×28 images, batch 64):
Conv2d(1, 32, 3, padding=1) − ReLU − MaxPool2d(2) − Conv2d(32, 64, 3, padding=1) − ReLU −
MaxPool2d(2) − Flatten − Linear(3136, 128) − ReLU − Linear(128, 10), cross-entropy, an SGD
step with momentum. Contenders:

- "autograd": tinygrad_edu's Tensor engine;
- "pytorch": the same network with the same initial weights, on the CPU;
- "gemm floor": the step's eleven matrix products alone, in numpy, with the shapes and
  layouts conv2d uses (im2col: weight (O, C·kh·kw) @ columns (C·kh·kw, N·oh·ow)) — forward
  4, backward 7 (a weight gradient per layer, an input gradient for every layer but the first).
  No implementation built on these GEMMs can beat it.

As in bench.py's solo mode, every contender runs ALONE in a fresh process per round, the order
rotating every round, and the table gives medians over rounds of each process's median step.
Here the clock is CPU time (time.process_time) and every process has ONE BLAS/OpenMP thread, so
the other processes on a shared machine change the numbers less.

    python benchmarks/bench_cnn.py                  # 7 rounds, about a minute
    python benchmarks/bench_cnn.py --quick          # a smoke run in seconds (CI)
    python benchmarks/bench_cnn.py --json out.json  # also write the rows as JSON
    python benchmarks/bench_cnn.py --baseline ../main  # also another checkout's engine: before vs after
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

from bench import atomic_write, batch_size, check_json_target, path_argument, positive_int  # (this folder)

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
CONTENDERS = ("gemm floor", "autograd", "pytorch")
PHASES = ("forward_ms", "backward_ms", "update_ms")
LR, MOMENTUM = 0.01, 0.9


def build_model(dtype, seed=0):
    """Our CNN, its weights drawn from `seed` (PyTorch's model copies them)."""
    import numpy as np

    from tinygrad_edu import nn

    rng = np.random.default_rng(seed)
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1, dtype=dtype, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1, dtype=dtype, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 128, dtype=dtype, rng=rng), nn.ReLU(),
        nn.Linear(128, 10, dtype=dtype, rng=rng),
    )


def make_batch(dtype, batch):
    import numpy as np

    rng = np.random.default_rng(1)
    return rng.random((batch, 1, 28, 28)).astype(dtype), rng.integers(0, 10, size=batch)


def gemm_floor(weights, x, batch):
    """The step's matrix products alone: a function doing them all once, on fixed random operands."""
    import numpy as np

    (w1, _), (w2, _), (w3, _), (w4, _) = weights
    rng = np.random.default_rng(2)
    dtype = x.dtype

    def rand(*shape):
        return rng.standard_normal(shape).astype(dtype)

    cols1, cols2 = rand(9, batch * 784), rand(288, batch * 196)
    a, h = rand(batch, 3136), rand(batch, 128)
    dz4, dz3, dy2, dy1 = rand(batch, 10), rand(batch, 128), rand(64, batch * 196), rand(32, batch * 784)
    w1, w2 = w1.reshape(32, 9), w2.reshape(64, 288)

    def step():
        w1 @ cols1, w2 @ cols2, a @ w3.T, h @ w4.T  # forward
        dz4.T @ h, dz4 @ w4, dz3.T @ a, dz3 @ w3  # backward of the linears
        dy2 @ cols2.T, w2.T @ dy2, dy1 @ cols1.T  # of the convolutions (none for the pixels)

    return step


def make_step(name, dtype, batch):
    """One training step of contender `name`; the engines' steps return the CPU times their phases ended."""
    import numpy as np

    model = build_model(dtype)
    x, labels = make_batch(dtype, batch)
    weights = [(m.weight.data.copy(), m.bias.data.copy()) for m in model.layers if hasattr(m, "weight")]
    if name == "gemm floor":
        return gemm_floor(weights, x, batch)
    if name == "autograd":
        from tinygrad_edu import Tensor, nn, optim

        sgd = optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)

        def step():
            loss = nn.cross_entropy(model(Tensor(x)), labels)
            forward_done = time.process_time()
            sgd.zero_grad()
            loss.backward()
            backward_done = time.process_time()
            sgd.step()
            return forward_done, backward_done, float(loss.data)

        return step
    import torch

    torch.set_num_threads(1)
    layers = [torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
              torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
              torch.nn.Flatten(), torch.nn.Linear(3136, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)]
    model = torch.nn.Sequential(*layers).to(getattr(torch, dtype))
    with torch.no_grad():
        for layer, (w, b) in zip([m for m in layers if hasattr(m, "weight")], weights):
            layer.weight.copy_(torch.from_numpy(w))
            layer.bias.copy_(torch.from_numpy(b))
    sgd = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    inputs, targets = torch.from_numpy(x), torch.from_numpy(np.asarray(labels))

    def torch_step():
        loss = torch.nn.functional.cross_entropy(model(inputs), targets)
        forward_done = time.process_time()
        sgd.zero_grad()
        loss.backward()
        backward_done = time.process_time()
        sgd.step()
        return forward_done, backward_done, float(loss)

    return torch_step


def time_alone(name, dtype, batch, steps, warmup=2):
    """{"step": median CPU seconds of `steps` steps, "phases": medians of forward, backward, update,
    "first_loss": the loss of the first step, the same for both engines (same weights, same batch)}."""
    step = make_step(name, dtype, batch)
    first = step()
    for _ in range(warmup - 1):
        step()
    times, phases = [], []
    for _ in range(steps):
        start = time.process_time()
        marks = step()
        end = time.process_time()
        times.append(end - start)
        if marks:
            phases.append((marks[0] - start, marks[1] - marks[0], end - marks[1]))
    result = {"step": statistics.median(times)}
    if first:
        result["first_loss"] = first[2]
    if phases:
        result["phases"] = [statistics.median(p) for p in zip(*phases)]
    return result


def one_thread_env(package_root=None):
    """This environment, one BLAS/OpenMP thread, tinygrad_edu imported from package_root if given."""
    env = {**os.environ, **{name: "1" for name in THREAD_VARIABLES}}
    if package_root is not None:
        rest = [env["PYTHONPATH"]] if env.get("PYTHONPATH") else []
        env["PYTHONPATH"] = os.pathsep.join([str(package_root.resolve()), *rest])
    return env


def bench(rounds, steps, batch, dtype="float32", baseline=None):
    """Rows of the table: each contender in a fresh one-thread process per round, the order rotating.

    With `baseline` (the root of another checkout, e.g. a worktree of main), its Tensor engine
    runs too, as "autograd (baseline)", alternating with the others: before and after in one run.
    """
    names = [n for n in CONTENDERS if n != "pytorch" or importlib.util.find_spec("torch") is not None]
    names += ["autograd (baseline)"] if baseline is not None else []
    results = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            worker = [sys.executable, __file__, "--worker", name.split(" (")[0], "--dtype", dtype,
                      "--batch", str(batch), "--steps", str(steps)]
            env = one_thread_env(baseline if name.endswith("(baseline)") else None)
            done = subprocess.run(worker, check=True, capture_output=True, text=True, env=env)
            results[name].append(json.loads(done.stdout))
    medians = {name: statistics.median(r["step"] for r in runs) for name, runs in results.items()}
    rows = []
    for name in names:
        row = {"benchmark": f"CNN step, {dtype}, batch {batch}, 1 thread", "contender": name,
               "median_ms": 1e3 * medians[name], "ratio_to_gemm_floor": medians[name] / medians["gemm floor"],
               "rounds": rounds}
        if "pytorch" in medians:
            row["ratio_to_pytorch"] = medians[name] / medians["pytorch"]
        if "first_loss" in results[name][0]:
            row["first_loss"] = results[name][0]["first_loss"]
        if "phases" in results[name][0]:
            for k, phase in enumerate(PHASES):
                row[phase] = 1e3 * statistics.median(r["phases"][k] for r in results[name])
        rows.append(row)
    return rows


def format_table(rows):
    lines = ["| contender | median ms | ours ÷ it | ÷ GEMM floor | forward ms | backward ms | update ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    ours = next((r["median_ms"] for r in rows if r["contender"] == "autograd"), float("nan"))
    for r in rows:
        phases = " | ".join(f"{r[k]:.1f}" if k in r else "" for k in PHASES)
        lines.append(f"| {r['contender']} | {r['median_ms']:.1f} | {ours / r['median_ms']:.2f} | "
                     f"{r['ratio_to_gemm_floor']:.2f} | {phases} |")
    return f"{rows[0]['benchmark']}, medians of {rows[0]['rounds']} rounds\n\n" + "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="1 round of 2 steps at batch 4 (a smoke test)")
    parser.add_argument("--rounds", type=positive_int, default=7, help="alternated rounds (default 7)")
    parser.add_argument("--steps", type=positive_int, default=10, help="timed steps per process (10)")
    parser.add_argument("--batch", type=batch_size, default=64, help="batch size (default 64)")
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    parser.add_argument("--json", type=path_argument, help="also write the rows to this file")
    parser.add_argument("--baseline", type=path_argument,
                        help="also time the Tensor engine of the checkout in this folder (before vs after)")
    parser.add_argument("--worker", choices=CONTENDERS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.json is not None:  # checked now, not after minutes of timing
        check_json_target(parser, args.json)
    if args.worker:  # one contender alone: print its median CPU times in seconds
        print(json.dumps(time_alone(args.worker, args.dtype, args.batch, args.steps)))
        return None
    if args.quick:
        args.rounds, args.steps, args.batch = 1, 2, 4
    if args.baseline is not None and not (args.baseline / "tinygrad_edu" / "__init__.py").is_file():
        parser.error(f"--baseline {args.baseline}: no tinygrad_edu package in that folder")
    rows = bench(args.rounds, args.steps, args.batch, args.dtype, args.baseline)
    print(format_table(rows))
    if args.json:
        text = json.dumps(rows, indent=1)
        atomic_write(args.json, lambda f: f.write(text.encode()))  # never a half-written file
    return rows


if __name__ == "__main__":
    main()
