"""Rerun every experiment of the homework report with the report's own network, and grade each claim.

The report trained a 784-600-400-10 softmax network on Fashion-MNIST with
hand-derived backprop and a momentum rule, and drew the claims listed in
`verdicts()` from it. Every training run here is `examples/fashion_mnist.py
--engine report`: the report's own δ-recursion network (tinygrad_edu/report.py)
with its recipe (500 epochs, batch 500, lr 0.01, β 0.8, 55000/5000 split). So
what gets checked is the report's method, not another implementation of it.
From the numbers alone, each claim then gets a verdict: reproduced, not
reproduced, or pending (its runs have not finished).

    python examples/reproduce_report.py                  # everything (hours); rerun it to resume
    python examples/reproduce_report.py --only relu-seed0 depth1-seed0
    python examples/reproduce_report.py --summarize-only # figures and pages from whatever finished
    python examples/reproduce_report.py --quick          # the whole pipeline in seconds, into results-quick/

Each run gets a folder RESULTS/runs/NAME/ with log.txt, run.json (its flags
and the wall-clock of each session), history.json, weights_report.npz and a
checkpoint saved after every epoch. A rerun skips finished runs (history.json
holds test results) and resumes the others from their checkpoint, bit-exact.
Then it writes RESULTS/figures/*.png, RESULTS/summary.md, RESULTS/provenance.json
and the lesson page lessons/reproduction.md (figures copied next to it).
"""

import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinygrad_edu.data import (
    DatasetError,
    DatasetNotFoundError,
    load_fashion_mnist,
    one_hot,
    train_validation_split,
)
from tinygrad_edu.report import ShallowNeuralNetwork
from tinygrad_edu.train import atomic_write

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "fashion_mnist.py"
THIS_SCRIPT = "examples/reproduce_report.py"

# ---------------------------------------------------------------------------
# What the report says.
# ---------------------------------------------------------------------------

#: Table of §3.2: (test loss, test accuracy) after 500 epochs; one run each, no spread given.
REPORT_TABLE = {
    "relu": (0.3301, 0.8884),
    "sigmoid": (0.4657, 0.8331),
    "tanh": (0.3426, 0.8799),
    "hardtanh": (0.3408, 0.8852),
}
ACTIVATIONS = tuple(REPORT_TABLE)
PRETTY = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh", "hardtanh": "hard tanh"}
REPORT_VAL_ACCURACY = 0.87  # §2.4: "validation accuracy passes 87 %"
REPORT_OVERFIT_EPOCH = 200  # Fig. 2: "validation loss starts rising after about 200 epochs"
LR, BETA, BATCH = 0.01, 0.8, 500  # the report's recipe (also the `report` preset of fashion_mnist.py)

# ---------------------------------------------------------------------------
# Verdict rules. Every number a verdict uses is one of these.
# ---------------------------------------------------------------------------

SD_FACTOR = 2  # "within our noise": within 2 sample standard deviations of our mean over seeds
ACCURACY_TOLERANCE = 0.005  # or within ±0.5 percentage points of accuracy
LOSS_TOLERANCE = 0.05  # or within ±5 % of the report's loss (relative)
ENDPOINT_TOLERANCE = 0.01  # Fig. 6–11: final validation accuracy within ±1 point of the table's test accuracy
OVERFIT_WINDOW = (100, 300)  # "about 200 epochs": the minimum lies in 100 … 300
OVERFIT_MIN_RISE = 0.01  # "starts rising": the validation loss ends ≥ 0.01 above its minimum
SMOOTHING = 9  # epochs in the centred moving average used to find a curve's minimum
TRAINS_DROP = 0.01  # a momentum rule "trains" if the loss drops by ≥ 1 % (last quarter of steps vs step 1)

REPRODUCED, NOT_REPRODUCED, PENDING = "reproduced", "not reproduced", "pending"


@dataclass(frozen=True)
class Mode:
    """How big the experiments are: the report's (full) or a seconds-long pipeline check (quick)."""

    name: str
    epochs: int
    train_limit: int | None  # None: all 55000 training images
    hidden: tuple  # widths of hidden layers 1, 2, 3, 4; a net with d hidden layers uses the first d
    seeds: tuple
    momentum_images: int  # the momentum-rule experiment: training images, and epochs over them
    momentum_epochs: int


FULL = Mode("full", epochs=500, train_limit=None, hidden=(600, 400, 200, 100), seeds=(0, 1, 2),
            momentum_images=5000, momentum_epochs=3)
QUICK = Mode("quick", epochs=2, train_limit=2000, hidden=(32, 16, 8, 4), seeds=(0, 1),
             momentum_images=1000, momentum_epochs=2)


@dataclass(frozen=True)
class Run:
    """One training run of examples/fashion_mnist.py."""

    name: str
    activation: str
    sizes: tuple
    seed: int

    def flags(self, mode):
        """The example's flags, apart from --out and --data-dir (which say where, not what)."""
        flags = ["--preset", "report", "--engine", "report", "--activation", self.activation,
                 "--sizes", ",".join(map(str, self.sizes)), "--seed", str(self.seed),
                 "--epochs", str(mode.epochs), "--checkpoint", "--no-plots"]
        return flags + (["--train-limit", str(mode.train_limit)] if mode.train_limit else [])


MOMENTUM_RUN = "momentum-rule"


def sizes_for(mode, depth):
    return (784, *mode.hidden[:depth], 10)


def plan(mode, seeds):
    """Every training run: the activation table (× seeds), then depths 1, 3, 4 (depth 2 is relu's run)."""
    runs = [Run(f"{a}-seed{s}", a, sizes_for(mode, 2), s) for a in ACTIVATIONS for s in seeds]
    runs += [Run(f"depth{d}-seed{seeds[0]}", "relu", sizes_for(mode, d), seeds[0]) for d in (1, 3, 4)]
    return runs


def depth_runs(seeds):
    """{hidden layers: run name}; the 2-hidden-layer net is the ReLU run of the first seed."""
    return {d: f"relu-seed{seeds[0]}" if d == 2 else f"depth{d}-seed{seeds[0]}" for d in (1, 2, 3, 4)}


# ---------------------------------------------------------------------------
# Running: one subprocess per run, at most --jobs at a time.
# ---------------------------------------------------------------------------


def thread_env(threads):
    """Environment variables that cap numpy's BLAS at `threads` threads per process."""
    return {name: str(threads) for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def read_json(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def write_text(path, text):
    atomic_write(Path(path), lambda f: f.write(text.encode()))


def write_json(path, record):
    write_text(path, json.dumps(record, indent=1) + "\n")


def is_finished(run_dir):
    """A run is finished once its history.json holds test results (the example writes it last)."""
    record = read_json(run_dir / "history.json")
    return bool(record) and "test_accuracy" in record.get("results", {}).get("report", {})


def check_same_experiment(run_dir, flags):
    """Refuse to mix: a folder that already holds a run with other flags is an error, never overwritten."""
    spec = read_json(run_dir / "run.json")
    if spec is not None and spec.get("flags") != flags:
        sys.exit(f"error: {run_dir} holds a run with other flags:\n  {shlex.join(spec.get('flags', []))}\n"
                 f"instead of\n  {shlex.join(flags)}\nUse another --results folder, or delete {run_dir}.")
    return spec or {"flags": flags, "sessions": []}


def run_all(runs, mode, args):
    """Start every unfinished run as a subprocess, --jobs at a time; return the names that failed."""
    todo = []
    for run in runs:
        run_dir = args.results / "runs" / run.name
        check_same_experiment(run_dir, run.flags(mode))
        if is_finished(run_dir):
            print(f"skipping {run.name}: finished ({run_dir / 'history.json'})")
        else:
            todo.append(run)
    active, failed = {}, []  # active: {Popen: (run, spec, start time)}
    try:
        while todo or active:
            while todo and len(active) < args.jobs:
                run = todo.pop(0)
                proc, spec = start_run(run, mode, args)
                active[proc] = (run, spec, time.perf_counter())
            time.sleep(0.2)
            for proc in [p for p in active if p.poll() is not None]:
                run, spec, started = active.pop(proc)
                seconds = time.perf_counter() - started
                spec["sessions"][-1].update(wall_seconds=round(seconds, 2), exit_code=proc.returncode)
                write_json(args.results / "runs" / run.name / "run.json", spec)
                if proc.returncode == 0 and is_finished(args.results / "runs" / run.name):
                    print(f"finished {run.name} in {seconds:.1f} s")
                else:
                    failed.append(run.name)
                    print(f"FAILED {run.name} (exit code {proc.returncode}): see "
                          f"{args.results / 'runs' / run.name / 'log.txt'}", file=sys.stderr)
    except KeyboardInterrupt:
        for proc in active:  # only the processes this function started
            proc.terminate()
        for proc in active:
            proc.wait()
        sys.exit("interrupted: rerun the same command to resume every run from its last checkpoint")
    return failed


def start_run(run, mode, args):
    """Popen of examples/fashion_mnist.py for `run`, its output appended to the run's log.txt."""
    run_dir = args.results / "runs" / run.name
    run_dir.mkdir(parents=True, exist_ok=True)
    flags = run.flags(mode)
    spec = check_same_experiment(run_dir, flags)
    resuming = (run_dir / "checkpoint.json").exists()
    spec["sessions"].append({"started": now(), "threads": args.threads, "resumed": resuming})
    write_json(run_dir / "run.json", spec)
    command = [sys.executable, str(EXAMPLE), *flags, "--out", str(run_dir)]
    if args.data_dir:
        command += ["--data-dir", str(args.data_dir)]
    # One BLAS thread per run; unbuffered output so log.txt fills as it goes; no progress bars in the log.
    env = {**os.environ, **thread_env(args.threads), "PYTHONUNBUFFERED": "1", "TQDM_DISABLE": "1"}
    with open(run_dir / "log.txt", "a") as log:
        log.write(f"\n=== {now()}: {shlex.join(command)}\n")
        log.flush()
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    print(f"{'resuming' if resuming else 'starting'} {run.name} ({args.threads} thread"
          f"{'s' if args.threads > 1 else ''}); log: {run_dir / 'log.txt'}")
    return proc, spec


def now():
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


# ---------------------------------------------------------------------------
# The momentum rule (§2.3): as printed, and as the report's code ran it.
# ---------------------------------------------------------------------------


def momentum_rule_losses(x, labels, rule, *, sizes, seed, epochs, lr=LR, beta=BETA, batch_size=BATCH):
    """Batch loss before each update, training the report's network under one momentum rule.

    "code":    v ← βv + (1−β)∇L,  w ← w − ηv   (the network's own `optimize`)
    "printed": v ← βv − (1−β)∇L,  w ← w − ηv   (§2.3 as printed)
    The printed rule is the code's rule fed with −∇L, so it flips the gradients'
    sign between back_propagate and optimize. Both rules start from the same
    weights (same seed) and see the same batches in the same order.
    """
    if rule not in ("code", "printed"):
        raise ValueError(f"rule must be 'code' or 'printed', got {rule!r}")
    net = ShallowNeuralNetwork(sizes, activation="relu", seed=seed)
    y = one_hot(labels, sizes[-1], dtype=net.dtype)
    order_rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        order = order_rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start : start + batch_size]
            output = net.feed_forward(x[rows])
            losses.append(net.cross_entropy_loss(y[rows], output))
            grads = net.back_propagate(y[rows], output)
            if rule == "printed":
                for g in grads.values():
                    np.negative(g, out=g)  # −∇L: the printed minus sign
            net.optimize(lr, "momentum", beta)
    return losses


def run_momentum_experiment(mode, seed, args):
    """Both rules on the first few thousand training images; writes runs/momentum-rule/history.json.

    It takes seconds, so it runs in this process and keeps no checkpoint: if interrupted, it starts over.
    """
    run_dir = args.results / "runs" / MOMENTUM_RUN
    settings = {"sizes": list(sizes_for(mode, 2)), "activation": "relu", "seed": seed, "lr": LR, "beta": BETA,
                "batch_size": BATCH, "images": mode.momentum_images, "epochs": mode.momentum_epochs}
    check_same_experiment(run_dir, settings)
    if is_momentum_finished(run_dir):
        print(f"skipping {MOMENTUM_RUN}: finished ({run_dir / 'history.json'})")
        return
    print(f"starting {MOMENTUM_RUN} (in this process)")
    session, started = {"started": now()}, time.perf_counter()
    try:
        data = load_fashion_mnist(args.data_dir)
    except (DatasetError, DatasetNotFoundError) as error:
        sys.exit(f"error: {error}")
    x, labels, _, _ = train_validation_split(data.x_train, data.y_train, n_validation=5000, seed=seed)
    x, labels = x[: mode.momentum_images], labels[: mode.momentum_images]
    kwargs = dict(sizes=sizes_for(mode, 2), seed=seed, epochs=mode.momentum_epochs)
    losses = {rule: momentum_rule_losses(x, labels, rule, **kwargs) for rule in ("code", "printed")}
    seconds = time.perf_counter() - started
    session.update(wall_seconds=round(seconds, 2), exit_code=0)
    write_json(run_dir / "run.json", {"flags": settings, "sessions": [session]})
    write_json(run_dir / "history.json", {"settings": settings, "losses": losses, "wall_seconds": seconds})
    print(f"finished {MOMENTUM_RUN} in {seconds:.1f} s")


def is_momentum_finished(run_dir):
    record = read_json(run_dir / "history.json")
    return bool(record) and {"code", "printed"} <= set(record.get("losses", {}))


# ---------------------------------------------------------------------------
# Verdicts: each claim's deciding numbers, and a rule that turns them into a verdict.
# ---------------------------------------------------------------------------


@dataclass
class Verdict:
    claim: str  # where in the report, and what it says
    status: str  # REPRODUCED, NOT_REPRODUCED or PENDING
    evidence: str  # the numbers that decided it (or what is missing)


def mean_sd(values):
    """(mean, sample standard deviation) of a list; sd is None for fewer than 2 values."""
    values = np.asarray(values, dtype=float)
    return float(values.mean()), (float(values.std(ddof=1)) if len(values) > 1 else None)


def pending(missing):
    return f"waiting for {', '.join(missing)}"


def compare_to_report(reported, ours, tolerance, missing=()):
    """(status, evidence) for "the report's value is what we get".

    Reproduced if |our mean − reported| ≤ max(SD_FACTOR · our sd, tolerance),
    i.e. within our seed-to-seed noise or within a small fixed margin (the report
    ran once, so its own noise is unknown). Pending while any run is missing.
    """
    if missing or not ours:
        return PENDING, pending(missing or ["every run"])
    mean, sd = mean_sd(ours)
    allowed = max(SD_FACTOR * sd, tolerance) if sd is not None else tolerance
    diff = mean - reported
    status = REPRODUCED if abs(diff) <= allowed else NOT_REPRODUCED
    spread = f" ± {sd:.4f}" if sd is not None else ""
    return status, (f"ours {mean:.4f}{spread} (n={len(ours)}), report {reported:.4f}, "
                    f"difference {diff:+.4f}, allowed ±{allowed:.4f}")


def smoothed_minimum(curve, window=SMOOTHING):
    """(epoch of the minimum, how far the curve's end lies above it), on a centred moving average.

    Smoothing keeps one noisy epoch from deciding where a flat bottom is.
    Epochs count from 1. Curves shorter than the window are used as they are.
    """
    curve = np.asarray(curve, dtype=float)
    if len(curve) < window:
        smooth, offset = curve, 0
    else:
        smooth, offset = np.convolve(curve, np.ones(window) / window, mode="valid"), window // 2
    best = int(np.argmin(smooth))
    return best + offset + 1, float(smooth[-1] - smooth[best])


def overfitting_verdict(val_loss_curves, missing=()):
    """Fig. 2: the validation loss has its minimum near epoch 200, then rises.

    Reproduced if, averaged over the curves, the smoothed minimum lies in
    OVERFIT_WINDOW and the curve ends at least OVERFIT_MIN_RISE above it.
    """
    if missing or not val_loss_curves:
        return PENDING, pending(missing or ["every run"])
    epochs, rises = zip(*(smoothed_minimum(c) for c in val_loss_curves))
    epoch, rise = float(np.mean(epochs)), float(np.mean(rises))
    low, high = OVERFIT_WINDOW
    status = REPRODUCED if low <= epoch <= high and rise >= OVERFIT_MIN_RISE else NOT_REPRODUCED
    return status, (f"validation-loss minimum at epoch {epoch:.0f} (per run: {', '.join(map(str, epochs))}), "
                    f"report ~{REPORT_OVERFIT_EPOCH}; the smoothed loss ends {rise:.4f} above it")


def falls_with_depth(finals, margin):
    """True if each deeper net ends more than `margin` below the one before ({depth: loss})."""
    depths = sorted(finals)
    return all(finals[a] - finals[b] > margin for a, b in zip(depths, depths[1:]))


def depth_verdicts(final_train, final_val, noise_train, noise_val, missing=()):
    """Fig. 5: (a) training loss keeps falling with depth; (b) validation loss rises beyond 2 layers.

    `final_train`, `final_val`: {hidden layers: loss at the last epoch}.
    `noise_*`: the sd over seeds of the 2-layer net's final loss (0 if unknown);
    a difference counts only if larger than SD_FACTOR times it.
    """
    if missing:
        return (PENDING, pending(missing)), (PENDING, pending(missing))
    m_train, m_val = SD_FACTOR * noise_train, SD_FACTOR * noise_val
    listing = ", ".join(f"{d}: {final_train[d]:.4f}" for d in sorted(final_train))
    train = (REPRODUCED if falls_with_depth(final_train, m_train) else NOT_REPRODUCED,
             f"final training loss by hidden layers {listing}; a step counts if > {m_train:.4f}")
    rises = [final_val[d] - final_val[2] for d in (3, 4)]
    listing = ", ".join(f"{d}: {final_val[d]:.4f}" for d in sorted(final_val))
    val = (REPRODUCED if min(rises) > m_val else NOT_REPRODUCED,
           f"final validation loss by hidden layers {listing}; 3 and 4 layers minus 2 layers: "
           f"{rises[0]:+.4f}, {rises[1]:+.4f} (must exceed {m_val:.4f})")
    return train, val


def trains(losses):
    """(does it train?, first loss, mean of the last quarter): a drop of at least TRAINS_DROP counts."""
    first, last = losses[0], float(np.mean(losses[-max(1, len(losses) // 4):]))
    return last < (1 - TRAINS_DROP) * first, first, last


def momentum_verdicts(losses):
    """§2.3: the rule (a) as printed, (b) as the code ran; each "reproduced" if training with it works."""
    if losses is None:
        return [(PENDING, pending([MOMENTUM_RUN]))] * 2
    result = []
    for rule in ("printed", "code"):
        works, first, last = trains(losses[rule])
        direction = "falls" if last < first else "rises"
        result.append((REPRODUCED if works else NOT_REPRODUCED,
                       f"batch loss {direction} from {first:.4f} (step 1) to {last:.4f} "
                       f"(mean of the last quarter of {len(losses[rule])} steps)"))
    return result


def best_and_worst_verdict(means):
    """Table: ReLU is best and sigmoid worst, on both test loss and test accuracy (means over seeds)."""
    loss_order = sorted(means, key=lambda a: means[a][0])
    acc_order = sorted(means, key=lambda a: -means[a][1])
    ok = loss_order[0] == acc_order[0] == "relu" and loss_order[-1] == acc_order[-1] == "sigmoid"
    return (REPRODUCED if ok else NOT_REPRODUCED,
            f"ours, best to worst: by loss {', '.join(PRETTY[a] for a in loss_order)}; "
            f"by accuracy {', '.join(PRETTY[a] for a in acc_order)}")


# ---------------------------------------------------------------------------
# Reading the results back.
# ---------------------------------------------------------------------------


def load_results(results_dir, runs):
    """{run name: the report engine's history and test results, or None if not finished}."""
    loaded = {}
    for run in runs:
        run_dir = results_dir / "runs" / run.name
        record = read_json(run_dir / "history.json") if is_finished(run_dir) else None
        if record is not None:
            record = {"history": record["histories"]["report"], **record["results"]["report"]}
        loaded[run.name] = record
    return loaded


def verdicts(results, momentum, seeds):
    """Every claim, in the report's order, as a Verdict; plus the per-activation numbers for the table."""
    out, table = [], {}
    for a in ACTIVATIONS:
        names = [f"{a}-seed{s}" for s in seeds]
        done = [results[n] for n in names if results[n]]
        table[a] = {"missing": [n for n in names if not results[n]],
                    "loss": [r["test_loss"] for r in done], "accuracy": [r["test_accuracy"] for r in done],
                    "final_val_accuracy": [r["history"]["val_accuracy"][-1] for r in done],
                    "best_val_accuracy": [max(r["history"]["val_accuracy"]) for r in done]}
    for a in ACTIVATIONS:
        loss, accuracy = REPORT_TABLE[a]
        t = table[a]
        out.append(Verdict(f"Table §3.2: {PRETTY[a]} test loss {loss}",
                           *compare_to_report(loss, t["loss"], LOSS_TOLERANCE * loss, t["missing"])))
        out.append(Verdict(f"Table §3.2: {PRETTY[a]} test accuracy {accuracy}",
                           *compare_to_report(accuracy, t["accuracy"], ACCURACY_TOLERANCE, t["missing"])))
    missing = [n for a in ACTIVATIONS for n in table[a]["missing"]]
    if missing:
        status, evidence = PENDING, pending(missing)
    else:
        status, evidence = best_and_worst_verdict(
            {a: (np.mean(table[a]["loss"]), np.mean(table[a]["accuracy"])) for a in ACTIVATIONS})
    out.append(Verdict("Table §3.2: ReLU is the best activation and sigmoid the worst (loss and accuracy)",
                       status, evidence))

    relu = table["relu"]
    if relu["missing"]:
        status, evidence = PENDING, pending(relu["missing"])
    else:
        best = relu["best_val_accuracy"]
        status = REPRODUCED if min(best) > REPORT_VAL_ACCURACY else NOT_REPRODUCED
        evidence = (f"best validation accuracy per seed {', '.join(f'{b:.4f}' for b in best)}; "
                    f"every seed must pass {REPORT_VAL_ACCURACY}")
    out.append(Verdict("§2.4, Fig. 3–4: ReLU validation accuracy passes 87 %", status, evidence))

    curves = [results[f"relu-seed{s}"]["history"]["val_loss"] for s in seeds if results[f"relu-seed{s}"]]
    out.append(Verdict("Fig. 2: validation loss starts rising after about 200 epochs (ReLU runs)",
                       *overfitting_verdict(curves, relu["missing"])))

    depth_names = depth_runs(seeds)
    missing = [n for n in depth_names.values() if not results[n]]
    finals = {d: results[n]["history"] for d, n in depth_names.items() if results[n]}
    final_train = {d: h["train_loss"][-1] for d, h in finals.items()}
    final_val = {d: h["val_loss"][-1] for d, h in finals.items()}
    relu_done = [results[f"relu-seed{s}"]["history"] for s in seeds if results[f"relu-seed{s}"]]
    noise_train = mean_sd([h["train_loss"][-1] for h in relu_done])[1] if len(relu_done) > 1 else 0.0
    noise_val = mean_sd([h["val_loss"][-1] for h in relu_done])[1] if len(relu_done) > 1 else 0.0
    train, val = depth_verdicts(final_train, final_val, noise_train, noise_val, missing)
    out.append(Verdict("§3.1, Fig. 5: training loss keeps falling from 1 to 4 hidden layers", *train))
    out.append(Verdict("§3.1, Fig. 5: validation loss rises beyond 2 hidden layers", *val))

    for a in ACTIVATIONS[1:]:
        t = table[a]
        out.append(Verdict(f"Fig. 6–11: {PRETTY[a]} validation accuracy ends at the table's "
                           f"{REPORT_TABLE[a][1]}",
                           *compare_to_report(REPORT_TABLE[a][1], t["final_val_accuracy"],
                                              ENDPOINT_TOLERANCE, t["missing"])))

    printed, code = momentum_verdicts(momentum)
    out.append(Verdict("§2.3 as printed: v ← βv − (1−β)∇L, w ← w − ηv trains the network", *printed))
    out.append(Verdict("§2.3 as the code ran: v ← βv + (1−β)∇L, w ← w − ηv trains the network", *code))
    return out, table


RULES = [
    f"**Test loss and accuracy** (table): reproduced if the report's value lies within {SD_FACTOR} sample "
    f"standard deviations of our mean over seeds, or within ±{ACCURACY_TOLERANCE * 100:.1f} percentage "
    f"points (accuracy) / ±{LOSS_TOLERANCE:.0%} of the report's value (loss), whichever is wider. The "
    "report ran each activation once, so its own spread is unknown; the fixed margins keep a tiny sd "
    "from failing a difference no one would call real.",
    "**Best and worst activation**: reproduced if our means put ReLU first and sigmoid last on both "
    "test loss and test accuracy, as the report's table does.",
    f"**Validation accuracy passes 87 %** (Fig. 3–4): reproduced if every ReLU seed's validation accuracy "
    f"exceeds {REPORT_VAL_ACCURACY} at some epoch.",
    f"**Overfitting** (Fig. 2): each validation-loss curve is smoothed by a centred {SMOOTHING}-epoch "
    f"moving average; reproduced if its minimum lies, on average over the ReLU seeds, between epochs "
    f"{OVERFIT_WINDOW[0]} and {OVERFIT_WINDOW[1]} (\"about 200\") and the curve ends at least "
    f"{OVERFIT_MIN_RISE} above that minimum (it really rises).",
    f"**Depth** (Fig. 5), on the loss at the last epoch: \"training loss keeps falling\" is reproduced if "
    f"each deeper net ends lower than the one before by more than {SD_FACTOR} × the seed-to-seed sd of "
    f"the 2-layer net's final training loss; \"validation loss rises beyond 2 layers\" if the 3- and "
    f"4-layer nets both end above the 2-layer net by more than {SD_FACTOR} × that sd of its final "
    "validation loss (single-seed differences smaller than the noise do not count).",
    f"**Curves of the other activations** (Fig. 6–11): curves are pictures, not numbers; what can be "
    f"checked is where they end: reproduced if the final validation accuracy is within {SD_FACTOR} sd or "
    f"±{ENDPOINT_TOLERANCE * 100:.0f} point of the table's test accuracy for that activation "
    "(validation and test are different images, hence the wider margin).",
    f"**Momentum rule** (§2.3): a rule trains the network if the mean batch loss over the last quarter of "
    f"the steps is at least {TRAINS_DROP:.0%} below the loss at step 1; the claim for each version of the "
    "rule is that training with it works.",
    "**Pending**: any claim whose runs have not all finished; no number is filled in for a missing run.",
]


# ---------------------------------------------------------------------------
# Figures.
# ---------------------------------------------------------------------------


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path):
    atomic_write(path, lambda f: fig.savefig(f, format="png", dpi=100, bbox_inches="tight"))
    pyplot().close(fig)


def band(ax, curves, label, style):
    """Mean over seeds as a line, ± 1 sd as a shaded band (curves: equal-length lists, one per seed)."""
    curves = np.asarray(curves, dtype=float)
    epochs = np.arange(1, curves.shape[1] + 1)
    mean = curves.mean(axis=0)
    (line,) = ax.plot(epochs, mean, style, label=label)
    if len(curves) > 1:
        sd = curves.std(axis=0, ddof=1)
        ax.fill_between(epochs, mean - sd, mean + sd, color=line.get_color(), alpha=0.25, linewidth=0)


def make_figures(results, momentum, seeds, mode, figures_dir):
    """Write every figure that has data; return {file name: caption}."""
    plt = pyplot()
    made = {}
    for a in ACTIVATIONS:
        done = [results[f"{a}-seed{s}"]["history"] for s in seeds if results[f"{a}-seed{s}"]]
        if not done:
            continue
        sizes = "-".join(map(str, sizes_for(mode, 2)))
        for metric in ("loss", "accuracy"):
            fig, ax = plt.subplots(figsize=(7, 4.3))
            band(ax, [h[f"train_{metric}"] for h in done], "train", "--")
            band(ax, [h[f"val_{metric}"] for h in done], "validation", "-")
            if metric == "accuracy" and a == "relu":
                ax.axhline(REPORT_VAL_ACCURACY, color="grey", lw=0.8, ls=":", label="87 % (§2.4)")
            spread = f"mean ± sd over {len(done)} seeds" if len(done) > 1 else "1 seed"
            ax.set(xlabel="epoch", ylabel="cross-entropy" if metric == "loss" else metric,
                   title=f"{PRETTY[a]} {sizes}: train vs validation {metric} ({spread})")
            ax.grid(alpha=0.3)
            ax.legend()
            name = f"{a}-{metric}.png"
            save_figure(fig, figures_dir / name)
            figure_no = "Fig. 3–4" if a == "relu" else "Fig. 6–11"
            made[name] = f"{PRETTY[a]}: train and validation {metric} ({spread}; the report's {figure_no})"

    depth_names = depth_runs(seeds)
    finished = {d: results[n]["history"] for d, n in depth_names.items() if results[n]}
    if finished:
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.3))
        for d, h in finished.items():
            epochs = range(1, len(h["val_loss"]) + 1)
            (line,) = left.plot(epochs, h["val_loss"], label=f"{d} hidden: validation")
            left.plot(epochs, h["train_loss"], "--", color=line.get_color(), label=f"{d} hidden: train")
        left.set(xlabel="epoch", ylabel="cross-entropy", title=f"loss per depth (seed {seeds[0]})")
        depths = sorted(finished)
        right.plot(depths, [finished[d]["train_loss"][-1] for d in depths], "o--", label="train")
        right.plot(depths, [finished[d]["val_loss"][-1] for d in depths], "o-", label="validation")
        right.set(xlabel="hidden layers", ylabel="loss at the last epoch", xticks=[1, 2, 3, 4],
                  title="final loss against depth")
        for ax in (left, right):
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        save_figure(fig, figures_dir / "depth.png")
        made["depth.png"] = "train and validation loss for 1 to 4 hidden layers (like the report's Fig. 5)"

    relu = [(s, results[f"relu-seed{s}"]["history"]) for s in seeds if results[f"relu-seed{s}"]]
    if relu:
        fig, ax = plt.subplots(figsize=(7, 4.3))
        for s, h in relu:
            epochs = np.arange(1, len(h["val_loss"]) + 1)
            (line,) = ax.plot(epochs, h["val_loss"], label=f"seed {s}: validation")
            ax.plot(epochs, h["train_loss"], "--", color=line.get_color(), lw=0.8, label=f"seed {s}: train")
            epoch, _ = smoothed_minimum(h["val_loss"])
            ax.plot(epoch, h["val_loss"][epoch - 1], "v", color=line.get_color(), ms=9)
            ax.axvline(epoch, color=line.get_color(), lw=0.6, ls=":")
        if len(relu[0][1]["val_loss"]) >= OVERFIT_WINDOW[0]:  # (not in a short quick run)
            ax.axvspan(*OVERFIT_WINDOW, color="grey", alpha=0.1, label="about 200 (100–300)")
        ax.set(xlabel="epoch", ylabel="cross-entropy",
               title="ReLU: where the validation loss is lowest (▼, smoothed minimum)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        save_figure(fig, figures_dir / "overfitting.png")
        made["overfitting.png"] = "ReLU validation loss with its minimum marked (the report's Fig. 2)"

    if momentum is not None:
        fig, ax = plt.subplots(figsize=(7, 4.3))
        for rule, label in (("code", "as the code ran: v ← βv + (1−β)∇L"),
                            ("printed", "as printed: v ← βv − (1−β)∇L")):
            ax.plot(range(1, len(momentum[rule]) + 1), momentum[rule], "o-", ms=3, label=label)
        ax.set(xlabel="step (mini-batch of 500)", ylabel="batch cross-entropy before the step",
               title="§2.3: the momentum rule as printed and as the code ran")
        ax.grid(alpha=0.3)
        ax.legend()
        save_figure(fig, figures_dir / "momentum-rule.png")
        made["momentum-rule.png"] = "the printed momentum rule against the rule the code ran, loss per step"
    return made


# ---------------------------------------------------------------------------
# summary.md, provenance.json and the lesson page.
# ---------------------------------------------------------------------------


def fmt(values):
    """'mean ± sd' of a list, or '—' if empty."""
    if not values:
        return "—"
    mean, sd = mean_sd(values)
    return f"{mean:.4f}" + (f" ± {sd:.4f}" if sd is not None else "")


def activation_table(table):
    rows = ["| activation | report loss | our loss (mean ± sd) | diff | report accuracy | "
            "our accuracy (mean ± sd) | diff | n seeds |",
            "|---|---|---|---|---|---|---|---|"]
    for a in ACTIVATIONS:
        t, (loss, accuracy) = table[a], REPORT_TABLE[a]
        dl = f"{np.mean(t['loss']) - loss:+.4f}" if t["loss"] else "—"
        da = f"{np.mean(t['accuracy']) - accuracy:+.4f}" if t["accuracy"] else "—"
        n = f"{len(t['loss'])}" + (f" (missing {', '.join(t['missing'])})" if t["missing"] else "")
        rows.append(f"| {PRETTY[a]} | {loss:.4f} | {fmt(t['loss'])} | {dl} | {accuracy:.4f} | "
                    f"{fmt(t['accuracy'])} | {da} | {n} |")
    return "\n".join(rows)


def depth_table(results, seeds, mode):
    rows = ["| hidden layers | sizes | run | final train loss | final validation loss | "
            "smoothed val-loss minimum (epoch) | test accuracy |", "|---|---|---|---|---|---|---|"]
    for d, name in depth_runs(seeds).items():
        sizes = "-".join(map(str, sizes_for(mode, d)))
        r = results[name]
        if r is None:
            rows.append(f"| {d} | {sizes} | {name} | pending | pending | pending | pending |")
            continue
        h = r["history"]
        epoch, _ = smoothed_minimum(h["val_loss"])
        rows.append(f"| {d} | {sizes} | {name} | {h['train_loss'][-1]:.4f} | {h['val_loss'][-1]:.4f} | "
                    f"{epoch} | {r['test_accuracy']:.4f} |")
    return "\n".join(rows)


def overfitting_table(results):
    rows = ["| run | epochs | smoothed val-loss minimum: epoch | lowest val loss | final val loss | rise |",
            "|---|---|---|---|---|---|"]
    for name, r in results.items():
        if r is None:
            continue
        curve = r["history"]["val_loss"]
        epoch, rise = smoothed_minimum(curve)
        rows.append(f"| {name} | {len(curve)} | {epoch} | {min(curve):.4f} | {curve[-1]:.4f} | {rise:+.4f} |")
    return "\n".join(rows)


def verdict_table(found, emphasize=False):
    rows = ["| # | claim | verdict | deciding numbers |", "|---|---|---|---|"]
    for i, v in enumerate(found, start=1):
        status = f"**{v.status}**" if emphasize and v.status != PENDING else v.status
        rows.append(f"| {i} | {v.claim} | {status} | {v.evidence} |")
    return "\n".join(rows)


def tally(found):
    groups = {s: [i for i, v in enumerate(found, start=1) if v.status == s]
              for s in (REPRODUCED, NOT_REPRODUCED, PENDING)}
    return groups, ", ".join(f"{len(ids)} {s}" for s, ids in groups.items())


def momentum_text(momentum, mode, seed):
    if momentum is None:
        return "Pending: the momentum-rule run has not finished."
    lines = []
    for rule, label in (("printed", "as printed, v ← βv − (1−β)∇L"),
                        ("code", "as the code ran, v ← βv + (1−β)∇L")):
        _, first, last = trains(momentum[rule])
        lines.append(f"- {label}: batch loss {first:.4f} at step 1, {last:.4f} over the last quarter "
                     f"of {len(momentum[rule])} steps")
    return (f"The report's network (ReLU, {'-'.join(map(str, sizes_for(mode, 2)))}, seed {seed}) trained "
            f"for {mode.momentum_epochs} epochs on the first {mode.momentum_images} training "
            f"images with lr {LR}, β {BETA}, batch {BATCH}, once per rule from the same weights on the same "
            "batches:\n\n" + "\n".join(lines))


def choices_text(mode, seeds):
    widths = {d: "-".join(map(str, sizes_for(mode, d))) for d in (1, 2, 3, 4)}
    return "\n".join([
        "- **Network**: every run is `examples/fashion_mnist.py --preset report --engine report`, the "
        "report's own hand-derived δ-recursion network and its recipe (batch 500, lr 0.01, β 0.8, "
        "55000/5000 split, training metrics from a full pass after each epoch). It is the report's method "
        "being rerun, not a different implementation.",
        f"- **Seeds** {', '.join(map(str, seeds))}: a seed sets the initial weights, the batch order *and* "
        "which 5000 images are held out for validation, so the sd covers all three.",
        f"- **Depth** ({widths[1]}, {widths[2]}, {widths[3]}, {widths[4]}): the report does not give its "
        "widths. Each deeper net keeps the report's first layers and adds one layer of half the width "
        "before, so depth is the only thing that changes and the widths keep narrowing toward the 10 "
        f"classes as the report's 600 → 400 does. The 2-layer net is the run relu-seed{seeds[0]}; the "
        "others use the same seed.",
        "- **Overfitting (Fig. 2)**: the report does not say which configuration its Fig. 2 shows. We use "
        "the ReLU runs: they are the report's main configuration, every other ReLU figure is about them, "
        "and they cost no extra training. The minimum of every other run is listed too.",
        f"- **Momentum rule**: a short run ({mode.momentum_epochs} epochs on {mode.momentum_images} "
        "images) is enough: the printed rule is gradient ascent, and it shows within a few steps.",
    ])


def git_commit():
    """`git rev-parse HEAD`, plus -dirty if tracked or untracked files differ (our own outputs aside)."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
        ours = [":(exclude)results", ":(exclude)results-quick", ":(exclude)lessons/reproduction.md",
                ":(exclude)lessons/assets/reproduction"]
        status = subprocess.run(["git", "status", "--porcelain", "--", ".", *ours], cwd=REPO,
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + ("-dirty" if status.strip() else "")


def machine():
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
            "platform": platform.platform(), "processor": platform.machine()}


def run_durations(results_dir, runs):
    """{name: seconds} per run: wall-clock of this script's sessions, and training time from history.json."""
    out = {}
    for name in [r.name for r in runs] + [MOMENTUM_RUN]:
        spec = read_json(results_dir / "runs" / name / "run.json") or {}
        record = read_json(results_dir / "runs" / name / "history.json") or {}
        report = record.get("histories", {}).get("report", {})
        sessions = spec.get("sessions", [])
        out[name] = {"finished": bool(record), "sessions": len(sessions),
                     "wall_seconds": round(sum(s.get("wall_seconds", 0) for s in sessions), 1),
                     "train_seconds": round(sum(report.get("seconds", [])), 1) if report else None,
                     "epochs_done": len(report.get("val_loss", [])) if report else None}
    return out


def durations_table(durations):
    rows = ["| run | finished | sessions | wall-clock (s) | training + evaluation (s) |",
            "|---|---|---|---|---|"]
    for name, d in durations.items():
        train = "—" if d["train_seconds"] is None else f"{d['train_seconds']:.1f}"
        rows.append(f"| {name} | {'yes' if d['finished'] else 'no'} | {d['sessions']} | "
                    f"{d['wall_seconds']:.1f} | {train} |")
    total = sum(d["wall_seconds"] for d in durations.values())
    return "\n".join(rows) + f"\n\nTotal wall-clock of the runs: {total / 3600:.2f} h (summed over runs)."


def threads_text(results_dir):
    record = read_json(results_dir / "threads.json")
    if record is None:
        return ("Threads: not measured in this results folder "
                f"(`python {THIS_SCRIPT} --measure-threads` measures it).")
    return (f"Threads ({record['when']}, {record['what']}): two runs side by side with 1 BLAS thread each "
            f"took {record['parallel_1_thread_seconds']:.1f} s of wall-clock; the same two one after the "
            f"other with 2 threads each took {record['sequential_2_threads_seconds']:.1f} s: ratio "
            f"{record['ratio']:.2f} (parallel / sequential; below 1 means side by side is faster). "
            "The machine was shared with other work, so treat it as indicative.")


def summarize(args, mode, seeds, runs, command):
    """Figures, summary.md, provenance.json and the lesson page, from whatever runs have finished."""
    results = load_results(args.results, runs)
    momentum_dir = args.results / "runs" / MOMENTUM_RUN
    momentum = None
    if is_momentum_finished(momentum_dir):
        momentum = read_json(momentum_dir / "history.json")["losses"]
    found, table = verdicts(results, momentum, seeds)
    figures = make_figures(results, momentum, seeds, mode, args.results / "figures")
    durations = run_durations(args.results, runs)
    commit, when = git_commit(), now()
    previous = read_json(args.results / "provenance.json") or {}
    invocations = previous.get("invocations", []) + [{"command": command, "when": when, "commit": commit}]
    provenance = {"command": command, "when": when, "commit": commit, "machine": machine(),
                  "mode": mode.name, "seeds": list(seeds), "runs": durations,
                  "run_flags": {r.name: r.flags(mode) for r in runs},
                  "threads": read_json(args.results / "threads.json"), "invocations": invocations}
    write_json(args.results / "provenance.json", provenance)
    context = dict(found=found, table=table, results=results, momentum=momentum, mode=mode, seeds=seeds,
                   durations=durations, command=command, commit=commit, when=when)
    write_text(args.results / "summary.md", summary_markdown(args, figures, **context))
    write_lesson_page(args, figures, **context)
    groups, counts = tally(found)
    print(f"verdicts: {counts}")
    print(f"wrote {args.results / 'summary.md'}, {args.results / 'provenance.json'}, "
          f"{len(figures)} figures in {args.results / 'figures'}, and {args.lessons_page}")


def quick_warning(mode):
    if mode.name != "quick":
        return ""
    return ("\n> **Quick mode**: tiny networks, 2 epochs on 2000 images. These numbers only show that the "
            "pipeline works; they say nothing about the report.\n")


def summary_markdown(args, figures, *, found, table, results, momentum, mode, seeds, durations, command,
                     commit, when):
    m = machine()
    figure_list = "\n".join(f"- `figures/{name}`: {caption}" for name, caption in figures.items())
    return f"""# Reproducing the report: summary

Generated by `{command}` on {when}.
{quick_warning(mode)}
Every run is the report's own network (`--engine report`, the δ-recursion of tinygrad_edu/report.py) with
the report's recipe; see Choices below.

## Verdicts

{tally(found)[1]}.

{verdict_table(found)}

## Test loss and accuracy per activation (Table §3.2)

{activation_table(table)}

## Depth (§3.1, Fig. 5)

{depth_table(results, seeds, mode)}

## Overfitting (Fig. 2)

Minimum of each finished run's validation loss (smoothed over {SMOOTHING} epochs); the verdict uses the
ReLU runs.

{overfitting_table(results)}

## Momentum rule (§2.3)

{momentum_text(momentum, mode, seeds[0])}

## Verdict rules

{chr(10).join(f"- {rule}" for rule in RULES)}

## Choices

{choices_text(mode, seeds)}

## Figures

{figure_list or "None yet: no run has finished."}

## Notes

- {threads_text(args.results)}
- Each run's log is `runs/NAME/log.txt`; rerunning `python {THIS_SCRIPT}` resumes unfinished runs.

## Provenance

- command: `{command}`
- commit: `{commit}`
- machine: {m['cpus']} CPUs, Python {m['python']}, numpy {m['numpy']}, {m['platform']}
- mode: {mode.name}; seeds {', '.join(map(str, seeds))}

{durations_table(durations)}
"""


def write_lesson_page(args, figures, *, found, table, results, momentum, mode, seeds, durations, command,
                      commit, when):
    """The lesson page, with copies of the figures in assets/reproduction/ next to it."""
    page = Path(args.lessons_page)
    assets = page.parent / "assets" / "reproduction"
    for name in figures:
        data = (args.results / "figures" / name).read_bytes()
        atomic_write(assets / name, lambda f, data=data: f.write(data))
    rel = Path(os.path.relpath(assets, page.parent)).as_posix()
    groups, counts = tally(found)

    def listing(status):
        claims = [f"    - {found[i - 1].claim} (#{i})" for i in groups[status]]
        return "\n" + "\n".join(claims) if claims else " none"

    def figure(name, alt):
        if name not in figures:
            return f"*({alt}: pending.)*\n"
        return f"![{alt}]({rel}/{name})\n\n*{figures[name]}.*\n"

    activation_figures = "\n".join(figure(f"{a}-{m}.png", f"{PRETTY[a]} {m}") for a in ACTIVATIONS
                                   for m in ("loss", "accuracy"))
    try:
        results_name = args.results.resolve().relative_to(REPO)
    except ValueError:
        results_name = args.results
    text = f"""<!-- Generated by `python {THIS_SCRIPT} --summarize-only` from the runs in {results_name}/.
     Do not edit by hand: rerun the script instead. -->

# Reproducing the report

This page is generated by `{THIS_SCRIPT}` from the numbers in `{results_name}/`
(last: {when}, commit `{commit}`).
{quick_warning(mode)}
The homework report behind these lessons trained a 784-600-400-10 network on Fashion-MNIST and
made a handful of claims. Here every experiment is run again **with the report's own network**:
the hand-derived δ-recursion of [lesson 5](05-report-derivation.md), trained with the report's
recipe (500 epochs, batch 500, learning rate 0.01, momentum \\( \\beta = 0.8 \\)). Each claim then
gets a verdict computed from the numbers by a rule fixed in advance (listed at the end):
*reproduced*, *not reproduced*, or *pending* while its runs are still training.

## The verdicts in brief

{counts}.

- **Reproduced**:{listing(REPRODUCED)}
- **Not reproduced**:{listing(NOT_REPRODUCED)}
- **Pending** (runs not finished):{listing(PENDING)}

{verdict_table(found, emphasize=True)}

## The table: test loss and accuracy

Our numbers are the mean ± standard deviation over seeds {', '.join(map(str, seeds))}; a seed fixes the
initial weights, the order of the batches and which 5000 images are held out for validation.

{activation_table(table)}

{activation_figures}
## Overfitting

The report shows validation loss turning upward after about 200 epochs without saying which network.
We look at the ReLU runs: the marker shows where each validation curve, smoothed over {SMOOTHING} epochs,
is lowest.

{figure("overfitting.png", "overfitting")}
## Depth

The report's widths for 1, 3 and 4 hidden layers are not given; we keep its first layers and add
layers of half the width ({", ".join("-".join(map(str, sizes_for(mode, d))) for d in (1, 3, 4))}).

{depth_table(results, seeds, mode)}

{figure("depth.png", "depth")}
## The momentum rule

The report printed \\( v \\leftarrow \\beta v - (1-\\beta)\\nabla L \\), \\( w \\leftarrow w - \\eta v \\).
Substituting, the weights move by \\( +\\eta(1-\\beta)\\nabla L \\) on the first step: *up* the gradient.
The code it ran used \\( v \\leftarrow \\beta v + (1-\\beta)\\nabla L \\).

{momentum_text(momentum, mode, seeds[0])}

{figure("momentum-rule.png", "momentum rule")}
## How the verdicts are decided

{chr(10).join(f"- {rule}" for rule in RULES)}

## Choices and provenance

{choices_text(mode, seeds)}

Command: `{command}`; machine: {machine()['cpus']} CPUs, Python {machine()['python']},
numpy {machine()['numpy']}. Per-run durations are in `{results_name}/summary.md` and
`{results_name}/provenance.json`.
"""
    write_text(page, text)


# ---------------------------------------------------------------------------
# Measuring threads: two 1-thread runs side by side against two 2-thread runs in a row.
# ---------------------------------------------------------------------------


def measure_threads(args):
    """Wall-clock of the same two short runs, run both ways; writes RESULTS/threads.json."""
    what = "report sizes 784-600-400-10, 3 epochs on 20000 images, seeds 0 and 1"
    with tempfile.TemporaryDirectory() as tmp:
        def command(seed, tag):
            flags = ["--preset", "report", "--engine", "report", "--seed", str(seed), "--epochs", "3",
                     "--train-limit", "20000", "--no-plots", "--out", str(Path(tmp) / f"{tag}{seed}")]
            return [sys.executable, str(EXAMPLE), *flags] + (["--data-dir", str(args.data_dir)]
                                                            if args.data_dir else [])

        def launch(seed, tag, threads):
            env = {**os.environ, **thread_env(threads), "TQDM_DISABLE": "1"}
            return subprocess.Popen(command(seed, tag), env=env, stdout=subprocess.DEVNULL)

        start = time.perf_counter()
        procs = [launch(seed, "parallel", 1) for seed in (0, 1)]
        codes = [p.wait() for p in procs]
        parallel = time.perf_counter() - start
        start = time.perf_counter()
        codes += [launch(seed, "sequential", 2).wait() for seed in (0, 1)]
        sequential = time.perf_counter() - start
    if any(codes):
        sys.exit(f"error: a measuring run failed (exit codes {codes})")
    record = {"when": now(), "what": what, "parallel_1_thread_seconds": parallel,
              "sequential_2_threads_seconds": sequential, "ratio": parallel / sequential,
              "machine": machine()}
    write_json(args.results / "threads.json", record)
    print(f"2 runs side by side, 1 thread each: {parallel:.1f} s; one after the other, 2 threads each: "
          f"{sequential:.1f} s; ratio {parallel / sequential:.2f}")


# ---------------------------------------------------------------------------
# Command line.
# ---------------------------------------------------------------------------


def _int_at_least(minimum, what=""):
    """An argparse type: a whole number ≥ minimum (`what` names it in the error, if argparse doesn't)."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{what} must be ≥ {minimum}, got {text}".lstrip())
        return value

    return parse


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--results", type=Path,
                        help="output folder (default: results/, or results-quick/ with --quick)")
    parser.add_argument("--seeds", type=_int_at_least(0, "seeds"), nargs="+",
                        help="seeds of the activation runs, at least 2 (default: 0 1 2; quick: 0 1)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="run only these runs (names as in RESULTS/runs/); the summary covers all")
    parser.add_argument("--jobs", type=_int_at_least(1), default=2, help="runs side by side (default: 2)")
    parser.add_argument("--threads", type=_int_at_least(1), default=1,
                        help="BLAS threads per run (default: 1; on 2 cores, 2 runs × 1 thread beat 1 × 2)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny networks, 2 epochs on 2000 images: the whole pipeline in seconds")
    parser.add_argument("--summarize-only", action="store_true",
                        help="train nothing: figures, summary and lesson page from the runs that finished")
    parser.add_argument("--measure-threads", action="store_true",
                        help="time 2 short runs side by side (1 thread each) against one after the other "
                             "(2 threads each), write RESULTS/threads.json, and exit")
    parser.add_argument("--lessons-page", type=Path,
                        help="where the lesson page goes (default: lessons/reproduction.md; with --quick, "
                             "RESULTS/lessons/reproduction.md so the real page is never overwritten)")
    parser.add_argument("--data-dir", type=Path, help="folder with the four Fashion-MNIST files")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    args.seeds = tuple(args.seeds) if args.seeds else mode.seeds
    if len(set(args.seeds)) != len(args.seeds):
        parser.error(f"--seeds: each seed once, got {' '.join(map(str, args.seeds))}")
    if len(args.seeds) < 2:
        parser.error("--seeds: give at least 2 seeds, so that there is a standard deviation")
    args.results = args.results or REPO / ("results-quick" if args.quick else "results")
    if args.lessons_page is None:
        args.lessons_page = (args.results if args.quick else REPO) / "lessons" / "reproduction.md"
    names = [r.name for r in plan(mode, args.seeds)] + [MOMENTUM_RUN]
    unknown = sorted(set(args.only or []) - set(names))
    if unknown:
        parser.error(f"--only: unknown run(s) {', '.join(unknown)}; the runs are: {' '.join(names)}")
    if args.summarize_only and args.only:
        parser.error("--only selects runs to train; it makes no sense with --summarize-only")
    return args, mode


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    args, mode = parse_args(argv)
    command = f"python {THIS_SCRIPT} {shlex.join(argv)}".strip()
    if args.measure_threads:
        return measure_threads(args)
    runs = plan(mode, args.seeds)
    failed = []
    if not args.summarize_only:
        selected = [r for r in runs if args.only is None or r.name in args.only]
        if args.only is None or MOMENTUM_RUN in args.only:
            run_momentum_experiment(mode, args.seeds[0], args)
        failed = run_all(selected, mode, args)
    summarize(args, mode, args.seeds, runs, command)
    if failed:
        sys.exit(f"error: {len(failed)} run(s) failed: {', '.join(failed)} (their logs say why); "
                 "rerun to resume them")


if __name__ == "__main__":
    main()
