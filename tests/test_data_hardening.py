"""Hostile inputs to the data part: gzip bombs, huge headers, wrong kinds of file, bad $FASHION_MNIST_DIR."""

from __future__ import annotations

import gzip
import re
import struct
import time
import tracemalloc
import zlib

import numpy as np
import pytest

from tinygrad_edu.data import (
    DatasetError,
    DatasetNotFoundError,
    find_data_dir,
    iterate_minibatches,
    locate,
    one_hot,
    read_idx,
    train_validation_split,
)
from tinygrad_edu.data.batches import MAX_RESULT_BYTES
from tinygrad_edu.data.idx import MAX_PAYLOAD_BYTES
from tinygrad_edu.data.sources import ENV_VAR, FILE_NAMES, user_cache_dir

LABEL_HEADER_10 = struct.pack(">II", 0x0801, 10)  # a valid header: ten labels


def _bomb(header: bytes, zeros: int) -> bytes:
    """``header`` followed by ``zeros`` zero bytes, gzip-compressed (50 MB of zeros compress to ~50 kB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip container
    chunk = bytes(1 << 20)
    parts = [compressor.compress(header)]
    parts += [compressor.compress(chunk) for _ in range(zeros >> 20)]
    return b"".join(parts) + compressor.flush()


def test_a_gzip_bomb_behind_a_small_header_is_refused_without_inflating_it(tmp_path):
    path = tmp_path / "bomb.gz"
    path.write_bytes(_bomb(LABEL_HEADER_10, 50 << 20))
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(DatasetError, match="expected 10 label bytes after the header, found more than"):
            read_idx(path)
        seconds, peak_bytes = time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Inflating it all held 50 MB at once (134 MB peak) and took 0.2 s; reading
    # little past the header holds well under 1 MB. Memory is the exact witness.
    assert peak_bytes < 5 << 20 and seconds < 0.5


@pytest.mark.parametrize("gz", [True, False], ids=["gzipped", "raw"])
def test_a_header_announcing_gigabytes_is_refused_before_reading_on(tmp_path, gz):
    header = struct.pack(">IIII", 0x0803, 10**9, 28, 28)  # 784 GB of pixels
    path = tmp_path / ("huge.gz" if gz else "huge")
    path.write_bytes(gzip.compress(header) if gz else header)
    with pytest.raises(DatasetError) as info:
        read_idx(path)
    message = str(info.value)
    assert str(path) in message and str(10**9 * 784) in message and str(MAX_PAYLOAD_BYTES) in message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.gz", b"", "only 0 bytes long"),
        ("empty", b"", "only 0 bytes long"),
        ("picture.gz", b"\x89PNG\r\n\x1a\n" + bytes(100), "not a valid gzip file"),
        ("flipped.gz", None, "not a valid gzip file"),
    ],
)
def test_wrong_or_damaged_files_name_the_path_and_the_problem(tmp_path, name, content, expected):
    if content is None:  # one bit flipped in the stored CRC-32
        good = bytearray(gzip.compress(LABEL_HEADER_10 + bytes(10)))
        good[-8] ^= 0x01
        content = bytes(good)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DatasetError, match=expected) as info:
        read_idx(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("name", ["folder.gz", "folder"])
def test_a_folder_where_a_file_is_expected_is_named(tmp_path, name):
    (tmp_path / name).mkdir()
    with pytest.raises(DatasetError, match="is a folder, not a data file") as info:
        read_idx(tmp_path / name)
    assert str(tmp_path / name) in str(info.value)


@pytest.fixture
def search(tmp_path, monkeypatch):
    """A complete data set in the user cache, so a search that goes past $FASHION_MNIST_DIR would succeed."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(locate, "SYSTEM_DATA_DIR", tmp_path / "system")
    cache = tmp_path / "cache" / "tinygrad_edu" / "fashion-mnist"
    cache.mkdir(parents=True)
    for name in FILE_NAMES:
        (cache / f"{name}.gz").write_bytes(b"")  # the search looks only at names
    (tmp_path / "a-file").write_bytes(b"")
    (tmp_path / "incomplete").mkdir()
    (tmp_path / "incomplete" / f"{FILE_NAMES[0]}.gz").write_bytes(b"")
    return tmp_path, cache


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("{tmp}/nope", "does not exist"),
        ("{tmp}/a-file", "is not a folder"),
        ("{tmp}/incomplete", "missing train-labels-idx1-ubyte[.gz]"),
    ],
    ids=["missing", "a-file", "incomplete"],
)
def test_an_unusable_env_var_folder_is_an_error_not_skipped(search, monkeypatch, value, problem):
    tmp, _ = search
    folder = value.format(tmp=tmp)
    monkeypatch.setenv(ENV_VAR, folder)
    with pytest.raises(DatasetNotFoundError) as info:
        find_data_dir()
    message = str(info.value)
    assert f"${ENV_VAR} names a folder that cannot be used" in message
    assert f"{folder} (${ENV_VAR}): {problem}" in message


@pytest.mark.parametrize("set_to_empty", [True, False], ids=["empty", "unset"])
def test_an_empty_env_var_counts_as_unset(search, monkeypatch, set_to_empty):
    _, cache = search
    if set_to_empty:
        monkeypatch.setenv(ENV_VAR, "")
    else:
        monkeypatch.delenv(ENV_VAR, raising=False)
    assert find_data_dir() == cache


@pytest.mark.parametrize(
    "five", [5, np.int64(5), np.uint8(5), np.array(5)], ids=["int", "int64", "uint8", "0-d"]
)
def test_numpy_integers_and_0d_arrays_are_accepted_as_ints(five):
    x = np.arange(10)
    assert one_hot(np.array([4]), five).shape == (1, 5)
    assert len(train_validation_split(x, x, five)[2]) == 5
    assert [len(b) for b, _ in iterate_minibatches(x, x, five, shuffle=False)] == [5, 5]


@pytest.mark.parametrize(
    "bad",
    [np.True_, np.array(True), np.array(5.0), np.float64(5.0), np.array([5]), float("nan")],
    ids=["np-bool", "0-d-bool", "0-d-float", "float64", "1-d", "nan"],
)
def test_what_is_not_an_integer_is_refused_where_an_int_is_meant(bad):
    x = np.arange(10)
    with pytest.raises(ValueError, match="num_classes must be a positive integer"):
        one_hot(np.array([0]), bad)
    with pytest.raises(ValueError, match="n_validation must be an integer with 0 < n_validation < 10"):
        train_validation_split(x, x, bad)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        iterate_minibatches(x, x, bad)


@pytest.mark.parametrize("flag", [1, 0, "no", None, np.array([True])])
def test_shuffle_takes_only_true_or_false(flag):
    x = np.arange(4)
    with pytest.raises(TypeError, match=re.escape(f"shuffle must be True or False, got {flag!r}")):
        iterate_minibatches(x, x, 2, shuffle=flag)


@pytest.mark.parametrize("flag", [True, False, np.True_])
def test_shuffle_accepts_python_and_numpy_bools(flag):
    x = np.arange(4)
    assert sorted(int(v) for b, _ in iterate_minibatches(x, x, 2, shuffle=flag, rng=0) for v in b) == [
        0,
        1,
        2,
        3,
    ]


@pytest.mark.parametrize("num_classes", [10**12, np.int64(2**40)])
def test_a_huge_one_hot_is_refused_by_its_size_not_a_memory_error(num_classes):
    with pytest.raises(ValueError) as info:
        one_hot(np.array([0, 1]), num_classes)
    assert str(2 * int(num_classes) * 4) in str(info.value) and str(MAX_RESULT_BYTES) in str(info.value)


@pytest.mark.parametrize("value", ["", "relative/cache", "."], ids=["empty", "relative", "dot"])
def test_an_empty_or_relative_xdg_cache_home_counts_as_unset(monkeypatch, tmp_path, value):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", value)
    assert user_cache_dir() == tmp_path / "home" / ".cache" / "tinygrad_edu" / "fashion-mnist"


def test_an_absolute_xdg_cache_home_is_used(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_dir() == tmp_path / "xdg" / "tinygrad_edu" / "fashion-mnist"
