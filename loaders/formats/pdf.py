"""PDF with a text layer (pypdf): lines rebuilt from the text's positions, page starts kept.

The file is checked before pypdf parses it: the ``%PDF-`` header, the ``%%EOF`` that ends a
complete file, and the object count (the largest trailer ``/Size`` and the ``N G obj``
headers) against :attr:`ReadLimits.max_pdf_objects`; then pypdf reads it under a
configuration bounding every decompressed stream by :attr:`ReadLimits.max_pdf_stream_bytes`
(a decompression bomb stops there), the page count is checked against
:attr:`ReadLimits.max_pages` and an encrypted file is read only if the empty user password
opens it. Any failure of pypdf (a broken xref, an object nested too deeply, a limit reached)
becomes one :class:`~loaders.errors.DocumentError` naming the file.

Text comes from ``PageObject.extract_text`` with a visitor that receives each run of text with
its position and font size; lines are rebuilt from the runs, so that

* a superscript number in a body line (smaller font, raised baseline) is a footnote marker,
  written ``[footnoteRef:N]`` when the page's footnote N is found, kept as text otherwise;
* small-font lines at the bottom of a page beginning with a number are footnotes, given apart
  in :attr:`TextModel.footnotes` (a small-font block without a number continues the previous
  page's last footnote);
* a label written apart from its text (a tab: ``1``, ``a)``, ``iii)`` and a gap) is
  ``label<TAB>text``, as the parser reads a numbered clause;
* running heads and feet (the same line, digits aside, at the top or bottom of at least half
  of the pages) and page numbers alone (``3``, ``- 3 -``, ``Page 3 of 10``) are removed.

Then across lines: a word hyphenated at a line end is joined (``tele-`` + ``communication``)
unless the hyphen is kept (next part capitalised or a digit, a one-letter first part such as
``e-``, a compound prefix such as ``non-``, or the hyphenated form written elsewhere in the
document); a label alone on its line takes the text of the next line; a heading that wraps
(``instructs the Director of the Telecommunication`` / ``Standardization Bureau``) is one line;
a line that looks like a label or heading but continues a sentence (the line before ends
mid-sentence: ``... adopted in`` / ``2022. It ...``) is joined to it. Every change is a
:class:`ReaderNote` with its page, so nothing is guessed silently.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.errors import DocumentError
from loaders.formats.model import Format, ReaderNote, ReadLimits, TextModel, read_bounded
from loaders.formats.shapes import normalise_shape

_HEAD_SCAN = 1024
_TAIL_SCAN = 2048
_SIZE = re.compile(rb"/Size\s+(\d{1,12})")
_OBJ = re.compile(rb"(?<![0-9])\d{1,10}\s+\d{1,5}\s+obj\b")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad]")  # but tab and LF; soft hyphen
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f]+")
_MARKER = re.compile(r"^[1-9]\d{0,2}$")
_LABEL_TOKEN = re.compile(r"^(?:[a-z]{1,6}\)|\(?[ivx]{1,6}\)|[1-9]\d{0,2}[.)]?)$")
_LABEL_ALONE = re.compile(r"^(?:[a-z]{1,6}\)|\(?[ivx]{1,6}\)|[1-9]\d{0,2}[.)]?)\t?$")
_LABEL_START = re.compile(r"^(?:[a-z]{1,6}\)|[1-9]\d{0,2}(?:[.)] |\t| {2,}))")
_FOOTNOTE_START = re.compile(r"^(?P<id>[1-9]\d{0,2})(?:\s+|(?=[A-Z\"'(\u201c]))(?P<text>\S.*)$")
_FOOTNOTE_MARKED = re.compile(r"^\x00(?P<id>\d+)\x00\s*(?P<text>.*)$")
_PAGE_NUMBER = re.compile(
    r"^[-\u2013\u2014 ]*(?:page\s+)?(?P<n>\d{1,5})(?:\s*(?:of|/)\s*\d{1,5})?[-\u2013\u2014 ]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_HYPHEN_END = re.compile(r"(?P<word>[^\W\d_][\w]*)-$")
_NEXT_WORD = re.compile(r"^(?P<word>[\w]+)(?P<rest>.*)$", re.DOTALL)
_MID_SENTENCE_END = re.compile(r"[^\W_]$")
# first parts of compounds that keep their hyphen at a line end (non-discriminatory ...)
_COMPOUND_PREFIXES = {
    "anti",
    "co",
    "cross",
    "ex",
    "multi",
    "non",
    "post",
    "pre",
    "self",
    "semi",
    "well",
    "long",
    "short",
    "high",
    "low",
    "real",
    "open",
    "follow",
    "decision",
    "capacity",
    "so",
    "sub",
    "inter",
    "intra",
}
_FUNCTION_END = re.compile(r"\b(?:of|the|and|for|to|in|on|with|de|du|la)$", re.IGNORECASE)
_SMALL = 0.85  # a font this much smaller than the body's is a footnote's or a superscript's
_RAISED = 0.15  # a superscript's baseline is raised by this part of the body size at least
_NO_TEXT_CHARS = 10  # fewer visible characters per page than this: no text layer


def sniff(head: bytes) -> bool:
    return b"%PDF-" in head[:_HEAD_SCAN]


# --------------------------------------------------------------------------- checks


def _check_bytes(data: bytes, name: str, limits: ReadLimits) -> None:
    """What can be refused before pypdf parses anything."""
    if b"%PDF-" not in data[:_HEAD_SCAN]:
        raise DocumentError(name, "not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-_TAIL_SCAN:]:
        raise DocumentError(name, "truncated PDF (no %%EOF at its end)")
    declared = max((int(m.group(1)) for m in _SIZE.finditer(data)), default=0)
    if declared > limits.max_pdf_objects:
        raise DocumentError(
            name,
            f"declares {declared} objects (/Size), over the limit of {limits.max_pdf_objects}",
        )
    for written, _ in enumerate(_OBJ.finditer(data), start=1):
        if written > limits.max_pdf_objects:
            raise DocumentError(name, f"more than {limits.max_pdf_objects} objects, over the limit")


def _open(data: bytes, name: str, limits: ReadLimits, notes: list[ReaderNote]) -> Any:
    import io

    import pypdf
    from pypdf import PasswordType

    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # pypdf.errors.DependencyError: AES without a crypto library
            raise DocumentError(name, f"encrypted PDF: cannot be decrypted here ({exc})") from exc
        if opened == PasswordType.NOT_DECRYPTED:
            raise DocumentError(name, "encrypted PDF: a password is needed to read it")
        notes.append(ReaderNote("pdf_encrypted", "encrypted PDF opened with the empty password"))
    size = reader.trailer.get("/Size")
    objects = max(
        int(size) if isinstance(size, int) else 0,
        sum(len(entries) for entries in reader.xref.values()) + len(reader.xref_objStm),
    )
    if objects > limits.max_pdf_objects:
        raise DocumentError(name, f"{objects} objects, over the limit of {limits.max_pdf_objects}")
    try:
        root: Any = reader.trailer["/Root"]
        declared_pages = int(root["/Pages"]["/Count"])
    except (KeyError, TypeError, ValueError):
        declared_pages = 0
    if declared_pages > limits.max_pages:
        raise DocumentError(name, f"{declared_pages} pages, over the limit of {limits.max_pages}")
    count = len(reader.pages)
    if count > limits.max_pages:
        raise DocumentError(name, f"{count} pages, over the limit of {limits.max_pages}")
    if count == 0:
        raise DocumentError(name, "a PDF without pages")
    return reader


# --------------------------------------------------------------------------- runs and lines


@dataclass
class _Run:
    text: str
    x: float
    y: float
    size: float
    after_break: bool  # pypdf put a line break before this run


@dataclass
class _Line:
    page: int  # 1-based
    runs: list[_Run] = field(default_factory=list)
    text: str = ""
    size: float = 0.0  # the font size of most of its characters
    y: float = 0.0  # the baseline of its main-size runs

    def main(self) -> tuple[float, float]:
        weight: Counter[float] = Counter()
        for run in self.runs:
            weight[round(run.size, 1)] += len(run.text.strip()) or 1
        size = weight.most_common(1)[0][0]
        ys = [r.y for r in self.runs if round(r.size, 1) == size]
        return size, min(ys)


def _page_runs(page: Any) -> list[_Run]:
    runs: list[_Run] = []
    pending_break = False
    pending_space = False  # pypdf gave a space alone: it goes before the next run

    def visit(text: str, cm: Any, tm: Any, _font: Any, font_size: Any) -> None:
        nonlocal pending_break, pending_space
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0) if tm and cm else 1.0
        size = float(font_size) * scale
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i > 0:
                pending_break = True
            if not part.strip():
                pending_space = pending_space or bool(part)
                continue
            piece = " " + part if pending_space else part
            pending_space = False
            if i > 0 and runs:  # a line break inside one run: place it under the last line
                last = runs[-1]
                runs.append(_Run(piece, last.x, last.y - 1.2 * max(size, 1.0), size, True))
            else:
                runs.append(_Run(piece, float(x), float(y), size, pending_break))
            pending_break = False

    page.extract_text(visitor_text=visit)
    return runs


def _group(runs: list[_Run], page: int) -> list[_Line]:
    """Runs in stream order become lines: a run joins the line when its baseline is within
    0.6 of the larger font size of the line's baseline (a raised superscript stays in)."""
    lines: list[_Line] = []
    current: _Line | None = None
    base_y = base_size = 0.0
    for run in runs:
        if current is not None and abs(run.y - base_y) <= 0.6 * max(run.size, base_size):
            current.runs.append(run)
            if run.size > base_size:
                base_y, base_size = run.y, run.size
            continue
        current = _Line(page, [run])
        lines.append(current)
        base_y, base_size = run.y, run.size
    for line in lines:
        line.size, line.y = line.main()
        line.runs.sort(key=lambda r: r.x)
    return lines


def _is_marker(run: _Run, line: _Line) -> bool:
    return (
        _MARKER.match(run.text.strip()) is not None
        and run.size <= _SMALL * line.size
        and run.y - line.y >= _RAISED * line.size
    )


def _compose(line: _Line) -> None:
    """The line's text from its runs: superscript numbers become ``\\x00N\\x00`` placeholders,
    a label set apart from its text is followed by a tab."""
    out: list[str] = []
    runs = line.runs
    start = 0
    first = runs[0]
    if len(runs) > 1 and _LABEL_TOKEN.match(first.text.strip()) and not _is_marker(first, line):
        nxt = runs[1]
        width = 0.6 * first.size * len(first.text.strip())
        if nxt.x - (first.x + width) > 0.8 * first.size and not _is_marker(nxt, line):
            out.append(first.text.strip() + "\t")
            start = 1
    for i in range(start, len(runs)):
        run = runs[i]
        text = run.text
        if _is_marker(run, line) and i > 0:
            out.append(f"\x00{run.text.strip()}\x00")
            continue
        # pypdf puts the spaces it sees (by the glyphs' widths) into the runs; where it broke
        # the line (a superscript before) the space is ours to put back
        if (
            out
            and run.after_break
            and not out[-1].endswith(("\t", " "))
            and not text.startswith((" ", ",", ";", ".", ":", ")"))
        ):
            text = " " + text
        out.append(text)
    composed = "".join(out)
    label, tab, rest = composed.partition("\t")
    if not tab:
        line.text = _SPACES.sub(" ", composed).strip()
    else:
        line.text = label + "\t" + _SPACES.sub(" ", rest).strip()


# --------------------------------------------------------------------------- page furniture


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split()))


def _zones(page_lines: list[_Line]) -> list[_Line]:
    """The two highest and two lowest lines of a page: where heads and feet stand."""
    by_y = sorted(page_lines, key=lambda line: -line.y)
    return [*by_y[:2], *by_y[-2:]] if len(by_y) > 4 else by_y


def _remove_furniture(pages: list[list[_Line]], notes: list[ReaderNote]) -> None:
    from loaders.resolution_text import is_header, is_heading

    count = len(pages)
    # the document's own "RESOLUTION 58 (...)" line stays even if a running head repeats it
    header = next(
        (id(line) for page_lines in pages for line in page_lines if is_header(line.text)),
        None,
    )
    seen: Counter[str] = Counter()
    for page_lines in pages:
        for key in {_furniture_key(line.text) for line in _zones(page_lines)}:
            seen[key] += 1
    running = {
        key
        for key, n in seen.items()
        if count >= 2 and n >= max(2, (count + 1) // 2) and not is_heading(key)
    }
    # a number alone at the top or bottom: a page number when its offset from the page's
    # index is the one most pages share
    offsets: Counter[int] = Counter()
    for number, page_lines in enumerate(pages, start=1):
        for line in _zones(page_lines):
            m = _PAGE_NUMBER.match(line.text)
            if m is not None:
                offsets[int(m.group("n")) - number] += 1
    offset = offsets.most_common(1)[0][0] if offsets else None
    for number, page_lines in enumerate(pages, start=1):
        zone = {id(line) for line in _zones(page_lines)}
        kept: list[_Line] = []
        for line in page_lines:
            if id(line) in zone:
                m = _PAGE_NUMBER.match(line.text)
                if m is not None and int(m.group("n")) - number == offset:
                    notes.append(
                        ReaderNote(
                            "page_number_removed", f"'{line.text}' removed", f"page {number}"
                        )
                    )
                    continue
                if _furniture_key(line.text) in running and id(line) != header:
                    notes.append(
                        ReaderNote(
                            "running_head_removed",
                            f"'{line.text}' (on {seen[_furniture_key(line.text)]} of {count} "
                            "pages) removed",
                            f"page {number}",
                        )
                    )
                    continue
            kept.append(line)
        page_lines[:] = kept


def _body_size(pages: list[list[_Line]]) -> float:
    weight: Counter[float] = Counter()
    for page_lines in pages:
        for line in page_lines:
            weight[line.size] += len(line.text)
    return weight.most_common(1)[0][0] if weight else 0.0


def _footnotes(
    pages: list[list[_Line]], notes: list[ReaderNote]
) -> tuple[dict[str, str], dict[tuple[int, str], str]]:
    """Footnotes from the small lines at the bottom of each page: {id: text}, and the id
    each page's footnote number has ({(page, "1"): "1"}; a number a page repeats gets a new
    id, with a note)."""
    body = _body_size(pages)
    found: dict[str, list[str]] = {}
    local: dict[tuple[int, str], str] = {}
    last: str | None = None
    for number, page_lines in enumerate(pages, start=1):
        by_y = sorted(page_lines, key=lambda line: -line.y)
        block: list[_Line] = []
        for line in reversed(by_y):
            if line.size > _SMALL * body:
                break
            block.insert(0, line)
        taken: set[int] = set()
        current: str | None = None
        for line in block:
            text = line.text.replace("\t", " ")
            head = _FOOTNOTE_MARKED.match(text) or _FOOTNOTE_START.match(text)
            if head is not None:
                written, rest = head.group("id"), head.group("text")
                current = written
                if current in found:
                    current = str(max(int(k) for k in found) + 1)
                    notes.append(
                        ReaderNote(
                            "footnote_renumbered",
                            f"footnote {written} appears again: read as footnote {current}",
                            f"page {number}",
                        )
                    )
                local[(number, written)] = current
            elif current is not None:
                rest = text
            elif last is not None and line is block[0]:
                current, rest = last, text
                notes.append(
                    ReaderNote(
                        "footnote_continued",
                        f"small text at the bottom continues footnote {last}",
                        f"page {number}",
                    )
                )
            else:
                break  # small text that is not a footnote: left in the body
            found.setdefault(current, []).append(rest.replace("\x00", ""))
            taken.add(id(line))
        if current is not None:
            last = current
        if taken:
            page_lines[:] = [line for line in page_lines if id(line) not in taken]
    return {key: " ".join(" ".join(parts).split()) for key, parts in found.items()}, local


# --------------------------------------------------------------------------- across lines


@dataclass
class _Text:
    page: int
    text: str


@functools.lru_cache(maxsize=4096)
def _heading(text: str) -> bool:
    from loaders.resolution_text import is_heading

    return is_heading(text)


_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _dehyphenate(lines: list[_Text], notes: list[ReaderNote]) -> None:
    words = {w.lower() for line in lines for w in _WORDS.findall(line.text)}
    i = 0
    while i + 1 < len(lines):
        line, nxt = lines[i], lines[i + 1]
        m = _HYPHEN_END.search(line.text)
        n = _NEXT_WORD.match(nxt.text)
        if m is None or n is None or _LABEL_START.match(nxt.text):
            i += 1
            continue
        first, second = m.group("word"), n.group("word")
        keep = (
            not second[0].islower()
            or len(first) == 1
            or first.lower() in _COMPOUND_PREFIXES
            or (f"{first}-{second}".lower() in words and f"{first}{second}".lower() not in words)
        )
        word = f"{first}-{second}" if keep else f"{first}{second}"
        line.text = line.text[: m.start("word")] + word
        nxt.text = n.group("rest").lstrip()
        notes.append(
            ReaderNote(
                "hyphen_kept" if keep else "hyphenation_joined",
                f"'{first}-' + '{second}' at a line end read as '{word}'",
                f"page {line.page}",
            )
        )
        if not nxt.text:
            del lines[i + 1]
        else:
            i += 1


def _reflow(lines: list[_Text], notes: list[ReaderNote]) -> list[_Text]:
    out: list[_Text] = []
    in_body = False  # a heading was seen: the title block is over
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (
            nxt is not None
            and _LABEL_ALONE.match(line.text)
            and not _LABEL_START.match(nxt.text)
            and not _heading(nxt.text)
        ):
            label = line.text.rstrip("\t")
            merged = _Text(line.page, f"{label}\t{nxt.text}")
            notes.append(
                ReaderNote(
                    "label_joined",
                    f"label '{label}' alone on its line joined to the text after it",
                    f"page {line.page}",
                )
            )
            lines[i + 1] = merged
            i += 1
            continue
        if (
            nxt is not None
            and _heading(line.text)
            and not line.text.rstrip().endswith((",", ":"))
            and not _LABEL_START.match(nxt.text)
            and not _heading(nxt.text)
            and (nxt.text[:1].isupper() or _FUNCTION_END.search(line.text))
            and len(nxt.text) <= 80
            and _heading(f"{line.text} {nxt.text}")
        ):
            merged = _Text(line.page, f"{line.text} {nxt.text}")
            notes.append(
                ReaderNote(
                    "heading_joined",
                    f"heading wrapped over two lines read as '{merged.text}'",
                    f"page {line.page}",
                )
            )
            lines[i + 1] = merged
            i += 1
            continue
        if (
            in_body
            and out
            and (_LABEL_START.match(line.text) or _heading(line.text))
            and "\t" not in line.text
            and _MID_SENTENCE_END.search(out[-1].text)
            and not _heading(out[-1].text)
        ):
            what = "label" if _LABEL_START.match(line.text) else "heading"
            notes.append(
                ReaderNote(
                    "continuation_joined",
                    f"'{line.text[:30]}' looks like a {what} but continues the sentence "
                    f"before it ('...{out[-1].text[-20:]}'): joined to it",
                    f"page {line.page}",
                )
            )
            out[-1] = _Text(out[-1].page, f"{out[-1].text} {line.text}")
            i += 1
            continue
        in_body = in_body or _heading(line.text)
        out.append(line)
        i += 1
    return out


# --------------------------------------------------------------------------- read


def _markers(
    lines: list[_Text],
    footnotes: dict[str, str],
    local: dict[tuple[int, str], str],
    notes: list[ReaderNote],
) -> None:
    """Superscript placeholders become ``[footnoteRef:ID]`` for the footnote of their page
    (or of the next page: a marker at a page's last line); others are kept as text."""
    used: set[str] = set()
    for line in lines:
        if "\x00" not in line.text:
            continue

        def swap(m: re.Match[str], page: int = line.page) -> str:
            written = m.group(1)
            key = local.get((page, written)) or local.get((page + 1, written))
            if key is not None and key not in used:
                used.add(key)
                return f"[footnoteRef:{key}]"
            notes.append(
                ReaderNote(
                    "superscript_kept",
                    f"superscript '{written}' is no footnote's marker: kept as text",
                    f"page {page}",
                )
            )
            return written

        line.text = re.sub(r"\x00(\d+)\x00", swap, line.text)
    for key in footnotes:
        if key not in used:
            notes.append(
                ReaderNote(
                    "footnote_marker_not_found",
                    f"footnote {key} is read apart; its marker was not found in the text",
                )
            )


def _extract(reader: Any, name: str, notes: list[ReaderNote]) -> TextModel:
    pages: list[list[_Line]] = []
    controls = 0
    for number, page in enumerate(reader.pages, start=1):
        lines = _group(_page_runs(page), number)
        for line in lines:
            for run in line.runs:
                cleaned = _CONTROL.sub("", run.text).replace("\t", " ")
                controls += len(run.text) - len(cleaned)
                run.text = cleaned
            line.runs = [r for r in line.runs if r.text.strip()]
        lines = [line for line in lines if line.runs]
        for line in lines:
            _compose(line)
        pages.append([line for line in lines if line.text.strip()])
    visible = sum(len(line.text.strip()) for page_lines in pages for line in page_lines)
    if visible < _NO_TEXT_CHARS * len(pages):
        raise DocumentError(name, "no text layer: a scanned PDF? run OCR first")
    if controls:
        notes.append(ReaderNote("control_characters_removed", f"{controls} removed"))
    _remove_furniture(pages, notes)
    footnotes, local = _footnotes(pages, notes)
    texts = [_Text(line.page, line.text) for page_lines in pages for line in page_lines]
    _dehyphenate(texts, notes)
    texts = _reflow(texts, notes)
    _markers(texts, footnotes, local, notes)
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for entry in texts:
        while len(starts) < entry.page:
            starts.append(offset)
        parts.append(entry.text + "\n")
        offset += len(parts[-1])
    while len(starts) < len(pages):
        starts.append(offset)
    model = TextModel(
        name,
        "pdf",
        "".join(parts),
        footnotes=footnotes,
        page_starts=tuple(starts),
        notes=tuple(notes),
    )
    # what a page's width wrapped: the header block, the assembly's words, wrapped clauses
    return normalise_shape(model)


def read(path: Path, name: str, limits: ReadLimits) -> TextModel:
    import pypdf
    from pypdf.errors import LimitReachedError

    data = read_bounded(path, name, limits.max_bytes)
    _check_bytes(data, name, limits)
    bound = limits.max_pdf_stream_bytes
    notes: list[ReaderNote] = []
    try:
        with (
            pypdf.apply_configuration(
                zlib_maximum_output_length=bound,
                lzw_maximum_output_length=bound,
                run_length_maximum_output_length=bound,
                brotli_maximum_output_length=bound,
                jbig2_maximum_output_length=bound,
                array_based_stream_maximum_output_length=bound,
                maximum_declared_stream_length=max(bound, limits.max_bytes),
                image_maximum_buffer_size=bound,
                page_tree_maximum_entries=max(limits.max_pages, 1) * 2 + 16,
            ),
        ):
            reader = _open(data, name, limits, notes)
            model = _extract(reader, name, notes)
    except DocumentError:
        raise
    except LimitReachedError as exc:
        if "decompress" in str(exc).lower():
            problem = f"a stream inflates past the limit of {bound} bytes (a decompression bomb?)"
        else:
            problem = f"PDF over a reading limit: {_one_line(exc)}"
        raise DocumentError(name, problem) from exc
    except RecursionError as exc:
        raise DocumentError(name, "PDF objects nested too deeply to read") from exc
    except MemoryError as exc:
        raise DocumentError(name, "PDF too large to read in memory") from exc
    except Exception as exc:  # pypdf raises many kinds on a broken file
        if _caused_by(exc, RecursionError):
            raise DocumentError(name, "PDF objects nested too deeply to read") from exc
        raise DocumentError(
            name, f"not a readable PDF: {type(exc).__name__}: {_one_line(exc)}"
        ) from exc
    return model


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 20:
        if isinstance(current, kind):
            return True
        current = current.__cause__ or current.__context__
        seen += 1
    return False


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:200]


FORMAT = Format("pdf", "a PDF", (".pdf",), ("application/pdf",), sniff, read)
