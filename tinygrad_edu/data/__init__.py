"""Fashion-MNIST: reading the IDX files, checking them, splitting and batching (lesson 7).

Fashion-MNIST is 70 000 grey-scale 28x28 pictures of clothes, each labelled with
one of ten classes (see ``CLASS_NAMES``). It comes as four files in the *IDX*
format, a tiny binary format made for MNIST:

    bytes 0-1   two zero bytes
    byte  2     the element type; 0x08 means "unsigned byte" (0..255)
    byte  3     the number of dimensions, ndim
    then        ndim sizes, each a 4-byte big-endian unsigned integer
    then        the elements themselves, row-major, one byte each

So the first four bytes, read as one big-endian number, are 0x00000803 for the
image files (3 dimensions: count, rows, columns) and 0x00000801 for the label
files (1 dimension: count).

Loading never downloads anything. The loader looks for the four files (gzipped
or not) in a few folders, reads them with numpy in one go, and checks every file
thoroughly - header, exact length, shape, label range and SHA-256 - so a
damaged or wrong file stops you with a message that says what is wrong and how
to fix it, instead of quietly training on garbage.

Getting the data is a separate, explicit step, on any system:

    python -m tinygrad_edu.data download      # verified, into the user cache (data/download.py)
    apt-get install -y dataset-fashion-mnist  # or, on Debian/Ubuntu, Debian's package

Typical use::

    data = load_fashion_mnist()                     # x_train: (60000, 784) float32
    x_tr, y_tr, x_val, y_val = train_validation_split(data.x_train, data.y_train)
    for xb, yb in iterate_minibatches(x_tr, y_tr, batch_size=128, rng=0):
        ...

One job a module: ``sources`` (what the four files are, where they live),
``errors`` (and the advice they give), ``idx`` (the file format), ``locate``
(finding the folder), ``fashion_mnist`` (loading), ``batches`` (split, one-hot,
mini-batches), ``download`` and ``__main__`` (the command line), ``safe_paths`` (writing only
inside the folder given, never through a planted symlink; the whole package's writes use it).
"""

from tinygrad_edu.data.batches import iterate_minibatches, one_hot, train_validation_split
from tinygrad_edu.data.errors import DatasetError, DatasetNotFoundError, DatasetPermissionError
from tinygrad_edu.data.fashion_mnist import FashionMNIST, check_expected, load_fashion_mnist
from tinygrad_edu.data.idx import read_idx
from tinygrad_edu.data.locate import find_data_dir, find_files
from tinygrad_edu.data.sources import (
    CLASS_NAMES,
    DOWNLOAD_COMMAND,
    ENV_VAR,
    EXPECTED_FILES,
    SYSTEM_DATA_DIR,
    user_cache_dir,
)

__all__ = [
    "CLASS_NAMES",
    "EXPECTED_FILES",
    "ENV_VAR",
    "SYSTEM_DATA_DIR",
    "DOWNLOAD_COMMAND",
    "DatasetError",
    "DatasetNotFoundError",
    "DatasetPermissionError",
    "FashionMNIST",
    "user_cache_dir",
    "find_data_dir",
    "find_files",
    "read_idx",
    "check_expected",
    "load_fashion_mnist",
    "train_validation_split",
    "one_hot",
    "iterate_minibatches",
]
