"""Atomic output: write beside the target and rename, so a failed write never leaves half a file.

A temporary file is named ``.NAME.PID.XXXXXXXX.tmp`` in the target's folder. A write that fails
(a full disk, a file-size limit) removes it and raises :class:`OutputError` naming the target;
a process killed while writing cannot remove it, so the next successful write of the same target
removes the temporary files of writers that are no longer running.

What is at the path decides what happens, before anything is written:

- nothing, or a regular file: replaced; an existing file keeps its permission bits (a 0600 file
  stays 0600) and, when we may, its owner; a new file gets 0666 minus the umask, as ``open`` would;
- a symbolic link to a regular file: followed; the file it points to is replaced, the link stays
  (so ``site/index.html -> releases/v3.html`` updates v3.html);
- anything else (a device such as /dev/null, a FIFO, a socket, a folder, a dangling or looping
  link): refused with one line, nothing written.
"""

from __future__ import annotations

import os
import stat
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


_KINDS = {stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device", stat.S_IFIFO: "a FIFO",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def _destination(target: Path) -> tuple[Path, os.stat_result | None]:
    """The regular file to replace (a symlink followed) and its current status; refuse the rest."""
    try:
        link = os.lstat(target)
    except FileNotFoundError:
        return target, None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({exc.strerror})") from None
    real = target
    if stat.S_ISLNK(link.st_mode):
        real = Path(os.path.realpath(target))
        try:
            status = os.stat(target)
        except OSError as exc:
            why = "a looping" if getattr(exc, "errno", 0) == 40 else "a dangling"
            raise OutputError(f"{target}: {why} symbolic link; remove it or write elsewhere") from None
    else:
        status = link
    if not stat.S_ISREG(status.st_mode):
        kind = _KINDS.get(stat.S_IFMT(status.st_mode), "not a regular file")
        raise OutputError(f"{target}: {kind}, not a regular file; nothing written (write to a file path)")
    return real, status


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
    paths: list[Path] = []
    modes: list[os.stat_result | None] = []
    for t in targets:
        real, status = _destination(Path(t))
        paths.append(real)
        modes.append(status)
    temps: list[Path] = []
    try:
        for target in paths:
            temps.append(_temporary(target))
        yield temps
        for tmp, status in zip(temps, modes, strict=True):
            if status is None:
                os.chmod(tmp, 0o666 & ~_umask())
                continue
            os.chmod(tmp, stat.S_IMODE(status.st_mode))
            if status.st_uid != os.geteuid() or status.st_gid != os.getegid():
                try:
                    os.chown(tmp, status.st_uid, status.st_gid)
                except OSError:  # not ours to give away: the file becomes the writer's
                    pass
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
            write_one(target, tmp, writers[target])
    return targets


def write_one(target: Path, tmp: Path, writer: Callable[[Path], object]) -> None:
    """Run ``writer`` on ``tmp`` (a temporary path of :func:`atomic_paths`); an OSError becomes one
    line naming ``target``."""
    try:
        writer(tmp)
    except OSError as exc:
        raise _failed(target, exc) from None
