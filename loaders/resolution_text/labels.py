"""Clause labels ("a)", "2", "iv)") and their alignment: which position each label holds
in its list, and which labels of a flattened tracked-changes text merge two readings
("eb)" = "e)" deleted, "b)" inserted)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from loaders.list_labels import letters, roman

_MAX_LIST_FOR_ALIGNMENT = 400

_ALPHA_LABEL = re.compile(r"^[ \t]*(?P<label>[a-z]{1,6})\)[ \t]*", re.ASCII)
_NUM_LABEL = re.compile(r"^[ \t]*(?P<label>[1-9]\d{0,2})(?:[.)][ \t]+|\t[ \t]*| {2,})", re.ASCII)
_ROMAN_VALUES = {
    r: i
    for i, r in enumerate(
        (t + u).lower()
        for t in ("", "X", "XX", "XXX")
        for u in ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
    )
    if r
}


def _index(label: str, scheme: str) -> int | None:
    """0-based position of ``label`` in ``scheme`` ("num", "alpha", "roman"), or None."""
    if scheme == "num":
        return int(label) - 1 if label.isdigit() and label[0] != "0" else None
    if scheme == "roman":
        value = _ROMAN_VALUES.get(label)
        return value - 1 if value else None
    if len(label) == 1 and "a" <= label <= "z":
        return ord(label) - ord("a")
    if len(label) == 2 and label[0] == label[1] and "a" <= label[0] <= "z":
        return 26 + ord(label[0]) - ord("a")
    return None


def _name(index: int, scheme: str) -> str:
    if scheme == "num":
        return str(index + 1)
    if scheme == "roman":
        return roman(index + 1) + ")"
    return letters(index + 1, repeat=True) + ")"


def _interpretations(label: str, scheme: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Single readings of ``label`` and merged (old, new) splits, within ``scheme``."""
    single = _index(label, scheme)
    merged: list[tuple[int, int]] = []
    for k in range(1, len(label)):
        old, new = _index(label[:k], scheme), _index(label[k:], scheme)
        if old is not None and new is not None:
            merged.append((old, new))
    return ([single] if single is not None else []), merged


@dataclass(frozen=True)
class _LabelReading:
    reading: str
    old: int | None
    new: int | None
    merged: bool
    irregular: bool


_State = tuple[int | None, int | None]


def _step(last: int | None, index: int) -> float:
    if last is None:
        return 0.0 if index == 0 else 1.0
    if index == last + 1:
        return 0.0
    return 3.0 if index > last else 10.0


def _options(
    state: _State, label: str, scheme: str
) -> Iterator[tuple[float, _State, _LabelReading]]:
    lo, ln = state
    singles, merged = _interpretations(label, scheme)
    for i in singles:
        both = _step(lo, i) + _step(ln, i)
        yield both, (i, i), _LabelReading("both", i, i, False, both >= 3)
        after = 0.5 + _step(ln, i)
        yield after, (lo, i), _LabelReading("after", None, i, False, after >= 3)
        before = 0.5 + _step(lo, i)
        yield before, (i, ln), _LabelReading("before", i, None, False, before >= 3)
    for old, new in merged:
        cost = 0.3 + (1.0 if old == new else 0.0) + _step(lo, old) + _step(ln, new)
        yield cost, (old, new), _LabelReading("both", old, new, True, cost >= 3)
    if not singles and not merged:
        yield 10.0, state, _LabelReading("both", None, None, False, True)


def _align_labels(labels: list[str], scheme: str) -> list[_LabelReading]:
    """Choose, for each label of one list, its before/after readings (least total cost)."""
    if len(labels) > _MAX_LIST_FOR_ALIGNMENT:
        return [_plain_reading(label, scheme) for label in labels]
    frontier: dict[_State, tuple[float, list[_LabelReading]]] = {(None, None): (0.0, [])}
    for label in labels:
        nxt: dict[_State, tuple[float, list[_LabelReading]]] = {}
        for state, (cost, path) in frontier.items():
            for extra, new_state, reading in _options(state, label, scheme):
                total = cost + extra
                if new_state not in nxt or total < nxt[new_state][0]:
                    nxt[new_state] = (total, [*path, reading])
        frontier = dict(sorted(nxt.items(), key=lambda kv: kv[1][0])[:48])
    return min(frontier.values(), key=lambda v: v[0])[1]


def _plain_reading(label: str, scheme: str) -> _LabelReading:
    index = _index(label, scheme)
    return _LabelReading("both", index, index, False, index is None)
