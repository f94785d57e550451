"""Property tests: whatever the input, the parsers return a consistent tree or raise
DocumentError, and they do so quickly."""

from __future__ import annotations

import json
import random
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.docx_revisions import parse_docx
from loaders.errors import DocumentError
from loaders.references import find_references, fold
from loaders.resolution_text import ParsedDocument, decode_bytes, parse_text

SEED = Path(__file__).parents[2] / "loaders" / "data" / "seeds" / "000_104f64d2c729d048.txt"
SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
SETTINGS = settings(max_examples=120, deadline=None)
TIME_LIMIT = 5.0

FRAGMENTS = [
    "considering", "consideringrecalling", "resolves", "instructs the Secretary-General",
    "invites Member States", "noting further", "a)\tx;", "ab)\ty;", "i)\tz;", "ix)\tw;",
    "23\tto do;", "1011\tto act;", "RESOLUTION 7 (Rev. GenevaNew Delfi, 20222024)",
    "(Dubai, 2012; Geneva, 20222024)", "The Council,", "Action Lines C1, (x), C2 and",
    "§§ 1 to 999 of the Tunis Agenda", "[footnoteRef:9]9", "[9: 9 text]", "image1.png",
    "Resolution 70/125 (Rev. X, 2020)", "Resolutions 1, 2, 3 and 4 of the Council", "",
    "ANNEX", "\u2011\u00a0\u0301", "aa)\tdouble;", "zz)\tlast;", "xl)\tforty;",
]  # fmt: skip


def check_document(doc: ParsedDocument) -> None:
    clauses = {c.eid: c for c in doc.clauses()}
    assert len(clauses) == sum(1 for _ in doc.clauses()), "eids are unique"
    for ref in doc.references:
        text = clauses[ref.clause_eid].text
        assert text[ref.reference.start : ref.reference.end] == ref.reference.text
    json.dumps(doc.to_json())
    assert all(w.code and w.place for w in doc.warnings)


def parse_or_reject(text: str) -> None:
    started = time.perf_counter()
    rejected: DocumentError | None = None
    try:
        check_document(parse_text(text, "fuzz.txt"))
    except DocumentError as exc:
        rejected = exc
    if rejected is not None:
        assert rejected.source == "fuzz.txt"
        assert str(rejected).startswith("fuzz.txt")
    assert time.perf_counter() - started < TIME_LIMIT


@SETTINGS
@given(st.text(max_size=3000))
def test_random_text(text: str) -> None:
    parse_or_reject(text)


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS + SEED_LINES), max_size=60))
def test_random_resolution_like_lines(lines: list[str]) -> None:
    parse_or_reject("\n".join(lines))


@SETTINGS
@given(st.binary(max_size=4000))
def test_random_bytes(data: bytes) -> None:
    started = time.perf_counter()
    try:
        text = decode_bytes(data, "fuzz.txt")
    except DocumentError as exc:
        text = None
        problem = exc.problem
    if text is None:
        assert problem
    else:
        parse_or_reject(text)
    assert time.perf_counter() - started < TIME_LIMIT


_operation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, len(SEED_LINES) - 1)),
    st.tuples(st.just("duplicate"), st.integers(0, len(SEED_LINES) - 1)),
    st.tuples(st.just("shuffle"), st.integers(0, len(SEED_LINES) - 1), st.integers(2, 12)),
    st.tuples(st.just("insert"), st.integers(0, len(SEED_LINES)), st.text(max_size=80)),
    st.tuples(st.just("splice"), st.integers(0, len(SEED_LINES) - 1), st.text(max_size=20)),
)


def mutate(lines: list[str], operations: list[tuple[object, ...]], seed: int) -> list[str]:
    rng = random.Random(seed)
    out = list(lines)
    for op in operations:
        kind, index = op[0], min(int(str(op[1])), max(len(out) - 1, 0))
        if not out:
            break
        if kind == "delete":
            del out[index]
        elif kind == "duplicate":
            out.insert(index, out[index])
        elif kind == "shuffle":
            block = out[index : index + int(str(op[2]))]
            rng.shuffle(block)
            out[index : index + len(block)] = block
        elif kind == "insert":
            out.insert(index, str(op[2]))
        else:
            line = out[index]
            cut = rng.randrange(len(line) + 1)
            out[index] = line[:cut] + str(op[2]) + line[cut:]
    return out


@SETTINGS
@given(st.lists(_operation, min_size=1, max_size=12), st.integers(0, 2**16))
def test_mutated_seed(operations: list[tuple[object, ...]], seed: int) -> None:
    parse_or_reject("\n".join(mutate(SEED_LINES, operations, seed)))


@SETTINGS
@given(st.text(max_size=1500))
def test_references_offsets_on_any_text(text: str) -> None:
    scan = find_references(text, default_body="WTSA")
    for ref in scan.references:
        assert 0 <= ref.start <= ref.end <= len(text)
        assert text[ref.start : ref.end] == ref.text
    folded = fold(text)
    assert folded.span(0, len(folded.folded))[1] <= len(text)


# ---- .docx


def _docx_bytes(path: Path) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paras = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>'
        for line in ("RESOLUTION 1 (Rev. Dubai, 2012)", "Title", "resolves", "1\tto act;")
    )
    changed = (
        '<w:p><w:del w:id="1" w:author="A"><w:r><w:delText>2</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="A"><w:r><w:t>3</w:t></w:r></w:ins>'
        "<w:r><w:tab/><w:t>to report;</w:t></w:r></w:p>"
    )
    xml = f'<w:document xmlns:w="{w}"><w:body>{paras}{changed}</w:body></w:document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", xml)
    return path.read_bytes()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def valid_docx(work: Path) -> bytes:
    data = _docx_bytes(work / "valid.docx")
    assert parse_docx(work / "valid.docx").sections[0].clauses[1].status == "modified"
    return data


def docx_or_reject(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    started = time.perf_counter()
    rejected: DocumentError | None = None
    try:
        check_document(parse_docx(path))
    except DocumentError as exc:
        rejected = exc
    if rejected is not None:
        assert rejected.source == str(path)
    assert time.perf_counter() - started < TIME_LIMIT


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_docx_bytes(work: Path, data: bytes) -> None:
    docx_or_reject(work / "random.docx", data)


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8),
       st.integers(0, 10_000))  # fmt: skip
def test_corrupted_docx(
    work: Path, valid_docx: bytes, flips: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(valid_docx)
    for position, value in flips:
        data[position % len(data)] = value
    docx_or_reject(work / "corrupt.docx", bytes(data[: max(cut, 4)]))
