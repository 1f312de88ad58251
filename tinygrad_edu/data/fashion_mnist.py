"""Loading the whole dataset: the four files found, read, checked and scaled."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinygrad_edu.data._checks import checked_sha256, checked_shape, float_dtype
from tinygrad_edu.data.errors import DatasetError, how_to_repair
from tinygrad_edu.data.idx import read_idx
from tinygrad_edu.data.locate import find_data_dir, find_files
from tinygrad_edu.data.sources import CLASS_NAMES, EXPECTED_FILES, FILE_NAMES


@dataclass(frozen=True, eq=False, repr=False)
class FashionMNIST:
    """The loaded dataset.

    Attributes:
        x_train: ``(60000, 784)`` pixels in ``[0, 1]``, float32 (or float64).
            Row ``i`` is image ``i`` flattened row by row (28 rows of 28).
        y_train: ``(60000,)`` int64 labels in ``0..9`` (see ``CLASS_NAMES``).
        x_test: ``(10000, 784)`` like ``x_train``.
        y_test: ``(10000,)`` like ``y_train``.

    "Frozen" means the attributes cannot be reassigned; the arrays
    themselves are ordinary numpy arrays.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    def __repr__(self) -> str:
        parts = [
            f"{name}={getattr(self, name).shape} {getattr(self, name).dtype}"
            for name in ("x_train", "y_train", "x_test", "y_test")
        ]
        return f"FashionMNIST({', '.join(parts)})"


def _scale_images(images: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``(n, rows, cols)`` uint8 -> ``(n, rows*cols)`` in ``[0, 1]``."""
    flat = images.reshape(images.shape[0], math.prod(images.shape[1:])).astype(dtype)
    flat /= 255  # in place: no second full-size array
    return flat


def _read_labels(path: Path, shape: tuple[int, ...], sha256: str | None) -> np.ndarray:
    labels = read_idx(path, shape=shape, sha256=sha256)
    num_classes = len(CLASS_NAMES)
    bad = labels >= num_classes  # uint8 cannot be negative
    if bad.any():
        index = int(np.argmax(bad))
        raise DatasetError(
            f"{path}: label {labels[index]} at position {index} is outside the range "
            f"0..{num_classes - 1}.\n{how_to_repair(path.parent)}"
        )
    return labels.astype(np.int64)


def check_expected(
    expected: Mapping[str, tuple[str | None, tuple[int, ...]]], names: tuple[str, ...] = FILE_NAMES
) -> None:
    """Check that ``expected`` maps exactly ``names`` to ``(sha256 or None, shape)`` pairs.

    Raises:
        ValueError: naming the wrong keys or the malformed entry.
    """
    if not isinstance(expected, Mapping) or set(expected) != set(names):
        keys = sorted(expected) if isinstance(expected, Mapping) else expected
        raise ValueError(f"expected must have exactly the keys {list(names)}, got {keys!r}")
    for name, entry in expected.items():
        if not isinstance(entry, tuple) or len(entry) != 2:
            raise ValueError(f"expected[{name!r}] must be a pair (sha256 or None, shape), got {entry!r}")
        try:
            checked_sha256(entry[0])
            checked_shape(entry[1])
        except ValueError as error:
            raise ValueError(f"expected[{name!r}]: {error}") from None


def load_fashion_mnist(
    path: str | os.PathLike[str] | None = None,
    dtype: str | type | np.dtype = "float32",
    *,
    expected: Mapping[str, tuple[str | None, tuple[int, ...]]] = EXPECTED_FILES,
) -> FashionMNIST:
    """Load and check Fashion-MNIST; never downloads.

    Args:
        path: a folder holding the four files; ``None`` searches the usual
            places (see ``find_data_dir``).
        dtype: ``"float32"`` (default) or ``"float64"`` for the pixels.
        expected: for each of the four base names, ``(sha256, shape)``: the
            checksum of the decompressed file (``None`` skips it) and the
            shape its header must give. Defaults to the real dataset;
            tests pass their own to load small generated files.

    Returns:
        A ``FashionMNIST`` with ``x_train (60000, 784)``, ``y_train (60000,)``,
        ``x_test (10000, 784)``, ``y_test (10000,)``. Pixels are the stored
        bytes divided by 255 (so in ``[0, 1]``), labels are int64 in ``0..9``.

    Raises:
        ValueError: ``dtype`` is not float32/float64, or ``expected`` does not
            name exactly the four files, each with a checksum and a shape.
        TypeError: ``path`` is not a str or os.PathLike.
        DatasetNotFoundError: the files were not found (see ``find_data_dir``).
        DatasetPermissionError: the folder or a file may not be read.
        DatasetError: a file is corrupt or is not the expected one.
    """
    dtype = float_dtype(dtype)  # check cheap arguments before reading 30 MB
    check_expected(expected)

    files, _ = find_files(find_data_dir(path))

    def images(name: str) -> np.ndarray:
        sha256, shape = expected[name]
        return _scale_images(read_idx(files[name], shape=shape, sha256=sha256), dtype)

    def labels(name: str) -> np.ndarray:
        sha256, shape = expected[name]
        return _read_labels(files[name], shape, sha256)

    data = FashionMNIST(
        x_train=images("train-images-idx3-ubyte"),
        y_train=labels("train-labels-idx1-ubyte"),
        x_test=images("t10k-images-idx3-ubyte"),
        y_test=labels("t10k-labels-idx1-ubyte"),
    )
    for split in ("train", "test"):
        x, y = getattr(data, f"x_{split}"), getattr(data, f"y_{split}")
        if len(x) != len(y):
            raise DatasetError(
                f"the {split} split has {len(x)} images but {len(y)} labels; check the shapes in `expected`."
            )
    return data
