"""A list position written as a label: roman numerals ("iv") and letters ("c", "aa").

One way of writing them for every reader that numbers a list itself: Word numbering
(:mod:`loaders.docx_numbering`), HTML ordered lists (:mod:`loaders.formats.html`) and the
parser's label alignment (:mod:`loaders.resolution_text.labels`). Past "z" the two counts
differ, so :func:`letters` takes the one the source uses.
"""

from __future__ import annotations

__all__ = ["letters", "roman"]

_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def roman(value: int) -> str:
    """``value`` (1 and up) in lower-case roman numerals: 4 → "iv", 1999 → "mcmxcix"."""
    out: list[str] = []
    for amount, digits in _ROMAN:
        count, value = divmod(value, amount)
        out.append(digits * count)
    return "".join(out)


def letters(value: int, *, repeat: bool = False) -> str:
    """``value`` (1 and up) in lower-case letters: 3 → "c". Past "z", as HTML and CSS count
    (27 → "aa", 28 → "ab"), or with ``repeat`` as Word counts, the letter repeated (27 → "aa",
    28 → "bb", 53 → "aaa")."""
    if repeat:
        return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
    out = ""
    while value > 0:
        value, rest = divmod(value - 1, 26)
        out = chr(ord("a") + rest) + out
    return out
