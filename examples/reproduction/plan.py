"""Which training runs the reproduction needs, and how big they are (the full recipe, or --quick)."""

from dataclasses import dataclass

from reproduction.claims import ACTIVATIONS


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
    """Layer sizes of a net with `depth` hidden layers: 784, the first `depth` widths of the mode, 10."""
    return (784, *mode.hidden[:depth], 10)


def plan(mode, seeds):
    """Every training run: the activation table (× seeds), then depths 1, 3, 4 (depth 2 is relu's run)."""
    runs = [Run(f"{a}-seed{s}", a, sizes_for(mode, 2), s) for a in ACTIVATIONS for s in seeds]
    runs += [Run(f"depth{d}-seed{seeds[0]}", "relu", sizes_for(mode, d), seeds[0]) for d in (1, 3, 4)]
    return runs


def depth_runs(seeds):
    """{hidden layers: run name}; the 2-hidden-layer net is the ReLU run of the first seed."""
    return {d: f"relu-seed{seeds[0]}" if d == 2 else f"depth{d}-seed{seeds[0]}" for d in (1, 2, 3, 4)}
