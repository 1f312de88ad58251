"""Train a small CNN on Fashion-MNIST with the Tensor engine and with PyTorch, in lockstep.

The same network twice: conv(1→32, 3×3) - ReLU - max-pool 2 - conv(32→64, 3×3) - ReLU - max-pool 2
- flatten - linear(3136→128) - ReLU - linear(128→10), 421,642 parameters. Ours is built from
tinygrad_edu.nn and trained by optim.SGD through Tensor.backward(); PyTorch's copy starts from
our initial weights and sees the same mini-batches in the same order (tinygrad_edu.train.fit
drives both). After every epoch both are evaluated on the 10,000 test images (the log calls it
"val"; nothing is chosen by it: the recipe is fixed, no early stopping) and the largest gap
between their weights is recorded.

    python examples/fashion_mnist_cnn.py --checkpoint               # the default recipe, 8 epochs
    python examples/fashion_mnist_cnn.py --epochs 1 --train-limit 2000 --test-limit 500 --out /tmp/cnn
    python examples/fashion_mnist_cnn.py --dtype float64 --epochs 1 --train-limit 256   # agree to ~1e-15

Writes into --out (default results/cnn/seed0): history.json and weights_<engine>.npz
({"0.weight": …}, loads into either network's load_state_dict). history.json holds "settings"
(the flags; a path only if relative), "histories" ({engine: {"train_loss": mean over the epoch's
batches, "test_accuracy": after the epoch, "epoch_seconds": that engine's own seconds of the epoch,
its steps and its test evaluation}}), "max_weight_difference" (per epoch) and "test_accuracy"
({engine: after the last epoch}).
Needs PyTorch for the torch side (pip install -e '.[torch]'); --engine autograd runs without it.

The same conventions as examples/fashion_mnist.py: one process at a time writes into --out
(OUT/.lock); outputs are replaced as one set; with --checkpoint each epoch's state goes to
OUT/checkpoint.npz and a rerun (after a kill) resumes from it, only with the same settings; a
loss that becomes nan or inf stops the run (exit 1) and keeps the last good epoch's weights.
Both engines get --blas-threads threads (numpy's BLAS; torch.set_num_threads), default 1, so
that the seconds compare like with like and reruns give the same bits.
"""

import argparse
import functools
import io
import json
import sys
import time
from pathlib import Path

import numpy as np

from tinygrad_edu import nn, optim
from tinygrad_edu.data import DatasetError, DatasetNotFoundError, load_fashion_mnist
from tinygrad_edu.data.safe_paths import path_argument
from tinygrad_edu.train import (
    Checkpoint,
    CheckpointError,
    ModuleLearner,
    SettingsMismatch,
    TrainingDiverged,
    fit,
    script,
)
from tinygrad_edu.train.learners import Learner
from tinygrad_edu.train.script import (
    non_negative_int,
    pin_blas_threads,
    positive,
    progress_bar,
    thread_count,
    unit_interval,
)

ENGINES = ("autograd", "torch")
OUTPUTS = ("history.json", *(f"weights_{name}.npz" for name in ENGINES))
ARCHITECTURE = "conv32-relu-maxpool-conv64-relu-maxpool-flatten-linear128-relu-linear10"
EVAL_CHUNK = 500  # test images per forward pass when evaluating: the conv activations stay ~100 MB
SETTING_FLAGS = {"learners": "--engine", "data": "the data (--data-dir, --train-limit, --test-limit)"}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=("both", *ENGINES), default="both",
                        help="train both in lockstep (default), or one")
    parser.add_argument("--epochs", type=positive(int), default=8, help="default: 8")
    parser.add_argument("--batch-size", type=positive(int), default=64, help="default: 64")
    parser.add_argument("--lr", type=positive(float), default=0.03,
                        help="learning rate (the peak, with --schedule cosine): finite, > 0 (default: 0.03)")
    parser.add_argument("--momentum", type=unit_interval, default=0.9,
                        help="SGD momentum μ in [0, 1): v ← μv + g, w ← w − lr·v (default: 0.9)")
    parser.add_argument("--schedule", choices=("constant", "cosine"), default="cosine",
                        help="cosine: lr annealed to 0 over every step of the run (default)")
    parser.add_argument("--seed", type=non_negative_int, default=0,
                        help="weights and batch order: a whole number ≥ 0 (default: 0)")
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32", help="default: float32")
    parser.add_argument("--blas-threads", type=thread_count, default=1,
                        help="threads of numpy's BLAS and of torch (default: 1)")
    parser.add_argument("--train-limit", type=positive(int),
                        help="train on only the first this many training images (quick checks)")
    parser.add_argument("--test-limit", type=positive(int),
                        help="evaluate on only the first this many test images (quick checks)")
    parser.add_argument("--data-dir", type=path_argument, help="folder with the four IDX files")
    parser.add_argument("--out", type=path_argument, default=Path("results/cnn/seed0"),
                        help="output folder (default: results/cnn/seed0); a run replaces what an earlier "
                             "run wrote there (history.json, weights_*.npz) as one set")
    parser.add_argument("--checkpoint", action="store_true",
                        help="save the state after every epoch to OUT/checkpoint.npz and resume from it "
                             "if present, with the same flags (--epochs may grow on a constant schedule)")
    return parser.parse_args(argv)


def build_model(dtype, seed):
    """Our CNN, its weights drawn from one generator seeded by `seed`, layer by layer (PyTorch's init)."""
    rng = np.random.default_rng(seed)
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1, dtype=dtype, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1, dtype=dtype, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128, dtype=dtype, rng=rng), nn.ReLU(),
        nn.Linear(128, 10, dtype=dtype, rng=rng),
    )


def learner_settings(args):
    """What a checkpoint compares, per learner: the network, the update rule, the dtype."""
    return {"model": ARCHITECTURE, "optimizer": "sgd", "momentum": args.momentum, "dtype": args.dtype}


class AutogradCNN(ModuleLearner):
    """Our CNN as a learner: ModuleLearner, evaluated EVAL_CHUNK images at a time."""

    def __init__(self, args):
        model = build_model(args.dtype, args.seed)
        super().__init__(model, optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum),
                         learner_settings(args))

    def evaluate(self, x, labels, chunk_size=EVAL_CHUNK):
        return super().evaluate(x, labels, chunk_size)


class TorchCNN(Learner):
    """The same CNN in PyTorch, trained by torch.optim.SGD (the same momentum rule as optim.SGD)."""

    name = "torch"

    def __init__(self, args):
        import torch

        self.torch = torch
        torch.set_num_threads(args.blas_threads)
        layers = torch.nn
        self.model = layers.Sequential(
            layers.Conv2d(1, 32, 3, padding=1), layers.ReLU(), layers.MaxPool2d(2),
            layers.Conv2d(32, 64, 3, padding=1), layers.ReLU(), layers.MaxPool2d(2),
            layers.Flatten(), layers.Linear(64 * 7 * 7, 128), layers.ReLU(), layers.Linear(128, 10),
        ).to(getattr(torch, args.dtype))
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=args.lr, momentum=args.momentum)
        self.settings = learner_settings(args)
        ours = build_model(args.dtype, args.seed)  # the seed fixes the weights here too
        self.set_weights(ModuleLearner(ours, optim.SGD(ours.parameters(), lr=1.0), {}).get_weights())

    def train_step(self, x, labels, lr):
        torch = self.torch
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        logits = self.model(torch.from_numpy(x))
        loss = torch.nn.functional.cross_entropy(logits, torch.from_numpy(labels))
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item(), int((logits.argmax(dim=1).numpy() == labels).sum())

    def evaluate(self, x, labels, chunk_size=EVAL_CHUNK):
        torch = self.torch
        loss_sum, correct = 0.0, 0
        with torch.no_grad():
            for start in range(0, len(x), chunk_size):
                xc, yc = x[start : start + chunk_size], labels[start : start + chunk_size]
                logits = self.model(torch.from_numpy(xc))
                loss_sum += torch.nn.functional.cross_entropy(logits, torch.from_numpy(yc)).item() * len(yc)
                correct += int((logits.argmax(dim=1).numpy() == yc).sum())
        return loss_sum / len(x), correct / len(x)

    def get_weights(self):
        arrays = [p.detach().numpy().copy() for p in self.model.parameters()]
        return list(zip(arrays[::2], arrays[1::2]))

    def set_weights(self, weights):
        arrays = [array for pair in weights for array in pair]
        names = [name for name, _ in self.model.named_parameters()]
        self.model.load_state_dict({n: self.torch.from_numpy(np.array(a)) for n, a in zip(names, arrays)})

    def state_arrays(self):
        arrays = {f"model/{name}": p.detach().numpy().copy() for name, p in self.model.state_dict().items()}
        for i, p in enumerate(self.model.parameters()):
            buffer = self.optimizer.state.get(p, {}).get("momentum_buffer")
            if buffer is not None:
                arrays[f"optim/{i}.momentum_buffer"] = buffer.numpy().copy()
        return arrays

    def load_state_arrays(self, arrays):
        """Restore what state_arrays() returned; KeyError if the names are not this network's."""
        model = {key[len("model/"):]: a for key, a in arrays.items() if key.startswith("model/")}
        buffers = {key: a for key, a in arrays.items() if key.startswith("optim/")}
        expected = {f"optim/{i}.momentum_buffer" for i in range(len(list(self.model.parameters())))}
        if model.keys() != self.model.state_dict().keys() or not buffers.keys() <= expected:
            raise KeyError(f"load_state_arrays: {sorted(arrays)} are not this network's state")
        self.model.load_state_dict({name: self.torch.from_numpy(np.array(a)) for name, a in model.items()})
        for i, p in enumerate(self.model.parameters()):
            if f"optim/{i}.momentum_buffer" in buffers:
                buffer = self.torch.from_numpy(np.array(buffers[f"optim/{i}.momentum_buffer"]))
                self.optimizer.state[p]["momentum_buffer"] = buffer


def make_learners(args):
    """The learners of --engine; with both, PyTorch's copy starts from our initial weights."""
    engines = list(ENGINES) if args.engine == "both" else [args.engine]
    learners = []
    for engine in engines:
        if engine == "torch":
            try:
                learners.append(TorchCNN(args))
            except ImportError:
                sys.exit("error: --engine torch or both needs PyTorch: pip install -e '.[torch]' "
                         "(or run --engine autograd)")
        else:
            learners.append(AutogradCNN(args))
    for other in learners[1:]:
        other.set_weights(learners[0].get_weights())
    return learners


def load_data(args):
    """(x_train, y_train, x_test, y_test): images as (n, 1, 28, 28) in [0, 1], labels as class indices."""
    try:
        data = load_fashion_mnist(args.data_dir, dtype=args.dtype)
    except (DatasetError, DatasetNotFoundError) as error:
        sys.exit(f"error: {error}")
    images = [x.reshape(-1, 1, 28, 28) for x in (data.x_train, data.x_test)]
    x_train, y_train = images[0][: args.train_limit], data.y_train[: args.train_limit]
    x_test, y_test = images[1][: args.test_limit], data.y_test[: args.test_limit]
    return x_train, y_train, x_test, y_test


def recorded_settings(args):
    """The flags as JSON; paths only if relative (an absolute /tmp path says nothing to a reader)."""
    settings = {}
    for key, value in vars(args).items():
        if isinstance(value, Path):
            if value.is_absolute():
                continue
            value = str(value)
        settings[key] = value
    return settings


def weights_bytes(learner):
    """An .npz of the learner's parameters named as a state_dict: "0.weight", "0.bias", "3.weight", …"""
    names = ["0", "3", "7", "9"]  # the layers with parameters, as both Sequentials number them
    arrays = {}
    for name, (weight, bias) in zip(names, learner.get_weights()):
        arrays[f"{name}.weight"], arrays[f"{name}.bias"] = weight, bias
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def train(args):
    start = time.perf_counter()
    x_train, y_train, x_test, y_test = load_data(args)
    learners = make_learners(args)
    log = functools.partial(print, flush=True)
    log(f"{' and '.join(x.name for x in learners)}: {ARCHITECTURE} on {len(x_train)} training images, "
        f"evaluated on {len(x_test)} test images after every epoch (\"val\" below); sgd lr {args.lr} "
        f"({args.schedule}), momentum {args.momentum}, batch {args.batch_size}, {args.epochs} epochs, "
        f"{args.dtype}, {args.blas_threads} thread(s)")
    checkpoint = None
    if args.checkpoint:
        checkpoint = Checkpoint(args.out / "checkpoint",
                                settings={"train_limit": args.train_limit, "test_limit": args.test_limit})
    diverged = None
    try:
        histories = fit(learners, x_train, y_train, x_test, y_test, epochs=args.epochs,
                        batch_size=args.batch_size, lr=args.lr, schedule=args.schedule, seed=args.seed,
                        progress=progress_bar(), log=log, checkpoint=checkpoint)
    except SettingsMismatch as error:
        sys.exit(script.mismatch_message(error, args.out, SETTING_FLAGS))
    except CheckpointError as error:
        sys.exit(f"error: {error}")
    except TrainingDiverged as error:
        diverged, histories = error, error.histories
    record = {
        "settings": recorded_settings(args),
        "histories": {x.name: {"train_loss": histories[x.name]["train_loss"],
                               "test_accuracy": histories[x.name]["val_accuracy"],
                               "epoch_seconds": histories[x.name]["seconds"]} for x in learners},
        "max_weight_difference": histories.get("max_weight_difference", []),
        "test_accuracy": {x.name: (histories[x.name]["val_accuracy"] or [None])[-1] for x in learners},
    }
    for learner in learners:
        seconds = sum(histories[learner.name]["seconds"])
        log(f"{learner.name}: test accuracy {record['test_accuracy'][learner.name]}, "
            f"{seconds:.1f} s of training and evaluation")
    if record["max_weight_difference"]:
        log(f"largest weight difference between the engines after training: "
            f"{record['max_weight_difference'][-1]:.3g}")
    files = {f"weights_{x.name}.npz": weights_bytes(x) for x in learners}
    files["history.json"] = json.dumps(record, indent=1).encode()
    script.write_outputs(args.out, files, OUTPUTS)
    log(f"wrote {args.out}/history.json, weights_*.npz; wall time {time.perf_counter() - start:.1f} s")
    if diverged:
        sys.exit(f"error: {diverged}\nSaved the weights of epoch {diverged.last_good_epoch} and the history "
                 f"so far in {args.out}; start afresh with a smaller --lr"
                 + (f" (delete {checkpoint.path} first)." if checkpoint else "."))


def main(argv=None):
    args = parse_args(argv)
    pin_blas_threads(args.blas_threads)
    script.run_training(args, train, (*OUTPUTS, "checkpoint.npz"))


if __name__ == "__main__":
    main()
