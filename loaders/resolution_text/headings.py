"""Section headings ("considering", "instructs the Director of ...", a merged
"consideringrecalling") and the eIds of sections and clauses built from them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from loaders.references import fold

_PREAMBULAR = {
    "acknowledging",
    "aware",
    "being aware",
    "bearing in mind",
    "concerned",
    "conscious",
    "considering",
    "considering also",
    "considering further",
    "considering furthermore",
    "convinced",
    "emphasizing",
    "emphasising",
    "expressing",
    "further considering",
    "further noting",
    "further recalling",
    "further recognizing",
    "further recognising",
    "guided by",
    "having considered",
    "having noted",
    "having regard to",
    "highlighting",
    "in view of",
    "mindful",
    "noting",
    "noting also",
    "noting further",
    "noting with concern",
    "noting with appreciation",
    "noting with satisfaction",
    "observing",
    "reaffirming",
    "realizing",
    "recalling",
    "recalling also",
    "recalling further",
    "recognizing",
    "recognising",
    "recognizing also",
    "recognising also",
    "recognizing further",
    "recognising further",
    "referring to",
    "stressing",
    "taking into account",
    "taking into account also",
    "taking into account further",
    "taking note",
    "underlining",
    "welcoming",
}
_OPERATIVE = {
    "adopts",
    "agrees",
    "approves",
    "authorizes",
    "decides",
    "endorses",
    "further resolves",
    "recommends",
    "resolves",
    "resolves also",
    "resolves further",
    "supports",
}
_ADDRESSED = re.compile(
    r"^(?P<kw>(?:further )?(?:instructs|invites|requests|encourages|urges|calls upon|calls on|"
    r"appeals to|asks|charges|directs)(?: also| further)?)(?P<rest>(?: .*)?)$"
)


# addressees that hold "to" + a lowercase word: "the Member States party to ...", rare
_ADDRESSEE_TO = re.compile(r"\b(?:party|parties|according|pursuant|related|relating)\s+to\b")


@dataclass(frozen=True)
class _Heading:
    heading: str
    keyword: str
    kind: str
    addressee: str | None
    old: str | None = None
    new: str | None = None


_MISSING_HEADING = _Heading("", "preamble", "preambular", None)


def is_heading(line: str) -> bool:
    """Whether a line is a section heading ("considering", "instructs the Director of …")."""
    return _match_heading(fold(line).folded) is not None


def _match_heading(folded_line: str) -> _Heading | None:
    text = " ".join(folded_line.split()).rstrip(",:").rstrip()
    if not text or len(text) > 250 or text[-1] in ";.":
        return None
    simple = _simple_heading(text)
    if simple is not None:
        return simple
    low = text.lower()
    for i in range(4, min(len(text) - 3, 40)):
        left = low[:i]
        if not (low[i - 1].isalpha() and low[i].isalpha()):
            continue
        if left in _PREAMBULAR or left in _OPERATIVE or _ADDRESSED.match(left):
            new = _simple_heading(text[i:])
            if new is not None:
                return _Heading(text, new.keyword, new.kind, new.addressee, text[:i], text[i:])
    return None


def _simple_heading(text: str) -> _Heading | None:
    low = text.lower()
    if low in _PREAMBULAR:
        return _Heading(text, low, "preambular", None)
    if low in _OPERATIVE:
        return _Heading(text, low, "operative", None)
    m = _ADDRESSED.match(low)
    if m is None:
        return None
    rest = text[m.start("rest") :].strip(" ,:")
    first = rest.split(" ", 1)[0].lower() if rest else ""
    if first in ("to", "that", "in", "on", "for") or ";" in rest:
        return None
    if re.search(r"\bto\s+[a-z]", rest) and not _ADDRESSEE_TO.search(rest):
        return None  # "asks each Sector to contribute": a clause, not a heading
    return _Heading(text, m.group("kw"), "operative", rest or None)


def slug(text: str) -> str:
    """An eId-safe slug: lower-case ASCII letters, digits and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", fold(text).folded).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.decode().lower()).strip("-") or "x"


_STOPWORDS = {"and", "of", "the", "to"}


def section_keys(headings: list[tuple[str, str | None]]) -> list[str]:
    """eId of each section from (keyword, addressee): the keyword (for a merged heading the
    before one), with the addressee added when a keyword repeats ("invites-member-states")."""
    bases = [base.lower() for base, _ in headings]
    keys: list[str] = []
    for base, (_, addressee) in zip(bases, headings, strict=True):
        key = slug(base)
        if bases.count(base) > 1 and addressee:
            words = [w for w in addressee.replace(",", " ").split() if w not in _STOPWORDS][:5]
            key = slug(f"{base} {' '.join(words)}")
        candidate, n = key, 1
        while candidate in keys:
            n += 1
            candidate = f"{key}-{n}"
        keys.append(candidate)
    return keys
