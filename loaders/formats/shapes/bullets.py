"""Bullets (a web page copied as text): the bullets go, a label glued to its text gets its
tab back."""

from __future__ import annotations

import re

from loaders.formats.model import ReaderNote

_BULLETS = (
    "\u2022\u25e6\u25aa\u25ab\u2023\u2043\u2219\u00b7"
    "\u25cf\u25cb\u25a0\u25a1\u25ba\u25b6\u27a2\u2713"
)
_BULLET = re.compile(rf"^(?P<indent>[ \t]*)(?P<bullet>[{_BULLETS}\-*o])[ \t]+(?P<rest>\S.*)$")
_GLUED_LABEL = re.compile(
    r"^(?P<label>\(?[a-z]{1,4}\)|[1-9]\d{0,2}\.?)(?=[A-Za-z\"'\u201c\u2018(])"
)


def _looks_bulleted(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    bulleted = [line for line in lines if _BULLET.match(line)]
    if len(bulleted) < 3:
        return False
    # "-" and "*" and "o" alone are too common in plain text: most lines must carry one
    strong = [b for b in bulleted if _BULLET.match(b).group("bullet") not in "-*o"]  # type: ignore[union-attr]
    return len(strong) >= 3 or len(bulleted) >= 0.6 * len(lines)


def _unbullet(text: str) -> tuple[str, ReaderNote]:
    out: list[str] = []
    removed = glued = 0
    for line in text.split("\n"):
        m = _BULLET.match(line)
        if m is None:
            out.append(line)
            continue
        removed += 1
        rest = m.group("rest")
        g = _GLUED_LABEL.match(rest)
        if g is not None and _plausible_glued(g.group("label"), rest):
            label = g.group("label").rstrip(".")
            rest = f"{label}\t{rest[g.end() :].lstrip()}"
            glued += 1
        out.append(rest)
    message = f"a bulleted copy: {removed} bullets removed"
    if glued:
        message += f", {glued} labels glued to their text set apart"
    return "\n".join(out), ReaderNote("bullets_removed", message)


def _plausible_glued(label: str, rest: str) -> bool:
    if label[0].isdigit():
        # "1to encourage": a number glued to a lowercase word; never "2022" or "5G"
        return rest[len(label)].islower()
    return True
