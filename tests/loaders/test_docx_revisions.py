"""Tracked changes in .docx: both readings, clause status, authors, and unsafe archives.

Every fixture is built here, as a zip with real WordprocessingML (w:ins, w:del, w:moveFrom,
w:moveTo, deleted paragraph marks), so the tests say exactly what XML they exercise.
"""

from __future__ import annotations

import io
import random
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from loaders.docx_revisions import parse_docx, read_docx
from loaders.errors import DocumentError
from loaders.resolution_text import Clause, ParsedDocument

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
AUTHOR, DATE = "Russian Federation", "2024-05-02T09:30:00Z"
_ids = iter(range(1, 10_000))

# ---- WordprocessingML builders


def _runs(text: str, tag: str = "t") -> str:
    """Runs for ``text``: tabs become <w:tab/>, U+2011 becomes <w:noBreakHyphen/>."""
    parts: list[str] = []
    for i, chunk in enumerate(text.split("\t")):
        if i:
            parts.append("<w:tab/>")
        pieces = chunk.split("\u2011")
        for j, piece in enumerate(pieces):
            if j:
                parts.append("<w:noBreakHyphen/>")
            if piece:
                parts.append(f'<w:{tag} xml:space="preserve">{escape(piece)}</w:{tag}>')
    return f"<w:r>{''.join(parts)}</w:r>"


def t(text: str) -> str:
    return _runs(text)


def ins(text: str, author: str = AUTHOR, date: str = DATE) -> str:
    return f'<w:ins w:id="{next(_ids)}" w:author="{author}" w:date="{date}">{_runs(text)}</w:ins>'


def dele(text: str, author: str = AUTHOR, date: str = DATE) -> str:
    inner = _runs(text, "delText")
    return f'<w:del w:id="{next(_ids)}" w:author="{author}" w:date="{date}">{inner}</w:del>'


def p(*runs: str, mark: str | None = None) -> str:
    ppr = ""
    if mark is not None:
        ppr = (
            f'<w:pPr><w:rPr><w:{mark} w:id="{next(_ids)}" w:author="{AUTHOR}" '
            f'w:date="{DATE}"/></w:rPr></w:pPr>'
        )
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def document(*paragraphs: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{"".join(paragraphs)}<w:sectPr/></w:body>'
        "</w:document>"
    )


def footnotes(**notes: str) -> str:
    body = "".join(
        f'<w:footnote w:id="{key.lstrip("n")}">{p(t(text))}</w:footnote>'
        for key, text in notes.items()
    )
    sep = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W_NS}">'
    return f"{head}{sep}{body}</w:footnotes>"


def write_docx(path: Path, document_xml: str, extra: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", document_xml)
        for name, text in (extra or {}).items():
            zf.writestr(name, text)
    return path


# ---- the seed's Resolution 75, with its changes reconstructed as tracked changes


def seed_paragraphs() -> Iterator[str]:
    yield p(t("MOD\tRESOLUTION 75 (Rev.\u00a0"), dele("Geneva"), ins("New Delhi"), t(", "),
            dele("2022"), ins("2024"), t(")"))  # fmt: skip
    yield p(t("The ITU Telecommunication Standardization Sector's contribution in implementing "
              "the outcomes of the World Summit on the Information Society, taking into account "
              "the 2030 Agenda for Sustainable Development"))  # fmt: skip
    yield p(t("(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016; Geneva, 2022"),
            ins("; New Delhi, 2024"), t(")"))  # fmt: skip
    yield p(t("The World Telecommunication Standardization Assembly ("), dele("Geneva"),
            ins("New Delhi"), t(", "), dele("2022"), ins("2024"), t("),"))  # fmt: skip
    yield p(dele("considering"), ins("recalling"))
    yield p(dele("a)\tthe relevant outcomes of both phases of the World Summit on the "
                 "Information Society (WSIS);"), mark="del")  # fmt: skip
    yield p(ins("a)\tResolution\u00a0140 (Rev.\u00a0Bucharest, 2022) of the Plenipotentiary "
                "Conference, on ITU\u2019s role in implementing the outcomes of WSIS;"),
            mark="ins")  # fmt: skip
    yield p(dele("e"), ins("b"), t(")\tthe relevant resolutions and decisions of ITU "
                                   "Plenipotentiary Conference"), dele(", adopted by the "
                                   "Plenipotentiary Conference;"), ins(":"))  # fmt: skip
    yield p(t("i)\tResolution\u00a071 (Rev.\u00a0Dubai, 2018) of the Plenipotentiary Conference, "
              "on the strategic plan for the Union for 2020-2023;"))  # fmt: skip
    yield p(t("ii)\tResolution\u00a0101 (Rev.\u00a0Dubai, 2018) of the Plenipotentiary "
              "Conference, on Internet Protocol (IP)-based networks;"))  # fmt: skip
    yield p(dele("f"), ins("c"), t(")\tthe opinions of the World Telecommunication/ICT Policy "
                                   "Forum (Geneva, 2021);"))  # fmt: skip
    yield p(t("recognising"))
    yield p(dele("g"), ins("a"), t(")\tthe role of ITU\u2011T, as a moderator/facilitator for "
            "implementing Action Lines C2 (Information and communication infrastructure), "),
            ins("C4 (Capacity building), "), t("C5 (Building confidence and security in the use "
            "of ICTs) and C6 (Enabling environment) and participating with other stakeholders in "
            "the implementation of Action Lines C1, C3, "), dele("C4, "),
            t("C7, C8, C9 and C11;"))  # fmt: skip
    yield p(t("recognizing further"))
    yield p(t("a)\tthe need to promote participation from developing countries"),
            '<w:r><w:footnoteReference w:id="2"/></w:r>', t(";"))  # fmt: skip
    yield p(t("resolves"))
    yield p(t("1\tto continue ITU\u2011T's work on the implementation of WSIS outcomes"),
            f'<w:ins w:id="{next(_ids)}" w:author="{AUTHOR}" w:date="{DATE}">'
            f"{_runs(' within its mandate')}"
            f'<w:del w:id="{next(_ids)}" w:author="Secretariat" w:date="2024-06-01T00:00:00Z">'
            f"{_runs(' and beyond', 'delText')}</w:del></w:ins>",
            t(";"))  # fmt: skip
    yield p(t("instructs the Director of the Telecommunication Standardization Bureau"))
    yield p(t("1\tto provide CWG\u2011WSIS&SDG with a comprehensive summary of ITU\u2011T "
              "activities;"))  # fmt: skip
    yield p(ins("2\tto regularly update the roadmaps for ITU\u2019s activities within its "
                "mandate;"), mark="ins")  # fmt: skip
    yield p(dele("2"), ins("3"), t("\tto ensure that concrete objectives are developed in "
            "accordance with Resolution\u00a0140 (Rev.\u00a0"), dele("Dubai"), ins("Bucharest"),
            t(", "), dele("2018"), ins("2022"), t(");"))  # fmt: skip
    yield p(dele("3", author="Another", date="2024-05-03T00:00:00Z"),
            ins("4", author="Another", date="2024-05-03T00:00:00Z"),
            t("\tto pay special attention to the needs of the developing countries;"))  # fmt: skip


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "res75.docx"
    notes = footnotes(n2="These include the least developed countries.")
    return write_docx(path, document(*seed_paragraphs()), {"word/footnotes.xml": notes})


@pytest.fixture(scope="module")
def seed(seed_docx: Path) -> ParsedDocument:
    return parse_docx(seed_docx)


def statuses(clauses: tuple[Clause, ...]) -> list[tuple[str | None, str | None, str | None]]:
    return [(c.label, c.old_label, c.status) for c in clauses]


def test_readings(seed_docx: Path) -> None:
    readings = read_docx(seed_docx)
    assert "RESOLUTION 75 (Rev.\u00a0Geneva, 2022)" in readings.before
    assert "RESOLUTION 75 (Rev.\u00a0New Delhi, 2024)" in readings.after
    assert "\nconsidering\n" in readings.before
    assert "\nrecalling\n" in readings.after
    assert "recalling" not in readings.before
    assert "considering" not in readings.after
    # a deleted paragraph mark joins the (empty) deleted paragraph to the next one
    assert "\n\na)" not in readings.after
    assert "ITU\u2011T" in readings.after  # w:noBreakHyphen
    assert readings.inserted_then_deleted == 1
    assert "and beyond" not in readings.before
    assert "and beyond" not in readings.after


def test_header_revisions(seed: ParsedDocument) -> None:
    doc = seed.to_json()["document"]
    assert (doc["body"], doc["number"], doc["action"]) == ("WTSA", "75", "MOD")
    assert doc["revisions"]["in_force"]["place"]["normalised"] == "Geneva"
    assert doc["revisions"]["in_force"]["year"] == 2022
    assert doc["revisions"]["proposed"]["place"]["normalised"] == "New Delhi"
    assert doc["revisions"]["proposed"]["year"] == 2024
    assert [m["year"] for m in doc["history"]] == [2008, 2012, 2016, 2022, 2024]
    assert doc["assembly"]["in_force"]["year"] == 2022
    assert doc["assembly"]["proposed"]["year"] == 2024


def test_sections_and_heading_change(seed: ParsedDocument) -> None:
    assert [s.heading for s in seed.sections] == [
        "recalling", "recognising", "recognizing further", "resolves",
        "instructs the Director of the Telecommunication Standardization Bureau",
    ]  # fmt: skip
    first = seed.sections[0]
    assert (first.heading_old, first.heading_new, first.eid) == (
        "considering", "recalling", "considering",
    )  # fmt: skip


def test_clause_statuses(seed: ParsedDocument) -> None:
    recalling = seed.sections[0].clauses
    assert statuses(recalling) == [
        (None, "a)", "deleted"),
        ("a)", None, "added"),
        ("b)", "e)", "modified"),
        ("c)", "f)", "modified"),
    ]
    assert [c.eid for c in recalling] == [
        "considering__before_a", "considering__a", "considering__b", "considering__c",
    ]  # fmt: skip
    deleted, added, modified, _ = recalling
    assert deleted.text_after is None
    assert deleted.text_before is not None
    assert deleted.text_before.startswith("the relevant outcomes of both phases")
    assert added.text_before is None
    assert modified.text_before is not None
    assert modified.text_after is not None
    assert modified.text_before.endswith("adopted by the Plenipotentiary Conference;")
    assert modified.text_after.endswith("Plenipotentiary Conference:")
    assert statuses(modified.children) == [("i)", None, "unchanged"), ("ii)", None, "unchanged")]
    assert modified.children[0].eid == "considering__b__list_1__i"
    instructs = seed.sections[4].clauses
    assert statuses(instructs) == [
        ("1", None, "unchanged"),
        ("2", None, "added"),
        ("3", "2", "modified"),
        ("4", "3", "modified"),
    ]
    assert [c.eid for c in instructs] == [
        "instructs__1",
        "instructs__2",
        "instructs__3",
        "instructs__4",
    ]


def test_change_authors_and_dates(seed: ParsedDocument) -> None:
    instructs = seed.sections[4].clauses
    assert instructs[0].changes == ()
    kinds = {(c.kind, c.text) for c in instructs[2].changes}
    expected = {
        ("deletion", "2"), ("insertion", "3"), ("deletion", "Dubai"), ("insertion", "Bucharest"),
        ("deletion", "2018"), ("insertion", "2022"),
    }  # fmt: skip
    assert expected <= kinds
    assert {(c.author, c.date) for c in instructs[3].changes} == {
        ("Another", "2024-05-03T00:00:00Z")
    }
    added = instructs[1]
    assert {c.kind for c in added.changes} == {"insertion", "paragraph_mark_insertion"}
    assert all(c.author == AUTHOR and c.date == DATE for c in added.changes)
    deleted = seed.sections[0].clauses[0]
    assert {c.kind for c in deleted.changes} == {"deletion", "paragraph_mark_deletion"}


def test_inserted_then_deleted_text_is_in_neither_reading(seed: ParsedDocument) -> None:
    clause = seed.sections[3].clauses[0]
    assert clause.status == "modified"
    assert (
        clause.text_before
        == "to continue ITU\u2011T's work on the implementation of WSIS outcomes;"
    )
    assert clause.text_after == (
        "to continue ITU\u2011T's work on the implementation of WSIS outcomes within its mandate;"
    )
    assert any(w.code == "inserted_then_deleted" for w in seed.warnings)


def test_references_follow_the_after_reading(seed: ParsedDocument) -> None:
    role_of = {(r.reference.code, r.reference.role) for r in seed.references
               if r.reference.type == "action_line"}  # fmt: skip
    assert ("C4", "moderator_facilitator") in role_of
    assert ("C4", "participant") not in role_of
    res = [r.reference for r in seed.references if r.clause_eid == "instructs__3"]
    assert [(r.body, r.number) for r in res] == [("PP", "140")]
    assert res[0].revision is not None
    assert res[0].revision.meeting.year == 2022
    recognising = seed.sections[1].clauses[0]
    assert recognising.text_before is not None
    assert "C3, C4, C7" in recognising.text_before


def test_footnotes(seed: ParsedDocument) -> None:
    clause = seed.sections[2].clauses[0]
    assert [(f.id, f.text) for f in clause.footnotes] == [
        ("2", "These include the least developed countries.")
    ]
    assert clause.status == "unchanged"


def test_move_from_and_move_to(tmp_path: Path) -> None:
    moved = "that ITU has a pivotal role in the information society;"
    body = [
        p(t("RESOLUTION 9 (Rev. Dubai, 2012)")), p(t("Title")), p(t("noting")),
        p(f'<w:moveFrom w:id="1" w:author="A" w:date="{DATE}">{_runs(moved)}</w:moveFrom>',
          mark="moveFrom"),
        p(t("that standards matter;")),
        p(f'<w:moveTo w:id="2" w:author="A" w:date="{DATE}">{_runs(moved)}</w:moveTo>',
          mark="moveTo"),
    ]  # fmt: skip
    path = write_docx(tmp_path / "move.docx", document(*body))
    readings = read_docx(path)
    assert readings.before.endswith(f"noting\n{moved}\nthat standards matter;\n")
    assert readings.after.endswith(f"noting\nthat standards matter;\n{moved}\n")
    clauses = parse_docx(path).sections[0].clauses
    kinds = {change.kind for clause in clauses for change in clause.changes}
    assert kinds == {"move_from", "move_to", "paragraph_mark_move_from", "paragraph_mark_move_to"}
    moves = [c for clause in clauses for c in clause.changes if c.kind in ("move_from", "move_to")]
    assert [c.author for c in moves] == ["A", "A"]
    # Alignment is by text: the moved clause pairs with itself (and carries the move), the
    # clause it jumped over shows as deleted at its old place and added at its new one.
    assert sorted(c.status or "" for c in clauses) == ["added", "deleted", "modified"]


def test_python_docx_document_without_changes(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    made = docx.Document()
    for line in ("RESOLUTION 2 (Rev. Geneva, 2022)", "Title", "resolves", "1\tto study;",
                 "2\tto report;"):  # fmt: skip
        made.add_paragraph(line)
    made.save(str(tmp_path / "plain.docx"))
    doc = parse_docx(tmp_path / "plain.docx")
    assert [(c.label, c.status) for c in doc.sections[0].clauses] == [
        ("1", "unchanged"), ("2", "unchanged"),
    ]  # fmt: skip


# ---- bad input: each raises DocumentError naming the file and the problem, quickly


def _valid_bytes(tmp_path: Path) -> bytes:
    return write_docx(tmp_path / "valid.docx", document(*seed_paragraphs())).read_bytes()


def _bomb(path: Path, size: int) -> Path:
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/document.xml", document(p(t("resolves"))))
        with zf.open("word/media/padding.bin", "w") as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


def _xml_with(prolog: str) -> str:
    return document(p(t("RESOLUTION 1")), p(t("resolves")), p(t("1\tto &lol9;;")), prolog=prolog)


LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    + "]>"
).replace("&lol0;", "&lol;")


def _assert_rejected(path: Path, problem: str, **kwargs: int) -> None:
    started = time.perf_counter()
    with pytest.raises(DocumentError, match=problem) as info:
        parse_docx(path, **kwargs)
    assert time.perf_counter() - started < 5
    assert str(path) in str(info.value)


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.docx").write_bytes(b"")
    _assert_rejected(tmp_path / "empty.docx", "empty file")


def test_binary_garbage(tmp_path: Path) -> None:
    (tmp_path / "garbage.docx").write_bytes(random.Random(7).randbytes(4096))
    _assert_rejected(tmp_path / "garbage.docx", "not a zip archive")


def test_not_a_zip(tmp_path: Path) -> None:
    (tmp_path / "text.docx").write_text("RESOLUTION 1\nresolves\n1\tto act;\n")
    _assert_rejected(tmp_path / "text.docx", "not a zip archive")


def test_truncated(tmp_path: Path) -> None:
    data = _valid_bytes(tmp_path)
    (tmp_path / "cut.docx").write_bytes(data[: len(data) // 2])
    _assert_rejected(tmp_path / "cut.docx", "truncated or corrupt")


def test_corrupt_member(tmp_path: Path) -> None:
    data = bytearray(_valid_bytes(tmp_path))
    start = data.index(b"word/document.xml") + len("word/document.xml") + 20
    for i in range(start, start + 40):
        data[i] ^= 0x5A
    (tmp_path / "flipped.docx").write_bytes(bytes(data))
    _assert_rejected(tmp_path / "flipped.docx", "corrupt|malformed")


def test_missing_document_xml(tmp_path: Path) -> None:
    path = tmp_path / "nodoc.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/styles.xml", "<styles/>")
    _assert_rejected(path, "missing word/document.xml")


def test_zip_bomb_declaring_hundreds_of_mib(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.docx", 200 * 1024 * 1024)
    assert path.stat().st_size < 2 * 1024 * 1024
    _assert_rejected(path, "zip bomb: declares")


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    _assert_rejected(_bomb(tmp_path / "ratio.docx", 8 * 1024 * 1024), "zip bomb: .* compresses")


@pytest.mark.parametrize(
    ("prolog", "problem"),
    [
        (LAUGHS, "DOCTYPE declaration not allowed"),
        ('<!DOCTYPE w:document SYSTEM "http://example.invalid/x.dtd">', "DOCTYPE"),
        ('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "ENTITY declaration not allowed"),
    ],
)
def test_doctype_and_entities_rejected(tmp_path: Path, prolog: str, problem: str) -> None:
    path = write_docx(tmp_path / "xxe.docx", _xml_with(prolog))
    _assert_rejected(path, problem)


def test_utf16_doctype_rejected(tmp_path: Path) -> None:
    path = tmp_path / "utf16.docx"
    xml = _xml_with(LAUGHS).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", xml.encode("utf-16"))
    _assert_rejected(path, "DOCTYPE")


def test_malformed_xml(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "bad.docx", "<w:document><w:body><w:p></w:body>")
    _assert_rejected(path, "malformed XML in word/document.xml")


def test_not_a_resolution(tmp_path: Path) -> None:
    prose = document(p(t("Minutes of the meeting")), p(t("The weather was pleasant.")),
                     p(t("We discussed ")), p(ins("lunch plans.")))  # fmt: skip
    _assert_rejected(write_docx(tmp_path / "prose.docx", prose), "no resolution structure found")


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.docx"
    path.write_bytes(_valid_bytes(tmp_path))
    _assert_rejected(path, "larger than the limit of 1000 bytes", max_bytes=1000)


def test_document_without_body(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "nobody.docx", f'<w:document xmlns:w="{W_NS}"/>')
    _assert_rejected(path, "no w:body")


def test_zip_written_in_memory_is_equivalent(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", document(*seed_paragraphs()))
    (tmp_path / "mem.docx").write_bytes(buffer.getvalue())
    assert len(parse_docx(tmp_path / "mem.docx").sections) == 5
