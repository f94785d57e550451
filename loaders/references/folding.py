"""The folded view of a text that matching runs on, each folded character mapped back to
the original characters it came from (so offsets index the text as given)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)


@dataclass(frozen=True)
class FoldedText:
    """A matching view of ``original``; ``starts[i]``/``ends[i]`` locate folded char ``i``.

    When folding changed no length (the usual case) ``starts`` and ``ends`` are empty and the
    mapping is the identity.
    """

    original: str
    folded: str
    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded ``[start, end)`` span to the original text."""
        if not self.starts:
            return start, end
        if end <= start:
            point = self.starts[start] if start < len(self.starts) else len(self.original)
            return point, point
        return self.starts[start], self.ends[end - 1]

    def original_of(self, start: int, end: int) -> str:
        """The original text behind a folded span."""
        a, b = self.span(start, end)
        return self.original[a:b]


def fold(text: str) -> FoldedText:
    """Fold ``text`` for matching (see the module docstring), keeping an offset map."""
    if unicodedata.is_normalized("NFC", text):
        return FoldedText(text, text.translate(_CHAR_MAP))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for ch in unicodedata.normalize("NFC", text[i:j]).translate(_CHAR_MAP):
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return FoldedText(text, "".join(out), tuple(starts), tuple(ends))


# --------------------------------------------------------------------------- places, years
