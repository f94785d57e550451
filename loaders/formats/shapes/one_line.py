"""One line (a resolution flattened onto a single line): cut before the header's parts, the
section headings and the clause labels."""

from __future__ import annotations

import re

from loaders.formats.model import ReaderNote


def _looks_one_line(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) <= 3 and max((len(line) for line in lines), default=0) > 400


_HEADINGS = (
    r"(?:further\s+)?(?:considering|recognizing|recognising|recalling|noting|bearing in mind|"
    r"taking into account|aware|concerned|convinced|emphasizing|emphasising|mindful|"
    r"acknowledging|reaffirming|observing|welcoming|having regard to|guided by|"
    r"stressing|underlining|highlighting|realizing|conscious|in view of)"
    r"(?:\s+(?:also|further|furthermore|with satisfaction|with concern|with appreciation))?"
    r"|(?:further\s+)?(?:resolves|decides|adopts|agrees|approves|endorses|recommends|"
    r"authorizes|supports)(?:\s+(?:also|further))?"
)
_ADDRESSED_HEAD = (
    r"(?:further\s+)?(?:instructs|invites|requests|encourages|urges|calls upon|calls on|"
    r"appeals to)(?:\s+(?:also|further))?"
)
# a heading: after the end of a sentence, before a label, the words of an unlabelled clause or a
# name ("recalling Resolution 130 …", "bearing in mind Action Line C10 …", "§ 9 …"); in any
# casing but mixed ("RECOGNIZING" is a heading, "Recognizing" inside a title is not)
_CUT_HEADING = re.compile(
    rf"(?<=[,;:.)])\s+(?P<h>(?:{_HEADINGS}))\s+"
    r"(?=(?:[a-z]{1,4}\)|[1-9]\d{0,2}\s|that\b|the\b|to\b|[A-Z\u00a7]))",
    re.IGNORECASE,
)
# an addressed heading ends before the first clause: the FIRST label of a list ("1", "a)",
# "i)"), or "to"/"that" ("instructs Study Groups 2 and 17 to take …": 2 and 17 are names)
_CUT_ADDRESSED = re.compile(
    rf"(?<=[,;:.)])\s+(?P<h>{_ADDRESSED_HEAD}\s+[^;:.]{{2,160}}?)\s+"
    r"(?=(?:a\)|\(?i\)|1)\s+\S|to\s|that\s)",
    re.IGNORECASE,
)
_CUT_LABEL = re.compile(r"(?<=[;:,.])\s+(?P<l>[a-z]{1,4}\)|\(?[ivx]{1,4}\)|[1-9]\d{0,2})\s+(?=\S)")
_CUT_HISTORY = re.compile(r"\s+(?=\((?:[^()]*\d{4}\s*;){1,}[^()]*\d{4}\)\s)")
_CUT_INTRO = re.compile(
    r"\s+(?=The\s+Council\s*,|The\s+(?:ITU\s+)?(?:World|Plenipotentiary|Radiocommunication)"
    r"[^,\n()]{0,120}?(?:Assembly|Conference|Union)\s*(?:\([^)\n]*\d{4}\))?,)"
)
_CUT_AFTER_HEADER = re.compile(
    r"^(\s*(?:(?:MOD|ADD|SUP)\s+)?(?:DRAFT\s+)?(?:NEW\s+)?RESOLUTION\s+(?:ITU-[RTD]\s+)?\S+"
    r"(?:\s*\([^()]{1,120}\))?)\s+"
)
_CUT_ANNEX = re.compile(r"(?<=[.;,])\s+(?=(?:ANNEX|Annex|APPENDIX|Appendix|ATTACHMENT)\b)")
# unlabelled clauses of one section: "…networks; to give attention …"
_CUT_UNLABELLED = re.compile(r"(?<=;)\s+(?=(?:to|that)\s)")


_LEADING_LABEL = re.compile(r"^\s*(?P<l>[a-z]{1,4}\)|\(?[ivx]{1,4}\)|[1-9]\d{0,2})\s+(?=\S)")
_CUT_HEAD_LINE = re.compile(rf"^(?:{_HEADINGS}|{_ADDRESSED_HEAD})\b", re.IGNORECASE)
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}


def _one_casing(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return all(c.islower() for c in letters) or all(c.isupper() for c in letters)


def _heading_cut(m: re.Match[str]) -> str:
    if not _one_casing(m.group("h").split(" ", 1)[0]):
        return m.group(0)
    return f"\n{m.group('h')}\n"


def _label_value(label: str) -> tuple[str, int] | None:
    """(scheme, value) of a label: ("num", 3), ("alpha", 2) for "b)", ("roman", 4)."""
    bare = label.strip("()")
    if bare.isdigit():
        return "num", int(bare)
    if bare in _ROMAN:
        return "roman", _ROMAN[bare]
    if len(bare) == 1 and bare.isalpha():
        return "alpha", ord(bare) - ord("a") + 1
    return None


class _Sequence:
    """The labels of a section so far: a candidate is a label only if it continues a list
    (the next number, letter or numeral) or starts one (1, a), i))."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def accepts(self, label: str) -> bool:
        value = _label_value(label)
        if value is None:
            return False
        scheme, n = value
        if scheme == "roman" and label.strip("()") == "i" and self.last.get("alpha") == 8:
            scheme, n = "alpha", 9  # "i)" after "h)" is the ninth letter
        if n == 1 or self.last.get(scheme) == n - 1:
            self.last[scheme] = n
            return True
        return False


def _split_one_line(text: str) -> tuple[str, ReaderNote]:
    line = " ".join(text.split())
    line = _CUT_AFTER_HEADER.sub(r"\1\n", line, count=1)
    line = _CUT_HISTORY.sub("\n", line, count=1)
    line = _CUT_INTRO.sub("\n", line, count=1)
    line = _CUT_ANNEX.sub("\n", line, count=1)
    # the intro's words end at their comma
    line = re.sub(
        r"^(The\s[^\n]{0,200}?\),|The\s+ITU\s+[^\n,]{0,120},|The Council,)\s+",
        r"\1\n",
        line,
        count=1,
        flags=re.MULTILINE,
    )
    line = _CUT_ADDRESSED.sub(_heading_cut, line)
    line = _CUT_HEADING.sub(_heading_cut, line)
    out: list[str] = []
    labels = 0
    sequence = _Sequence()
    in_sections = annex = False
    for raw in line.split("\n"):
        part = raw.strip()
        if not part:
            continue
        if annex or re.match(r"^(?:ANNEX|Annex|APPENDIX|Appendix|ATTACHMENT)\b", part):
            annex = True  # what follows the operative part stays as it is
            out.append(part)
            continue
        if _CUT_HEAD_LINE.match(part) and _one_casing(part.split(" ", 1)[0]):
            sequence = _Sequence()  # a heading (cut above): a new list of clauses
            in_sections = True
            out.append(part)
            continue
        if not in_sections:
            out.append(part)
            continue
        pieces = _CUT_LABEL.split(part)
        current = pieces[0]
        first = _LEADING_LABEL.match(current)
        if first is not None and sequence.accepts(first.group("l")):
            current = f"{first.group('l')}\t{current[first.end() :]}"
            labels += 1
        chunks = [current]
        for k in range(1, len(pieces), 2):
            label, rest = pieces[k], pieces[k + 1]
            if sequence.accepts(label):
                chunks.append(f"{label}\t{rest}")
                labels += 1
            else:  # "Study Groups 2, 13 and 17": names, not labels
                chunks[-1] = f"{chunks[-1]} {label} {rest}"
        for chunk in chunks:
            if "\t" in chunk[:6]:
                out.append(chunk.strip())
            else:  # unlabelled clauses: one per "…; to …"
                out.extend(p.strip() for p in _CUT_UNLABELLED.split(chunk) if p.strip())
    return "\n".join(out) + "\n", ReaderNote(
        "one_line_split",
        f"the text was on one line: cut into {len(out)} lines at header parts, headings and "
        f"{labels} clause labels",
    )
