"""`python -m bench textload`: the synthetic resolutions are what the loader reads cleanly, of
the length asked for, and the benchmark measures and reports them. Timings are never asserted
(a shared machine makes them noise)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.textload import (
    PAGE_CHARS,
    TextloadRow,
    measure,
    render,
    seed_file,
    synthetic_resolution,
)
from loaders.resolution_text import ParsedDocument, parse_file, parse_text

CORE_HEADINGS = {
    "considering",
    "recalling",
    "recognizing",
    "noting",
    "taking into account",
    "resolves",
    "instructs the Director of the Telecommunication Standardization Bureau",
    "invites Member States",
}


def _parse(pages: int, seed: int = 1) -> ParsedDocument:
    return parse_text(synthetic_resolution(pages, seed), f"synthetic-{pages}p-{seed}.txt")


@pytest.mark.parametrize("pages", [1, 16])
def test_synthetic_resolution_parses_cleanly(pages: int) -> None:
    parsed = _parse(pages)
    assert parsed.warnings == ()
    header = parsed.header
    assert (header.kind, header.body) == ("resolution", "WTSA")
    assert header.number is not None
    assert header.title
    assert header.in_force is not None
    assert header.in_force.year == 2022
    assert header.in_force.place is not None
    assert header.in_force.place.normalised == "Geneva"
    headings = {s.heading for s in parsed.sections}
    assert headings >= CORE_HEADINGS
    kinds = {s.heading: s.kind for s in parsed.sections}
    assert kinds["considering"] == "preambular"
    assert kinds["resolves"] == "operative"
    assert all(s.clauses for s in parsed.sections)
    # lettered and numbered labels as the parser reads them, in sequence
    considering = parsed.section("considering")
    assert [c.label for c in considering.clauses] == [
        f"{chr(ord('a') + i)})" for i in range(len(considering.clauses))
    ]
    resolves = parsed.section("resolves")
    assert [c.label for c in resolves.clauses] == [str(i + 1) for i in range(len(resolves.clauses))]
    # the references the loader links: Action Lines, SDGs and targets, resolutions
    types = {r.reference.type for r in parsed.references}
    assert {"action_line", "resolution", "sdg_goal"} <= types


def test_longer_text_has_more_clauses_sections_and_nested_lists() -> None:
    short, long = _parse(1), _parse(16)
    short_clauses, long_clauses = list(short.clauses()), list(long.clauses())
    assert len(long_clauses) > 4 * len(short_clauses)
    assert len(long.sections) > len(short.sections)
    nested = [c for c in long_clauses if c.children]
    assert nested, "no nested list in 16 pages"
    labels = {child.label for c in nested for child in c.children}
    assert labels & {"i)", "ii)"}
    assert labels & {"a)", "b)"}
    assert {"sdg_target", "tunis_agenda_paragraph", "body"} <= {
        r.reference.type for r in long.references
    }


def test_long_text_keeps_valid_labels() -> None:
    parsed = _parse(64, seed=3)
    assert parsed.warnings == ()
    for section in parsed.sections:
        labels = [c.label or "" for c in section.clauses]
        if labels[0] == "a)":
            assert len(labels) <= 26  # a) ... z): another section opens instead of aa)
            assert all(len(label) == 2 for label in labels)


def test_reproducible_for_a_seed_and_different_across_seeds() -> None:
    assert synthetic_resolution(4, 7) == synthetic_resolution(4, 7)
    assert synthetic_resolution(4, 7) != synthetic_resolution(4, 8)
    assert synthetic_resolution(1, 1) != synthetic_resolution(1, 2)


@pytest.mark.parametrize("pages", [1, 4, 16])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_about_the_length_asked_for(pages: int, seed: int) -> None:
    text = synthetic_resolution(pages, seed)
    assert abs(len(text) - pages * PAGE_CHARS) < PAGE_CHARS


def test_pages_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        synthetic_resolution(0, 1)


@pytest.fixture(scope="module")
def rows() -> list[TextloadRow]:
    return measure(lengths=(1,), seconds_per_length=0.2)


def test_measure_gives_a_row_per_length_and_the_seed_file(rows: list[TextloadRow]) -> None:
    assert len(rows) == 2
    synthetic, seed = rows
    assert synthetic.label == "synthetic, 1 page"
    assert seed_file().name in seed.label
    assert (synthetic.documents, seed.documents) == (3, 1)
    for row in rows:
        assert len(row.parse_times) >= 3
        assert len(row.load_times) >= 3
        assert row.parse_docs_per_s > 0
        assert row.load_docs_per_s > 0
        assert row.parse_pages_per_s > 0
        assert row.load_pages_per_s > 0
        assert row.parse_p50_ms > 0
        assert row.load_p50_ms > 0
        assert row.clauses > 0
        assert row.references > 0
        assert row.triples > 0
    assert synthetic.warnings == 0
    assert 0.5 < synthetic.pages < 2
    # the real contribution, read with warnings (a flattened tracked-changes text)
    real = parse_file(seed_file())
    assert seed.characters == len(seed_file().read_text(encoding="utf-8"))
    assert seed.clauses == len(list(real.clauses()))
    assert seed.warnings == len(real.warnings)
    assert seed.warnings > 0


def test_render_has_the_table_and_the_command(rows: list[TextloadRow]) -> None:
    started = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    text = render(rows, "python -m bench textload --smoke", started, {"CPU": "test cpu"})
    assert text.startswith("## The text loader: documents and pages per second\n")
    assert "`python -m bench textload --smoke`" in text
    assert "2026-01-02 03:04 UTC" in text
    assert "| CPU | test cpu |" in text
    header = next(line for line in text.splitlines() if "parse docs/s" in line)
    for column in ("pages", "clauses", "triples", "parse pages/s", "load docs/s", "load p50 ms"):
        assert f"| {column} |" in header
    # one row per length and one for the seed file, in the main table and the store's
    table_rows = [line for line in text.splitlines() if line.startswith("| synthetic")]
    assert len(table_rows) == 2
    assert "| loads | drift | quads |" in text
    assert any(line.startswith("| seed file") for line in text.splitlines())


def test_command_writes_its_section(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    output.write_text("# Benchmarks\n\n<!-- bench:http:start -->\nkept\n<!-- bench:http:end -->\n")
    args = ["textload", "--smoke", "--lengths", "1", "--seconds", "0.05", "--output", str(output)]
    assert main(args) == 0
    text = output.read_text(encoding="utf-8")
    assert "<!-- bench:http:start -->\nkept\n<!-- bench:http:end -->" in text
    section = text.split("<!-- bench:textload:start -->", 1)[1]
    assert (
        section.split("<!-- bench:textload:end -->", 1)[0].strip().startswith("## The text loader")
    )
    assert "| synthetic, 1 page |" in section
