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

    python -m tinygrad_edu.data download      # verified, into the user cache (tinygrad_edu/download.py)
    apt-get install -y dataset-fashion-mnist  # or, on Debian/Ubuntu, Debian's package

Typical use::

    data = load_fashion_mnist()                     # x_train: (60000, 784) float32
    x_tr, y_tr, x_val, y_val = train_validation_split(data.x_train, data.y_train)
    for xb, yb in iterate_minibatches(x_tr, y_tr, batch_size=128, rng=0):
        ...
"""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import stat
import struct
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

__all__ = [
    "CLASS_NAMES",
    "EXPECTED_FILES",
    "ENV_VAR",
    "SYSTEM_DATA_DIR",
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

# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

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
_FILE_NAMES: tuple[str, ...] = tuple(EXPECTED_FILES)

#: Environment variable that points at a folder holding the four files.
ENV_VAR = "FASHION_MNIST_DIR"

#: Where Debian's ``dataset-fashion-mnist`` package puts the files.
SYSTEM_DATA_DIR = Path("/usr/share/datasets/fashion-mnist")

#: IDX element-type code for unsigned bytes, the only type this reader handles.
_UBYTE = 0x08

#: The command that fetches the four files, verified (see ``tinygrad_edu/download.py``).
DOWNLOAD_COMMAND = "python -m tinygrad_edu.data download"


def _how_to_get_data(folder: Path | None = None) -> str:
    """The advice when files are missing: the download command (into ``folder``, if given), then Debian's."""
    if folder is None:
        command = f"{DOWNLOAD_COMMAND}\n      (fetches and verifies the four files into {user_cache_dir()},\n"
        command += "       where this loader looks; --dir DIR puts them elsewhere)"
    else:
        command = f"{DOWNLOAD_COMMAND} --dir {folder}\n      (fetches and verifies the four files there)"
    return (
        "How to get the data (loading never downloads on its own):\n"
        f"  - anywhere: {command}\n"
        "  - on Debian/Ubuntu: apt-get install -y dataset-fashion-mnist\n"
        "  - or put these four files (each may also end in .gz) in one folder:\n"
        + "".join(f"      {name}\n" for name in _FILE_NAMES)
        + f"    and set ${ENV_VAR}=/that/folder, or pass path=/that/folder."
    )


def _how_to_repair(folder: Path) -> str:
    """The advice given when a file in ``folder`` is damaged: fetch it again, or reinstall Debian's copy."""
    return (
        "The file is damaged or is not the file it claims to be. Replace it with an intact copy:\n"
        f"  - {DOWNLOAD_COMMAND} --dir {folder}\n"
        "      (replaces only the files that fail their checks)\n"
        "  - on Debian/Ubuntu: apt-get install --reinstall -y dataset-fashion-mnist\n"
        f"  - or copy good files into a folder and set ${ENV_VAR}=/that/folder,\n"
        "    or pass path=/that/folder."
    )


def _how_to_allow_reading(path: Path) -> str:
    return (
        f"Give your user read access (e.g. chmod -R a+rX {path}), or copy the files to a folder\n"
        f"you can read and set ${ENV_VAR}=/that/folder, or pass path=/that/folder."
    )


class DatasetError(ValueError):
    """A data file exists but its content is wrong (corrupt, truncated, bad checksum...)."""


class DatasetNotFoundError(FileNotFoundError):
    """The data files could not be found; the message says where we looked."""


class DatasetPermissionError(DatasetError, PermissionError):
    """The data folder or a data file exists but this user may not read it; the message names which."""


# --------------------------------------------------------------------------
# Finding the folder
# --------------------------------------------------------------------------


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/tinygrad_edu/fashion-mnist`` (default ``~/.cache/...``): where downloads go."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "tinygrad_edu" / "fashion-mnist"


def _no_permission(path: Path, what: str, error: OSError) -> DatasetPermissionError:
    return DatasetPermissionError(
        f"{path}: no permission to read this {what} ({error.strerror}).\n{_how_to_allow_reading(path)}"
    )


def _is_file(path: Path) -> bool:
    """True if ``path`` is a regular file (links followed); a permission problem is an error, not False."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except PermissionError as error:
        raise _no_permission(path.parent, "folder", error) from error
    except OSError:  # no such file, a broken link, a path through a regular file...
        return False


def _folder_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot hold the data ("does not exist", "is not a folder"), or None if it can."""
    try:
        if stat.S_ISDIR(folder.stat().st_mode):
            return None
        return "is not a folder"
    except PermissionError as error:
        raise _no_permission(folder, "folder", error) from error
    except OSError:
        return "does not exist"


def find_files(folder: Path, names: tuple[str, ...] = _FILE_NAMES) -> tuple[dict[str, Path], list[str]]:
    """Look for the files ``names`` (by default the four) in ``folder``.

    Returns ``(found, missing)``: ``found`` maps each base name to the file to
    read, ``missing`` lists the base names not present in either form. When a
    file exists both decompressed and gzipped, the decompressed one wins
    because it is quicker to read.

    Raises:
        DatasetPermissionError: this user may not look inside ``folder``.
    """
    found: dict[str, Path] = {}
    missing: list[str] = []
    for name in names:
        for candidate in (folder / name, folder / f"{name}.gz"):
            if _is_file(candidate):
                found[name] = candidate
                break
        else:
            missing.append(name)
    return found, missing


def _describe_missing(missing: list[str]) -> str:
    return "missing " + ", ".join(f"{name}[.gz]" for name in missing)


def _as_path(path: object, argument: str) -> Path:
    """``Path(path)`` with ``~`` expanded; a clear TypeError for anything that is not a path."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{argument} must be a folder path (str or os.PathLike), got {path!r}")
    return Path(path).expanduser()


def find_data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder that holds the four Fashion-MNIST files.

    A folder counts if it holds all four files, each either gzipped
    (``train-images-idx3-ubyte.gz``) or already decompressed
    (``train-images-idx3-ubyte``).

    Search order:

    1. ``path``, if given. It must exist and hold the four files; otherwise
       this is an error - we never silently fall back to another folder.
    2. ``$FASHION_MNIST_DIR``, if set.
    3. The user cache, ``$XDG_CACHE_HOME/tinygrad_edu/fashion-mnist``
       (``~/.cache/tinygrad_edu/fashion-mnist`` when XDG_CACHE_HOME is unset).
    4. ``/usr/share/datasets/fashion-mnist`` (Debian's ``dataset-fashion-mnist``).

    Raises:
        TypeError: ``path`` is not a str or os.PathLike.
        DatasetNotFoundError: no suitable folder. The message lists every
            folder tried, in order, what was missing there (or that it could
            not be read), and how to get the data.
        DatasetPermissionError: ``path`` was given but may not be read.
    """
    if path is not None:
        folder = _as_path(path, "path")
        problem = _folder_problem(folder)
        if problem:
            raise DatasetNotFoundError(
                f"The Fashion-MNIST folder you passed, {folder}, {problem}.\n{_how_to_get_data(folder)}"
            )
        _, missing = find_files(folder)
        if missing:
            raise DatasetNotFoundError(
                f"The Fashion-MNIST folder you passed, {folder}, is incomplete: "
                f"{_describe_missing(missing)}.\n{_how_to_get_data(folder)}"
            )
        return folder

    env_value = os.environ.get(ENV_VAR)
    candidates: list[tuple[str, Path | None]] = [
        (f"${ENV_VAR}", Path(env_value).expanduser() if env_value else None),
        ("user cache", user_cache_dir()),
        ("system, Debian package", SYSTEM_DATA_DIR),
    ]
    report = []
    for number, (label, folder) in enumerate(candidates, start=1):
        if folder is None:
            report.append(f"  {number}. {label}: not set")
            continue
        try:
            problem = _folder_problem(folder)
            missing = find_files(folder)[1] if problem is None else []
        except DatasetPermissionError as error:
            problem = f"no permission to read it ({error.__cause__.strerror})"  # type: ignore[union-attr]
        if problem is None and not missing:
            return folder
        report.append(f"  {number}. {folder} ({label}): {problem or _describe_missing(missing)}")

    raise DatasetNotFoundError(
        "Fashion-MNIST data not found. Looked in these folders, in this order:\n"
        + "\n".join(report)
        + "\n"
        + _how_to_get_data()
    )


# --------------------------------------------------------------------------
# Reading one IDX file
# --------------------------------------------------------------------------


def _read_bytes(path: Path, gzipped: bool) -> bytes:
    """The file's content, decompressed when ``gzipped``."""
    try:
        content = path.read_bytes()
    except FileNotFoundError as error:
        raise DatasetNotFoundError(f"{path}: no such file.\n{_how_to_get_data()}") from error
    except PermissionError as error:
        raise _no_permission(path, "file", error) from error
    except IsADirectoryError as error:
        raise DatasetError(f"{path}: is a folder, not a data file.") from error
    except OSError as error:
        raise DatasetError(f"{path}: cannot read the file ({error}).") from error
    if not gzipped:
        return content
    try:
        return gzip.decompress(content)
    except (OSError, EOFError, zlib.error) as error:
        # gzip reports a bad file as BadGzipFile (an OSError), a cut-off one
        # as EOFError, and damaged compressed data as zlib.error.
        raise DatasetError(
            f"{path}: not a valid gzip file, cannot decompress it ({error}).\n{_how_to_repair(path.parent)}"
        ) from error


def _parse_idx(content: bytes, path: Path, shape: tuple[int, ...] | None) -> np.ndarray:
    """Check the IDX header and length of ``content``; return its elements as uint8."""

    def fail(problem: str) -> DatasetError:
        return DatasetError(f"{path}: {problem}.\n{_how_to_repair(path.parent)}")

    if len(content) < 4:
        raise fail(f"the file is only {len(content)} bytes long, too short for an IDX header")

    # The magic number: two zero bytes, the type code, the number of dimensions.
    magic = int.from_bytes(content[:4], "big")
    ndim = magic & 0xFF
    wanted_ndim = len(shape) if shape is not None else ndim
    if magic >> 8 != _UBYTE or ndim == 0 or ndim != wanted_ndim:
        if shape is not None:
            wanted = f"0x{(_UBYTE << 8) | len(shape):08X} ({len(shape)}-D array of unsigned bytes)"
        else:
            wanted = "0x000008NN (unsigned bytes, NN >= 1 dimensions)"
        raise fail(f"wrong magic number 0x{magic:08X}, expected {wanted}")

    # The header continues with one 4-byte big-endian size per dimension.
    header_length = 4 + 4 * ndim
    if len(content) < header_length:
        raise fail(
            f"the header announces {ndim} dimensions ({header_length} header bytes) "
            f"but the file is only {len(content)} bytes long"
        )
    dims = struct.unpack_from(f">{ndim}I", content, 4)
    if shape is not None and dims != tuple(shape):
        raise fail(f"the header gives the shape {dims}, expected {tuple(shape)}")

    # The rest must be exactly one byte per element: no more, no less.
    wanted_bytes = math.prod(dims)
    found_bytes = len(content) - header_length
    if found_bytes != wanted_bytes:
        unit = {1: "label", 3: "pixel"}.get(ndim, "data")
        cause = "the file is truncated" if found_bytes < wanted_bytes else "extra bytes at the end"
        raise fail(f"expected {wanted_bytes} {unit} bytes after the header, found {found_bytes} ({cause})")

    # frombuffer views the bytes without a Python loop; copy() makes the
    # result an ordinary writable array that owns its memory.
    return np.frombuffer(content, dtype=np.uint8, offset=header_length).reshape(dims).copy()


def _checked_shape(shape: object) -> tuple[int, ...] | None:
    """``shape`` as a tuple of non-negative ints (or None); a ValueError naming it otherwise."""
    if shape is None:
        return None
    if not isinstance(shape, (tuple, list)) or not all(_is_int(n) and n >= 0 for n in shape):
        raise ValueError(f"shape must be a tuple of non-negative integers, got {shape!r}")
    return tuple(int(n) for n in shape)


def _checked_sha256(sha256: object) -> str | None:
    """``sha256`` in lower case (or None); a ValueError unless it is 64 hexadecimal digits."""
    if sha256 is None:
        return None
    if (
        not isinstance(sha256, str)
        or len(sha256) != 64
        or any(c not in "0123456789abcdef" for c in sha256.lower())
    ):
        raise ValueError(f"sha256 must be 64 hexadecimal digits or None, got {sha256!r}")
    return sha256.lower()


def read_idx(
    path: str | os.PathLike[str],
    *,
    shape: tuple[int, ...] | None = None,
    sha256: str | None = None,
    gzipped: bool | None = None,
) -> np.ndarray:
    """Read one unsigned-byte IDX file (gzipped if its name ends in ``.gz``).

    Args:
        path: the file.
        shape: if given, the shape the header must announce; this also fixes
            the number of dimensions, and so the magic number.
        sha256: if given, the hex SHA-256 the *decompressed* content must have.
            ``None`` skips the checksum.
        gzipped: whether the file is gzip-compressed; ``None`` decides by the
            ``.gz`` suffix (the downloader checks ``*.gz.part`` files).

    Returns:
        A writable ``np.uint8`` array with the shape given in the header,
        e.g. ``(60000, 28, 28)`` for training images, ``(60000,)`` for labels.

    Raises:
        ValueError: ``shape`` or ``sha256`` is malformed (checked before reading).
        DatasetNotFoundError: the file does not exist.
        DatasetPermissionError: the file may not be read by this user.
        DatasetError: the file is not valid gzip, has a wrong magic number, a
            header that disagrees with ``shape``, a payload that is not
            exactly one byte per element, or the wrong checksum. The message
            names the file, the problem and the fix.
    """
    shape, sha256 = _checked_shape(shape), _checked_sha256(sha256)
    path = _as_path(path, "path")
    content = _read_bytes(path, path.suffix == ".gz" if gzipped is None else gzipped)
    # Check the structure first: its messages are more specific than
    # "checksum mismatch", which then only catches what structure cannot.
    array = _parse_idx(content, path, shape)
    if sha256 is not None:
        actual = hashlib.sha256(content).hexdigest()
        if actual != sha256:
            raise DatasetError(
                f"{path}: the SHA-256 of the decompressed content is {actual}, "
                f"expected {sha256}.\n{_how_to_repair(path.parent)}"
            )
    return array


# --------------------------------------------------------------------------
# Loading the whole dataset
# --------------------------------------------------------------------------


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


def _float_dtype(dtype: object) -> np.dtype:
    """``np.dtype(dtype)`` if it is float32 or float64, else a ValueError."""
    message = f"dtype must be float32 or float64, got {dtype!r}"
    if dtype is None:  # np.dtype(None) would quietly mean float64
        raise ValueError(message)
    try:
        result = np.dtype(dtype)  # type: ignore[call-overload]
    except TypeError as error:
        raise ValueError(message) from error
    if result not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(message)
    return result


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
            f"0..{num_classes - 1}.\n{_how_to_repair(path.parent)}"
        )
    return labels.astype(np.int64)


def check_expected(
    expected: Mapping[str, tuple[str | None, tuple[int, ...]]], names: tuple[str, ...] = _FILE_NAMES
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
            _checked_sha256(entry[0])
            _checked_shape(entry[1])
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
    dtype = _float_dtype(dtype)  # check cheap arguments before reading 30 MB
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


# --------------------------------------------------------------------------
# Splitting, encoding and batching
# --------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    """True for Python and numpy integers, but not for bools."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _check_seed(seed: object, argument: str, generator_allowed: bool = False) -> None:
    """A ValueError naming ``argument`` unless ``seed`` is None, an int >= 0 (or a Generator, if allowed)."""
    if seed is None or (_is_int(seed) and seed >= 0):
        return
    if generator_allowed and isinstance(seed, np.random.Generator):
        return
    kinds = (
        "None, a non-negative integer or a np.random.Generator"
        if generator_allowed
        else ("None or a non-negative integer")
    )
    raise ValueError(f"{argument} must be {kinds}, got {seed!r}")


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
    if not _is_int(n_validation) or not 0 < n_validation < len(x):
        raise ValueError(
            f"n_validation must be an integer with 0 < n_validation < {len(x)} "
            f"(the number of samples), got {n_validation!r}"
        )
    _check_seed(seed, "seed")
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
        ValueError: labels are not a 1-D integer array, or a label is out of
            range (the message gives the value, its position and the range).
    """
    labels = np.asarray(labels)
    if not _is_int(num_classes) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}")
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
    """
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got shapes {x.shape} and {y.shape}")
    if not _is_int(batch_size) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if shuffle:
        _check_seed(rng, "rng", generator_allowed=True)
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


if __name__ == "__main__":  # python -m tinygrad_edu.data download | verify (see tinygrad_edu/download.py)
    from tinygrad_edu.download import main

    raise SystemExit(main())
