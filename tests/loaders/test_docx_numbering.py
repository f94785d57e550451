"""Word automatic numbering read as clause labels (loaders/docx_numbering.py).

Each fixture is a real .docx written by python-docx, its paragraphs numbered with ``w:numPr``
(the helper of the stress corpus, tests/corpus/render.py) and its ``word/numbering.xml``
replaced by one written here, so the tests say exactly which numbering they exercise.
Tracked changes (a deleted or inserted numbered paragraph, a ``w:pPrChange``) are added to
the python-docx paragraphs as WordprocessingML.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from loaders.docx_numbering import MAX_START, format_number
from loaders.docx_revisions import parse_docx, read_docx
from loaders.errors import DocumentError
from tests.corpus.render import _set_num

docx = pytest.importorskip("docx")
from docx.oxml import parse_xml  # noqa: E402

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHOR, DATE = "Secretariat", "2024-05-02T09:30:00Z"


def lvl(ilvl: int, fmt: str, text: str, start: str | None = "1", extra: str = "") -> str:
    start_xml = f'<w:start w:val="{start}"/>' if start is not None else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}">{start_xml}<w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:suff w:val="tab"/>{extra}</w:lvl>'
    )


def abstract(key: int, *levels: str, extra: str = "") -> str:
    return f'<w:abstractNum w:abstractNumId="{key}">{extra}{"".join(levels)}</w:abstractNum>'


def num(num_id: int, abstract_id: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def start_override(ilvl: int, value: int) -> str:
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{value}"/></w:lvlOverride>'


ABSTRACTS = (
    # 1: "1" / "i)" / "a)": numbered clauses, roman sub-clauses, lettered below
    abstract(
        1,
        lvl(0, "decimal", "%1"),
        lvl(1, "lowerRoman", "%2)"),
        lvl(2, "lowerLetter", "%3)"),
    ),
    abstract(2, lvl(0, "lowerLetter", "%1)")),  # 2: "a)"
    abstract(3, lvl(0, "bullet", "\u2022")),  # 3: bullets
    abstract(4, lvl(0, "upperLetter", "(%1)", start="3"), lvl(1, "upperRoman", "%1.%2.")),
    abstract(5, lvl(0, "decimal", "%1.", start=None)),  # 5: no w:start (counts from 1)
)
NUMS = (
    num(1, 1),
    num(2, 2),
    num(3, 2, start_override(0, 1)),  # a new list on abstract 2: restarts at a)
    num(4, 3),
    num(5, 2, start_override(0, 5)),  # starts at e)
    num(6, 4),
    num(7, 2),  # a second w:num on abstract 2 without override: continues the list
    num(8, 5),
)


def numbering_xml(abstracts: tuple[str, ...] = ABSTRACTS, nums: tuple[str, ...] = NUMS) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:numbering xmlns:w="{W_NS}">{"".join(abstracts)}{"".join(nums)}</w:numbering>'
    )


class Doc:
    """A python-docx document; ``add`` writes a paragraph, numbered when ``num_id`` is given."""

    def __init__(self) -> None:
        self.document: Any = docx.Document()

    def add(
        self, text: str, num_id: int | None = None, ilvl: int = 0, style: str | None = None
    ) -> Any:
        paragraph = self.document.add_paragraph(text, style=style)
        if num_id is not None:
            _set_num(paragraph, str(num_id))
            if ilvl:
                paragraph._p.pPr.numPr.ilvl.set(f"{{{W_NS}}}val", str(ilvl))
        return paragraph

    def header(self) -> None:
        for line in (
            "RESOLUTION 75 (Rev. New Delhi, 2024)",
            "Numbered clauses",
            "The World Telecommunication Standardization Assembly (New Delhi, 2024),",
        ):
            self.add(line)

    def save(self, path: Path, numbering: str | None = None) -> Path:
        buffer = io.BytesIO()
        self.document.save(buffer)
        source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename == "word/numbering.xml":
                    content = (numbering or numbering_xml()).encode()
                target.writestr(item, content)
        return path


def track(paragraph: Any, kind: str) -> Any:
    """Mark a whole paragraph as deleted (``del``) or inserted (``ins``), mark included."""
    p = paragraph._p
    runs = p.findall(f"{{{W_NS}}}r")
    wrapper = parse_xml(
        f'<w:{kind} xmlns:w="{W_NS}" w:id="9" w:author="{AUTHOR}" w:date="{DATE}"/>'
    )
    for run in runs:
        if kind == "del":
            for text in run.findall(f"{{{W_NS}}}t"):
                text.tag = f"{{{W_NS}}}delText"
        wrapper.append(run)
    p.append(wrapper)
    p.get_or_add_pPr().append(
        parse_xml(
            f'<w:rPr xmlns:w="{W_NS}"><w:{kind} w:id="10" w:author="{AUTHOR}" '
            f'w:date="{DATE}"/></w:rPr>'
        )
    )
    return paragraph


def lines(path: Path) -> tuple[list[str], list[str]]:
    readings = read_docx(path)
    return readings.before.splitlines(), readings.after.splitlines()


# ---- labels


def test_lettered_clauses(tmp_path: Path) -> None:
    doc = Doc()
    for text in ("first;", "second;", "third."):
        doc.add(text, 2)
    before, after = lines(doc.save(tmp_path / "letters.docx"))
    assert after == ["a)\tfirst;", "b)\tsecond;", "c)\tthird."]
    assert before == after


def test_numbered_with_roman_sub_clauses_and_deeper_levels_reset(tmp_path: Path) -> None:
    doc = Doc()
    doc.add("to study:", 1)
    doc.add("the first point;", 1, 1)
    doc.add("the second point, with", 1, 1)
    doc.add("a detail;", 1, 2)
    doc.add("to report;", 1)
    doc.add("again the first point", 1, 1)
    doc.add("another detail", 1, 2)
    _, after = lines(doc.save(tmp_path / "nested.docx"))
    assert after == [
        "1\tto study:",
        "i)\tthe first point;",
        "ii)\tthe second point, with",
        "a)\ta detail;",
        "2\tto report;",
        "i)\tagain the first point",
        "a)\tanother detail",
    ]


def test_a_new_list_restarts_and_a_start_override_starts_where_it_says(tmp_path: Path) -> None:
    doc = Doc()
    doc.add("considering")
    doc.add("one", 2)
    doc.add("two", 2)
    doc.add("recognizing")
    doc.add("one again", 3)  # a new w:num with a startOverride of 1
    doc.add("two again", 3)
    doc.add("noting")
    doc.add("fifth", 5)  # startOverride 5
    doc.add("sixth", 5)
    _, after = lines(doc.save(tmp_path / "restart.docx"))
    assert after == [
        "considering",
        "a)\tone",
        "b)\ttwo",
        "recognizing",
        "a)\tone again",
        "b)\ttwo again",
        "noting",
        "e)\tfifth",
        "f)\tsixth",
    ]


def test_lists_on_one_abstract_definition_share_their_counter(tmp_path: Path) -> None:
    """Word counts per w:abstractNum: a second w:num without an override continues."""
    doc = Doc()
    doc.add("one", 2)
    doc.add("two", 2)
    doc.add("three, through another w:num", 7)
    doc.add("one of a list on another definition", 8)
    _, after = lines(doc.save(tmp_path / "shared.docx"))
    assert after == [
        "a)\tone",
        "b)\ttwo",
        "c)\tthree, through another w:num",
        "1.\tone of a list on another definition",
    ]


def test_level_start_text_and_multi_level_text(tmp_path: Path) -> None:
    doc = Doc()
    doc.add("starts at C", 6)
    doc.add("nested", 6, 1)
    doc.add("nested again", 6, 1)
    _, after = lines(doc.save(tmp_path / "upper.docx"))
    assert after == ["(C)\tstarts at C", "C.I.\tnested", "C.II.\tnested again"]


def test_bullets_give_no_label(tmp_path: Path) -> None:
    doc = Doc()
    doc.add("a bullet", 4)
    doc.add("another bullet", 4)
    _, after = lines(doc.save(tmp_path / "bullets.docx"))
    assert after == ["a bullet", "another bullet"]


def test_numbering_from_a_paragraph_style_and_num_id_zero(tmp_path: Path) -> None:
    doc = Doc()
    doc.document.styles.element.append(
        parse_xml(
            f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="ClauseLetter">'
            '<w:name w:val="Clause Letter"/><w:basedOn w:val="Normal"/>'
            '<w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>'
        )
    )
    doc.add("by style", style="Clause Letter")
    doc.add("by style too", style="Clause Letter")
    doc.add("numbering switched off", 0, style="Clause Letter")
    doc.add("by style, third", style="Clause Letter")
    _, after = lines(doc.save(tmp_path / "style.docx"))
    assert after == [
        "a)\tby style",
        "b)\tby style too",
        "numbering switched off",
        "c)\tby style, third",
    ]


# ---- tracked changes: each reading counts its own paragraphs


def test_deleted_numbered_paragraph_relabels_the_after_reading(tmp_path: Path) -> None:
    doc = Doc()
    doc.add("first;", 2)
    doc.add("second;", 2)
    track(doc.add("deleted;", 2), "del")
    doc.add("last.", 2)
    before, after = lines(doc.save(tmp_path / "deleted.docx"))
    assert before == ["a)\tfirst;", "b)\tsecond;", "c)\tdeleted;", "d)\tlast."]
    assert after == ["a)\tfirst;", "b)\tsecond;", "c)\tlast."]


def test_inserted_numbered_paragraph_is_not_counted_before(tmp_path: Path) -> None:
    doc = Doc()
    doc.add("first;", 1)
    track(doc.add("inserted;", 1), "ins")
    doc.add("last.", 1)
    before, after = lines(doc.save(tmp_path / "inserted.docx"))
    assert before == ["1\tfirst;", "2\tlast."]
    assert after == ["1\tfirst;", "2\tinserted;", "3\tlast."]


def test_numbering_changed_by_a_tracked_change(tmp_path: Path) -> None:
    doc = Doc()
    doc.add("one", 2)
    newly = doc.add("newly numbered", 2)
    newly._p.pPr.append(
        parse_xml(
            f'<w:pPrChange xmlns:w="{W_NS}" w:id="11" w:author="{AUTHOR}" w:date="{DATE}">'
            "<w:pPr/></w:pPrChange>"
        )
    )
    was = doc.add("no longer numbered")
    was._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:pPrChange xmlns:w="{W_NS}" w:id="12" w:author="{AUTHOR}" w:date="{DATE}">'
            '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr>'
            "</w:pPrChange>"
        )
    )
    doc.add("three", 2)
    before, after = lines(doc.save(tmp_path / "pprchange.docx"))
    assert before == ["a)\tone", "newly numbered", "b)\tno longer numbered", "c)\tthree"]
    assert after == ["a)\tone", "b)\tnewly numbered", "no longer numbered", "c)\tthree"]


def test_parsed_clauses_carry_the_labels_of_each_reading(tmp_path: Path) -> None:
    doc = Doc()
    doc.header()
    doc.add("considering")
    doc.add("that study groups need clear mandates;", 2)
    track(doc.add("that this clause is deleted;", 2), "del")
    doc.add("that overlaps waste time,", 2)
    doc.add("resolves")
    doc.add("to review the Questions;", 1)
    doc.add("to report to the next assembly.", 1)
    parsed = parse_docx(doc.save(tmp_path / "resolution.docx"))
    considering, resolves = parsed.sections
    assert [(c.label, c.old_label, c.status) for c in considering.clauses] == [
        ("a)", None, "unchanged"),
        (None, "b)", "deleted"),
        ("b)", "c)", "modified"),
    ]
    assert [(c.label, c.status) for c in resolves.clauses] == [
        ("1", "unchanged"),
        ("2", "unchanged"),
    ]
    assert "a)\tthat study groups need clear mandates;" in parsed.text


# ---- hostile numbering.xml


def test_doctype_in_numbering_is_refused_in_one_line(tmp_path: Path) -> None:
    doc = Doc()
    doc.add("one", 2)
    hostile = numbering_xml().replace(
        'standalone="yes"?>', 'standalone="yes"?><!DOCTYPE w:numbering [<!ENTITY x "y">]>'
    )
    path = doc.save(tmp_path / "doctype.docx", hostile)
    with pytest.raises(DocumentError, match=r"unsafe XML in word/numbering\.xml") as info:
        read_docx(path)
    assert "\n" not in str(info.value)


def test_absurd_values_are_clamped(tmp_path: Path) -> None:
    abstracts = (
        abstract(1, lvl(0, "decimal", "%1", start=str(10**9))),
        abstract(2, lvl(0, "lowerRoman", "%1" * 500, start="9" * 5000)),
        abstract(3, lvl(0, "decimal", "%1", start="-7"), lvl(9, "decimal", "%9%10")),
        abstract(4, lvl(0, "decimal", "%1)", start="x")),
    )
    nums = (
        num(1, 1),
        num(2, 2),
        num(3, 3, start_override(0, 10**12) + start_override(40, 3)),
        num(4, 4),
    )
    doc = Doc()
    doc.add("huge start", 1)
    doc.add("next", 1)
    doc.add("many placeholders", 2)
    doc.add("huge override", 3)
    doc.add("level out of range", 3, 12)
    doc.add("start not a number", 4)
    _, after = lines(doc.save(tmp_path / "absurd.docx", numbering_xml(abstracts, nums)))
    assert after[0] == f"{MAX_START}\thuge start"
    assert after[1] == f"{MAX_START + 1}\tnext"
    label, text = after[2].split("\t")
    assert text == "many placeholders"
    assert len(label) <= 100
    assert after[3] == f"{MAX_START}\thuge override"
    assert after[4].endswith("level out of range")
    assert after[5] == "1)\tstart not a number"


def test_numbering_style_cycles_and_dangling_references_stop(tmp_path: Path) -> None:
    abstracts = (
        abstract(1, extra='<w:numStyleLink w:val="LoopA"/>'),
        abstract(2, extra='<w:numStyleLink w:val="LoopB"/>'),
        abstract(3, extra='<w:numStyleLink w:val="Nowhere"/>'),
        abstract(4, lvl(0, "lowerLetter", "%1)"), extra='<w:styleLink w:val="Real"/>'),
        abstract(5, extra='<w:numStyleLink w:val="Real"/>'),
    )
    nums = (num(1, 1), num(2, 2), num(3, 3), num(4, 4), num(5, 5), num(6, 99))
    doc = Doc()
    for style_id, num_id in (("LoopA", 2), ("LoopB", 1), ("Real", 4)):
        doc.document.styles.element.append(
            parse_xml(
                f'<w:style xmlns:w="{W_NS}" w:type="numbering" w:styleId="{style_id}">'
                f'<w:name w:val="{style_id}"/><w:pPr><w:numPr><w:numId w:val="{num_id}"/>'
                "</w:numPr></w:pPr></w:style>"
            )
        )
    for style_id, based_on in (("CycleA", "CycleB"), ("CycleB", "CycleA")):
        doc.document.styles.element.append(
            parse_xml(
                f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="{style_id}">'
                f'<w:name w:val="{style_id}"/><w:basedOn w:val="{based_on}"/></w:style>'
            )
        )
    doc.add("cycle", 1)
    doc.add("dangling style", 3)
    doc.add("through a numbering style", 5)
    doc.add("unknown abstract", 6)
    doc.add("unknown num", 77)
    doc.add("basedOn cycle", style="CycleA")
    _, after = lines(doc.save(tmp_path / "cycles.docx", numbering_xml(abstracts, nums)))
    assert after == [
        "cycle",
        "dangling style",
        "a)\tthrough a numbering style",
        "unknown abstract",
        "unknown num",
        "basedOn cycle",
    ]


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (1, "lowerLetter", "a"),
        (27, "lowerLetter", "aa"),
        (28, "upperLetter", "BB"),
        (4, "lowerRoman", "iv"),
        (1994, "upperRoman", "MCMXCIV"),
        (5000, "lowerRoman", "5000"),
        (7, "decimalZero", "07"),
        (3, "ordinal", "3"),
        (3, "none", ""),
    ],
)
def test_format_number(value: int, fmt: str, text: str) -> None:
    assert format_number(value, fmt) == text
