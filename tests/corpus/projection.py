"""What must not change when the same resolution comes in another format.

:func:`project` reduces a parse to the fields a reader of the resolution would call the same
whatever the file: header (body, number, revision in force, title, history), the sections
(keyword, kind, addressee) in order, the clause tree (label, plain text with whitespace
collapsed, footnote texts), the references (type and what they name) and the Action Line codes.
:func:`differences` lists where two projections part, first difference first, with the
values, so a failure says what the reader got wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from loaders.documents import parse_document
from loaders.resolution_text import ParsedDocument

__all__ = ["FIELDS", "differences", "parse", "project"]

FIELDS = (
    "body",
    "number",
    "title",
    "in_force",
    "history",
    "sections",
    "clauses",
    "footnotes",
    "references",
    "action_lines",
)


def _ws(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def _meeting(m: dict[str, Any] | None) -> tuple[str | None, int | None] | None:
    if m is None:
        return None
    place = m.get("place")
    return (place["normalised"] if place else None, m.get("year"))


def _clause(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "label": c["label"],
        "text": _ws(c["plain_text"]),
        "children": [_clause(k) for k in c["children"]],
    }


def _clause_notes(c: dict[str, Any], path: str) -> list[tuple[str, str | None]]:
    here = f"{path} {c['label'] or '#' + str(c['order'])}"
    out = [(here, _ws(f["text"])) for f in c["footnotes"]]
    for k in c["children"]:
        out += _clause_notes(k, here)
    return out


def _reference(r: dict[str, Any]) -> tuple[Any, ...]:
    what = r.get("code") or r.get("number")
    extra = r.get("body") if r["type"] == "resolution" else r.get("paragraphs")
    return (r["type"], what, tuple(extra) if isinstance(extra, list) else extra)


def project(parsed: ParsedDocument) -> dict[str, Any]:
    data = parsed.to_json()
    doc = data["document"]
    sections = data["sections"]
    return {
        "body": doc["body"],
        "number": doc["number"],
        "title": _ws(doc["title"]),
        "in_force": _meeting(doc["revisions"]["in_force"]),
        "history": [_meeting(m) for m in doc["history"]],
        "sections": [
            (s["keyword"], s["kind"], (_ws(s["addressee"]) or "").casefold() or None)
            for s in sections
        ],
        "clauses": [
            {"section": s["keyword"], "clauses": [_clause(c) for c in s["clauses"]]}
            for s in sections
        ],
        "footnotes": [
            note for s in sections for c in s["clauses"] for note in _clause_notes(c, s["eid"])
        ],
        "references": [_reference(r) for r in data["references"]],
        "action_lines": sorted(
            {r["code"] for r in data["references"] if r["type"] == "action_line"}
        ),
    }


def parse(path: Path) -> ParsedDocument:
    return parse_document(path, path.name)


def _first_diff(path: str, want: Any, got: Any) -> tuple[str, Any, Any] | None:
    if want == got:
        return None
    if isinstance(want, dict) and isinstance(got, dict):
        for key in want:
            found = _first_diff(f"{path}.{key}", want[key], got.get(key))
            if found:
                return found
        return path, want, got
    if isinstance(want, list) and isinstance(got, list):
        for i, (w, g) in enumerate(zip(want, got, strict=False)):
            found = _first_diff(f"{path}[{i}]", w, g)
            if found:
                return found
        if len(want) != len(got):
            i = min(len(want), len(got))
            return (
                f"{path}[{i}] (length {len(want)} expected, {len(got)} got)",
                want[i] if i < len(want) else None,
                got[i] if i < len(got) else None,
            )
    return path, want, got


def differences(want: dict[str, Any], got: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """For each field that differs, in :data:`FIELDS` order: where it first differs, the
    expected value there and the value got."""
    out = []
    for key in FIELDS:
        found = _first_diff(key, want[key], got[key])
        if found is not None:
            out.append(found)
    return out


def _short(value: Any, width: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def explain(diffs: list[tuple[str, Any, Any]]) -> str:
    return "\n".join(
        f"{where}:\n    expected {_short(want)}\n    got      {_short(got)}"
        for where, want, got in diffs
    )
