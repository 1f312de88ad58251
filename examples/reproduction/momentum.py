"""The momentum rule (§2.3): as printed, and as the report's code ran it."""

import sys
import time

import numpy as np

from reproduction.claims import BATCH, BETA, LR
from reproduction.plan import MOMENTUM_RUN, sizes_for
from reproduction.running import check_same_experiment, now, read_json, write_json
from tinygrad_edu.data import (
    DatasetError,
    DatasetNotFoundError,
    load_fashion_mnist,
    one_hot,
    train_validation_split,
)
from tinygrad_edu.report import ShallowNeuralNetwork


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
