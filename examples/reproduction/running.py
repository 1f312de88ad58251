"""Running the training runs (one subprocess each, resumable), and reading their results back."""

import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from tinygrad_edu.train import atomic_write

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "fashion_mnist.py"


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


def machine():
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
            "platform": platform.platform(), "processor": platform.machine()}


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
