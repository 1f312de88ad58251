"""Splitting, one-hot encoding and mini-batches of arrays (any data set, not only Fashion-MNIST)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from tinygrad_edu.data._checks import check_seed, checked_bool, checked_int

#: The largest array ``one_hot`` makes (1 GiB); its size is computed and checked before allocating.
MAX_RESULT_BYTES = 1 << 30


def train_validation_split(
    x: np.ndarray,
    y: np.ndarray,
    n_validation: int = 5000,
    seed: int | None = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Randomly set ``n_validation`` samples aside for validation.

    The samples are shuffled by a permutation drawn from
    ``np.random.default_rng(seed)``, so the same seed always gives the same
    split. Every sample lands in exactly one of the two parts and each ``x``
    row stays with its ``y``.

    Args:
        x: ``(n, ...)`` inputs.
        y: ``(n, ...)`` targets, same length as ``x``.
        n_validation: size of the validation part, ``0 < n_validation < n``.
        seed: seed of the shuffle.

    Returns:
        ``(x_train, y_train, x_val, y_val)``: new arrays with
        ``n - n_validation`` and ``n_validation`` rows (55000 and 5000 for
        the Fashion-MNIST training set with the defaults).

    Raises:
        ValueError: lengths differ, ``n_validation`` is out of range, or
            ``seed`` is not None or a non-negative integer.
    """
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got shapes {x.shape} and {y.shape}")
    if len(x) < 2:
        raise ValueError(f"a split needs at least 2 samples, got {len(x)}")
    n_validation = checked_int(n_validation, "n_validation", 1, len(x) - 1)  # len(x): the number of samples
    check_seed(seed, "seed")
    order = np.random.default_rng(seed).permutation(len(x))
    validation, train = order[:n_validation], order[n_validation:]
    return x[train], y[train], x[validation], y[validation]


def one_hot(labels: np.ndarray, num_classes: int = 10, dtype: object = "float32") -> np.ndarray:
    """Turn integer labels into one-hot rows.

    ``one_hot([2, 0], 3)`` is ``[[0, 0, 1], [1, 0, 0]]``.

    Args:
        labels: 1-D integer array of length ``n``, values in ``0..num_classes-1``.
        num_classes: number of columns, a positive integer.
        dtype: dtype of the result (float32 by default).

    Returns:
        ``(n, num_classes)`` array: row ``i`` is 1 in column ``labels[i]``, 0 elsewhere.

    Raises:
        ValueError: labels are not a 1-D integer array, a label is out of
            range (the message gives the value, its position and the range),
            ``num_classes`` is not a positive integer (bools are not), or the
            result would exceed ``MAX_RESULT_BYTES``.
    """
    labels = np.asarray(labels)
    num_classes = checked_int(num_classes, "num_classes", 1)
    if labels.ndim != 1:
        raise ValueError(f"labels must be a 1-D array, got shape {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must have an integer dtype, got {labels.dtype}")
    bad = (labels < 0) | (labels >= num_classes)
    if bad.any():
        index = int(np.argmax(bad))
        raise ValueError(
            f"label {labels[index]} at position {index} is outside the range "
            f"0..{num_classes - 1} (num_classes={num_classes})"
        )
    dtype = np.dtype(dtype)  # type: ignore[call-overload]
    size = len(labels) * num_classes * dtype.itemsize
    if size > MAX_RESULT_BYTES:
        raise ValueError(
            f"one_hot of {len(labels)} labels with num_classes={num_classes} would take {size} bytes "
            f"in {dtype}, more than the limit of {MAX_RESULT_BYTES} bytes"
        )
    result = np.zeros((len(labels), num_classes), dtype=dtype)
    result[np.arange(len(labels)), labels] = 1
    return result


def iterate_minibatches(
    x: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    shuffle: bool = True,
    rng: np.random.Generator | int | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(x_batch, y_batch)`` pairs covering every sample once (one epoch).

    All batches have ``batch_size`` rows except possibly the last, which
    holds the remaining ``n % batch_size`` samples: it is included, not
    dropped, so every sample is seen once per epoch.

    Args:
        x: ``(n, ...)`` inputs.
        y: ``(n, ...)`` targets, same length as ``x``.
        batch_size: a positive integer.
        shuffle: visit samples in a random order (``True``) or in order.
        rng: where the random order comes from (ignored when ``shuffle`` is
            false):

            - an ``int`` seed: the same order every time you call this;
            - a ``np.random.Generator``: one permutation is drawn from it per
              call, so passing the same generator every epoch gives a new,
              still reproducible, order each epoch;
            - ``None``: a fresh unseeded generator (not reproducible).

    Yields:
        ``(x_batch, y_batch)``, new arrays (copies), rows matching.

    Raises:
        ValueError: at call time (not at the first ``next``) if the lengths
            differ, ``batch_size`` is not a positive integer or ``rng`` is not
            one of the three kinds above.
        TypeError: ``shuffle`` is not True or False (``1`` and ``"no"`` are refused).
    """
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got shapes {x.shape} and {y.shape}")
    batch_size = checked_int(batch_size, "batch_size", 1)
    if checked_bool(shuffle, "shuffle"):
        check_seed(rng, "rng", generator_allowed=True)
        generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        order = generator.permutation(len(x))
    else:
        order = np.arange(len(x))

    # The checks above run now; the batches are produced lazily by this
    # inner generator, so nothing is copied before it is needed.
    def batches() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            yield x[chosen], y[chosen]

    return batches()
