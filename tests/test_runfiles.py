"""runfiles: permissions, the lock, and reading an .npz that may be damaged or forged."""

import io
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from tinygrad_edu.train.runfiles import FileFormatError, FolderBusyError, FolderLock, atomic_write, read_npz


def npz_bytes(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


ARRAYS = {"W1": np.arange(24, dtype=np.float32).reshape(4, 6), "b1": np.ones(4), "sizes": np.array([6, 4])}


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_get_the_usual_permissions_under_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        atomic_write(tmp_path / "out.json", lambda f: f.write(b"{}"))
    finally:
        os.umask(old)
    assert (tmp_path / "out.json").stat().st_mode & 0o777 == mode


def test_an_intact_archive_reads_back_exactly(tmp_path):
    (tmp_path / "w.npz").write_bytes(npz_bytes(**ARRAYS))
    arrays = read_npz(tmp_path / "w.npz")
    assert set(arrays) == set(ARRAYS)
    for name, array in ARRAYS.items():
        assert arrays[name].dtype == array.dtype
        np.testing.assert_array_equal(arrays[name], array)


def test_every_flipped_byte_is_refused_or_harmless(tmp_path):
    """Flip each byte in turn: either a FileFormatError, or (metadata zip ignores) the same arrays."""
    original = npz_bytes(**ARRAYS)
    refused = 0
    for i in range(len(original)):
        damaged = bytearray(original)
        damaged[i] ^= 0x10
        path = tmp_path / "flipped.npz"
        path.write_bytes(bytes(damaged))
        try:
            arrays = read_npz(path)
        except FileFormatError as error:
            assert str(error).startswith(str(path)), error
            refused += 1
            continue
        assert set(arrays) == set(ARRAYS), i
        for name, array in ARRAYS.items():
            np.testing.assert_array_equal(arrays[name], array, err_msg=f"byte {i} flipped")
    assert refused > len(original) // 2


def test_every_truncation_is_refused(tmp_path):
    original = npz_bytes(**ARRAYS)
    for length in range(0, len(original), 7):
        (tmp_path / "short.npz").write_bytes(original[:length])
        with pytest.raises(FileFormatError):
            read_npz(tmp_path / "short.npz")


def forged(shape, data_bytes):
    """An .npz whose W1 header claims `shape` of float32 but which holds `data_bytes` bytes."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": shape})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("W1.npy", header.getvalue() + bytes(data_bytes))  # header: magic included
    return buffer.getvalue()


def test_a_forged_shape_is_refused_before_anything_is_allocated(tmp_path):
    (tmp_path / "huge.npz").write_bytes(forged((10**9, 784), 64))
    with pytest.raises(FileFormatError, match=r"claims shape \(1000000000, 784\).*holds 64 bytes"):
        read_npz(tmp_path / "huge.npz")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"epoch 1/12 | loss 0.5\n", "it starts with the text 'epoch 1/12"),
        (b"\x00\x01\x02\x03garbage", "it starts with the bytes 00 01 02 03"),
        (None, "single .npy array"),
    ],
)
def test_files_that_are_no_npz_are_named_as_what_they_are(tmp_path, content, message):
    path = tmp_path / "weights.npz"
    if content is None:
        np.save(path.with_suffix(".npy"), np.zeros(3))
        path.with_suffix(".npy").rename(path)
    else:
        path.write_bytes(content)
    with pytest.raises(FileFormatError, match=message) as error:
        read_npz(path)
    assert "pickle" not in str(error.value)


def test_an_array_of_python_objects_is_refused_unread(tmp_path):
    (tmp_path / "objects.npz").write_bytes(npz_bytes(x=np.array([{"a": 1}], dtype=object)))
    with pytest.raises(FileFormatError, match="Python objects"):
        read_npz(tmp_path / "objects.npz")


def test_a_second_process_cannot_take_a_held_lock_and_is_told_who_holds_it(tmp_path):
    with FolderLock(tmp_path):
        probe = ("import sys; from tinygrad_edu.train.runfiles import FolderLock, FolderBusyError\n"
                 "try:\n    FolderLock(sys.argv[1]).acquire()\nexcept FolderBusyError as e:\n"
                 "    print(e); sys.exit(3)")
        result = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True)
        assert result.returncode == 3 and f"pid {os.getpid()}" in result.stdout
        with pytest.raises(FolderBusyError, match="in use by another process"):  # a second lock, same process
            FolderLock(tmp_path).acquire()
    with FolderLock(tmp_path):  # released: free again
        pass
