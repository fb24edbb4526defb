"""Sign algebra for chains of statements: a down step after a down step is up.

A statement's ``effect`` (up, down, unknown) is the sign of the subject's effect on the object.
Structural steps (a domain to its protein, a member to its complex) carry the sign through
unchanged; they are ``neutral``. One unknown step makes the whole chain unknown.

>>> net(["down", "down", "up"])
'up'
>>> net(["down", "neutral"])
'down'
>>> net(["up", "unknown"])
'unknown'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

UP, DOWN, UNKNOWN, NEUTRAL = "up", "down", "unknown", "neutral"

_VALUE = {UP: 1, NEUTRAL: 1, DOWN: -1, UNKNOWN: 0}
_SYMBOL = {UP: "+", DOWN: "-", NEUTRAL: "=", UNKNOWN: "?"}


def net(signs: Iterable[str]) -> str:
    """The net sign of a chain: the product of its steps (``unknown`` if any step is);
    ``neutral`` for a chain of structural steps only (a domain to its protein)."""
    product = 1
    only_neutral = True
    for sign in signs:
        product *= _VALUE[sign]
        only_neutral = only_neutral and sign == NEUTRAL
    if only_neutral:
        return NEUTRAL
    return UP if product > 0 else DOWN if product < 0 else UNKNOWN


def is_signed(sign: str) -> bool:
    """True for up, down and neutral: a chain of such steps has a definite net effect."""
    return sign != UNKNOWN


def opposite(a: str, b: str) -> bool:
    """True when one effect is up and the other down."""
    return {a, b} == {UP, DOWN}


def symbol(sign: str) -> str:
    """A one-character form for compact output: + - = ?"""
    return _SYMBOL[sign]


#: Directions of a prognostic finding, from the Table 1 qualifiers ``expression`` and ``outcome``.
ADVERSE, FAVOURABLE, NO_IMPACT = "adverse", "favourable", "no impact"


def prognostic_direction(qualifiers: Mapping[str, str]) -> str | None:
    """What a prognostic statement says about high expression: adverse, favourable or no impact.

    Low expression with a better outcome says the same as high expression with a poor one; a
    finding that names no expression level is read as being about high levels (the review reports
    over-expression). None when the statement gives no outcome to compare.

    >>> prognostic_direction({"expression": "low", "outcome": "better"})
    'adverse'
    >>> prognostic_direction({"outcome": "none"})
    'no impact'
    """
    outcome = qualifiers.get("outcome", "").strip().lower()
    low = qualifiers.get("expression", "").strip().lower() == "low"
    if outcome in ("none", "no impact", "no"):
        return NO_IMPACT
    if outcome in ("poor", "worse", "unfavourable", "unfavorable"):
        return FAVOURABLE if low else ADVERSE
    if outcome in ("better", "good", "favourable", "favorable"):
        return ADVERSE if low else FAVOURABLE
    return None
