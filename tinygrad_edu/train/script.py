"""What the training scripts in examples/ share: flag types, the --out claim, one run's frame (lesson 7).

`run_training(args, train, names)` is a script's main after its flags are parsed: it turns SIGTERM
into the same tidy exit as Ctrl-C, says at once if the data is missing, claims --out (one process
per folder, a killed run's renames finished, its temporary files gone), runs `train(args)`, and on
an interruption says whether a rerun resumes. Every error exits with a message naming the flag.
"""

import argparse
import math
import os
import signal
import sys

from tinygrad_edu.data import DatasetError, DatasetNotFoundError, find_data_dir
from tinygrad_edu.data.safe_paths import check_inside
from tinygrad_edu.train.runfiles import (
    FileFormatError,
    FolderBusyError,
    FolderLock,
    finish_replacing,
    remove_stale_temps,
    replace_together,
)


def positive(kind):
    """argparse type: a finite `kind` (int or float) > 0."""

    def parse(text):
        value = kind(text)
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text}")
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
        return value

    parse.__name__ = f"positive {kind.__name__}"
    return parse


def non_negative_int(text):
    """argparse type: a whole number ≥ 0 (a seed)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be ≥ 0, got {text}")
    return value


def unit_interval(text):
    """argparse type: a number in [0, 1) (a momentum coefficient)."""
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


def thread_count(text):
    """argparse type: a whole number of threads from 1 to this machine's CPU count (more only slows)."""
    value = positive(int)(text)
    cpus = os.cpu_count() or 1
    if value > cpus:
        raise argparse.ArgumentTypeError(f"must be at most {cpus}, the CPUs of this machine, got {text}")
    return value


def pin_blas_threads(threads):
    """Run numpy's BLAS on `threads` threads; [{library, version, kernels, threads}] for history.json.

    Measured with OpenBLAS: 1 and 2 threads give different bits from the first epoch on (each
    count the same bits on every rerun), and training amplifies them into different accuracies.
    Without threadpoolctl the count stays the library's default (OPENBLAS_NUM_THREADS, else one
    thread per core), which a note says.
    """
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        print(f"note: threadpoolctl is not installed, so --blas-threads {threads} is ignored and the "
              "result depends on the machine's core count (pip install threadpoolctl)", file=sys.stderr)
        return None
    threadpool_limits(limits=threads, user_api="blas")
    return [{"library": i["internal_api"], "version": i["version"], "kernels": i.get("architecture"),
             "threads": i["num_threads"]} for i in threadpool_info() if i["user_api"] == "blas"]


def progress_bar():
    """A tqdm bar per epoch, on a terminal only: under a pipe or into a log file, the epoch lines alone."""
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return lambda batches, epoch, total: tqdm(batches, total=total, desc=f"epoch {epoch}", leave=False)


def claim_output_folder(out, names):
    """Lock --out for this process (FolderLock), finish a killed run's output renames, drop its temp files.

    Run before any work, so that an unusable --out (a file, read-only, /dev/null/x, a symlink at
    one of the file `names` the run writes) or one another process is writing into fails at once,
    naming the folder.
    """
    try:
        lock = FolderLock(out).acquire()
        finish_replacing(out)
        remove_stale_temps(out)
        for name in names:  # a symlink planted there would be refused mid-run
            check_inside(out, out / name)
    except FolderBusyError as error:
        sys.exit(f"error: --out {out}: {error}")
    except (OSError, FileFormatError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        reason = "it is a file" if out.is_file() else reason
        sys.exit(f"error: --out {out} cannot be used as the output folder: {reason}")
    return lock


def mismatch_message(error, out, setting_flags):
    """The refusal to resume (SettingsMismatch), one line per differing setting, with how to start afresh.

    `setting_flags` maps a setting's name to the flag that sets it where that is not "--name".
    """

    def show(value):
        return ",".join(map(str, value)) if isinstance(value, list) else str(value)

    lines = [f"error: {error.path} was saved by a run with other settings:"]
    names = {name for name, _, _ in error.differences}
    for name, saved, now in error.differences:
        if name == "data" and names & {"seed", "validation", "train_limit", "test_limit"}:
            continue  # the data follows from those: already said
        flag = setting_flags.get(name, "--" + name.replace("_", "-"))
        lines.append(f"  {flag}: {show(saved)} in the checkpoint, {show(now)} now")
        if name == "epochs":
            lines.append("    (--epochs may only grow, and only with --schedule constant)")
    lines.append(f"Resume with the checkpoint's settings, or start afresh: delete {error.path} "
                 f"(or choose another --out than {out}).")
    return "\n".join(lines)


def write_outputs(out, files, names):
    """Replace the outputs in `out` as one set: {name: bytes} written, every other name of `names` removed."""
    writers = {name: (lambda f, data=files[name]: f.write(data)) if name in files else None for name in names}
    try:
        replace_together(out, writers)
    except OSError as error:
        sys.exit(f"error: cannot write the outputs into {out}: {error}")


def raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def run_training(args, train, names):
    """Check the data is there, claim args.out (its file `names`), run train(args); a kill exits 130.

    Needs args.data_dir, args.out and args.checkpoint (whether a rerun resumes).
    """
    signal.signal(signal.SIGTERM, raise_keyboard_interrupt)  # a kill: the same tidy exit as Ctrl-C
    try:
        find_data_dir(args.data_dir)  # cheap: before any folder is made, say if the data is missing
    except (DatasetError, DatasetNotFoundError) as error:
        sys.exit(f"error: {error}")
    except OSError as error:
        sys.exit(f"error: cannot look for the Fashion-MNIST data: {error}")
    lock = claim_output_folder(args.out, names)
    then = ("rerun the same command to resume from the last finished epoch" if args.checkpoint
            else "nothing was saved (with --checkpoint, a rerun resumes)")
    try:
        train(args)
    except KeyboardInterrupt as interrupt:
        how = f" by {interrupt.args[0]}" if interrupt.args else ""
        print(f"interrupted{how}: {then}", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:  # e.g. `... | head -3`: the reader of our output has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        print(f"stopped: the output's reader went away (a closed pipe); {then}", file=sys.stderr)
        sys.exit(128 + signal.SIGPIPE)  # 141, what a shell reports for a process a closed pipe stopped
    finally:
        lock.release()
