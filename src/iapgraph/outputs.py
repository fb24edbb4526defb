"""Atomic output: write beside the target and rename, so a failed write never leaves half a file.

A temporary file is named ``.NAME.PID.XXXXXXXX.tmp`` in the target's folder. A write that fails
(a full disk, a file-size limit) removes it and raises :class:`OutputError` naming the target;
a process killed while writing cannot remove it, so the next successful write of the same target
removes the temporary files of writers that are no longer running.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from .exceptions import IapgraphError, OutputError


def _folder(target: Path) -> Path:
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: folder {folder} does not exist")
    return folder


def _temporary(target: Path) -> Path:
    folder = _folder(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in {folder}: {exc.strerror}") from None
    os.close(fd)
    return Path(tmp)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale(target: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files a killed writer left beside ``target``; return them."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    removed = []
    for path in folder.glob(f".{target.name}.*.tmp"):
        pid = path.name[len(target.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed


def _failed(target: Path, exc: BaseException) -> BaseException:
    """A write error as one line for the user; other exceptions pass unchanged."""
    if isinstance(exc, OSError) and not isinstance(exc, IapgraphError):
        why = exc.strerror or str(exc)
        return OutputError(f"{target}: write failed ({why}); nothing was replaced")
    return exc


@contextmanager
def atomic_paths(targets: Sequence[str | os.PathLike[str]]) -> Iterator[list[Path]]:
    """Temporary paths for several targets; they replace their targets only once all are written.

    So a build that fails or is killed while writing its third file leaves all three previous
    files as they were, never a new one beside two old ones.
    """
    paths = [Path(t) for t in targets]
    temps: list[Path] = []
    try:
        for target in paths:
            temps.append(_temporary(target))
        yield temps
        for tmp in temps:
            os.chmod(tmp, 0o644)
        for tmp, target in zip(temps, paths, strict=True):
            os.replace(tmp, target)
    except BaseException as exc:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        failure = _failed(paths[0], exc)  # write_all names the file itself
        if failure is exc:
            raise
        raise failure from None
    for target in paths:
        remove_stale(target)


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target."""
    with atomic_paths([target]) as (tmp,):
        yield tmp


def write_text(target: str | os.PathLike[str], text: str) -> Path:
    """Write text atomically (UTF-8)."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_with(target: str | os.PathLike[str], writer: Callable[[Path], None]) -> Path:
    """Let ``writer`` fill a temporary path, then move it into place."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)


def write_all(writers: Mapping[Path, Callable[[Path], object]]) -> list[Path]:
    """Write several files together: each writer fills its temporary path, then all are moved."""
    targets = list(writers)
    with atomic_paths(targets) as temps:
        for target, tmp in zip(targets, temps, strict=True):
            _write_one(target, tmp, writers[target])
    return targets


def _write_one(target: Path, tmp: Path, writer: Callable[[Path], object]) -> None:
    try:
        writer(tmp)
    except OSError as exc:
        raise _failed(target, exc) from None
