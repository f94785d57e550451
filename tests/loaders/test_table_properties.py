"""Property tests of the curated-table reader (loaders/tables.py) and of the table loaders:
whatever the bytes of a ``.csv``, reading gives rows or a TableError naming the file and the
row (or the header, or the line), and loading gives a graph or a LoadError naming the file;
never another exception."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graph.files import prepare
from loaders.errors import LoadError, TableError
from loaders.tables import PROJECT_TABLES, REFERENCE_TABLES, data_path, read_table
from ontology.ids import Ids

SETTINGS = settings(max_examples=int(os.environ.get("TABLE_EXAMPLES", "150")), deadline=None)
# the smaller tables, each loaded by its own loader (`wsiskg load FILE.csv` does the same)
TABLES = ["action-lines", "sdg-goals", "itut-study-groups", "wtsa-resolutions", "itut-wsis-links"]
PLACE = ("header", "row ", "line ")


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tables")


def read_or_reject(path: Path, required: tuple[str, ...]) -> None:
    rejected: TableError | None = None
    try:
        rows = list(read_table(path, required))
    except TableError as exc:
        rejected, rows = exc, []
    if rejected is not None:
        assert rejected.source == path.name
        assert str(rejected).startswith(path.name)
        assert rejected.problem
        if rejected.place is not None:
            assert rejected.place.startswith(PLACE), rejected.place
    for number, row in enumerate(rows, start=1):
        assert row.number == number
        assert row.source == path.name
        assert all(isinstance(v, str) and v == v.strip() for v in row.values.values())
        assert set(required) <= set(row.values)
        assert row.place == f"row {number} (line {number + 1})"


@SETTINGS
@given(data=st.binary(max_size=2000), required=st.sampled_from([(), ("a",), ("a", "b")]))
@example(data=b"a,b\n1,2,3\n", required=("a",))  # too many fields
@example(data=b"a,b\n1\n", required=("a",))  # too few
@example(data=b'a,b\n"1,2\n', required=("a",))  # an unclosed quote
@example(data=b"a,b\n1,\x002\n", required=())  # a NUL byte
@example(data=b"\xef\xbb\xbfa,b\n\xff,1\n", required=())  # BOM, then not UTF-8
@example(data=b"a,a\n1,2\n", required=("a",))  # a repeated column
@example(data=b"", required=("a",))
def test_any_bytes_are_rows_or_a_table_error(
    work: Path, data: bytes, required: tuple[str, ...]
) -> None:
    path = work / "fuzz.csv"
    path.write_bytes(data)
    read_or_reject(path, required)


@SETTINGS
@given(
    header=st.lists(st.text(max_size=8), min_size=1, max_size=4),
    cells=st.lists(st.lists(st.text(max_size=12), max_size=5), max_size=6),
)
def test_any_text_table_is_rows_or_a_table_error(
    work: Path, header: list[str], cells: list[list[str]]
) -> None:
    text = "\n".join(",".join(line) for line in [header, *cells])
    path = work / "text.csv"
    path.write_text(text, encoding="utf-8")
    read_or_reject(path, tuple(header[:1]))


def _mutate(data: bytes, operations: list[tuple[str, int, bytes]], seed: int) -> bytes:
    lines = data.split(b"\n")
    rng = random.Random(seed)
    for kind, at, text in operations:
        i = at % len(lines)
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "cell":  # replace one cell of the line
            cells = lines[i].split(b",")
            cells[rng.randrange(len(cells))] = text
            lines[i] = b",".join(cells)
        else:  # splice bytes into the line
            cut = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:cut] + text + lines[i][cut:]
        if not lines:
            lines = [b""]
    return b"\n".join(lines)


_operations = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "swap", "cell", "splice"]),
        st.integers(0, 10_000),
        st.one_of(
            st.binary(max_size=12),
            st.sampled_from([b"", b'"', b",", b"\r", b"0", b"-1", b"C99", b"99", b"x" * 300]),
        ),
    ),
    min_size=1,
    max_size=6,
)


@SETTINGS
@given(table=st.sampled_from(TABLES), operations=_operations, seed=st.integers(0, 2**16))
def test_a_mutated_table_loads_or_is_a_load_error(
    work: Path, table: str, operations: list[tuple[str, int, bytes]], seed: int
) -> None:
    source = data_path(REFERENCE_TABLES[table])
    directory = work / table
    directory.mkdir(exist_ok=True)
    path = directory / source.name  # the file name chooses the loader
    path.write_bytes(_mutate(source.read_bytes(), operations, seed))
    rejected: LoadError | None = None
    try:
        result, _ = prepare(path, Ids())
    except LoadError as exc:
        rejected = exc
    if rejected is not None:
        # the file, or a table it is checked against (e.g. the study groups' lineage)
        known = {Path(p).name for p in (*REFERENCE_TABLES.values(), *PROJECT_TABLES.values())}
        assert rejected.source in {path.name, str(path), *known}, rejected
        assert rejected.problem
    else:
        assert result.triples
