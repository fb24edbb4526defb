"""Name resolution: any label, symbol, alias, id or xref (case-insensitive) to one entity id.

>>> from iapgraph.model import Entity
>>> index = NameIndex([Entity("BIRC2", "protein", "cIAP1", "BIRC2", ("HIAP2",), ("uniprot:Q13490",))])
>>> index.resolve("ciap1"), index.resolve("Q13490"), index.resolve("uniprot:Q13490")
('BIRC2', 'BIRC2', 'BIRC2')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .exceptions import UnknownEntity
from .model import Entity

_GREEK = {"α": "a", "β": "b", "γ": "g", "κ": "k", "ɑ": "a"}


def normalize(name: str) -> str:
    """Fold case, Greek letters, dashes and spacing so 'NF-κB', 'nfkb' and 'NF kB' meet.

    >>> normalize("NF-κB") == normalize("nfkb")
    True
    """
    if name.isascii():  # most names: NFKC and the Greek letters change nothing in ASCII
        return _SEPARATORS.sub("", name.lower())
    return _normalize_unicode(name)


def _normalize_unicode(name: str) -> str:
    """:func:`normalize` for any text (for ASCII, :func:`normalize` gives the same more quickly)."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = "".join(_GREEK.get(ch, ch) for ch in text)
    text = _SEPARATORS.sub("", text)
    return unicodedata.normalize("NFKC", text)  # again: removals can leave composable pairs


_SEPARATORS = re.compile(r"[\s\-_‐–—/().,']+")


def _similarity(a: str, b: str) -> float:
    """Edit similarity, with ties broken toward names that share a longer prefix (cIAP3 -> cIAP2)."""
    import difflib  # on use: only a name that is not found needs suggestions

    prefix = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return difflib.SequenceMatcher(None, a, b).ratio() + 0.05 * prefix / max(len(a), 1)


class NameIndex:
    """Maps normalised names to entity ids; built once per loaded graph."""

    def __init__(self, entities: Iterable[Entity]):
        self._ids: dict[str, str] = {}
        self._exact: dict[str, set[str]] = {}
        self._display: dict[str, str] = {}
        for entity in entities:
            self._ids[entity.id] = entity.id
            for name in entity.names:
                if not name:
                    continue
                keys = {normalize(name)}
                local = name.split(":", 1)[1] if ":" in name else ""
                if local and not local.isdigit():  # an xref's local id resolves too (Q13490),
                    keys.add(normalize(local))      # but not a bare number (hgnc:959 vs ncbigene:959)
                for key in keys:
                    if key:
                        self._exact.setdefault(key, set()).add(entity.id)
                        self._display.setdefault(key, name)

    def candidates(self, name: str) -> set[str]:
        """All entity ids a name could mean (more than one means it is ambiguous)."""
        if name in self._ids:
            return {name}
        return set(self._exact.get(normalize(name), ()))

    def resolve(self, name: str) -> str:
        """The one entity id for ``name``, or UnknownEntity with close suggestions."""
        found = self.candidates(name)
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            raise UnknownEntity(name, sorted(found))
        raise UnknownEntity(name, self.suggest(name))

    def ambiguous(self) -> list[tuple[str, set[str]]]:
        """Every name that several entities carry: (the name as first written, their ids), sorted."""
        return [(self._display[key], set(ids)) for key, ids in sorted(self._exact.items()) if len(ids) > 1]

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """The closest known names, as users would type them."""
        import difflib  # on use: only a name that is not found needs suggestions

        key = normalize(name)
        keys = sorted(difflib.get_close_matches(key, list(self._exact), n=3 * n, cutoff=0.6),
                      key=lambda k: (-_similarity(key, k), k))[:n]
        if not keys and key:
            keys = [k for k in self._exact if key in k or k in key][:n]
        seen: list[str] = []
        for k in keys:
            shown = self._display[k]
            if shown not in seen:
                seen.append(shown)
        return seen
