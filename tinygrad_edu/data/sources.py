"""What Fashion-MNIST is and where it lives: classes, the four files' checksums and shapes, folders."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

#: The ten classes, in label order: label ``k`` means ``CLASS_NAMES[k]``.
CLASS_NAMES: tuple[str, ...] = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

#: For each of the four files: the SHA-256 of its *decompressed* content (the
#: Debian package re-compresses the ``.gz`` files, so hashing those would not
#: be stable) and the shape its header must announce.
EXPECTED_FILES: Mapping[str, tuple[str | None, tuple[int, ...]]] = MappingProxyType(
    {
        "train-images-idx3-ubyte": (
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            (60000, 28, 28),
        ),
        "train-labels-idx1-ubyte": (
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            (60000,),
        ),
        "t10k-images-idx3-ubyte": (
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            (10000, 28, 28),
        ),
        "t10k-labels-idx1-ubyte": (
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
            (10000,),
        ),
    }
)

#: The base names of the four files (each may also carry a ``.gz`` suffix).
FILE_NAMES: tuple[str, ...] = tuple(EXPECTED_FILES)

#: Environment variable that points at a folder holding the four files.
ENV_VAR = "FASHION_MNIST_DIR"

#: Where Debian's ``dataset-fashion-mnist`` package puts the files.
SYSTEM_DATA_DIR = Path("/usr/share/datasets/fashion-mnist")

#: The command that fetches the four files, verified (see ``tinygrad_edu/data/download.py``).
DOWNLOAD_COMMAND = "python -m tinygrad_edu.data download"


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/tinygrad_edu/fashion-mnist`` (default ``~/.cache/...``): where downloads go.

    An empty or relative ``$XDG_CACHE_HOME`` counts as unset, as the XDG specification says: a
    relative one would put the cache wherever the command happens to run.
    """
    cache_home = os.environ.get("XDG_CACHE_HOME", "")
    if not Path(cache_home).is_absolute():
        cache_home = str(Path.home() / ".cache")
    return Path(cache_home) / "tinygrad_edu" / "fashion-mnist"
