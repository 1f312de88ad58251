"""Train the report's 784-600-400-10 MLP on Fashion-MNIST both ways, in lockstep.

The autograd engine (nn.MLP, Tensor.backward) and the report's hand-derived
δ-recursion network start from the same weights and see the same mini-batches;
every epoch prints both sets of metrics and the largest gap between their weights.

    python examples/fashion_mnist.py                    # fast preset, both engines
    python examples/fashion_mnist.py --preset report    # the report's 500-epoch recipe
    python examples/fashion_mnist.py --engine report --epochs 5 --lr 0.05
    python examples/fashion_mnist.py --evaluate runs/fashion_mnist/weights_autograd.npz

Writes into --out: history.json (settings, per-epoch metrics, test results),
loss.png and accuracy.png (train vs validation), and weights_<engine>.npz.
Needs the data: python -m tinygrad_edu.data download, or apt-get install -y dataset-fashion-mnist
(or --data-dir).

Safe to kill at any moment. The outputs are replaced as one set: a run killed while writing
them leaves the previous set, or the new one once any later run into --out finishes the
interrupted renames. With --checkpoint, each epoch's state is one file replaced in one step,
and a rerun resumes from it only with the same settings (--epochs may grow, on a constant
schedule, to extend a run). One process at a time writes into an --out folder (OUT/.lock).
A loss that becomes nan or inf stops the run: the last good epoch's weights are saved, exit 1.
Under a pipe or into a log file, one line per epoch; the progress bar shows on a terminal only.
"""

import argparse
import functools
import io
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from tinygrad_edu.data import DatasetError, DatasetNotFoundError, load_fashion_mnist, train_validation_split
from tinygrad_edu.data.safe_paths import path_argument
from tinygrad_edu.nn import ACTIVATIONS
from tinygrad_edu.report import PUBLISHED_RESULTS
from tinygrad_edu.train import (
    LEARNERS,
    OPTIMIZERS,
    Checkpoint,
    CheckpointError,
    SettingsMismatch,
    TrainingDiverged,
    fit,
    max_weight_difference,
    script,
)
from tinygrad_edu.train.runfiles import (
    FileFormatError,
    FolderBusyError,
    FolderLock,
    finish_replacing,
    read_npz,
    replacing_pending,
)
from tinygrad_edu.train.script import non_negative_int as _non_negative_int
from tinygrad_edu.train.script import pin_blas_threads, progress_bar, run_training, thread_count
from tinygrad_edu.train.script import positive as _positive
from tinygrad_edu.train.script import unit_interval as _unit_interval

PRESETS = {
    # Reaches the report's 88.84 % test accuracy in a fraction of its 500 epochs.
    "fast": dict(epochs=12, batch_size=128, optimizer="momentum", lr=0.3, beta=0.9,
                 schedule="cosine", patience=None, full_train_eval=False),
    # The report's recipe: ReLU, 500 epochs, batch 500, lr 0.01, β 0.8, 55000/5000 split.
    "report": dict(epochs=500, batch_size=500, optimizer="momentum", lr=0.01, beta=0.8,
                   schedule="constant", patience=None, full_train_eval=True),
}
INPUT_SIZE, N_CLASSES = 784, 10
REPORT_SIZES = (INPUT_SIZE, 600, 400, N_CLASSES)  # the report's network, the default


def parse_args(argv=None):
    presets = "\n".join(f"  {name}: {settings}" for name, settings in PRESETS.items())
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"Flags left out take the preset's value:\n{presets}",
    )
    parser.add_argument("--preset", choices=PRESETS, default="fast",
                        help="a recipe (default: fast); the flags below override its settings")
    parser.add_argument("--engine", choices=("both", *LEARNERS), default="both",
                        help="train both in lockstep (default), or one")
    parser.add_argument("--sizes", type=_sizes, default=REPORT_SIZES,
                        help="layer widths, comma-separated, 784 first and 10 last (default: 784,600,400,10)")
    parser.add_argument("--activation", choices=ACTIVATIONS, default="relu", help="default: relu")
    parser.add_argument("--epochs", type=_positive(int))
    parser.add_argument("--batch-size", type=_positive(int))
    parser.add_argument("--optimizer", choices=OPTIMIZERS,
                        help="sgd; momentum is the report's v ← βv + (1−β)g, w ← w − lr·v; adam")
    parser.add_argument("--lr", type=_positive(float),
                        help="learning rate (peak, with --schedule cosine): a finite number > 0")
    parser.add_argument("--beta", type=_unit_interval, help="momentum β in [0, 1)")
    parser.add_argument("--schedule", choices=("constant", "cosine"))
    parser.add_argument("--patience", type=_positive(int),
                        help="early stopping: stop after this many epochs without a better "
                             "validation loss, and keep the best epoch's weights")
    parser.add_argument("--full-train-eval", action=argparse.BooleanOptionalAction, default=None,
                        help="train metrics from a full pass after each epoch (the report's way) "
                             "instead of the mean over the epoch's batches")
    parser.add_argument("--seed", type=_non_negative_int, default=0,
                        help="weights, split and batch order: a whole number ≥ 0 (default: 0)")
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32", help="default: float32")
    parser.add_argument("--blas-threads", type=thread_count, default=1,
                        help="threads of numpy's matrix products (default: 1): only runs with the same "
                             "count on the same kind of CPU agree bit for bit (needs threadpoolctl)")
    parser.add_argument("--validation", type=_positive(int), default=5000,
                        help="training images held out for validation (default: 5000)")
    parser.add_argument("--train-limit", type=_positive(int),
                        help="train on only this many of the training images (quick checks)")
    parser.add_argument("--data-dir", type=path_argument, help="folder with the four IDX files")
    parser.add_argument("--out", type=path_argument, default=Path("runs/fashion_mnist"),
                        help="output folder (default: runs/fashion_mnist); a run replaces what an earlier "
                             "run wrote there (history.json, plots, weights_*.npz) as one set")
    parser.add_argument("--no-plots", action="store_true", help="skip loss.png and accuracy.png")
    parser.add_argument("--checkpoint", action="store_true",
                        help="save the state after every epoch to OUT/checkpoint.npz and resume from it "
                             "if present: with the same flags, except --epochs, which may grow on a "
                             "constant schedule to extend a run; other changes are refused")
    parser.add_argument("--evaluate", type=path_argument, metavar="WEIGHTS.npz",
                        help="only evaluate saved weights on the test set")
    args = parser.parse_args(argv)
    for key, value in PRESETS[args.preset].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.validation >= 60_000:
        parser.error(f"--validation {args.validation} leaves no training images (60000 in all)")
    return args


def _sizes(text):
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if len(sizes) < 2 or sizes[0] != INPUT_SIZE or sizes[-1] != N_CLASSES or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"sizes must start at {INPUT_SIZE} (pixels) and end at {N_CLASSES} (classes), "
            f"with positive widths between; got {text!r}"
        )
    return sizes


def load_data(args):
    """(x_train, y_train, x_val, y_val, x_test, y_test) with labels as class indices."""
    try:
        data = load_fashion_mnist(args.data_dir, dtype=args.dtype)
    except (DatasetError, DatasetNotFoundError) as error:
        sys.exit(f"error: {error}")
    x_train, y_train, x_val, y_val = train_validation_split(
        data.x_train, data.y_train, n_validation=args.validation, seed=args.seed
    )
    if args.train_limit:
        x_train, y_train = x_train[: args.train_limit], y_train[: args.train_limit]
    return x_train, y_train, x_val, y_val, data.x_test, data.y_test


def weights_bytes(learner, args):
    """An .npz of the weights W1, b1, W2, …, plus sizes and activation: loads with allow_pickle=False."""
    arrays = {"sizes": np.array(args.sizes), "activation": np.array(args.activation)}
    for k, (weight, bias) in enumerate(learner.get_weights(), start=1):
        arrays[f"W{k}"], arrays[f"b{k}"] = weight, bias
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def load_weights(path):
    """(sizes, activation, [(weight, bias), …]) from a file written by weights_bytes.

    Everything is checked before any network is built: the archive itself (read_npz), then
    that sizes runs from 784 to 10 and that every W_k, b_k has the shape sizes says.
    """
    arrays = read_npz(path)

    def fail(problem):
        return FileFormatError(path, f"{problem}: not a weights file written by this script")

    missing = sorted({"sizes", "activation"} - set(arrays))
    if missing:
        raise fail(f"no {' or '.join(missing)} array")
    sizes, activation = arrays["sizes"], arrays["activation"]
    if sizes.ndim != 1 or sizes.dtype.kind not in "iu" or len(sizes) < 2 or (sizes < 1).any():
        raise fail(f"sizes should be 2 or more positive whole numbers, got {sizes.dtype} {sizes.shape}")
    sizes = tuple(int(n) for n in sizes)
    if sizes[0] != INPUT_SIZE or sizes[-1] != N_CLASSES:
        raise fail(f"sizes {list(sizes)} should start at {INPUT_SIZE} and end at {N_CLASSES}")
    if activation.ndim != 0 or activation.dtype.kind != "U" or str(activation) not in ACTIVATIONS:
        raise fail(f"activation should be one of {', '.join(ACTIVATIONS)}, got {activation!r}")
    weights = []
    for k in range(1, len(sizes)):
        expected = {f"W{k}": (sizes[k], sizes[k - 1]), f"b{k}": (sizes[k],)}
        for name, shape in expected.items():
            if name not in arrays:
                raise fail(f"sizes {list(sizes)} needs {name}, which is missing")
            if arrays[name].shape != shape or arrays[name].dtype.kind != "f":
                raise fail(f"{name} is {arrays[name].dtype} {arrays[name].shape}, but sizes {list(sizes)} "
                           f"needs floats of shape {shape}")
        weights.append((arrays[f"W{k}"], arrays[f"b{k}"]))
    return sizes, str(activation), weights


def plot_bytes(histories):
    """{"loss.png": png, "accuracy.png": png}: train (dashed) vs validation (solid), a colour per engine."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pngs = {}
    for metric, label in (("loss", "cross-entropy loss"), ("accuracy", "accuracy")):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for name, history in histories.items():
            epochs = range(1, len(history[f"val_{metric}"]) + 1)
            line, = ax.plot(epochs, history[f"train_{metric}"], "--", label=f"{name}: train")
            ax.plot(epochs, history[f"val_{metric}"], color=line.get_color(), label=f"{name}: validation")
        ax.set(xlabel="epoch", ylabel=label, title=f"Fashion-MNIST, train vs validation {metric}")
        ax.grid(alpha=0.3)
        ax.legend()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=110)
        plt.close(fig)
        pngs[f"{metric}.png"] = buffer.getvalue()
    return pngs


def evaluate_only(args):
    folder = args.evaluate.parent
    try:
        if replacing_pending(folder):  # a killed run's outputs: finish its renames before reading
            with FolderLock(folder):
                finish_replacing(folder)
        sizes, activation, weights = load_weights(args.evaluate)
    except (FileFormatError, FolderBusyError) as error:
        sys.exit(f"error: --evaluate {error}")
    except OSError as error:
        sys.exit(f"error: --evaluate {args.evaluate}: {error.strerror or error}")
    args.sizes, args.activation = sizes, activation
    *_, x_test, y_test = load_data(args)
    engine = "autograd" if args.engine == "both" else args.engine
    learner = LEARNERS[engine](sizes, activation, "sgd", 0.0, args.dtype, args.seed)
    learner.set_weights(weights)
    loss, accuracy = learner.evaluate(x_test, y_test)
    print(f"{args.evaluate} ({engine} engine): test loss {loss:.4f}, test accuracy {accuracy:.4f}")


def published_results(args):
    """' (report, ACTIVATION: loss / accuracy)' on the report's own network and activations, else ''."""
    if tuple(args.sizes) != REPORT_SIZES or args.activation not in PUBLISHED_RESULTS:
        return ""
    loss, accuracy = PUBLISHED_RESULTS[args.activation]
    return f" (report, {args.activation}: {loss:.4f} / {accuracy:.4f})"


def claim_output_folder(out):
    """Lock --out and make it ready (script.claim_output_folder), checking this script's file names."""
    return script.claim_output_folder(out, (*OUTPUTS, "checkpoint.npz"))


SETTING_FLAGS = {"learners": "--engine", "data": "the data (--data-dir)"}


def mismatch_message(error, out):
    """The refusal to resume, one line per setting that differs, with how to start afresh."""
    return script.mismatch_message(error, out, SETTING_FLAGS)


def main(argv=None):
    args = parse_args(argv)
    args.blas = pin_blas_threads(args.blas_threads)
    if args.evaluate:
        return evaluate_only(args)
    run_training(args, train, (*OUTPUTS, "checkpoint.npz"))


def train(args):
    start = time.perf_counter()
    x_train, y_train, x_val, y_val, x_test, y_test = load_data(args)
    load_seconds = time.perf_counter() - start
    engines = list(LEARNERS) if args.engine == "both" else [args.engine]
    learners = [LEARNERS[e](args.sizes, args.activation, args.optimizer, args.beta, args.dtype, args.seed)
                for e in engines]
    for other in learners[1:]:  # lockstep: every engine starts from the first one's weights
        other.set_weights(learners[0].get_weights())
    log = functools.partial(print, flush=True)  # a line per epoch, as it happens, even into a log file
    log(f"{args.preset} preset: {' and '.join(engines)} on {len(x_train)} training images, "
        f"{len(x_val)} validation; sizes {list(args.sizes)}, {args.activation}, {args.optimizer} "
        f"lr {args.lr} ({args.schedule}), β {args.beta}, batch {args.batch_size}, "
        f"{args.epochs} epochs, {args.dtype}")
    checkpoint = None
    if args.checkpoint:
        checkpoint = Checkpoint(args.out / "checkpoint",
                                settings={"validation": args.validation, "train_limit": args.train_limit})
    diverged = None
    try:
        histories = fit(learners, x_train, y_train, x_val, y_val, epochs=args.epochs,
                        batch_size=args.batch_size, lr=args.lr, schedule=args.schedule, seed=args.seed,
                        patience=args.patience, full_train_eval=args.full_train_eval,
                        progress=progress_bar(), log=log, checkpoint=checkpoint)
    except SettingsMismatch as error:
        sys.exit(mismatch_message(error, args.out))
    except CheckpointError as error:
        sys.exit(f"error: {error}")
    except TrainingDiverged as error:
        diverged, histories = error, error.histories
    results = {}
    for learner in learners:
        seconds = sum(histories[learner.name]["seconds"])
        if diverged:
            results[learner.name] = {"diverged": str(diverged), "epochs_completed": diverged.last_good_epoch,
                                     "train_seconds": seconds}
            continue
        test_loss, test_accuracy = learner.evaluate(x_test, y_test)
        results[learner.name] = {"test_loss": test_loss, "test_accuracy": test_accuracy,
                                 "train_seconds": seconds}
        log(f"{learner.name}: test loss {test_loss:.4f}, test accuracy {test_accuracy:.4f}"
            f"{published_results(args)}, {seconds:.1f} s of training")
    if len(learners) == 2:
        gap = max_weight_difference(*learners)
        results["max_weight_difference"] = gap
        log(f"largest weight difference between the engines after training: {gap:.3g}")
    record = {
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k != "blas"},
        "results": results,
        "histories": histories,
        "data_load_seconds": load_seconds,
        "wall_seconds": time.perf_counter() - start,
        "machine": {"python": platform.python_version(), "numpy": np.__version__,
                    "processor": platform.machine(), "cpus": os.cpu_count(), "blas": args.blas},
    }
    write_outputs(args, record, learners, histories)
    if diverged:
        sys.exit(f"error: {diverged}\nSaved the weights of epoch {diverged.last_good_epoch} and the history "
                 f"so far in {args.out}; start afresh with a smaller --lr"
                 + (f" (delete {checkpoint.path} first)." if checkpoint else "."))


OUTPUTS = ("history.json", "loss.png", "accuracy.png", *(f"weights_{name}.npz" for name in LEARNERS))


def write_outputs(args, record, learners, histories):
    """Replace OUT's outputs as one set; files of OUTPUTS this run does not make are removed with it."""
    files = {f"weights_{learner.name}.npz": weights_bytes(learner, args) for learner in learners}
    files["history.json"] = json.dumps(record, indent=1).encode()
    if not args.no_plots:
        files.update(plot_bytes({name: h for name, h in histories.items() if name in LEARNERS}))
    script.write_outputs(args.out, files, OUTPUTS)
    plots = "" if args.no_plots else ", loss.png, accuracy.png"
    print(f"wrote {args.out}/history.json, weights_*.npz{plots}", flush=True)


if __name__ == "__main__":
    main()
