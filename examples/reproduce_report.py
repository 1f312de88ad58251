"""Rerun every experiment of the homework report with the report's own network, and grade each claim.

The report trained a 784-600-400-10 softmax network on Fashion-MNIST with
hand-derived backprop and a momentum rule, and drew the claims listed in
`verdicts()` from it. Every training run here is `examples/fashion_mnist.py
--engine report`: the report's own δ-recursion network (tinygrad_edu/report/network.py)
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
and the lesson page with its 繁體中文 twin beside it, reproduction.zh-TW.md (figures
copied next to them): lessons/reproduction.md only when RESULTS is the repository's
own results/ folder (or --lessons-page says so), otherwise RESULTS/lessons/reproduction.md,
so that other results never overwrite the lesson.

Each run is locked (RESULTS/runs/NAME/run.lock) while this script drives it, so two
reruns never train the same run; on Linux a worker dies with the script, even if the
script is killed with SIGKILL. A run whose checkpoint is damaged is not started: the
message names it and the command that restarts it from epoch 0.

The work is split by job in examples/reproduction/: claims.py (what the report
says), plan.py (which runs), running.py and momentum.py (training), verdicts.py
(the rules), figures.py, tables.py, pages.py and lesson_page.py (what gets written),
languages.py (English and 繁體中文).
"""

import argparse
import os
import shlex
import signal
import sys
import tempfile

from reproduction.momentum import run_momentum_experiment
from reproduction.pages import THIS_SCRIPT, summarize
from reproduction.plan import FULL, MOMENTUM_RUN, QUICK, plan
from reproduction.running import REPO, lock_run, measure_threads, run_all

from tinygrad_edu.data.safe_paths import UnsafePathError, check_inside, path_argument
from tinygrad_edu.train.runfiles import FolderBusyError
from tinygrad_edu.train.script import thread_count


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
    parser.add_argument("--results", type=path_argument,
                        help="output folder (default: results/, or results-quick/ with --quick)")
    parser.add_argument("--seeds", type=_int_at_least(0, "seeds"), nargs="+",
                        help="seeds of the activation runs, at least 2 (default: 0 1 2; quick: 0 1)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="run only these runs (names as in RESULTS/runs/); the summary covers all")
    parser.add_argument("--jobs", type=thread_count, default=min(2, os.cpu_count() or 1),
                        help="runs side by side, at most the CPUs (default: 2, or 1 on one CPU)")
    parser.add_argument("--threads", type=thread_count, default=1,
                        help="BLAS threads per run (default: 1; on 2 cores, 2 runs × 1 thread beat 1 × 2)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny networks, 2 epochs on 2000 images: the whole pipeline in seconds")
    parser.add_argument("--summarize-only", action="store_true",
                        help="train nothing: figures, summary and lesson page from the runs that finished")
    parser.add_argument("--measure-threads", action="store_true",
                        help="time 2 short runs side by side (1 thread each) against one after the other "
                             "(2 threads each), write RESULTS/threads.json, and exit")
    parser.add_argument("--lessons-page", type=path_argument,
                        help="where the lesson page goes (default: lessons/reproduction.md when RESULTS is "
                             "the repository's results/ and not --quick; otherwise RESULTS/lessons/"
                             "reproduction.md, so the real page is never overwritten by other results); "
                             "its zh-TW twin, NAME.zh-TW.md, goes beside it")
    parser.add_argument("--data-dir", type=path_argument, help="folder with the four Fashion-MNIST files")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    args.seeds = tuple(args.seeds) if args.seeds else mode.seeds
    if len(set(args.seeds)) != len(args.seeds):
        parser.error(f"--seeds: each seed once, got {' '.join(map(str, args.seeds))}")
    if len(args.seeds) < 2:
        parser.error("--seeds: give at least 2 seeds, so that there is a standard deviation")
    args.results = args.results or REPO / ("results-quick" if args.quick else "results")
    if args.lessons_page is None:
        own_results = not args.quick and args.results.resolve() == (REPO / "results").resolve()
        args.lessons_page = (REPO if own_results else args.results) / "lessons" / "reproduction.md"
    names = [r.name for r in plan(mode, args.seeds)] + [MOMENTUM_RUN]
    unknown = sorted(set(args.only or []) - set(names))
    if unknown:
        parser.error(f"--only: unknown run(s) {', '.join(unknown)}; the runs are: {' '.join(names)}")
    if args.summarize_only and args.only:
        parser.error("--only selects runs to train; it makes no sense with --summarize-only")
    return args, mode


def raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    args, mode = parse_args(argv)
    command = f"python {THIS_SCRIPT} {shlex.join(argv)}".strip()
    for signum in (signal.SIGTERM, signal.SIGHUP):  # like Ctrl-C: stop the workers, then exit
        signal.signal(signum, raise_keyboard_interrupt)
    try:  # an unusable --results fails now, not after hours of training
        args.results.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=args.results).close()
    except OSError as error:
        reason = "it is a file" if args.results.is_file() else error.strerror or error
        sys.exit(f"error: --results {args.results} cannot be used as the results folder: {reason}")
    try:  # a symlinked runs/, runs/RUN or figures/ would send files outside --results
        for name in [*(r.name for r in plan(mode, args.seeds)), MOMENTUM_RUN]:
            check_inside(args.results, args.results / "runs" / name / "log.txt")
        check_inside(args.results, args.results / "figures" / "summary.png")
    except UnsafePathError as error:
        sys.exit(f"error: --results {args.results}: {error}")
    if args.measure_threads:
        return measure_threads(args)
    runs = plan(mode, args.seeds)
    failed = []
    if not args.summarize_only:
        selected = [r for r in runs if args.only is None or r.name in args.only]
        if args.only is None or MOMENTUM_RUN in args.only:
            try:
                with lock_run(args.results / "runs" / MOMENTUM_RUN):
                    run_momentum_experiment(mode, args.seeds[0], args)
            except FolderBusyError as error:
                print(f"error: not starting {MOMENTUM_RUN}: {error}", file=sys.stderr)
                failed.append(MOMENTUM_RUN)
            except KeyboardInterrupt:
                sys.exit(f"interrupted during {MOMENTUM_RUN} (it keeps no checkpoint): rerun the command")
        failed += run_all(selected, mode, args, command)
    summarize(args, mode, args.seeds, runs, command)
    if failed:
        sys.exit(f"error: {len(failed)} run(s) failed: {', '.join(failed)} (the messages above and their "
                 "logs say why); "
                 "rerun to resume them")


if __name__ == "__main__":
    main()
