"""Flat names for nested state: {"model/0.weight": ...}, as one .npz file holds them."""


def prefixed(prefix, arrays):
    """{prefix + key: array}."""
    return {prefix + key: array for key, array in arrays.items()}


def unprefixed(prefix, arrays):
    """{key without prefix: array} of the keys that start with `prefix`."""
    return {key[len(prefix):]: array for key, array in arrays.items() if key.startswith(prefix)}
