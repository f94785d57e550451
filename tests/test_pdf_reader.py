"""The PDF reader (loaders/formats/pdf/) on PDFs written here with fpdf2 or by hand.

A three-page WTSA resolution laid out as a word processor prints it (running heads, page
numbers, a word hyphenated at a line end, a label alone on its line, a wrapped "instructs"
heading, a footnote with its superscript marker) must parse to the same sections and clauses
as its canonical text; hostile files (encrypted, scanned, truncated, too many pages or objects,
a decompression bomb, objects nested 100000 deep) give one DocumentError naming the file, fast.
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path
from typing import Any

import pytest

from loaders.errors import DocumentError
from loaders.formats import ReadLimits, read_model
from loaders.formats.shapes import pages as shape_pages
from loaders.resolution_text import ParsedDocument, parse_structure

fpdf = pytest.importorskip("fpdf")

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

CANONICAL = """RESOLUTION 58 (Rev. New Delhi, 2024)
Strengthening of the relationship between ITU-T and regional telecommunication organizations
(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016; Geneva, 2022; New Delhi, 2024)
The World Telecommunication Standardization Assembly (New Delhi, 2024),
considering
a)\tthat standardization is essential for the development of telecommunication networks \
in all regions of the world;
b)\tthat the regional telecommunication organizations[footnoteRef:1] contribute to the \
work of the Sector and to its e-health studies;
recognizing
a)\tResolution 75 (Rev. Geneva, 2022) of this assembly, on the contribution of ITU-T to the \
implementation of the outcomes of the World Summit on the Information Society;
resolves
1\tto continue the cooperation with the regional telecommunication organizations;
2\tto hold a first meeting with the regional organizations in the year \
2025. The results are to be reported to the Telecommunication Standardization Advisory Group;
instructs the Director of the Telecommunication Standardization Bureau
1\tto report to the next assembly on the implementation of this resolution;
2\tto make the results of the meetings available to Member States and Sector Members.
"""
FOOTNOTE = "Such as APT, ATU, CEPT, CITEL, LAS and RCC."

LEFT, INDENT, BODY, SMALL = 20.0, 32.0, 11.0, 8.0
# a page: (x, text) lines; ("label", label, text): a label at LEFT, its text at INDENT;
# ("marker", n): a superscript n after the text of the line before
PAGES: list[list[Any]] = [
    [
        (LEFT, "RESOLUTION 58 (Rev. New Delhi, 2024)"),
        (LEFT, "Strengthening of the relationship between ITU-T and regional"),
        (LEFT, "telecommunication organizations"),
        (LEFT, "(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016; Geneva, 2022; New Delhi, 2024)"),
        (LEFT, "The World Telecommunication Standardization Assembly (New Delhi, 2024),"),
        (LEFT, "considering"),
        ("label", "a)", "that standardization is essential for the development of tele-"),
        (INDENT, "communication networks in all regions of the world;"),
        ("label", "b)", "that the regional telecommunication organizations"),
        ("marker", "1"),
        (INDENT, "contribute to the work of the Sector and to its e-"),
        (INDENT, "health studies;"),
    ],
    [
        (LEFT, "recognizing"),
        (LEFT, "a)"),
        (INDENT, "Resolution 75 (Rev. Geneva, 2022) of this assembly, on the contribution of ITU-"),
        (INDENT, "T to the implementation of the outcomes of the World Summit on the Informa-"),
        (INDENT, "tion Society;"),
        (LEFT, "resolves"),
        ("label", "1", "to continue the cooperation with the regional telecommunication"),
        (INDENT, "organizations;"),
        ("label", "2", "to hold a first meeting with the regional organizations in the year"),
        (INDENT, "2025. The results are to be reported to the Telecommunication Standardization"),
        (INDENT, "Advisory Group;"),
    ],
    [
        (LEFT, "instructs the Director of the Telecommunication"),
        (LEFT, "Standardization Bureau"),
        ("label", "1", "to report to the next assembly on the implementation of this resolution;"),
        ("label", "2", "to make the results of the meetings available to Member States and"),
        (INDENT, "Sector Members."),
    ],
]


def _pdf(**kwargs: Any) -> Any:
    pdf = fpdf.FPDF(format="A4", **kwargs)
    pdf.add_font("dejavu", "", str(FONT))
    pdf.set_auto_page_break(False)
    return pdf


def write_resolution(path: Path) -> None:
    pdf = _pdf()
    for number, lines in enumerate(PAGES, start=1):
        pdf.add_page()
        if number > 1:
            pdf.set_font("dejavu", size=9)
            pdf.text(LEFT, 12, "WTSA-24 \u2013 Resolution 58")
        y = 30.0
        end = 0.0  # where the text of the line before ends
        for line in lines:
            pdf.set_font("dejavu", size=BODY)
            if line[0] == "marker":
                pdf.set_font("dejavu", size=7)
                pdf.text(end + 0.2, y - 6.5 - 1.6, line[1])  # raised 1.6 mm
                continue
            x, text = (INDENT, line[2]) if line[0] == "label" else line
            if line[0] == "label":
                pdf.text(LEFT, y, line[1])
            pdf.text(x, y, text)
            end = x + pdf.get_string_width(text)
            y += 6.5
        if number == 1:
            pdf.set_font("dejavu", size=6)
            pdf.text(LEFT, 268.4, "1")
            pdf.set_font("dejavu", size=SMALL)
            pdf.text(LEFT + 3, 270, FOOTNOTE)
        pdf.set_font("dejavu", size=9)
        pdf.text(100, 287, f"- {number} -")
    pdf.output(str(path))


def _shape(doc: ParsedDocument) -> list[tuple[str, str | None, list[tuple[str | None, str]]]]:
    return [
        (
            s.heading,
            s.addressee,
            [(c.label, c.plain_text) for top in s.clauses for c in top.walk()],
        )
        for s in doc.sections
    ]


@pytest.fixture(scope="module")
def resolution_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "res58.pdf"
    write_resolution(path)
    return path


def test_resolution_pdf_parses_as_its_canonical_text(resolution_pdf: Path) -> None:
    model = read_model(resolution_pdf)
    assert model.format == "pdf"
    assert dict(model.footnotes) == {"1": FOOTNOTE}
    got = parse_structure(model.text, "res58.pdf", footnotes=model.footnotes)
    want = parse_structure(CANONICAL, "res58.txt", footnotes={"1": FOOTNOTE})
    assert _shape(got) == _shape(want)
    assert got.header.number == "58"
    assert got.header.title == want.header.title
    assert [f.text for f in got.footnotes] == [FOOTNOTE]
    assert "WTSA-24" not in model.text
    assert "- 2 -" not in model.text
    codes = {note.code for note in model.notes}
    assert {
        "running_head_removed",
        "page_number_removed",
        "hyphenation_joined",
        "hyphen_kept",
        "label_joined",
        "heading_joined",
    } <= codes, codes
    # a line that looks like a label or heading but continues the sentence before it: joined
    # by the reader, or by the shape normaliser after it
    assert {"continuation_joined", "lines_reflowed"} & codes, codes


def test_page_numbers_are_locators(resolution_pdf: Path) -> None:
    model = read_model(resolution_pdf)
    assert len(model.page_starts) == 3
    assert model.page_at(model.text.index("considering")) == 1
    assert model.page_at(model.text.index("recognizing")) == 2
    assert model.page_at(model.text.index("resolves")) == 2
    assert model.page_at(model.text.index("instructs the Director")) == 3
    line = model.text[: model.text.index("Sector Members.")].count("\n") + 1
    assert model.page_of_line(line) == 3


def test_notes_name_their_page(resolution_pdf: Path) -> None:
    model = read_model(resolution_pdf)
    heads = [n for n in model.notes if n.code == "running_head_removed"]
    assert [n.place for n in heads] == ["page 2", "page 3"]
    joined = next(n for n in model.notes if n.code == "hyphenation_joined")
    assert "telecommunication" in joined.message
    assert joined.place == "page 1"


def test_hyphens_decided(resolution_pdf: Path) -> None:
    text = " ".join(read_model(resolution_pdf).text.split())
    assert "development of telecommunication networks" in text
    assert "e-health" in text  # one-letter first part: the hyphen is the word's
    assert "ITU-T to" in text  # capital after the hyphen
    assert "Information Society" in text


def test_pdf_named_txt_is_read_as_pdf(resolution_pdf: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "res58.txt"
    renamed.write_bytes(resolution_pdf.read_bytes())
    model = read_model(renamed)
    assert model.format == "pdf"
    assert model.notes[0].code == "format_by_content"


# --------------------------------------------------------------------------- hostile files


def _refused(path: Path, *words: str, limits: ReadLimits | None = None) -> str:
    started = time.perf_counter()
    with pytest.raises(DocumentError) as info:
        read_model(path, path.name, limits=limits)
    elapsed = time.perf_counter() - started
    message = str(info.value)
    assert message.startswith(path.name + ": "), message
    assert "\n" not in message
    for word in words:
        assert word in message, message
    assert elapsed < 5, f"{elapsed:.1f} s"
    return message


def _raw_pdf(objects: list[bytes], root: int = 1, size: int | None = None) -> bytes:
    """A PDF of the given object bodies (object i+1 is objects[i]) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (size or len(objects) + 1, root)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _page_with(content: bytes, filters: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s>>\nstream\n" % (len(content), filters) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def test_raw_pdf_helper_reads(tmp_path: Path) -> None:
    path = tmp_path / "hello.pdf"
    content = b"BT /F1 11 Tf 72 700 Td (considering) Tj ET\nBT /F1 11 Tf 72 680 Td (a) that) Tj ET"
    path.write_bytes(_raw_pdf(_page_with(content.replace(b"(a) that)", b"(a\\) that it is)"))))
    assert read_model(path).text == "considering\na) that it is\n"


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"\x00\x01\x02 this is no PDF at all" * 10)
    _refused(path, "not a PDF")


def test_truncated(tmp_path: Path, resolution_pdf: Path) -> None:
    path = tmp_path / "cut.pdf"
    data = resolution_pdf.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _refused(path, "truncated PDF")


def test_broken_xref(tmp_path: Path) -> None:
    path = tmp_path / "xref.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\ntrailer <<>>\n%%EOF\n")
    _refused(path, "PDF")


def test_encrypted_with_a_password(tmp_path: Path, resolution_pdf: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(resolution_pdf))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    _refused(path, "encrypted PDF", "password")


def test_encrypted_with_the_empty_password_is_read(tmp_path: Path, resolution_pdf: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(resolution_pdf))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "open.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    model = read_model(path)
    assert "pdf_encrypted" in {n.code for n in model.notes}
    assert "instructs the Director of the Telecommunication Standardization Bureau" in model.text


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    pdf = _pdf()
    for _ in range(2):
        pdf.add_page()
        pdf.set_fill_color(40, 40, 40)
        for i in range(30):
            pdf.rect(20, 20 + i * 8, 150, 4, style="F")  # lines of "scanned text"
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    _refused(path, "no text layer", "OCR")


def test_too_many_pages(tmp_path: Path) -> None:
    pdf = fpdf.FPDF(format=(20, 20))
    pdf.set_font("helvetica", size=4)
    for i in range(5000):
        pdf.add_page()
        pdf.text(2, 5, str(i))
    path = tmp_path / "pages.pdf"
    pdf.output(str(path))
    _refused(path, "5000 pages", "limit of 100", limits=ReadLimits(max_pages=100))


def test_too_many_objects(tmp_path: Path) -> None:
    objects = _page_with(b"BT /F1 11 Tf 72 700 Td (considering) Tj ET")
    objects += [b"<< /N %d >>" % i for i in range(3000)]
    path = tmp_path / "objects.pdf"
    path.write_bytes(_raw_pdf(objects))
    _refused(path, "objects", "limit of 1000", limits=ReadLimits(max_pdf_objects=1000))


def test_declared_object_count_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "size.pdf"
    objects = _page_with(b"BT /F1 11 Tf 72 700 Td (considering) Tj ET")
    path.write_bytes(_raw_pdf(objects, size=10**9))
    _refused(path, "1000000000 objects")


def test_decompression_bomb(tmp_path: Path) -> None:
    packer = zlib.compressobj(9)
    line = b"BT /F1 11 Tf 72 700 Td (considering) Tj ET\n"
    bomb = packer.compress(line) + packer.compress(b" " * (64 * 1024 * 1024)) + packer.flush()
    assert len(bomb) < 200_000
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_raw_pdf(_page_with(bomb, b"/Filter /FlateDecode ")))
    _refused(path, "limit", limits=ReadLimits(max_pdf_stream_bytes=1024 * 1024))


def test_deep_nesting(tmp_path: Path) -> None:
    depth = 100_000
    objects = _page_with(b"BT /F1 11 Tf 72 700 Td (considering) Tj ET")
    deep = b"[" * depth + b"]" * depth
    objects[2] = objects[2].replace(b"/Contents", b"/Deep " + deep + b" /Contents")
    path = tmp_path / "deep.pdf"
    path.write_bytes(_raw_pdf(objects))
    _refused(path, "nested too deeply")


def test_deep_nesting_never_read_is_harmless(tmp_path: Path) -> None:
    depth = 100_000
    objects = _page_with(b"BT /F1 11 Tf 72 700 Td (considering) Tj ET")
    objects.append(b"[" * depth + b"]" * depth)  # object 6: nothing refers to it
    path = tmp_path / "unused.pdf"
    path.write_bytes(_raw_pdf(objects))
    assert read_model(path).text == "considering\n"


def test_deep_nesting_in_the_content_stream(tmp_path: Path) -> None:
    depth = 100_000
    content = b"BT /F1 11 Tf 72 700 Td " + b"[" * depth + b"]" * depth + b" TJ ET"
    path = tmp_path / "deepstream.pdf"
    path.write_bytes(_raw_pdf(_page_with(content)))
    _refused(path)


# --------------------------------------------------------------------------- speed


def write_long(path: Path, pages: int) -> None:
    pdf = _pdf()
    sentence = (
        "that the standardization work of the Sector on telecommunication networks "
        "contributes to the implementation of the World Summit on the Information Society"
    )
    words = sentence.split(" ")
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("dejavu", size=9)
        pdf.text(LEFT, 12, "WTSA-24 \u2013 Resolution 58")
        pdf.set_font("dejavu", size=BODY)
        y = 25.0
        pdf.text(LEFT, y, "considering" if number == 1 else "noting")
        label = 0
        while y < 265:
            y += 6.2
            label += 1
            pdf.text(LEFT, y, f"{chr(ord('a') + (label - 1) % 26)})" if label <= 26 else "")
            for k in range(2):
                start = (label * 3 + k * 5) % len(words)
                text = " ".join((words * 2)[start : start + 12])
                pdf.text(INDENT, y, text + (";" if k else ""))
                if k == 0:
                    y += 6.2
        pdf.set_font("dejavu", size=9)
        pdf.text(100, 287, f"- {number} -")
    pdf.output(str(path))


def test_speed_fifty_pages(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    write_long(path, 50)
    started = time.perf_counter()
    model = read_model(path)
    elapsed = time.perf_counter() - started
    assert len(model.page_starts) == 50
    assert "WTSA-24" not in model.text
    rate = 50 / elapsed
    print(f"PDF reader: {rate:.0f} pages/s on 50 pages")
    assert rate >= 10, f"{rate:.1f} pages/s"


# --------------------------------------------------------------------------- details


def _write_pages(path: Path, pages: list[list[tuple[float | str, float, float, str]]]) -> None:
    """Pages of (x mm, baseline y mm, font size, text); x may be a text: just after that
    text set at INDENT in the body size (a superscript's place)."""
    pdf = _pdf()
    for runs in pages:
        pdf.add_page()
        for where, y, size, text in runs:
            x = where
            if isinstance(where, str):
                pdf.set_font("dejavu", size=BODY)
                x = INDENT + float(pdf.get_string_width(where)) + 0.2
            pdf.set_font("dejavu", size=size)
            pdf.text(x, y, text)
    pdf.output(str(path))


def test_footnotes_continued_renumbered_and_stray_superscripts(tmp_path: Path) -> None:
    first = "that the regional organizations"
    second = "that the Sector Members"
    power = "that networks of 10"
    path = tmp_path / "notes.pdf"
    _write_pages(
        path,
        [
            [
                (LEFT, 30, BODY, "considering"),
                (LEFT, 36.5, BODY, "a)"),
                (INDENT, 36.5, BODY, first),
                (first, 34.9, 7, "1"),
                (INDENT, 43, BODY, "contribute to the work of the Sector;"),
                (LEFT, 49.5, BODY, "b)"),
                (INDENT, 49.5, BODY, power),
                (power, 47.9, 7, "6"),  # a power of ten, not a footnote
                (INDENT, 56, BODY, "users are served;"),
                (LEFT, 266, SMALL, "1 Such as APT, ATU, CEPT, CITEL, LAS and RCC, whose work"),
                (LEFT, 270, SMALL, "is described in Resolution 58"),
            ],
            [
                (LEFT, 30, BODY, "recognizing"),
                (LEFT, 36.5, BODY, "a)"),
                (INDENT, 36.5, BODY, second),
                (second, 34.9, 7, "1"),
                (INDENT, 43, BODY, "take part in the studies;"),
                (LEFT, 262, SMALL, "(Rev. Geneva, 2022)."),
                (LEFT, 270, SMALL, "1 Members of the Sector."),
            ],
        ],
    )
    model = read_model(path)
    assert dict(model.footnotes) == {
        "1": "Such as APT, ATU, CEPT, CITEL, LAS and RCC, whose work is described in "
        "Resolution 58 (Rev. Geneva, 2022).",
        "2": "Members of the Sector.",
    }
    assert "organizations[footnoteRef:1]" in model.text
    assert "Members[footnoteRef:2]" in model.text
    assert "networks of 106" in model.text
    codes = [n.code for n in model.notes]
    assert {"footnote_continued", "footnote_renumbered", "superscript_kept"} <= set(codes)
    doc = parse_structure(model.text, "notes.pdf", footnotes=model.footnotes)
    assert [f.id for f in doc.footnotes] == ["1", "2"]


def test_page_x_of_y_feet_and_a_lone_page_number(tmp_path: Path) -> None:
    path = tmp_path / "feet.pdf"
    body: list[tuple[float | str, float, float, str]] = [
        (LEFT, 30, BODY, "considering"),
        (LEFT, 36.5, BODY, "a)"),
    ]
    body.append((INDENT, 36.5, BODY, "that it is so;"))
    _write_pages(path, [[*body, (100, 287, 9, f"Page {n} of 2")] for n in (1, 2)])
    model = read_model(path)
    assert "Page" not in model.text
    assert [n.place for n in model.notes if n.code == "page_number_removed"] == [
        "page 1",
        "page 2",
    ]
    single = tmp_path / "single.pdf"
    _write_pages(single, [[*body, (100, 287, 9, "1")]])
    assert read_model(single).text == "considering\na)\tthat it is so;\n"


def test_control_characters_removed(tmp_path: Path) -> None:
    path = tmp_path / "controls.pdf"
    content = b"BT /F1 11 Tf 72 700 Td (consid\x0cering\x07) Tj ET"
    path.write_bytes(_raw_pdf(_page_with(content)))
    model = read_model(path)
    assert model.text == "considering\n"
    assert [n.code for n in model.notes] == ["control_characters_removed"]


@pytest.mark.parametrize(
    ("lines", "want", "code"),
    [
        (["of tele-", "communication networks"], ["of telecommunication", "networks"], "joined"),
        (["on a non-", "discriminatory basis"], ["on a non-discriminatory", "basis"], "kept"),
        (["for e-", "health"], ["for e-health"], "kept"),
        (["the ITU-", "T studies"], ["the ITU-T", "studies"], "kept"),
        (["the Group 2-", "3 meeting"], ["the Group 2-", "3 meeting"], None),
        (
            ["as follow-up", "the follow-", "up of WSIS"],
            ["as follow-up", "the follow-up", "of WSIS"],
            "kept",
        ),
        (["a word -", "dash"], ["a word -", "dash"], None),
        (["to the TSB-", "2\ttext"], ["to the TSB-", "2\ttext"], None),
    ],
)
def test_hyphenation_at_line_ends(lines: list[str], want: list[str], code: str | None) -> None:
    from loaders.formats.pdf.flow import _dehyphenate, _Text

    texts = [_Text(1, line) for line in lines]
    notes: list[Any] = []
    _dehyphenate(texts, notes)
    assert [t.text for t in texts] == want
    assert [n.code for n in notes] == (
        [f"hyphen{'ation' if code == 'joined' else ''}_{code}"] if code else []
    )


def test_reflow_keeps_what_is_not_a_wrap() -> None:
    from loaders.formats.pdf.flow import _reflow, _Text

    lines = [
        "The World Telecommunication Standardization Assembly (New Delhi, 2024),",
        "considering",
        "a)",
        "that it is so;",
        "resolves",
        "1\tto act, in particular as in",
        "2024. As before",
        "requests the Council to take note of this in",
        "encourages Member States to participate;",
        "2\tto report;",
        "invites Member States",
        "1\tto join;",
    ]
    notes: list[Any] = []
    out = [t.text for t in _reflow([_Text(1, line) for line in lines], notes)]
    # the reader joins the label alone; "2024." is no label (labels have at most 3 digits) and
    # "requests the Council to take note …" no heading (a heading names, it does not act)
    assert out == [
        lines[0],
        "considering",
        "a)\tthat it is so;",
        "resolves",
        "1\tto act, in particular as in",
        "2024. As before",
        "requests the Council to take note of this in",
        "encourages Member States to participate;",
        "2\tto report;",
        "invites Member States",
        "1\tto join;",
    ]
    assert [n.code for n in notes] == ["label_joined"]
    # then the shape normaliser joins the lines the page width cut
    joined, _, count = shape_pages._reflow(out, [0])
    assert joined[4] == (
        "1\tto act, in particular as in 2024. As before requests the Council to take note of "
        "this in encourages Member States to participate;"
    )
    assert joined[5:] == ["2\tto report;", "invites Member States", "1\tto join;"]
    assert count == 3


def test_words_and_glyphs_placed_one_by_one_keep_their_spaces(tmp_path: Path) -> None:
    pdf = _pdf()
    pdf.set_font("dejavu", size=BODY)
    pdf.add_page()
    pdf.text(LEFT, 30, "considering")
    pdf.text(LEFT, 37, "a)")
    x = INDENT
    for word in ("that", "the", "words", "stand", "apart,", "one", "by", "one;"):
        pdf.text(x, 37, word)
        x += pdf.get_string_width(word + " ")
    x = LEFT
    for glyph in "b) that glyphs stand apart;":
        pdf.text(x, 44, glyph)
        x += pdf.get_string_width(glyph)
    path = tmp_path / "placed.pdf"
    pdf.output(str(path))
    assert read_model(path).text == (
        "considering\na)\tthat the words stand apart, one by one;\nb) that glyphs stand apart;\n"
    )


def test_a_running_head_that_repeats_the_header_leaves_the_header(tmp_path: Path) -> None:
    path = tmp_path / "heads.pdf"
    pages: list[list[tuple[float | str, float, float, str]]] = [
        [
            (LEFT, 20, BODY, "Resolution 58"),
            (LEFT, 30, BODY, "Regional organizations"),
            (LEFT, 40, BODY, "considering"),
            (LEFT, 46.5, BODY, "a)"),
            (INDENT, 46.5, BODY, "that it is so;"),
        ],
        [
            (LEFT, 12, 9, "Resolution 58"),
            (LEFT, 30, BODY, "resolves"),
            (LEFT, 36.5, BODY, "1"),
            (INDENT, 36.5, BODY, "to act;"),
        ],
        [
            (LEFT, 12, 9, "Resolution 58"),
            (LEFT, 36.5, BODY, "2"),
            (INDENT, 36.5, BODY, "to report;"),
        ],
    ]
    _write_pages(path, pages)
    model = read_model(path)
    assert model.text.startswith("Resolution 58\nRegional organizations\n")
    assert model.text.count("Resolution 58") == 1
    doc = parse_structure(model.text, "heads.pdf", footnotes=model.footnotes)
    assert doc.header.number == "58"
    assert [c.label for c in doc.sections[1].clauses] == ["1", "2"]
    assert not [w for w in doc.warnings if w.code == "trailing_content"]
