"""The curated tables of assemblies and of resolution revisions (loaders/data/assemblies.csv,
loaders/data/resolution_versions.csv) before any loader reads them: every row names where it
was read and when, in the agreed columns, with its dates in ISO form and in order."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "loaders" / "data"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# an address an analyst can open: a web page, or the project's seed (loaders/data/seeds/)
SOURCE = re.compile(r"(https?://\S+|seed:\S+\.txt)")
CONFIDENCE = {"high", "medium", "low", "general-knowledge"}

SOURCE_COLUMNS = [
    "source_document_symbol",
    "locator",
    "official_url",
    "mirror_url",
    "date_read",
    "confidence",
    "notes",
]
ASSEMBLIES = ["body", "place", "year", "name", "start_date", "end_date", *SOURCE_COLUMNS]
VERSIONS = ["body", "number", "place", "year", "event", "revision_as_written", *SOURCE_COLUMNS]
BODIES = {"WTSA", "PP", "WTDC", "RA", "Council", "UNGA"}


def table(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def iso(value: str) -> date:
    assert ISO_DATE.fullmatch(value), f"{value!r} is not an ISO date"
    return date.fromisoformat(value)


def check_source(row: dict[str, str]) -> None:
    """A row is read somewhere: an official address or a copy, each openable, and a date."""
    addresses = [row["official_url"], row["mirror_url"]]
    assert any(addresses), "no official_url and no mirror_url"
    for address in filter(None, addresses):
        assert SOURCE.fullmatch(address), f"{address!r} is not an address"
    assert row["source_document_symbol"].strip(), "no source_document_symbol"
    assert row["locator"].strip(), "no locator"
    iso(row["date_read"])
    assert row["confidence"] in CONFIDENCE
    # a copy alone is never a high-confidence source
    if not row["official_url"]:
        assert row["confidence"] != "high", "only a copy was read: at most medium"


@pytest.mark.parametrize(
    ("name", "header"), [("assemblies.csv", ASSEMBLIES), ("resolution_versions.csv", VERSIONS)]
)
def test_columns_are_the_agreed_ones(name: str, header: list[str]) -> None:
    fields, rows = table(name)
    assert fields == header
    assert rows


def test_every_assembly_is_sourced_and_its_dates_in_order() -> None:
    _, rows = table("assemblies.csv")
    for n, row in enumerate(rows, start=2):
        try:
            assert row["body"] in BODIES
            assert row["name"].strip()
            assert re.fullmatch(r"\d{4}", row["year"])
            start, end = iso(row["start_date"]), iso(row["end_date"])
            assert start <= end
            assert start.year <= int(row["year"]) <= end.year
            # Council sessions and UNGA resolutions have no place in revision labels
            assert bool(row["place"]) == (row["body"] not in {"Council", "UNGA"})
            check_source(row)
        except AssertionError as e:
            raise AssertionError(f"assemblies.csv line {n}: {e}") from e
    keys = [(r["body"], r["place"], r["year"], r["name"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_every_revision_is_sourced_and_its_assembly_is_known() -> None:
    _, assemblies = table("assemblies.csv")
    known = {(a["body"], a["place"], a["year"]) for a in assemblies}
    _, rows = table("resolution_versions.csv")
    for n, row in enumerate(rows, start=2):
        try:
            assert row["body"] in BODIES - {"UNGA"}
            assert row["number"].strip()
            assert row["event"] in {"adopted", "suppressed"}
            assert (row["body"], row["place"], row["year"]) in known, (
                "assembly not in assemblies.csv"
            )
            check_source(row)
        except AssertionError as e:
            raise AssertionError(f"resolution_versions.csv line {n}: {e}") from e
    keys = [(r["body"], r["number"], r["place"], r["year"], r["event"]) for r in rows]
    assert len(keys) == len(set(keys))
