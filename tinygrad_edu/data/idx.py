"""The IDX format: reading one file, checking its header, length and checksum."""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import struct
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from tinygrad_edu.data._checks import as_path, checked_sha256, checked_shape
from tinygrad_edu.data.errors import (
    DatasetError,
    DatasetNotFoundError,
    how_to_get_data,
    how_to_repair,
    no_permission,
)

#: IDX element-type code for unsigned bytes, the only type this reader handles.
_UBYTE = 0x08

#: The largest payload a header may announce (1 GiB; Fashion-MNIST's largest file holds 47 MB).
#: The size is computed from the header and checked before anything is inflated or allocated.
MAX_PAYLOAD_BYTES = 1 << 30

#: How far past the announced end we read to count trailing bytes (and let gzip check its CRC).
_TRAILING_LOOK = 1 << 16


def _open(path: Path, gzipped: bool) -> BinaryIO:
    """``path`` opened for reading, through a streaming gzip decoder when ``gzipped``."""
    try:
        # gzip.open opens the file at once (so the errors below come from here), then inflates lazily.
        return gzip.open(path, "rb") if gzipped else path.open("rb")
    except FileNotFoundError as error:
        raise DatasetNotFoundError(f"{path}: no such file.\n{how_to_get_data()}") from error
    except PermissionError as error:
        raise no_permission(path, "file", error) from error
    except IsADirectoryError as error:
        raise DatasetError(f"{path}: is a folder, not a data file.") from error
    except OSError as error:
        raise DatasetError(f"{path}: cannot read the file ({error}).") from error


def _read(stream: BinaryIO, size: int, path: Path, gzipped: bool) -> bytes:
    """At most ``size`` bytes of ``stream`` (fewer at its end); a DatasetError if gzip finds damage."""
    try:
        return stream.read(size)
    except (OSError, EOFError, zlib.error) as error:
        # gzip reports a bad file as BadGzipFile (an OSError), a cut-off one
        # as EOFError, and damaged compressed data as zlib.error.
        if not gzipped:
            raise DatasetError(f"{path}: cannot read the file ({error}).") from error
        raise DatasetError(
            f"{path}: not a valid gzip file, cannot decompress it ({error}).\n{how_to_repair(path.parent)}"
        ) from error


def _read_idx_stream(
    stream: BinaryIO, path: Path, gzipped: bool, shape: tuple[int, ...] | None
) -> tuple[bytes, np.ndarray]:
    """Read and check the header first, then exactly the payload it announces: ``(content, array)``.

    Reading the header before the payload means a file whose header is wrong,
    or announces more than ``MAX_PAYLOAD_BYTES``, is refused before anything
    else is inflated; the payload read is bounded by the announced size, so a
    gzip bomb behind a small header is refused after reading little of it.
    """

    def fail(problem: str) -> DatasetError:
        return DatasetError(f"{path}: {problem}.\n{how_to_repair(path.parent)}")

    magic_bytes = _read(stream, 4, path, gzipped)
    if len(magic_bytes) < 4:
        raise fail(f"the file is only {len(magic_bytes)} bytes long, too short for an IDX header")

    # The magic number: two zero bytes, the type code, the number of dimensions.
    magic = int.from_bytes(magic_bytes, "big")
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
    dims_bytes = _read(stream, 4 * ndim, path, gzipped)
    if len(dims_bytes) < 4 * ndim:
        raise fail(
            f"the header announces {ndim} dimensions ({header_length} header bytes) "
            f"but the file is only {4 + len(dims_bytes)} bytes long"
        )
    dims = struct.unpack(f">{ndim}I", dims_bytes)
    if shape is not None and dims != tuple(shape):
        raise fail(f"the header gives the shape {dims}, expected {tuple(shape)}")
    wanted_bytes = math.prod(dims)
    if wanted_bytes > MAX_PAYLOAD_BYTES:
        raise fail(
            f"the header gives the shape {dims}, {wanted_bytes} bytes, "
            f"more than the limit of {MAX_PAYLOAD_BYTES} bytes this reader accepts"
        )

    # The rest must be exactly one byte per element: no more, no less. We read
    # a little past the end, never all of it, to count extra bytes.
    payload = _read(stream, wanted_bytes + _TRAILING_LOOK + 1, path, gzipped)
    found_bytes = len(payload)
    if found_bytes != wanted_bytes:
        unit = {1: "label", 3: "pixel"}.get(ndim, "data")
        cause = "the file is truncated" if found_bytes < wanted_bytes else "extra bytes at the end"
        found = (
            found_bytes if found_bytes <= wanted_bytes + _TRAILING_LOOK else f"more than {found_bytes - 1}"
        )
        raise fail(f"expected {wanted_bytes} {unit} bytes after the header, found {found} ({cause})")

    # frombuffer views the bytes without a Python loop; copy() makes the
    # result an ordinary writable array that owns its memory.
    array = np.frombuffer(payload, dtype=np.uint8).reshape(dims).copy()
    return magic_bytes + dims_bytes + payload, array


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
            header that disagrees with ``shape`` or announces more than
            ``MAX_PAYLOAD_BYTES`` (refused before the payload is read), a payload that is not
            exactly one byte per element, or the wrong checksum. The message
            names the file, the problem and the fix.
    """
    shape, sha256 = checked_shape(shape), checked_sha256(sha256)
    path = as_path(path, "path")
    gzipped = path.suffix == ".gz" if gzipped is None else gzipped
    # Check the structure first: its messages are more specific than
    # "checksum mismatch", which then only catches what structure cannot.
    with _open(path, gzipped) as stream:
        content, array = _read_idx_stream(stream, path, gzipped, shape)
    if sha256 is not None:
        actual = hashlib.sha256(content).hexdigest()
        if actual != sha256:
            raise DatasetError(
                f"{path}: the SHA-256 of the decompressed content is {actual}, "
                f"expected {sha256}.\n{how_to_repair(path.parent)}"
            )
    return array
