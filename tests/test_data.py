"""Tests for tinygrad_edu.data: the Fashion-MNIST loader (lesson 7).

Most tests write small IDX files into pytest's ``tmp_path`` (good ones and
deliberately broken ones); the last group checks the real dataset that
Debian's ``dataset-fashion-mnist`` package installs.
"""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinygrad_edu.data import (
    CLASS_NAMES,
    EXPECTED_FILES,
    DatasetError,
    DatasetNotFoundError,
    FashionMNIST,
    find_data_dir,
    iterate_minibatches,
    load_fashion_mnist,
    locate,
    one_hot,
    read_idx,
    train_validation_split,
)

FILE_NAMES = list(EXPECTED_FILES)

# --------------------------------------------------------------------------
# Helpers that write IDX files
# --------------------------------------------------------------------------


def idx_bytes(array: np.ndarray, *, magic: int | None = None, dims=None) -> bytes:
    """The IDX encoding of a uint8 ``array``; ``magic``/``dims`` override the header."""
    array = np.asarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x0800 | array.ndim
    if dims is None:
        dims = array.shape
    header = struct.pack(">I", magic) + struct.pack(f">{len(dims)}I", *dims)
    return header + array.tobytes()


def write_idx(path: Path, content: bytes, *, gz: bool) -> Path:
    """Write ``content`` to ``path`` (+ ``.gz`` and compressed when ``gz``)."""
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(content))
    else:
        path.write_bytes(content)
    return path


def make_dataset(folder: Path, *, n_train=20, n_test=10, gz=True, seed=0):
    """Write four small, valid Fashion-MNIST-like files into ``folder``.

    Returns ``(arrays, expected)``: the uint8 arrays written (by base name) and
    an ``expected`` mapping (real SHA-256 of each written file) for
    ``load_fashion_mnist``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": (np.arange(n_train) % 10).astype(np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": (np.arange(n_test) % 10).astype(np.uint8),
    }
    expected = {}
    for name, array in arrays.items():
        content = idx_bytes(array)
        write_idx(folder / name, content, gz=gz)
        expected[name] = (hashlib.sha256(content).hexdigest(), array.shape)
    return arrays, expected


def replace_file(folder: Path, name: str, content: bytes) -> Path:
    """Overwrite the gzipped file ``name`` in ``folder`` with ``content``."""
    (folder / f"{name}.gz").unlink(missing_ok=True)
    return write_idx(folder / name, content, gz=True)


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No env var, an empty user cache and an empty system folder."""
    monkeypatch.delenv("FASHION_MNIST_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setattr(locate, "SYSTEM_DATA_DIR", tmp_path / "system")
    return tmp_path


# --------------------------------------------------------------------------
# read_idx
# --------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    array=hnp.arrays(np.uint8, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=6)),
    gz=st.booleans(),
)
def test_read_idx_round_trips_any_uint8_array(tmp_path_factory, array, gz):
    folder = tmp_path_factory.mktemp("idx")
    content = idx_bytes(array)
    path = write_idx(folder / "a-idx", content, gz=gz)
    result = read_idx(path, shape=array.shape, sha256=hashlib.sha256(content).hexdigest())
    assert result.dtype == np.uint8
    assert result.shape == array.shape
    np.testing.assert_array_equal(result, array)
    assert result.flags.writeable


def test_read_idx_without_shape_uses_the_header_shape(tmp_path):
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    path = write_idx(tmp_path / "x", idx_bytes(array), gz=False)
    np.testing.assert_array_equal(read_idx(path), array)


def test_wrong_magic_is_reported_with_both_numbers(tmp_path):
    array = np.zeros((3, 28, 28), np.uint8)
    path = write_idx(tmp_path / "x", idx_bytes(array, magic=0x00000903), gz=True)
    with pytest.raises(DatasetError) as info:
        read_idx(path, shape=(3, 28, 28))
    message = str(info.value)
    assert str(path) in message
    assert "0x00000903" in message and "0x00000803" in message


def test_label_file_where_image_file_expected_is_a_magic_error(tmp_path):
    labels = np.zeros(5, np.uint8)
    path = write_idx(tmp_path / "x", idx_bytes(labels), gz=False)
    with pytest.raises(DatasetError, match="0x00000801.*expected 0x00000803"):
        read_idx(path, shape=(5, 28, 28))


def test_truncated_payload_says_how_many_bytes_were_expected_and_found(tmp_path):
    array = np.zeros((3, 28, 28), np.uint8)
    path = write_idx(tmp_path / "x", idx_bytes(array)[:-1], gz=True)
    with pytest.raises(DatasetError) as info:
        read_idx(path, shape=(3, 28, 28))
    message = str(info.value)
    assert "expected 2352 pixel bytes after the header, found 2351" in message
    assert "truncated" in message and str(path) in message
    assert "apt-get install --reinstall -y dataset-fashion-mnist" in message


def test_trailing_bytes_are_an_error(tmp_path):
    labels = np.arange(10, dtype=np.uint8)
    path = write_idx(tmp_path / "x", idx_bytes(labels) + b"\x00", gz=False)
    with pytest.raises(DatasetError, match="expected 10 label bytes after the header, found 11"):
        read_idx(path, shape=(10,))
    with pytest.raises(DatasetError, match="extra bytes"):
        read_idx(path)  # also without an expected shape


def test_header_dims_that_disagree_with_the_expected_shape_are_an_error(tmp_path):
    array = np.zeros((3, 28, 27), np.uint8)
    path = write_idx(tmp_path / "x", idx_bytes(array), gz=False)
    with pytest.raises(DatasetError, match=r"header gives the shape \(3, 28, 27\), expected"):
        read_idx(path, shape=(3, 28, 28))


def test_header_dims_that_disagree_with_the_payload_are_an_error(tmp_path):
    array = np.zeros((3, 28, 28), np.uint8)
    path = write_idx(tmp_path / "x", idx_bytes(array, dims=(4, 28, 28)), gz=False)
    with pytest.raises(DatasetError, match="expected 3136 pixel bytes .* found 2352"):
        read_idx(path)


def test_header_cut_short_is_an_error(tmp_path):
    path = write_idx(tmp_path / "x", struct.pack(">II", 0x0803, 60000), gz=False)
    with pytest.raises(DatasetError, match="announces 3 dimensions"):
        read_idx(path)
    tiny = write_idx(tmp_path / "y", b"\x00\x00", gz=False)
    with pytest.raises(DatasetError, match="too short for an IDX header"):
        read_idx(tiny)


def test_checksum_mismatch_names_both_hashes(tmp_path):
    content = idx_bytes(np.arange(10, dtype=np.uint8))
    path = write_idx(tmp_path / "x", content, gz=True)
    wrong = "0" * 64
    with pytest.raises(DatasetError) as info:
        read_idx(path, sha256=wrong)
    message = str(info.value)
    assert hashlib.sha256(content).hexdigest() in message and wrong in message
    assert str(path) in message


@pytest.mark.parametrize(
    "bad_gzip",
    [
        b"this is not gzip at all",
        gzip.compress(b"\x00\x00\x08\x01" + b"\x00" * 100)[:-10],  # cut off
        gzip.compress(b"\x00\x00\x08\x01" + b"\x00" * 100)[:-8] + b"\xff" * 8,  # bad CRC
    ],
    ids=["not-gzip", "cut-off", "bad-crc"],
)
def test_corrupt_gzip_is_a_dataset_error_chained_to_the_cause(tmp_path, bad_gzip):
    path = tmp_path / "x.gz"
    path.write_bytes(bad_gzip)
    with pytest.raises(DatasetError, match="not a valid gzip file") as info:
        read_idx(path)
    assert str(path) in str(info.value)
    assert info.value.__cause__ is not None  # the gzip/zlib error is kept, not shown first


def test_read_idx_of_a_missing_file_is_dataset_not_found(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="no such file"):
        read_idx(tmp_path / "nope.gz")


# --------------------------------------------------------------------------
# find_data_dir
# --------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [True, False])
def test_find_data_dir_accepts_gzipped_or_decompressed_files(isolated, gz):
    make_dataset(isolated / "d", gz=gz)
    assert find_data_dir(isolated / "d") == isolated / "d"


def test_explicit_path_that_does_not_exist_is_an_error_naming_it(isolated):
    make_dataset(locate.SYSTEM_DATA_DIR)  # a fallback exists, but must not be used
    missing = isolated / "no-such-folder"
    with pytest.raises(DatasetNotFoundError) as info:
        find_data_dir(missing)
    assert str(missing) in str(info.value) and "does not exist" in str(info.value)
    assert "apt-get install -y dataset-fashion-mnist" in str(info.value)


def test_explicit_path_with_a_missing_file_names_that_file(isolated):
    make_dataset(isolated / "d")
    (isolated / "d" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetNotFoundError, match=r"missing t10k-labels-idx1-ubyte\[\.gz\]"):
        find_data_dir(isolated / "d")


def test_not_found_message_lists_every_folder_in_order_and_the_fix(isolated):
    # $FASHION_MNIST_DIR is unset here: a folder it names is never skipped (test_data_hardening).
    make_dataset(locate.SYSTEM_DATA_DIR)
    (locate.SYSTEM_DATA_DIR / "train-images-idx3-ubyte.gz").unlink()
    with pytest.raises(DatasetNotFoundError) as info:
        find_data_dir()
    message = str(info.value)
    cache_dir = isolated / "xdg-cache" / "tinygrad_edu" / "fashion-mnist"
    places = ("$FASHION_MNIST_DIR: not set", str(cache_dir), str(locate.SYSTEM_DATA_DIR))
    positions = [message.index(place) for place in places]
    assert positions == sorted(positions)
    assert "missing train-images-idx3-ubyte[.gz]" in message
    assert "apt-get install -y dataset-fashion-mnist" in message
    assert "FASHION_MNIST_DIR" in message


def test_not_found_message_says_when_the_env_var_is_unset(isolated):
    with pytest.raises(DatasetNotFoundError, match=r"\$FASHION_MNIST_DIR: not set"):
        find_data_dir()


def test_env_var_is_honoured(isolated, monkeypatch):
    make_dataset(isolated / "env-dir")
    monkeypatch.setenv("FASHION_MNIST_DIR", str(isolated / "env-dir"))
    assert find_data_dir() == isolated / "env-dir"


def test_search_order_explicit_then_env_then_cache_then_system(isolated, monkeypatch):
    explicit, env_dir = isolated / "explicit", isolated / "env-dir"
    cache = isolated / "xdg-cache" / "tinygrad_edu" / "fashion-mnist"
    for folder in (explicit, env_dir, cache, locate.SYSTEM_DATA_DIR):
        make_dataset(folder)
    monkeypatch.setenv("FASHION_MNIST_DIR", str(env_dir))
    assert find_data_dir(explicit) == explicit
    assert find_data_dir() == env_dir
    monkeypatch.delenv("FASHION_MNIST_DIR")
    assert find_data_dir() == cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(isolated / "empty-cache"))
    assert find_data_dir() == locate.SYSTEM_DATA_DIR


def test_cache_defaults_to_dot_cache_under_home(isolated, monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(isolated / "home"))
    cache = isolated / "home" / ".cache" / "tinygrad_edu" / "fashion-mnist"
    make_dataset(cache)
    assert find_data_dir() == cache


# --------------------------------------------------------------------------
# load_fashion_mnist on generated files
# --------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("dtype", ["float32", np.float64])
def test_load_round_trips_generated_files(isolated, gz, dtype):
    arrays, expected = make_dataset(isolated / "d", n_train=20, n_test=10, gz=gz)
    loaded = load_fashion_mnist(isolated / "d", dtype=dtype, expected=expected)
    assert isinstance(loaded, FashionMNIST)
    assert loaded.x_train.shape == (20, 784) and loaded.x_test.shape == (10, 784)
    assert loaded.x_train.dtype == np.dtype(dtype) == loaded.x_test.dtype
    assert loaded.y_train.dtype == np.int64 == loaded.y_test.dtype
    train_images = arrays["train-images-idx3-ubyte"].reshape(20, 784)
    np.testing.assert_array_equal(loaded.x_train, train_images.astype(dtype) / np.dtype(dtype).type(255))
    np.testing.assert_array_equal(loaded.y_test, arrays["t10k-labels-idx1-ubyte"])


def test_load_uses_the_search_path_when_no_path_is_given(isolated, monkeypatch):
    _, expected = make_dataset(isolated / "env-dir")
    monkeypatch.setenv("FASHION_MNIST_DIR", str(isolated / "env-dir"))
    assert load_fashion_mnist(expected=expected).x_train.shape == (20, 784)


def test_load_rejects_other_dtypes_naming_them(isolated):
    _, expected = make_dataset(isolated / "d")
    for bad in ["int32", "float16", None, "not-a-dtype"]:
        with pytest.raises(ValueError, match=f"got {bad!r}"):
            load_fashion_mnist(isolated / "d", dtype=bad, expected=expected)


def test_load_checks_checksums_by_default(isolated):
    make_dataset(isolated / "d")  # right structure for small files, wrong for the real table
    with pytest.raises(DatasetError, match="header gives the shape"):
        load_fashion_mnist(isolated / "d")


def test_load_detects_a_checksum_mismatch(isolated):
    _, expected = make_dataset(isolated / "d")
    expected["t10k-images-idx3-ubyte"] = ("ab" * 32, expected["t10k-images-idx3-ubyte"][1])
    with pytest.raises(DatasetError, match="t10k-images-idx3-ubyte.gz: the SHA-256"):
        load_fashion_mnist(isolated / "d", expected=expected)


def test_none_checksum_skips_verification(isolated):
    arrays, expected = make_dataset(isolated / "d")
    changed = arrays["train-images-idx3-ubyte"].copy()
    changed[0, 0, 0] ^= 1
    replace_file(isolated / "d", "train-images-idx3-ubyte", idx_bytes(changed))
    with pytest.raises(DatasetError, match="SHA-256"):
        load_fashion_mnist(isolated / "d", expected=expected)
    expected = {name: (None, shape) for name, (_, shape) in expected.items()}
    loaded = load_fashion_mnist(isolated / "d", expected=expected)
    assert loaded.x_train[0, 0] == np.float32(changed[0, 0, 0]) / np.float32(255)


def test_label_out_of_range_names_the_file_value_and_position(isolated):
    arrays, expected = make_dataset(isolated / "d")
    labels = arrays["train-labels-idx1-ubyte"].copy()
    labels[7] = 10
    path = replace_file(isolated / "d", "train-labels-idx1-ubyte", idx_bytes(labels))
    expected = {name: (None, shape) for name, (_, shape) in expected.items()}
    with pytest.raises(DatasetError) as info:
        load_fashion_mnist(isolated / "d", expected=expected)
    message = str(info.value)
    assert str(path) in message and "label 10 at position 7" in message and "0..9" in message


def test_images_and_labels_of_different_lengths_are_an_error(isolated):
    _, expected = make_dataset(isolated / "d")
    replace_file(isolated / "d", "train-labels-idx1-ubyte", idx_bytes(np.zeros(19, np.uint8)))
    expected = {name: (None, shape) for name, (_, shape) in expected.items()}
    expected["train-labels-idx1-ubyte"] = (None, (19,))
    with pytest.raises(DatasetError, match="20 images but 19 labels"):
        load_fashion_mnist(isolated / "d", expected=expected)


def test_expected_must_name_the_four_files(isolated):
    _, expected = make_dataset(isolated / "d")
    del expected["t10k-labels-idx1-ubyte"]
    with pytest.raises(ValueError, match="exactly the keys"):
        load_fashion_mnist(isolated / "d", expected=expected)


def test_load_with_missing_data_raises_the_clear_not_found_error(isolated):
    with pytest.raises(DatasetNotFoundError, match="dataset-fashion-mnist"):
        load_fashion_mnist()


def test_repr_shows_shapes_not_pixels(isolated):
    _, expected = make_dataset(isolated / "d")
    text = repr(load_fashion_mnist(isolated / "d", expected=expected))
    assert text == (
        "FashionMNIST(x_train=(20, 784) float32, y_train=(20,) int64, "
        "x_test=(10, 784) float32, y_test=(10,) int64)"
    )


def test_class_names_are_the_ten_fashion_mnist_classes_in_label_order():
    assert CLASS_NAMES == (
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    )  # fmt: skip


# --------------------------------------------------------------------------
# one_hot
# --------------------------------------------------------------------------


@st.composite
def labels_and_classes(draw):
    num_classes = draw(st.integers(1, 20))
    labels = draw(st.lists(st.integers(0, num_classes - 1), max_size=50))
    return np.array(labels, dtype=np.int64), num_classes


@settings(max_examples=60, deadline=None)
@given(labels_and_classes())
def test_one_hot_rows_sum_to_one_and_argmax_gives_the_label(case):
    labels, num_classes = case
    encoded = one_hot(labels, num_classes)
    assert encoded.shape == (len(labels), num_classes)
    assert encoded.dtype == np.float32
    assert set(np.unique(encoded)) <= {0.0, 1.0}
    np.testing.assert_array_equal(encoded.sum(axis=1), np.ones(len(labels)))
    np.testing.assert_array_equal(encoded.argmax(axis=1), labels)


def test_one_hot_small_example_and_dtype():
    result = one_hot(np.array([2, 0], dtype=np.uint8), 3, dtype="float64")
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, [[0, 0, 1], [1, 0, 0]])


@pytest.mark.parametrize(
    "labels, num_classes, pattern",
    [
        (np.array([1, 10, 2]), 10, r"label 10 at position 1 is outside the range 0\.\.9"),
        (np.array([0, -1]), 10, r"label -1 at position 1 is outside the range 0\.\.9"),
        (np.array([0.0, 1.0]), 10, "integer dtype, got float64"),
        (np.array([True, False]), 10, "integer dtype, got bool"),
        (np.array([[0, 1]]), 10, r"1-D array, got shape \(1, 2\)"),
        (np.array([0]), 0, "num_classes must be a positive integer, got 0"),
        (np.array([0]), 2.0, "num_classes must be a positive integer, got 2.0"),
    ],
)
def test_one_hot_rejects_bad_inputs_with_a_clear_message(labels, num_classes, pattern):
    with pytest.raises(ValueError, match=pattern):
        one_hot(labels, num_classes)


# --------------------------------------------------------------------------
# train_validation_split
# --------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 200), fraction=st.floats(0, 1), seed=st.integers(0, 2**32 - 1))
def test_split_is_a_seeded_partition_keeping_pairs_together(n, fraction, seed):
    n_validation = min(max(1, int(fraction * n)), n - 1)
    x = np.arange(n) * 10
    y = np.arange(n)
    x_tr, y_tr, x_val, y_val = train_validation_split(x, y, n_validation, seed=seed)
    assert len(x_val) == len(y_val) == n_validation
    assert len(x_tr) == len(y_tr) == n - n_validation
    np.testing.assert_array_equal(np.sort(np.concatenate([y_tr, y_val])), np.arange(n))
    np.testing.assert_array_equal(x_tr, 10 * y_tr)
    np.testing.assert_array_equal(x_val, 10 * y_val)
    again = train_validation_split(x, y, n_validation, seed=seed)
    for first, second in zip((x_tr, y_tr, x_val, y_val), again, strict=True):
        np.testing.assert_array_equal(first, second)


def test_split_with_different_seeds_differs_and_is_random():
    y = np.arange(1000)
    _, _, val_a, _ = train_validation_split(y, y, 100, seed=0)
    _, _, val_b, _ = train_validation_split(y, y, 100, seed=1)
    assert not np.array_equal(val_a, val_b)
    assert not np.array_equal(np.sort(val_a), np.arange(100))  # not just the first 100


@pytest.mark.parametrize("n_validation", [0, -1, 10, 11, 2.5, True])
def test_split_rejects_out_of_range_n_validation(n_validation):
    x = np.arange(10)
    with pytest.raises(ValueError, match="0 < n_validation < 10"):
        train_validation_split(x, x, n_validation)


def test_split_rejects_different_lengths():
    with pytest.raises(ValueError, match=r"same length, got shapes \(10,\) and \(9,\)"):
        train_validation_split(np.arange(10), np.arange(9), 2)


# --------------------------------------------------------------------------
# iterate_minibatches
# --------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 60),
    batch_size=st.integers(1, 25),
    shuffle=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_minibatches_cover_every_sample_once_with_correct_sizes(n, batch_size, shuffle, seed):
    x = np.arange(n, dtype=np.float64).reshape(n, 1) * 10
    y = np.arange(n)
    batches = list(iterate_minibatches(x, y, batch_size, shuffle=shuffle, rng=seed))
    sizes = [len(yb) for _, yb in batches]
    assert len(batches) == -(-n // batch_size)  # ceil(n / batch_size)
    assert all(size == batch_size for size in sizes[:-1])
    if n:
        assert sizes[-1] == n - batch_size * (len(batches) - 1)  # the partial batch is kept
    seen = np.concatenate([yb for _, yb in batches]) if batches else np.array([], int)
    np.testing.assert_array_equal(np.sort(seen), np.arange(n))
    for xb, yb in batches:
        np.testing.assert_array_equal(xb[:, 0], 10 * yb)
    if not shuffle:
        np.testing.assert_array_equal(seen, np.arange(n))
    again = [yb for _, yb in iterate_minibatches(x, y, batch_size, shuffle=shuffle, rng=seed)]
    for (_, first), second in zip(batches, again, strict=True):
        np.testing.assert_array_equal(first, second)


def test_minibatches_with_different_seeds_come_in_different_orders():
    y = np.arange(100)
    order_a = np.concatenate([yb for _, yb in iterate_minibatches(y, y, 7, rng=0)])
    order_b = np.concatenate([yb for _, yb in iterate_minibatches(y, y, 7, rng=1)])
    assert not np.array_equal(order_a, order_b)


def test_a_shared_generator_gives_a_new_reproducible_order_each_epoch():
    y = np.arange(100)

    def two_epochs(seed):
        generator = np.random.default_rng(seed)
        return [
            np.concatenate([yb for _, yb in iterate_minibatches(y, y, 10, rng=generator)]) for _ in range(2)
        ]

    first_run, second_run = two_epochs(3), two_epochs(3)
    assert not np.array_equal(first_run[0], first_run[1])
    for a, b in zip(first_run, second_run, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("batch_size", [0, -3, 2.0, True, "8"])
def test_minibatches_reject_bad_batch_size_at_call_time(batch_size):
    x = np.arange(10)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        iterate_minibatches(x, x, batch_size)  # no next(): the check is eager


def test_minibatches_reject_different_lengths():
    with pytest.raises(ValueError, match="same length"):
        iterate_minibatches(np.arange(10), np.arange(11), 2)


# --------------------------------------------------------------------------
# The real dataset (installed by `apt-get install -y dataset-fashion-mnist`).
# Not skipped when missing: the loader's own error then explains the fix.
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    # Checksums are verified by default, so passing means the genuine files.
    return load_fashion_mnist()


def test_real_data_shapes_and_dtypes(real):
    assert real.x_train.shape == (60000, 784) and real.x_train.dtype == np.float32
    assert real.x_test.shape == (10000, 784) and real.x_test.dtype == np.float32
    assert real.y_train.shape == (60000,) and real.y_train.dtype == np.int64
    assert real.y_test.shape == (10000,) and real.y_test.dtype == np.int64


def test_real_data_pixels_span_zero_to_one(real):
    for x in (real.x_train, real.x_test):
        assert x.min() == 0.0 and x.max() == 1.0
        # every value is k/255 for an integer k
        np.testing.assert_array_equal(np.round(x[:1000] * 255) / 255, x[:1000])


def test_real_data_has_6000_per_class_in_train_and_1000_in_test(real):
    np.testing.assert_array_equal(np.bincount(real.y_train, minlength=10), [6000] * 10)
    np.testing.assert_array_equal(np.bincount(real.y_test, minlength=10), [1000] * 10)


def test_real_data_files_pass_their_checksums():
    folder = find_data_dir()
    for name, (sha256, shape) in EXPECTED_FILES.items():
        path = folder / name if (folder / name).is_file() else folder / f"{name}.gz"
        assert read_idx(path, shape=shape, sha256=sha256).shape == shape


def test_real_data_splits_55000_5000(real):
    x_tr, y_tr, x_val, y_val = train_validation_split(real.x_train, real.y_train)
    assert x_tr.shape == (55000, 784) and y_tr.shape == (55000,)
    assert x_val.shape == (5000, 784) and y_val.shape == (5000,)
    assert set(np.unique(y_val)) == set(range(10))
