"""Running the training runs (one subprocess each, resumable), and reading their results back."""

import ctypes
import datetime
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from tinygrad_edu.data.safe_paths import open_no_follow
from tinygrad_edu.train import Checkpoint, CheckpointError, atomic_write
from tinygrad_edu.train.runfiles import FolderBusyError, FolderLock, replacing_pending

REPO = Path(__file__).resolve().parents[2]
THIS_SCRIPT = "examples/reproduce_report.py"
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
    """A run is finished once its outputs are written (test results, or where it diverged), all of them."""
    record = read_json(run_dir / "history.json")
    results = (record or {}).get("results", {}).get("report", {})
    return not replacing_pending(run_dir) and ("test_accuracy" in results or "diverged" in results)


def lock_run(run_dir):
    """The orchestrator's lock on one run (RUN/run.lock): two reruns never drive the same run."""
    return FolderLock(run_dir, "run.lock")


def checkpoint_problem(run_dir, command):
    """None, or why the run's checkpoint cannot be resumed and the command that restarts the run afresh."""
    checkpoint = Checkpoint(run_dir / "checkpoint")
    try:
        if checkpoint.exists():
            checkpoint.check()
    except CheckpointError as error:
        return (f"{error}\n  To restart {run_dir.name} from epoch 0: rm {shlex.quote(str(checkpoint.path))} "
                f"&& {command}")
    return None


def check_same_experiment(run_dir, flags):
    """Refuse to mix: a folder that already holds a run with other flags is an error, never overwritten."""
    spec = read_json(run_dir / "run.json")
    if spec is not None and spec.get("flags") != flags:
        sys.exit(f"error: {run_dir} holds a run with other flags:\n  {shlex.join(spec.get('flags', []))}\n"
                 f"instead of\n  {shlex.join(flags)}\nUse another --results folder, or delete {run_dir}.")
    return spec or {"flags": flags, "sessions": []}


def run_all(runs, mode, args, command):
    """Start every unfinished run as a subprocess, --jobs at a time; return the names that failed.

    Each run's lock is taken first and held until its worker ends; a run locked by another
    process is left to it (and counted as failed here). `command` is how to rerun this.
    """
    todo, failed, locks = [], [], {}
    for run in runs:
        run_dir = args.results / "runs" / run.name
        try:
            locks[run.name] = lock_run(run_dir).acquire()
        except FolderBusyError as error:
            print(f"error: not starting {run.name}: {error}", file=sys.stderr)
            failed.append(run.name)
            continue
        check_same_experiment(run_dir, run.flags(mode))
        problem = None if is_finished(run_dir) else checkpoint_problem(run_dir, command)
        if is_finished(run_dir):
            print(f"skipping {run.name}: finished ({run_dir / 'history.json'})")
        elif problem:
            print(f"error: not starting {run.name}: {problem}", file=sys.stderr)
            failed.append(run.name)
        else:
            todo.append(run)
            continue
        locks.pop(run.name).release()
    active = {}  # {Popen: (run, spec, start time)}
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
                locks.pop(run.name).release()
                if proc.returncode == 0 and is_finished(args.results / "runs" / run.name):
                    print(f"finished {run.name} in {seconds:.1f} s")
                else:
                    failed.append(run.name)
                    log = args.results / "runs" / run.name / "log.txt"
                    print(f"FAILED {run.name} (exit code {proc.returncode}): {last_error(log)}\n"
                          f"  see {log}", file=sys.stderr)
    except KeyboardInterrupt:
        for proc in active:  # only the processes this function started
            proc.terminate()
        for proc in active:
            proc.wait()
        sys.exit("interrupted: rerun the same command to resume every run from its last checkpoint")
    finally:
        for lock in locks.values():
            lock.release()
    return failed


def last_error(log):
    """The last line of a worker's log that starts with "error" (or its last line): why it failed."""
    try:
        lines = [line for line in Path(log).read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "(no log)"
    errors = [line for line in lines if line.startswith(("error", "interrupted"))]
    return (errors or lines or ["(empty log)"])[-1]


_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid):
    """A Popen preexec_fn: on Linux the worker gets SIGTERM when its parent ends, even by SIGKILL."""
    if _LIBC is None:  # elsewhere a killed orchestrator leaves its workers to finish on their own
        return None

    def set_death_signal():
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return set_death_signal


def start_run(run, mode, args):
    """Popen of examples/fashion_mnist.py for `run`, its output appended to the run's log.txt."""
    run_dir = args.results / "runs" / run.name
    run_dir.mkdir(parents=True, exist_ok=True)
    flags = run.flags(mode)
    spec = check_same_experiment(run_dir, flags)
    resuming = Checkpoint(run_dir / "checkpoint").exists()
    spec["sessions"].append({"started": now(), "threads": args.threads, "resumed": resuming})
    write_json(run_dir / "run.json", spec)
    command = [sys.executable, str(EXAMPLE), *flags, "--out", str(run_dir)]
    if args.data_dir:
        command += ["--data-dir", str(args.data_dir)]
    # One BLAS thread per run; unbuffered output so log.txt fills as it goes; no progress bars in the log.
    env = {**os.environ, **thread_env(args.threads), "PYTHONUNBUFFERED": "1", "TQDM_DISABLE": "1"}
    log_fd = open_no_follow(args.results, run_dir / "log.txt", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    with open(log_fd, "a") as log:
        log.write(f"\n=== {now()}: {shlex.join(command)}\n")
        log.flush()
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO,
                                preexec_fn=die_with_parent(os.getpid()))
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
            if "diverged" in record:  # no test numbers: nan, which the verdicts call diverged
                record.update(test_loss=float("nan"), test_accuracy=float("nan"))
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
            return subprocess.Popen(command(seed, tag), env=env, stdout=subprocess.DEVNULL,
                                    preexec_fn=die_with_parent(os.getpid()))

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
