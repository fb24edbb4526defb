"""The one cache: what is computed from the curated files once and reused.

- On disk (the user cache folder, ``$XDG_CACHE_HOME/iapgraph``): the validated dataset and its name index (a pickle,
  so a cold CLI process skips validation) and the graph's N-Triples (so SPARQL starts without
  rdflib). Both are keyed by one :func:`fingerprint` of the curated files' *content* (a same-size
  edit with the old modification time is seen) and of the code that builds them. A cache file is
  disposable: one that cannot be read is rebuilt silently.
- In the process: :func:`memo` keeps what is derived from one dataset (indexes, engines) for as
  long as the dataset lives.

This module computes nothing itself: the facade hands it the functions that build.
"""

from __future__ import annotations

import contextlib
import gc
import os
import weakref
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ._version import __version__

if TYPE_CHECKING:  # imported where used: a cached lookup reads its pickle without pathlib
    from pathlib import Path

try:  # blake2b and the C unpickler, without hashlib (it loads OpenSSL's libcrypto first) and
    # pickle.py: a cold lookup only hashes its files and reads its pickle (~3 ms less to import)
    from _blake2 import blake2b
    from _pickle import load as _unpickle_file
    from _pickle import loads as _unpickle
except ImportError:  # another Python implementation
    from hashlib import blake2b
    from pickle import load as _unpickle_file
    from pickle import loads as _unpickle

T = TypeVar("T")

#: The modules whose code decides what the cached files hold; editing them changes the key.
_BUILDERS = ("load.py", "validate.py", "model.py", "vocab.py", "rdf.py", "ntriples.py", "assertions.py", "signs.py",
             "hierarchy.py", "resolve.py", "cycles.py",
             "kg.py", "paths/search.py", "paths/chains.py")  # the pickle holds the walk index, quote directness
#: How many cached graphs of each kind to keep (each edit of graph/ makes a new one).
_KEEP = 8


def cache_dir() -> Path:
    """The user cache folder for iapgraph (``$XDG_CACHE_HOME/iapgraph``, else ``~/.cache/iapgraph``)."""
    from pathlib import Path

    return Path(_cache_folder())


def _cache_folder() -> str:
    """:func:`cache_dir` as a string, without pathlib."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(root, "iapgraph")


def fingerprint(files: Sequence[str | os.PathLike[str]]) -> str:
    """A key that changes when a curated file's content, the file set, or the building code changes.

    Args:
        files: the curated TSV files, in a stable order.

    Returns:
        32 hex digits.

    Raises:
        OSError: a file that cannot be read (the loader reports it properly; callers skip the cache).
    """
    here = os.path.dirname(os.path.realpath(__file__))
    folders: dict[str, str] = {}  # each folder resolved once: a file's own links are still followed
    digest = blake2b(f"iapgraph\0{__version__}\n".encode(), digest_size=16)
    for path in [*(os.fspath(f) for f in files), *(os.path.join(here, name) for name in _BUILDERS)]:
        folder, name = os.path.split(path)
        if os.path.islink(path) or name in ("", ".", ".."):
            real = os.path.realpath(path, strict=True)
        else:
            if folder not in folders:
                folders[folder] = os.path.realpath(folder or ".", strict=True)
            real = os.path.join(folders[folder], name)
        with open(real, "rb") as fh:
            data = fh.read()
        digest.update(f"{real}\0{len(data)}\0".encode())  # the length: one file's end is never read as the next one's start
        digest.update(data)
    return digest.hexdigest()


def _write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file; False when the cache is not writable."""
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:  # a read-only or full home only costs speed
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    _prune(path.parent, path.name.split("-", 1)[0])
    return True


def _prune(folder: Path, kind: str) -> None:
    """Drop all but the newest few cached files of one kind."""
    with contextlib.suppress(OSError):
        cached = sorted(folder.glob(f"{kind}-*.*"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in cached[_KEEP:]:
            if not old.name.endswith(".tmp"):
                old.unlink(missing_ok=True)


def cached_pickle(key: str, kind: type[T], build: Callable[[], T]) -> T:
    """The object pickled under ``key``, or ``build()`` (then pickled for next time).

    Args:
        key: a :func:`fingerprint`.
        kind: the type the object must have; anything else in the file is ignored and rebuilt.
        build: computes the object on a miss; its exceptions propagate.

    Returns:
        The cached or freshly built object.
    """
    path = os.path.join(_cache_folder(), f"dataset-{key}.pickle")
    found: Any = None
    collecting = gc.isenabled()
    gc.disable()  # unpickling makes a million objects: full collections would walk them again and again
    try:
        with open(path, "rb") as fh:
            found = _unpickle_file(fh)
    except Exception:
        found = None
    finally:
        if collecting:
            gc.enable()
    if isinstance(found, kind):
        return found
    value = build()
    from . import forks  # here: a cached lookup never needs it

    if forks.available():  # pickling a large dataset takes a while: let the other core do it
        forks.detach(lambda: _pickle_to(path, value))
    else:
        _pickle_to(path, value)
    return value


def _pickle_to(path: str, value: object) -> None:
    import pickle  # here: a cached lookup only reads
    from pathlib import Path

    collecting = gc.isenabled()
    gc.disable()  # pickling makes no garbage worth a collection over the whole dataset
    try:
        _write_atomic(Path(path), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        if collecting:
            gc.enable()


def cached_file(key: str, suffix: str, build: Callable[[], bytes]) -> Path:
    """A file holding ``build()``'s bytes, kept under ``key`` (a temporary file when the cache
    folder is not writable).

    Args:
        key: a :func:`fingerprint`.
        suffix: the file's suffix (``.nt``).
        build: computes the bytes on a miss.

    Returns:
        The path of the file.
    """
    path = cache_dir() / f"graph-{key}{suffix}"
    if path.is_file():
        return path
    data = build()
    if _write_atomic(path, data):
        return path
    import tempfile

    fd, name = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return Path(name)


_MEMOS: dict[int, dict[Hashable, Any]] = {}


def memo(owner: object, key: Hashable, build: Callable[[], T]) -> T:
    """``build()`` computed once per ``owner`` (a dataset) and ``key``, kept while the owner lives.

    Args:
        owner: the object the value is derived from; it must support weak references.
        key: what is derived (``("walk-index", options)``).
        build: computes the value on the first call.

    Returns:
        The value.
    """
    table = _MEMOS.get(id(owner))
    if table is None:
        table = _MEMOS[id(owner)] = {}
        weakref.finalize(owner, _MEMOS.pop, id(owner), None)
    if key not in table:
        provided = _PROVIDED.get(id(owner))
        if provided is not None and (key if isinstance(key, str) else key[0]) in provided[0]:  # type: ignore[index]
            del _PROVIDED[id(owner)]  # values that came with the owner: unpickled on first use
            for name, value in _unpickle(provided[1]).items():
                table.setdefault(name, value)
        if key not in table:
            table[key] = build()
    return table[key]  # type: ignore[no-any-return]


_PROVIDED: dict[int, tuple[frozenset[str], bytes]] = {}


def provide(owner: object, names: frozenset[str], values: bytes) -> None:
    """Values :func:`memo` will find for ``owner`` without building them: a pickled dict by memo
    key, unpickled when a key named in ``names`` (a string key, or a tuple's first item) is first
    asked for, so that commands that need none of them (and the modules their classes come
    from) pay nothing.

    Args:
        owner: the object the values are derived from; it must support weak references.
        names: the names of the keys in ``values``.
        values: ``pickle.dumps({key: value, ...})``.
    """
    _PROVIDED[id(owner)] = (names, values)
    weakref.finalize(owner, _PROVIDED.pop, id(owner), None)
