"""Checks of the arguments users give by name (relations, kinds, counts), in one place for every
command and API call: an unknown name is a :class:`~iapgraph.exceptions.UsageError` that suggests
the closest known ones.

>>> sorted(check_relations("inhibits"))
['inhibits']
>>> check_kinds(["drugs"])
frozenset({'drug'})
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from . import vocab
from .exceptions import UsageError, did_you_mean


def as_list(value: str | Iterable[str] | None) -> list[str]:
    """One name, several, or none, as a list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def check_relations(value: str | Iterable[str] | None, *,
                    groups: Mapping[str, Iterable[str]] | None = None,
                    option: str = "") -> frozenset[str] | None:
    """Relation names (or, where ``groups`` is given, group keys) as a set of relation names.

    Args:
        value: a relation name, several, or None.
        groups: named groups of relations the caller accepts as well (the HTML's legend groups).
        option: the option name to put before the message (``--relation``).

    Returns:
        The relation names, or None when none was given.

    Raises:
        UsageError: an unknown name, with the closest known ones.
    """
    chosen: set[str] = set()
    known = [*vocab.RELATIONS, *(groups or {})]
    for name in as_list(value):
        if name in vocab.RELATIONS:
            chosen.add(name)
        elif groups and name in groups:
            chosen.update(groups[name])
        else:
            where = f"{option}: " if option else ""
            raise UsageError(f"{where}unknown relation {name!r}"
                             f"{did_you_mean(name, sorted(known) if groups else known, stems=not groups)}")
    return frozenset(chosen) if chosen else None


def check_kinds(value: str | Iterable[str] | None, *, categories: Iterable[str] | None = None,
                option: str = "") -> frozenset[str] | None:
    """Entity kinds as a set; plurals ('drugs', 'hallmarks') are accepted, and so are the keys of
    ``categories`` where given (kept as written).

    Args:
        value: a kind, several, or None.
        categories: group keys the caller accepts as well (the HTML's categories).
        option: the option name to put before the message (``--kind``).

    Returns:
        The kinds (and category keys), or None when none was given.

    Raises:
        UsageError: an unknown kind, with the closest known ones.
    """
    groups = list(categories or ())
    kinds: set[str] = set()
    for name in as_list(value):
        if name in groups:
            kinds.add(name)
            continue
        key = name.strip().lower().replace("-", "_").replace(" ", "_")
        plurals = [key[:-1]] if key.endswith("s") else []
        plurals += [key[:-2]] if key.endswith("es") else []
        for candidate in (key, *plurals):
            if candidate in vocab.KINDS:
                kinds.add(candidate)
                break
        else:
            where = f"{option}: " if option else ""
            if groups:
                known = sorted({*vocab.KINDS, *groups})
                raise UsageError(f"{where}unknown kind {name!r}{did_you_mean(name, known)}; "
                                 f"categories: {', '.join(groups)}")
            raise UsageError(f"{where}unknown kind {name!r}{did_you_mean(key, vocab.KINDS, stems=True)}")
    return frozenset(kinds) if kinds else None


def check_count(name: str, value: int, least: int = 1) -> None:
    """A whole number of at least ``least``.

    Raises:
        UsageError: anything else, naming the argument.
    """
    if not isinstance(value, int) or value < least:
        raise UsageError(f"{name} must be a whole number of at least {least}, got {value!r}")
