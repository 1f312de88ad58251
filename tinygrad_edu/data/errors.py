"""The data errors, and the advice their messages give: how to get, repair or read the files."""

from __future__ import annotations

from pathlib import Path

from tinygrad_edu.data.sources import DOWNLOAD_COMMAND, ENV_VAR, FILE_NAMES, user_cache_dir


class DatasetError(ValueError):
    """A data file exists but its content is wrong (corrupt, truncated, bad checksum...)."""


class DatasetNotFoundError(FileNotFoundError):
    """The data files could not be found; the message says where we looked."""


class DatasetPermissionError(DatasetError, PermissionError):
    """The data folder or a data file exists but this user may not read it; the message names which."""


def how_to_get_data(folder: Path | None = None) -> str:
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
        + "".join(f"      {name}\n" for name in FILE_NAMES)
        + f"    and set ${ENV_VAR}=/that/folder, or pass path=/that/folder."
    )


def how_to_repair(folder: Path) -> str:
    """The advice given when a file in ``folder`` is damaged: fetch it again, or reinstall Debian's copy."""
    return (
        "The file is damaged or is not the file it claims to be. Replace it with an intact copy:\n"
        f"  - {DOWNLOAD_COMMAND} --dir {folder}\n"
        "      (replaces only the files that fail their checks)\n"
        "  - on Debian/Ubuntu: apt-get install --reinstall -y dataset-fashion-mnist\n"
        f"  - or copy good files into a folder and set ${ENV_VAR}=/that/folder,\n"
        "    or pass path=/that/folder."
    )


def how_to_allow_reading(path: Path) -> str:
    return (
        f"Give your user read access (e.g. chmod -R a+rX {path}), or copy the files to a folder\n"
        f"you can read and set ${ENV_VAR}=/that/folder, or pass path=/that/folder."
    )


def no_permission(path: Path, what: str, error: OSError) -> DatasetPermissionError:
    return DatasetPermissionError(
        f"{path}: no permission to read this {what} ({error.strerror}).\n{how_to_allow_reading(path)}"
    )
