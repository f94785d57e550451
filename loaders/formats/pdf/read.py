"""The reader: pages to lines, lines to text, footnotes apart and page starts kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from loaders.errors import DocumentError
from loaders.formats.model import Format, ReaderNote, ReadLimits, TextModel, read_bounded
from loaders.formats.pdf.checks import _caused_by, _check_bytes, _one_line, _open, sniff
from loaders.formats.pdf.flow import _dehyphenate, _reflow, _Text
from loaders.formats.pdf.lines import (
    _CONTROL,
    _NO_TEXT_CHARS,
    _compose,
    _footnotes,
    _group,
    _Line,
    _page_runs,
    _remove_furniture,
)
from loaders.formats.shapes import normalise_shape


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
    # imported here: pypdf takes about 0.1 s to import, and only a PDF being read needs it
    import pypdf  # noqa: PLC0415
    from pypdf.errors import LimitReachedError  # noqa: PLC0415

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


FORMAT = Format("pdf", "a PDF", (".pdf",), ("application/pdf",), sniff, read)
