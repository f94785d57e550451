"""The curated tables shipped with the project: their paths, named once, and a strict reader."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from loaders.errors import TableError
from loaders.unicode import nfc, surrogate_place
from ontology.ids import IdentifierError, check_identifier, describe, show

_DATA = "data"

# name -> file, for the tables copied from shared/data (see data/reference/README.md)
REFERENCE_TABLES: dict[str, str] = {
    "action-lines": "reference/action_lines.csv",
    "sdg-goals": "reference/sdgs.csv",
    "sdg-targets": "reference/sdg_targets.csv",
    "sdg-indicators": "reference/sdg_indicators.csv",
    "wsis-sdg-matrix": "reference/wsis_sdg_matrix.csv",
    "itut-study-groups": "reference/itut_study_groups.csv",
    "wtsa-resolutions": "reference/wtsa_resolutions.csv",
    "itut-wsis-links": "reference/itut_wsis_links.csv",
    "itut-recommendations": "reference/itut_recommendations.csv",
    "resolutions-cited-in-seed": "reference/resolutions_cited_in_seed.csv",
}
# tables curated in this project (see data/README.md)
PROJECT_TABLES: dict[str, str] = {
    "study-group-lineage": "study_group_lineage.csv",
    "recommendation-rules": "recommendation_rules.csv",
    "organs": "organs.csv",
    "study-periods": "study_periods.csv",
    "assemblies": "assemblies.csv",
    "resolution-versions": "resolution_versions.csv",
    "itut-study-groups-history": "itut_study_groups_history.csv",
    "itu-action-line-links": "itu_action_line_links.csv",
    "matrix-errata": "matrix_errata.csv",
    "wsis-paragraphs": "wsis_paragraphs.csv",
    "suggest-keywords": "suggest_keywords.csv",
    "schemes": "schemes.csv",
}
SEEDS: dict[str, str] = {
    "seed-wtsa-res75-rus": "seeds/000_104f64d2c729d048.txt",
}


def data_path(relative: str) -> Path:
    return Path(str(resources.files("loaders").joinpath(_DATA, relative)))


def table_path(name: str) -> Path:
    relative = REFERENCE_TABLES.get(name) or PROJECT_TABLES.get(name)
    if relative is None:
        raise KeyError(f"no built-in table named {name!r}")
    return data_path(relative)


@dataclass(frozen=True)
class Row:
    """One data row: ``number`` is 1-based (the header is row 0; file line = number + 1)."""

    number: int
    values: dict[str, str]
    source: str

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    @property
    def place(self) -> str:
        return f"row {self.number} (line {self.number + 1})"

    def error(self, problem: str, column: str | None = None) -> TableError:
        where = f"{self.place}, column {column!r}" if column else self.place
        return TableError(self.source, problem, where)

    def require(self, column: str, pattern: str | None = None) -> str:
        value = self.values[column].strip()
        if not value:
            raise self.error("a value is required", column)
        if pattern and not re.fullmatch(pattern, value):
            raise self.error(f"{value!r} does not match {pattern}", column)
        return value


def _check_cells(row: Row) -> None:
    """No cell of a curated table holds an invisible, bidi or control character (tab and
    line breaks aside), or what is not text: many cells are identifiers, and in the others
    such a character is an accident of copy and paste that no one can see."""
    for column, value in row.values.items():
        try:
            check_identifier(value.replace("\t", " ").replace("\n", " ").replace("\r", " "))
        except IdentifierError as e:
            at = value.index(e.char) + 1
            raise row.error(
                f"{show(value)} holds {describe(e.char)} at character {at}: invisible, bidi and "
                "control characters are not allowed in a curated table",
                column,
            ) from e


def read_table(path: Path, required: tuple[str, ...]) -> Iterator[Row]:
    """Rows of a UTF-8 CSV file, in NFC; errors name the file, the row and the column."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise TableError(name, "file not found") from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        problem = surrogate_place(data, "utf-8-sig")
        if problem:
            raise TableError(name, f"not UTF-8 text: {problem}") from e
        raise TableError(name, f"not UTF-8 text (byte {e.start})", f"line {line}") from e
    text = nfc(text)  # docs/reliability.md, section 6
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as e:  # e.g. a stray quote in the header line
        raise TableError(name, f"malformed CSV: {e}", "header") from e
    missing = [c for c in required if c not in header]
    if missing:
        raise TableError(name, f"missing column(s) {', '.join(missing)}", "header")
    try:
        for i, values in enumerate(reader, start=1):
            if None in values or any(v is None for v in values.values()):
                raise TableError(name, f"expected {len(header)} fields", f"row {i} (line {i + 1})")
            row = Row(i, {k: (v or "").strip() for k, v in values.items()}, name)
            _check_cells(row)
            yield row
    except csv.Error as e:
        raise TableError(name, f"malformed CSV: {e}", f"line {reader.line_num}") from e
