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
Needs the data: apt-get install -y dataset-fashion-mnist (or --data-dir).
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from tinygrad_edu.data import DatasetError, DatasetNotFoundError, load_fashion_mnist, train_validation_split
from tinygrad_edu.nn import ACTIVATIONS
from tinygrad_edu.report import PUBLISHED_RESULTS
from tinygrad_edu.train import LEARNERS, OPTIMIZERS, Checkpoint, atomic_write, fit, max_weight_difference

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
    parser.add_argument("--lr", type=_positive(float), help="learning rate (peak, with --schedule cosine)")
    parser.add_argument("--beta", type=_unit_interval, help="momentum β in [0, 1)")
    parser.add_argument("--schedule", choices=("constant", "cosine"))
    parser.add_argument("--patience", type=_positive(int),
                        help="early stopping: stop after this many epochs without a better "
                             "validation loss, and keep the best epoch's weights")
    parser.add_argument("--full-train-eval", action=argparse.BooleanOptionalAction, default=None,
                        help="train metrics from a full pass after each epoch (the report's way) "
                             "instead of the mean over the epoch's batches")
    parser.add_argument("--seed", type=int, default=0, help="weights, split and batch order (default: 0)")
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32", help="default: float32")
    parser.add_argument("--validation", type=_positive(int), default=5000,
                        help="training images held out for validation (default: 5000)")
    parser.add_argument("--train-limit", type=_positive(int),
                        help="train on only this many of the training images (quick checks)")
    parser.add_argument("--data-dir", type=Path, help="folder with the four IDX files")
    parser.add_argument("--out", type=Path, default=Path("runs/fashion_mnist"),
                        help="output folder (default: runs/fashion_mnist)")
    parser.add_argument("--no-plots", action="store_true", help="skip loss.png and accuracy.png")
    parser.add_argument("--checkpoint", action="store_true",
                        help="save the state after every epoch to OUT/checkpoint.{npz,json} and "
                             "resume from it if present (same flags)")
    parser.add_argument("--evaluate", type=Path, metavar="WEIGHTS.npz",
                        help="only evaluate saved weights on the test set")
    args = parser.parse_args(argv)
    for key, value in PRESETS[args.preset].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.validation >= 60_000:
        parser.error(f"--validation {args.validation} leaves no training images (60000 in all)")
    return args


def _positive(kind):
    def parse(text):
        value = kind(text)
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
        return value

    parse.__name__ = f"positive {kind.__name__}"
    return parse


def _unit_interval(text):
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


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


def save_weights(path, learner, args):
    """weights as W1, b1, W2, …, plus sizes and activation: loadable with allow_pickle=False."""
    arrays = {"sizes": np.array(args.sizes), "activation": np.array(args.activation)}
    for k, (weight, bias) in enumerate(learner.get_weights(), start=1):
        arrays[f"W{k}"], arrays[f"b{k}"] = weight, bias
    atomic_write(path, lambda f: np.savez(f, **arrays))


def load_weights(path):
    """(sizes, activation, [(weight, bias), …]) from a file written by save_weights."""
    try:
        with np.load(path, allow_pickle=False) as f:
            sizes, activation = tuple(int(n) for n in f["sizes"]), str(f["activation"])
            return sizes, activation, [(f[f"W{k}"], f[f"b{k}"]) for k in range(1, len(sizes))]
    except (OSError, KeyError, ValueError) as error:
        sys.exit(f"error: cannot read weights from {path}: {error}")


def plot_history(histories, out_dir):
    """loss.png and accuracy.png: train (dashed) vs validation (solid), one colour per engine."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for metric, label in (("loss", "cross-entropy loss"), ("accuracy", "accuracy")):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for name, history in histories.items():
            epochs = range(1, len(history[f"val_{metric}"]) + 1)
            line, = ax.plot(epochs, history[f"train_{metric}"], "--", label=f"{name}: train")
            ax.plot(epochs, history[f"val_{metric}"], color=line.get_color(), label=f"{name}: validation")
        ax.set(xlabel="epoch", ylabel=label, title=f"Fashion-MNIST, train vs validation {metric}")
        ax.grid(alpha=0.3)
        ax.legend()
        atomic_write(out_dir / f"{metric}.png", lambda f, fig=fig: fig.savefig(f, format="png", dpi=110))
        plt.close(fig)


def progress_bar():
    """A tqdm progress bar per epoch, if tqdm is installed (the `examples` extra)."""
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return lambda batches, epoch, total: tqdm(batches, total=total, desc=f"epoch {epoch}", leave=False)


def evaluate_only(args):
    sizes, activation, weights = load_weights(args.evaluate)
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


def main(argv=None):
    args = parse_args(argv)
    if args.evaluate:
        return evaluate_only(args)
    start = time.perf_counter()
    x_train, y_train, x_val, y_val, x_test, y_test = load_data(args)
    load_seconds = time.perf_counter() - start
    engines = list(LEARNERS) if args.engine == "both" else [args.engine]
    learners = [LEARNERS[e](args.sizes, args.activation, args.optimizer, args.beta, args.dtype, args.seed)
                for e in engines]
    for other in learners[1:]:  # lockstep: every engine starts from the first one's weights
        other.set_weights(learners[0].get_weights())
    print(f"{args.preset} preset: {' and '.join(engines)} on {len(x_train)} training images, "
          f"{len(x_val)} validation; sizes {list(args.sizes)}, {args.activation}, {args.optimizer} "
          f"lr {args.lr} ({args.schedule}), β {args.beta}, batch {args.batch_size}, "
          f"{args.epochs} epochs, {args.dtype}")
    histories = fit(learners, x_train, y_train, x_val, y_val, epochs=args.epochs,
                    batch_size=args.batch_size, lr=args.lr, schedule=args.schedule, seed=args.seed,
                    patience=args.patience, full_train_eval=args.full_train_eval,
                    progress=progress_bar(),
                    checkpoint=Checkpoint(args.out / "checkpoint") if args.checkpoint else None)
    results = {}
    for learner in learners:
        test_loss, test_accuracy = learner.evaluate(x_test, y_test)
        seconds = sum(histories[learner.name]["seconds"])
        results[learner.name] = {"test_loss": test_loss, "test_accuracy": test_accuracy,
                                 "train_seconds": seconds}
        print(f"{learner.name}: test loss {test_loss:.4f}, test accuracy {test_accuracy:.4f}"
              f"{published_results(args)}, {seconds:.1f} s of training")
        save_weights(args.out / f"weights_{learner.name}.npz", learner, args)
    if len(learners) == 2:
        gap = max_weight_difference(*learners)
        results["max_weight_difference"] = gap
        print(f"largest weight difference between the engines after training: {gap:.3g}")
    record = {
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "results": results,
        "histories": histories,
        "data_load_seconds": load_seconds,
        "wall_seconds": time.perf_counter() - start,
        "machine": {"python": platform.python_version(), "numpy": np.__version__,
                    "processor": platform.machine(), "cpus": os.cpu_count()},
    }
    atomic_write(args.out / "history.json", lambda f: f.write(json.dumps(record, indent=1).encode()))
    if not args.no_plots:
        plot_history({name: h for name, h in histories.items() if name in LEARNERS}, args.out)
    plots = "" if args.no_plots else ", loss.png, accuracy.png"
    print(f"wrote {args.out}/history.json, weights_*.npz{plots}")


if __name__ == "__main__":
    main()
