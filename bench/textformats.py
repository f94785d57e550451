"""The text loader by format: the same resolutions as .txt, as the shapes copies take, as a
web page, a Word file and a PDF, parsed side by side in one run (pages per second, and the
ratio to plain text, which is what a shared machine lets one compare).

A synthetic resolution of ``bench.textload`` (the same seeds) is written in each format:

- ``text``: the plain text;
- ``pdftotext``: lines wrapped at 75 characters, a label alone on its line, a running head and
  a page number "- n -" every 45 lines, form feeds (what `pdftotext` gives);
- ``bulleted``: every line a bullet, labels glued to their text (a web page copied as text);
- ``html``: headings and paragraphs;
- ``docx``: one Word paragraph per line (python-docx);
- ``pdf``: fpdf2, DejaVu Sans 10 pt on A4, a running head and a page number on each page.

For the PDF, pages are its pages; for the others, ``PAGE_CHARS`` characters of the plain text.
Each format is checked to parse to the same number of clauses as the plain text before it is
timed (a fast wrong parse is no result).
"""

from __future__ import annotations

import io
import statistics
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import docx
import pypdf
from fpdf import FPDF

from bench.report import table
from graph.files import prepare
from ontology.ids import Ids

FORMATS = ("text", "pdftotext", "bulleted", "html", "docx", "pdf")
SUFFIX = {
    "text": ".txt",
    "pdftotext": ".txt",
    "bulleted": ".txt",
    "html": ".html",
    "docx": ".docx",
    "pdf": ".pdf",
}
TARGETS = {"text": 100.0, "pdf": 20.0}  # pages per second, the floor
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LABEL_TAB = "\t"


@dataclass(frozen=True)
class FormatRow:
    fmt: str
    documents: int
    pages: float  # per document
    clauses: int  # per document (the same in every format)
    times: tuple[float, ...]  # seconds per document, graph.files.prepare

    @property
    def docs_per_s(self) -> float:
        return len(self.times) / sum(self.times)

    @property
    def pages_per_s(self) -> float:
        return self.docs_per_s * self.pages

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.times) * 1000


def _label_split(line: str) -> tuple[str, str] | None:
    label, tab, rest = line.partition(LABEL_TAB)
    if tab and len(label) <= 6 and label.strip():
        return label, rest
    return None


def _pdftotext(text: str) -> str:
    lines: list[str] = []
    for line in text.split("\n"):
        split = _label_split(line)
        if split is not None:
            lines.append(split[0])
            lines.extend(textwrap.wrap(split[1], 75) or [""])
        else:
            lines.extend(textwrap.wrap(line, 75) or [""])
    pages = [lines[i : i + 45] for i in range(0, len(lines), 45)]
    out = []
    for n, page in enumerate(pages, start=1):
        head = ["WTSA-24 - Resolution 99", ""] if n > 1 else []
        out.append("\n".join([*head, *page, "", f"- {n} -"]))
    return "\f".join(out) + "\n"


def _bulleted(text: str) -> str:
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        split = _label_split(line)
        out.append(f"    \u2022 {split[0]}{split[1]}" if split else f"  \u2022 {line}")
    return "\n".join(out) + "\n"


def _html(text: str) -> str:

    body = [f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip()]
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        + "".join(body)
        + ("</body></html>")
    )


def _docx(text: str) -> bytes:

    document = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(text: str) -> bytes:

    class _Doc(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font("dejavu", size=8)
                self.cell(0, 5, "WTSA-24 - Resolution 99", align="C")
                self.ln(8)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("dejavu", size=8)
            self.cell(0, 5, f"- {self.page_no()} -", align="C")

    pdf = _Doc(format="A4")
    pdf.add_font("dejavu", "", str(DEJAVU))
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("dejavu", size=10)
    for line in text.split("\n"):
        if not line.strip():
            pdf.ln(2)
            continue
        split = _label_split(line)
        if split is not None:
            pdf.set_x(20)
            pdf.cell(10, 5, split[0])
            pdf.multi_cell(0, 5, split[1], new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


RENDER: dict[str, Callable[[str], str | bytes]] = {
    "text": lambda t: t,
    "pdftotext": _pdftotext,
    "bulleted": _bulleted,
    "html": _html,
    "docx": _docx,
    "pdf": _pdf,
}


def write(text: str, fmt: str, path_stem: Path) -> Path:
    data = RENDER[fmt](text)
    path = path_stem.with_suffix(SUFFIX[fmt])
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _clauses(parse: dict[str, Any]) -> int:
    def count(clauses: list[dict[str, Any]]) -> int:
        return sum(1 + count(c["children"]) for c in clauses)

    return count([c for s in parse["sections"] for c in s["clauses"]])


def _pages(path: Path, fmt: str, text: str, page_chars: int) -> float:
    if fmt == "pdf":
        return float(len(pypdf.PdfReader(str(path)).pages))
    return len(text) / page_chars


def measure_formats(
    texts: Sequence[str],
    seconds: float,
    work: Path,
    page_chars: int,
    repeat: Callable[[Sequence[Path], float, Callable[[Path], object]], list[float]],
) -> list[FormatRow]:
    """Each text in each format, parsed again and again for about ``seconds`` per format."""

    ids = Ids()
    rows: list[FormatRow] = []
    for fmt in FORMATS:
        folder = work / fmt
        folder.mkdir(parents=True)
        paths = [write(t, fmt, folder / f"resolution-{i + 1}") for i, t in enumerate(texts)]
        clauses, pages = [], []
        for path, text in zip(paths, texts, strict=True):
            _, parse = prepare(path, ids)
            assert parse is not None
            clauses.append(_clauses(parse))
            pages.append(_pages(path, fmt, text, page_chars))
        rows.append(
            FormatRow(
                fmt,
                len(paths),
                statistics.fmean(pages),
                round(statistics.fmean(clauses)),
                tuple(repeat(paths, seconds, lambda p: prepare(p, ids))),
            )
        )
    base = rows[0].clauses
    for row in rows:
        if row.clauses != base:
            raise AssertionError(
                f"{row.fmt}: {row.clauses} clauses where the plain text has {base}: "
                "the format is read wrong, its speed means nothing"
            )
    return rows


def render(rows: Sequence[FormatRow], pages: int) -> str:
    text = next(r for r in rows if r.fmt == "text")
    cells = []
    for row in rows:
        target = TARGETS.get(row.fmt)
        verdict = "" if target is None else ("met" if row.pages_per_s >= target else "MISSED")
        cells.append(
            [
                row.fmt,
                str(row.documents),
                f"{row.pages:.1f}",
                str(row.clauses),
                f"{row.docs_per_s:.2f}",
                f"{row.pages_per_s:.1f}",
                f"{row.p50_ms:.0f}",
                f"{text.p50_ms / row.p50_ms:.2f}",
                f"{target:g} ({verdict})" if target is not None else "",
            ]
        )
    return (
        "### By format\n\n"
        f"The same {rows[0].documents} synthetic resolutions of {pages} pages "
        "(`bench/textformats.py`) written in each format and parsed by `graph.files.prepare` "
        "(read, find the format, undo the copy's shape, parse, build the triples), side by side "
        "in this run. A PDF's pages are its pages; the others' are pages of the plain text. "
        "Every format parses to the plain text's clauses (checked before timing). 'vs text' "
        "is the plain text's p50 over the format's.\n\n"
        + table(
            [
                "format",
                "documents",
                "pages",
                "clauses",
                "docs/s",
                "pages/s",
                "p50 ms",
                "vs text",
                "target pages/s",
            ],
            cells,
            "lrrrrrrrr",
        )
    )
