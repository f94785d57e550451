"""The same resolution in every format parses to the same structure.

Each stress resolution (:mod:`tests.corpus.stress`) is written in every format
(:mod:`tests.corpus.render`: text shapes, encodings, .docx, .pdf, .html) under tmp_path and
parsed with :func:`loaders.documents.parse_document`; the projection of the parse
(:mod:`tests.corpus.projection`: header, sections, clause tree and text, footnotes,
references, Action Lines) must equal that of the canonical text. A failure lists every field
that differs, where it first differs, and the values. ``python -m tests.corpus.report``
writes the same comparison for all cases as a summary.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.corpus.model import Resolution
from tests.corpus.projection import differences, explain, parse, project
from tests.corpus.render import FORMATS, expected_number, formats_for, write
from tests.corpus.stress import STRESS

CASES = [
    pytest.param(r, fmt, id=f"{r.key}-{fmt}")
    for fmt in FORMATS
    if fmt != "canonical"
    for r in STRESS
    if fmt in formats_for(r)
]
ALLOWED_WARNINGS = {"trailing_content"}  # the annex after the operative part, and only that


@pytest.fixture(scope="module")
def canonical(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Resolution], Any]:
    """The parse of each resolution's canonical text, parsed once for the module."""
    directory = tmp_path_factory.mktemp("canonical")
    cache: dict[str, Any] = {}

    def get(r: Resolution) -> Any:
        if r.key not in cache:
            cache[r.key] = parse(write(r, "canonical", directory))
        return cache[r.key]

    return get


@pytest.mark.parametrize(("r", "fmt"), CASES)
def test_every_format_parses_as_the_canonical_text(
    r: Resolution, fmt: str, tmp_path: Path, canonical: Callable[[Resolution], Any]
) -> None:
    want = project(canonical(r))
    want["number"] = expected_number(r, fmt, want["number"])
    path = write(r, fmt, tmp_path)
    got = project(parse(path))
    diffs = differences(want, got)
    assert not diffs, f"{path.name} differs from the canonical text's parse:\n{explain(diffs)}"


@pytest.mark.parametrize("r", STRESS, ids=[r.key for r in STRESS])
def test_the_canonical_text_parses_cleanly_with_every_clause(
    r: Resolution, canonical: Callable[[Resolution], Any]
) -> None:
    parsed = canonical(r)
    warnings = [
        (w.code, w.message, w.place)
        for w in parsed.warnings
        if w.code not in ALLOWED_WARNINGS or "annex" not in w.message.lower()
    ]
    assert warnings == []
    if r.annex:
        assert [w.code for w in parsed.warnings] == ["trailing_content"]
    doc = parsed.to_json()
    header = doc["document"]
    assert (header["kind"], header["body"], header["number"], header["title"]) == (
        "resolution",
        r.body,
        r.number,
        r.title,
    )
    if r.body != "Council":  # "(modified 2019)" names no meeting
        in_force = header["revisions"]["in_force"]
        assert in_force["year"] == r.year
    assert len(header["history"]) == len(r.history)
    assert [s["heading"] for s in doc["sections"]] == [s.heading for s in r.sections]

    def count(clauses: list[dict[str, Any]]) -> int:
        return sum(1 + count(c["children"]) for c in clauses)

    assert count([c for s in doc["sections"] for c in s["clauses"]]) == len(list(r.clauses()))
    assert [f["text"] for f in doc["footnotes"]] == r.footnotes()


def test_the_stress_set_covers_what_it_should() -> None:
    assert len(STRESS) >= 30
    assert len({r.key for r in STRESS}) == len(STRESS)
    assert {r.body for r in STRESS} == {"WTSA", "PP", "WTDC", "RA", "Council"}
    assert any(r.revised for r in STRESS)
    assert any(not r.revised and r.body != "Council" for r in STRESS)
    clauses = [c for r in STRESS for c in r.clauses()]
    assert any(c.children for c in clauses)
    assert any(c.footnotes for c in clauses)
    assert any(
        c.label is None for r in STRESS for s in r.sections if s.operative for c in s.clauses
    )
    assert any(r.table for r in STRESS)
    assert any(r.annex for r in STRESS)
    for r in STRESS:  # every text can be written in Windows-1252
        for fmt in ("canonical",):
            FORMATS[fmt].render(r).decode("utf-8").encode("cp1252")
    assert sum(1 for r in STRESS if "pdf" in formats_for(r)) >= 10
