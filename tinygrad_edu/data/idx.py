"""The IDX format: reading one file, checking its header, length and checksum."""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import struct
import zlib
from pathlib import Path

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


def _read_bytes(path: Path, gzipped: bool) -> bytes:
    """The file's content, decompressed when ``gzipped``."""
    try:
        content = path.read_bytes()
    except FileNotFoundError as error:
        raise DatasetNotFoundError(f"{path}: no such file.\n{how_to_get_data()}") from error
    except PermissionError as error:
        raise no_permission(path, "file", error) from error
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
            f"{path}: not a valid gzip file, cannot decompress it ({error}).\n{how_to_repair(path.parent)}"
        ) from error


def _parse_idx(content: bytes, path: Path, shape: tuple[int, ...] | None) -> np.ndarray:
    """Check the IDX header and length of ``content``; return its elements as uint8."""

    def fail(problem: str) -> DatasetError:
        return DatasetError(f"{path}: {problem}.\n{how_to_repair(path.parent)}")

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
    shape, sha256 = checked_shape(shape), checked_sha256(sha256)
    path = as_path(path, "path")
    content = _read_bytes(path, path.suffix == ".gz" if gzipped is None else gzipped)
    # Check the structure first: its messages are more specific than
    # "checksum mismatch", which then only catches what structure cannot.
    array = _parse_idx(content, path, shape)
    if sha256 is not None:
        actual = hashlib.sha256(content).hexdigest()
        if actual != sha256:
            raise DatasetError(
                f"{path}: the SHA-256 of the decompressed content is {actual}, "
                f"expected {sha256}.\n{how_to_repair(path.parent)}"
            )
    return array
