# ruff: noqa: RUF001 - typographic quotes and dashes are part of the texts
"""Write one stress :class:`~tests.corpus.model.Resolution` in every format users bring.

:data:`FORMATS` maps a format's name to a :class:`Format`: the file suffix and a function
giving the file's bytes. The names, and what each stresses:

- ``canonical``: the layout of the seed file (``loaders/data/seeds``): one paragraph a line,
  "a)<TAB>text", footnotes as ``[footnoteRef:1]1`` with ``[1: 1 <TAB>text]`` at the line end;
- ``bulleted``: a web copy, "  • considering" / "    • a)Resolution …" (label glued);
- ``pdftotext``: text extracted from a PDF: running heads, "- 3 -" page numbers, form feeds,
  lines wrapped at 75 characters with some words hyphenated across lines, a label alone on
  its line, footnotes at the bottom of their page;
- ``one_line``: the whole resolution on one line;
- ``crlf``, ``cp1252``, ``utf16_bom``, ``utf16_nobom``: the canonical text in other bytes;
- ``split_header``: "RESOLUTION 75" / title / "(Rev. Dubai, 2018)" on separate lines;
- ``gt_plen``: a draft, "DRAFT NEW RESOLUTION [GT-PLEN/3] (Hammamet, 2016)" (first adoptions);
- ``upper_headings``: the section headings in capitals;
- ``docx_typed``: Word, labels typed ("a)<TAB>text"), real footnotes, the annex table a table;
- ``docx_numbering``: Word, labels given by Word numbering (numPr), not typed;
- ``pdf``: a PDF (fpdf2, DejaVu Sans): A5 pages with running head and page number, label and
  hanging indent, superscript footnote markers and the footnotes at the page bottom;
- ``html``: h2/h3 headings and p paragraphs; ``html_ol``: ``<ol type="a"><li>`` lists without
  written labels; ``html_script``: with ``<script>`` and ``<style>`` to be ignored;
  ``html_entities``: ``&nbsp;``, ``&sect;``, ``&rsquo;`` and other entities.
"""

from __future__ import annotations

import html as html_lib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.corpus.model import FOOTNOTE, RUNNING_HEAD, Clause, Resolution

__all__ = ["FORMATS", "Format", "canonical_text", "expected_number", "formats_for"]

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_ITALIC = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf")


# --------------------------------------------------------------------------- logical lines


@dataclass(frozen=True)
class Block:
    """One paragraph of the resolution as a reader sees it, before any layout.

    kind: header, title, history, intro, heading, clause, annex, table (text: cells joined
    by a tab); ``parts`` is the text cut at its footnote calls, ``notes`` the numbers and
    texts of the footnotes called (one call between each pair of parts)."""

    kind: str
    text: str
    label: str | None = None
    depth: int = 0
    notes: tuple[tuple[int, str], ...] = ()

    @property
    def parts(self) -> list[str]:
        return self.text.split(FOOTNOTE)

    def with_markers(self, marker: Callable[[int], str]) -> str:
        parts = self.parts
        out = parts[0]
        for (n, _), part in zip(self.notes, parts[1:], strict=True):
            out += marker(n) + part
        return out


def blocks(r: Resolution) -> Iterator[Block]:
    yield Block("header", r.header)
    yield Block("title", r.title)
    if r.history:
        yield Block("history", f"({'; '.join(r.history)})")
    yield Block("intro", r.intro)
    counter = [0]

    def walk(c: Clause, depth: int) -> Iterator[Block]:
        numbers = []
        for text in c.footnotes:
            counter[0] += 1
            numbers.append((counter[0], text))
        assert c.text.count(FOOTNOTE) == len(numbers), c.text
        yield Block("clause", c.text, c.label, depth, tuple(numbers))
        for child in c.children:
            yield from walk(child, depth + 1)

    for s in r.sections:
        yield Block("heading", s.heading)
        for c in s.clauses:
            yield from walk(c, 0)
    for i, line in enumerate(r.annex):
        yield Block("annex_heading" if i == 0 else "annex", line)
    if r.table is not None:
        yield Block("annex", r.table.caption)
        yield Block("table", "\t".join(r.table.header))
        for row in r.table.rows:
            yield Block("table", "\t".join(row))


def _footnotes(r: Resolution) -> list[tuple[int, str]]:
    return [n for b in blocks(r) for n in b.notes]


def _plain_marker(n: int) -> str:
    return str(n)


# --------------------------------------------------------------------------- text shapes


def canonical_text(r: Resolution) -> str:
    """The layout of the seed: one paragraph a line, a tab after the label."""
    return "\n".join(line for lines in _canonical_lines_by_block(r) for line in lines) + "\n"


def _footnote_tail(r: Resolution) -> list[str]:
    notes = _footnotes(r)
    if not notes:
        return []
    return ["", "_______________", *(f"{n}\t{text}" for n, text in notes)]


def bulleted_text(r: Resolution) -> str:
    """A web copy: headings and clauses as bullets, the label glued to its text."""
    lines: list[str] = []
    for b in blocks(r):
        text = b.with_markers(_plain_marker)
        if b.kind == "heading":
            lines.append(f"  • {text}")
        elif b.kind == "clause":
            indent = "    " + "  " * b.depth
            lines.append(f"{indent}• {b.label or ''}{text}")
        elif b.kind == "annex_heading":
            lines += ["", text]
        else:
            lines.append(text)
    return "\n".join(lines + _footnote_tail(r)) + "\n"


def one_line_text(r: Resolution) -> str:
    """The whole resolution on a single line, as many web copies give it."""
    parts: list[str] = []
    for b in blocks(r):
        text = b.with_markers(_plain_marker).replace("\t", " ")
        parts.append(f"{b.label} {text}" if b.label else text)
    parts += [f"{n} {text}" for n, text in _footnotes(r)]
    return " ".join(parts) + "\n"


_VOWELS = set("aeiou")


def _hyphenate(word: str) -> tuple[str, str] | None:
    """Cut a long word after a vowel near its middle ("tele-", "communication")."""
    if len(word) < 10 or not word.isalpha():
        return None
    for cut in range(len(word) // 2, 3, -1):
        if word[cut - 1] in _VOWELS and word[cut] not in _VOWELS:
            return word[:cut] + "-", word[cut:]
    return None


def _wrap(text: str, width: int = 75) -> list[str]:
    """Wrap at ``width``; every second long word that does not fit is hyphenated."""
    lines: list[str] = []
    line = ""
    toggle = False
    for word in text.split():
        if not line:
            line = word
            continue
        if len(line) + 1 + len(word) <= width:
            line += " " + word
            continue
        cut = _hyphenate(word)
        toggle = not toggle
        if cut is not None and toggle and len(line) + 1 + len(cut[0]) <= width:
            lines.append(f"{line} {cut[0]}")
            line = cut[1]
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def running_head(r: Resolution) -> str:
    body = RUNNING_HEAD[r.body]
    sep = "" if r.body == "Council" else "-"
    return f"{body}{sep}{r.year % 100:02d} – Resolution {r.number}"


def pdftotext_text(r: Resolution, page_lines: int = 40) -> str:
    """Text as pdftotext gives it: wrapped lines, label alone on its line, pages with a
    running head (from page 2), a page number "- n -", footnotes at the page bottom, and a
    form feed between pages."""
    # (line, footnotes that line calls)
    flow: list[tuple[str, tuple[tuple[int, str], ...]]] = []
    for b in blocks(r):
        text = b.with_markers(_plain_marker)
        if b.kind == "header":
            flow += [(b.text, ()), ("", ())]
        elif b.kind == "clause":
            if b.label:
                flow.append((b.label, ()))
            wrapped = _wrap(text)
            flow += [(line, ()) for line in wrapped[:-1]]
            flow.append((wrapped[-1], b.notes))
        elif b.kind == "table":
            flow.append((b.text.replace("\t", " "), ()))
        elif b.kind == "annex_heading":
            flow += [("", ()), (b.text, ())]
        else:
            flow += [(line, ()) for line in _wrap(text)]
    pages: list[str] = []
    head = running_head(r)
    for start in range(0, len(flow), page_lines):
        number = start // page_lines + 1
        chunk = flow[start : start + page_lines]
        lines = [head, ""] if number > 1 else []
        lines += [line for line, _ in chunk]
        notes = [n for _, ns in chunk for n in ns]
        if notes:
            lines += ["", "_______________"]
            for n, note in notes:
                lines += _wrap(f"{n} {note}")
        lines += ["", f"- {number} -", ""]
        pages.append("\n".join(lines))
    return "\f".join(pages)


def split_header_text(r: Resolution) -> str:
    """ "RESOLUTION 75" / title / "(Rev. Dubai, 2018)" on three lines."""
    lines = canonical_text(r).split("\n")
    assert lines[:3] == [r.header, "", r.title]
    head = [f"RESOLUTION {r.prefix}{r.number}", r.title, f"({r.meeting})"]
    return "\n".join(head + lines[3:])


def gt_plen_number(r: Resolution) -> str:
    from tests.corpus.stress import STRESS

    return f"[GT-PLEN/{STRESS.index(r) + 1}]"


def gt_plen_text(r: Resolution) -> str:
    """A draft as an assembly's plenary working group numbers it."""
    lines = canonical_text(r).split("\n")
    lines[0] = f"DRAFT NEW RESOLUTION {gt_plen_number(r)} ({r.meeting})"
    return "\n".join(lines)


def upper_headings_text(r: Resolution) -> str:
    lines: list[str] = []
    for b, line in zip(blocks(r), _canonical_lines_by_block(r), strict=True):
        lines += [text.upper() for text in line] if b.kind == "heading" else line
    return "\n".join(lines) + "\n"


def _canonical_lines_by_block(r: Resolution) -> list[list[str]]:
    """The canonical text's lines, grouped by the block that gave them."""
    out: list[list[str]] = []
    for b in blocks(r):
        if b.kind == "header":
            out.append([b.text, ""])
        elif b.kind == "annex_heading":
            out.append(["", b.text])
        elif b.kind == "clause":
            text = b.with_markers(lambda n: f"[footnoteRef:{n}]{n}")
            text += "".join(f" [{n}: {n} \t{note}]" for n, note in b.notes)
            out.append([f"{b.label}\t{text}" if b.label else text])
        else:
            out.append([b.text])
    return out


# --------------------------------------------------------------------------- .docx

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _docx(r: Resolution, numbering: bool) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    document = docx.Document()
    num_ids: dict[str, str] = {}
    if numbering:
        num_ids = _add_numbering(document)
    list_count = 0
    previous_kind = ""

    def add_runs(paragraph: object, b: Block) -> None:
        parts = b.parts
        paragraph.add_run(parts[0])  # type: ignore[attr-defined]
        for (n, _), part in zip(b.notes, parts[1:], strict=True):
            run = paragraph.add_run()  # type: ignore[attr-defined]
            ref = OxmlElement("w:footnoteReference")
            ref.set(qn("w:id"), str(n))
            run._r.append(ref)
            run.font.superscript = True
            paragraph.add_run(part)  # type: ignore[attr-defined]

    table_rows: list[list[str]] = []
    for b in blocks(r):
        if b.kind == "table":
            table_rows.append(b.text.split("\t"))
            continue
        if b.kind == "heading":
            p = document.add_paragraph()
            p.add_run(b.text).italic = True
        elif b.kind == "clause":
            p = document.add_paragraph()
            p.paragraph_format.left_indent = Cm(1 + b.depth)
            p.paragraph_format.first_line_indent = Cm(-1)
            if numbering and b.label:
                scheme = _scheme(b.label)
                key = str(b.depth)  # the list open at this depth, which a sub-list interrupts
                if previous_kind != f"clause-{scheme}-{b.depth}" and _first(b.label):
                    list_count += 1
                    num_ids = {k: v for k, v in num_ids.items() if int(k) < b.depth}
                    num_ids[key] = _new_num(document, scheme, list_count)
                _set_num(p, num_ids[key])
                add_runs(p, b)
            else:
                if b.label:
                    p.add_run(f"{b.label}\t")
                add_runs(p, b)
            previous_kind = f"clause-{_scheme(b.label) if b.label else 'none'}-{b.depth}"
            continue
        elif b.kind == "annex_heading":
            document.add_page_break()  # type: ignore[no-untyped-call]
            document.add_paragraph(b.text)
        else:
            document.add_paragraph(b.text)
        previous_kind = b.kind
    if table_rows:
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for i, row in enumerate(table_rows):
            for j, cell in enumerate(row):
                table.cell(i, j).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    notes = _footnotes(r)
    return _with_footnotes(buffer.getvalue(), notes) if notes else buffer.getvalue()


def _scheme(label: str) -> str:
    core = label.rstrip(")")
    if core.isdigit():
        return "decimal"
    if (set(core) <= set("ivx") and core != "v") or core in ("i", "ii", "iii"):
        return "lowerRoman"
    return "lowerLetter"


def _first(label: str) -> bool:
    return label.rstrip(")") in ("1", "a", "i")


_NUM_FORMATS = {"decimal": "%1", "lowerLetter": "%1)", "lowerRoman": "%1)"}


def _add_numbering(document: object) -> dict[str, str]:
    """Abstract numbering definitions, one per label scheme, in the numbering part."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    for i, (fmt, text) in enumerate(_NUM_FORMATS.items()):
        xml = (
            f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="{90 + i}">'
            '<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:suff w:val="tab"/><w:lvlJc w:val="left"/>'
            "</w:lvl></w:abstractNum>"
        )
        numbering.insert(0, parse_xml(xml))
    return {}


def _new_num(document: object, scheme: str, count: int) -> str:
    """A w:num (a list that restarts at 1) on the abstract definition of ``scheme``."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    abstract = 90 + list(_NUM_FORMATS).index(scheme)
    num_id = str(900 + count)
    numbering.append(
        parse_xml(
            f'<w:num xmlns:w="{_W}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    return num_id


def _set_num(paragraph: object, num_id: str) -> None:
    from docx.oxml import parse_xml

    p_pr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    p_pr.insert(
        0,
        parse_xml(
            f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        ),
    )


def _with_footnotes(data: bytes, notes: list[tuple[int, str]]) -> bytes:
    """Add word/footnotes.xml (with its relationship and content type) to a saved .docx."""
    body = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
        f'</w:rPr><w:footnoteRef/></w:r><w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">'
        f"{html_lib.escape(text)}</w:t></w:r></w:p></w:footnote>"
        for n, text in notes
    )
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{_W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:footnote>{body}</w:footnotes>"
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="'
                    + _FOOTNOTES_TYPE.encode()
                    + b'"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFootnotes9" Type="'
                    + _FOOTNOTES_REL.encode()
                    + b'" Target="footnotes.xml"/></Relationships>',
                )
            target.writestr(item, content)
        target.writestr("word/footnotes.xml", footnotes)
    return out.getvalue()


# --------------------------------------------------------------------------- .pdf


def pdf_bytes(r: Resolution) -> bytes:
    """A5 pages: running head, page number "- n -", label with a hanging indent, superscript
    footnote markers, footnotes at the bottom of the page that calls them."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    head = running_head(r)

    class Pdf(FPDF):
        pending: list[tuple[int, str]]

        def header(self) -> None:
            self.set_font("DejaVu", size=7)
            self.cell(0, 4, head, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(4)
            self.set_font("DejaVu", size=10)

        def footer(self) -> None:
            if self.pending:
                self.set_y(-38)
                self.set_font("DejaVu", size=7)
                self.cell(30, 3, "_" * 20, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                for n, text in self.pending:
                    self.multi_cell(0, 3.5, f"{n}  {text}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                self.pending = []
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.cell(0, 5, f"- {self.page_no()} -", align="C")
            self.set_font("DejaVu", size=10)

    pdf = Pdf(format=(148, 210))  # A5, in mm
    pdf.pending = []
    pdf.add_font("DejaVu", "", str(DEJAVU))
    pdf.add_font("DejaVu", "I", str(DEJAVU_ITALIC))
    pdf.set_auto_page_break(auto=True, margin=42)
    pdf.set_margins(15, 12, 15)
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    line_h = 5
    table_rows: list[list[str]] = []
    for b in blocks(r):
        if b.kind == "table":
            table_rows.append(b.text.split("\t"))
        elif b.kind == "clause":
            _pdf_clause(pdf, b, line_h)
        else:
            _pdf_block(pdf, b, line_h)
    if table_rows:
        pdf.set_font("DejaVu", size=9)
        width = (pdf.w - 30) / len(table_rows[0])
        for row in table_rows:
            for cell in row:
                pdf.cell(width, 6, cell, border=1)
            pdf.ln(6)
    return bytes(pdf.output())


# how each kind of block other than a clause is set: (style, size, line height, centred,
# space after, on a new page)
_PDF_BLOCKS: dict[str, tuple[str, int, float, bool, float, bool]] = {
    "header": ("", 12, 7, True, 2, False),
    "title": ("", 11, 6, True, 0, False),
    "history": ("", 9, 5, True, 2, False),
    "heading": ("I", 10, 6, False, 0, False),
    "annex_heading": ("", 11, 6, True, 0, True),
}


def _pdf_block(pdf: Any, b: Any, line_h: float) -> None:
    """A block that is not a clause: its font, alignment and spacing from ``_PDF_BLOCKS``."""
    from fpdf.enums import XPos, YPos

    style, size, height, centred, after, new_page = _PDF_BLOCKS.get(
        b.kind, ("", 10, line_h, False, 0, False)
    )
    if new_page:
        pdf.add_page()
    pdf.set_font("DejaVu", style, size=size)
    pdf.multi_cell(
        0, height, b.text, align="C" if centred else "J", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    if after:
        pdf.ln(after)


def _pdf_clause(pdf: Any, b: Any, line_h: float) -> None:
    """A clause: its label in a hanging indent, superscript footnote markers, the notes kept
    for the page's foot."""
    pdf.set_font("DejaVu", size=10)
    base = 15 + 8 * b.depth
    indent = base + (10 if b.label else 0)
    pdf.set_x(base)
    if b.label:
        pdf.cell(10, line_h, b.label)
    pdf.set_left_margin(indent)
    parts = b.parts
    pdf.write(line_h, parts[0])
    for (n, note), part in zip(b.notes, parts[1:], strict=True):
        pdf.char_vpos = "SUP"
        pdf.write(line_h, str(n))
        pdf.char_vpos = "LINE"
        pdf.pending.append((n, note))
        pdf.write(line_h, part)
    pdf.ln(line_h + 1)
    pdf.set_left_margin(15)


# --------------------------------------------------------------------------- .html


def _esc(text: str) -> str:
    return html_lib.escape(text, quote=False)


def _html_marker(n: int) -> str:
    return f'<sup><a href="#fn{n}" id="fr{n}">{n}</a></sup>'


def _html_page(body: list[str], head_extra: str = "", body_extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Resolution</title>\n{head_extra}</head>\n<body>\n{body_extra}"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _html_footnotes(r: Resolution) -> list[str]:
    notes = _footnotes(r)
    if not notes:
        return []
    return [
        '<hr><div class="footnotes">',
        *(f'<p id="fn{n}"><sup>{n}</sup> {_esc(text)}</p>' for n, text in notes),
        "</div>",
    ]


def _html_lines(r: Resolution, label_sep: str = "\t") -> list[str]:
    out: list[str] = []
    table: list[str] = []
    for b in blocks(r):
        text = _esc_markers(b)
        if b.kind == "header":
            out.append(f"<h2>{text}</h2>")
        elif b.kind == "title":
            out.append(f"<h3>{text}</h3>")
        elif b.kind == "heading":
            out.append(f"<h3><em>{text}</em></h3>")
        elif b.kind == "clause":
            style = f' style="margin-left:{2 + 2 * b.depth}em"'
            label = f"{b.label}{label_sep}" if b.label else ""
            out.append(f"<p{style}>{label}{text}</p>")
        elif b.kind == "annex_heading":
            out.append(f'<h2 class="annex">{text}</h2>')
        elif b.kind == "table":
            cells = "".join(f"<td>{_esc(c)}</td>" for c in b.text.split("\t"))
            table.append(f"<tr>{cells}</tr>")
        else:
            out.append(f"<p>{text}</p>")
    if table:
        out += ["<table>", *table, "</table>"]
    return out + _html_footnotes(r)


def _esc_markers(b: Block) -> str:
    parts = [_esc(p) for p in b.parts]
    out = parts[0]
    for (n, _), part in zip(b.notes, parts[1:], strict=True):
        out += _html_marker(n) + part
    return out


def html_page(r: Resolution) -> str:
    return _html_page(_html_lines(r))


def html_ol_page(r: Resolution) -> str:
    """Clauses as list items whose labels the list type gives: ``<ol type="a"><li>``."""
    out: list[str] = []
    table: list[str] = []

    def items(clauses: tuple[Clause, ...], numbers: Iterator[tuple[int, str]]) -> list[str]:
        html: list[str] = []
        if clauses[0].label is None:
            for c in clauses:
                html.append(f"<p>{_clause_html(c, numbers)}</p>")
            return html
        kind = _scheme(clauses[0].label)
        attr = {"decimal": "", "lowerLetter": ' type="a"', "lowerRoman": ' type="i"'}[kind]
        html.append(f"<ol{attr}>")
        for c in clauses:
            inner = _clause_html(c, numbers)
            if c.children:
                inner += "".join(items(c.children, numbers))
            html.append(f"<li>{inner}</li>")
        html.append("</ol>")
        return html

    numbers = iter(_footnotes(r))
    front = [b for b in blocks(r) if b.kind in ("header", "title", "history", "intro")]
    for b in front:
        tag = {"header": "h2", "title": "h3"}.get(b.kind, "p")
        out.append(f"<{tag}>{_esc(b.text)}</{tag}>")
    for s in r.sections:
        out.append(f"<p><i>{_esc(s.heading)}</i></p>")
        out += items(s.clauses, numbers)
    for b in blocks(r):
        if b.kind == "annex_heading":
            out.append(f"<h2>{_esc(b.text)}</h2>")
        elif b.kind == "annex":
            out.append(f"<p>{_esc(b.text)}</p>")
        elif b.kind == "table":
            cells = "".join(f"<td>{_esc(c)}</td>" for c in b.text.split("\t"))
            table.append(f"<tr>{cells}</tr>")
    if table:
        out += ["<table>", *table, "</table>"]
    return _html_page(out + _html_footnotes(r))


def _clause_html(c: Clause, numbers: Iterator[tuple[int, str]]) -> str:
    parts = [_esc(p) for p in c.text.split(FOOTNOTE)]
    out = parts[0]
    for part in parts[1:]:
        n, _ = next(numbers)
        out += _html_marker(n) + part
    return out


_SCRIPT = """<script>
document.write("considering a) that this script text is not part of the resolution;");
var resolves = "1\\tto ignore scripts";
</script>
"""
_STYLE = """<style>
/* instructs the Director: never read */
p.call { font-style: italic; }
h3:before { content: "resolves"; }
</style>
"""


def html_script_page(r: Resolution) -> str:
    body_script = '<script type="text/javascript">window.noting = "b) a script clause";</script>\n'
    lines = _html_lines(r)
    lines.insert(3, '<style>.x::after { content: "recognizing"; }</style>')
    lines.insert(len(lines) // 2, "<noscript>enable scripts to read recalling c) …</noscript>")
    return _html_page(lines, _SCRIPT + _STYLE, body_script)


_ENTITIES = {"§": "&sect;", "’": "&rsquo;", "–": "&ndash;", "é": "&eacute;", "ó": "&oacute;"}


def html_entities_page(r: Resolution) -> str:
    text = _html_page(_html_lines(r, label_sep="&nbsp;&nbsp;"))
    for char, entity in _ENTITIES.items():
        text = text.replace(char, entity)
    text = text.replace("&sect; ", "&sect;&nbsp;")
    # a non-breaking space after "Resolution" and in "Action&nbsp;Line", as web pages do
    text = re.sub(r"(Resolution|Action Lines?|SDG target) (?=\w)", _nbsp, text)
    return text


def _nbsp(m: re.Match[str]) -> str:
    return m.group(1).replace(" ", "&nbsp;") + "&nbsp;"


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    render: Callable[[Resolution], bytes]
    applies: Callable[[Resolution], bool] = lambda r: True


def _utf8(f: Callable[[Resolution], str]) -> Callable[[Resolution], bytes]:
    return lambda r: f(r).encode("utf-8")


def _first_adoption(r: Resolution) -> bool:
    return not r.revised and r.body in ("WTSA", "PP", "WTDC")


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("canonical", ".txt", _utf8(canonical_text)),
        Format("bulleted", ".txt", _utf8(bulleted_text)),
        Format("pdftotext", ".txt", _utf8(pdftotext_text)),
        Format("one_line", ".txt", _utf8(one_line_text)),
        Format("crlf", ".txt", lambda r: canonical_text(r).replace("\n", "\r\n").encode()),
        Format("cp1252", ".txt", lambda r: canonical_text(r).encode("cp1252")),
        Format("utf16_bom", ".txt", lambda r: canonical_text(r).encode("utf-16")),
        Format("utf16_nobom", ".txt", lambda r: canonical_text(r).encode("utf-16-le")),
        Format("split_header", ".txt", _utf8(split_header_text)),
        Format("gt_plen", ".txt", _utf8(gt_plen_text), _first_adoption),
        Format("upper_headings", ".txt", _utf8(upper_headings_text)),
        Format("docx_typed", ".docx", lambda r: _docx(r, numbering=False)),
        Format("docx_numbering", ".docx", lambda r: _docx(r, numbering=True)),
        Format("pdf", ".pdf", pdf_bytes),
        Format("html", ".html", _utf8(html_page)),
        Format("html_ol", ".html", _utf8(html_ol_page)),
        Format("html_script", ".html", _utf8(html_script_page)),
        Format("html_entities", ".html", _utf8(html_entities_page)),
    )
}


def formats_for(r: Resolution) -> list[str]:
    return [name for name, f in FORMATS.items() if f.applies(r)]


def expected_number(r: Resolution, fmt: str, canonical_number: str | None) -> str | None:
    """The number a format's file should parse to: a GT-PLEN draft keeps its draft number."""
    if fmt == "gt_plen":
        return gt_plen_number(r)
    return canonical_number


def write(r: Resolution, fmt: str, directory: Path) -> Path:
    f = FORMATS[fmt]
    path = directory / f"{r.key}-{fmt}{f.suffix}"
    path.write_bytes(f.render(r))
    return path
