"""Reading resolution documents: a file or a folder in any accepted format, a volume cut into
its resolutions, each parsed and mapped into its own named graph; the key and name of each."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from loaders.documents.mapper import _Mapper
from loaders.docx_revisions import parse_readings
from loaders.errors import DocumentError
from loaders.formats import ReadLimits, TextModel, read_model, suffixes
from loaders.outcome import OutcomeDocument, detect_outcome, outcome_quads, parse_outcome
from loaders.rdf import LoadReport, LoadResult, SourceInfo, TripleBuilder
from loaders.resolution_text import ParsedDocument, ParseWarning, parse_structure
from loaders.suggest.triples import add_suggestions, texts_of
from loaders.unicode import clean_tree
from loaders.volumes import Part, split_volume
from ontology import WSIS
from ontology.ids import IdentifierError, Ids, check_identifier, show

DOCUMENT_SUFFIXES = suffixes()


def parse_model(model: TextModel) -> ParsedDocument:
    """Parse a reader's text model; what the reader removed or repaired comes first among the
    warnings."""
    if model.docx is not None:
        parsed = parse_readings(model.docx)
    else:
        parsed = parse_structure(
            model.text, model.source, footnotes=model.footnotes, flattened=model.flattened
        )
    notes = tuple(ParseWarning(n.code, n.message, n.place or "file") for n in model.notes)
    return replace(parsed, warnings=notes + parsed.warnings) if notes else parsed


def parse_document(path: Path, name: str | None = None) -> ParsedDocument:
    """Parse a resolution text in any accepted format (``loaders.formats``); DocumentError
    names the file and the problem."""
    return parse_model(read_model(path, name))


def document_key(name: str) -> str:
    """The identifier a file name gives its document: the name without its suffix, in ASCII
    where the name has a readable ASCII form, with a short digest of the name as given when
    letters had to be dropped (an Arabic, Chinese or Russian name), so two names never meet.
    "résolution 75.docx" → "resolution-75-1f0c9e2a", "res75.txt" → "res75"."""
    stem = Path(name).stem or name
    try:
        check_identifier(stem)
    except IdentifierError as e:
        raise DocumentError(show(name), f"the file name cannot name a document: {e}") from e
    if stem.isascii():
        return stem
    ascii_part = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_part = re.sub(r"[^A-Za-z0-9._~-]+", "-", ascii_part).strip("-._~")
    digest = hashlib.sha256(unicodedata.normalize("NFC", stem).encode()).hexdigest()[:8]
    return f"{ascii_part}-{digest}" if ascii_part else f"document-{digest}"


def document_name(path: Path) -> str:
    return f"document-{document_key(path.name)}"


@dataclass(frozen=True)
class DocumentLoad:
    """What one file gives: one document, or one per resolution of a volume."""

    file_name: str
    results: list[LoadResult]
    parses: list[ParsedDocument | OutcomeDocument]
    parts: list[Part]
    keys: list[str]  # each document's identifier
    jsons: list[dict[str, Any]]  # each parse as JSON, with pages where the file has them

    @property
    def is_volume(self) -> bool:
        return len(self.parts) > 1

    def parse_json(self) -> dict[str, Any]:
        """The dry-run JSON (docs/parse-json.md): a document's parse, or for a volume the
        parse of each of its resolutions with its place in the volume."""
        if not self.is_volume:
            return self.jsons[0]
        return {
            "source": self.file_name,
            "volume": {"file": self.file_name, "resolutions": len(self.parts)},
            "documents": [
                {
                    **data,
                    "part": {
                        "index": part.index,
                        "document": key,
                        "first_line": part.first_line,
                        "first_page": part.first_page,
                        "last_page": part.last_page,
                    },
                }
                for data, part, key in zip(self.jsons, self.parts, self.keys, strict=True)
            ],
        }


def load_documents(path: Path, ids: Ids, limits: ReadLimits | None = None) -> DocumentLoad:
    """The quads of each document a file holds (one named graph each) and their parses."""
    key = document_key(path.name)  # no invisible or bidi characters in the name
    model = read_model(path, limits=limits)
    # a WSIS outcome document (Geneva Declaration, Plan of Action, Tunis Commitment and Agenda)
    # is loaded by paragraph (loaders/outcome.py)
    if model.docx is None and detect_outcome(model.text):
        result, outcome = load_outcome_document(path, ids, model.text)
        whole = Part(1, model, 1, model.page_at(0), None)
        return DocumentLoad(path.name, [result], [outcome], [whole], [key], [outcome.to_json()])
    parts = split_volume(model)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    results: list[LoadResult] = []
    parses: list[ParsedDocument | OutcomeDocument] = []
    keys: list[str] = []
    jsons: list[dict[str, Any]] = []
    for part in parts:
        parsed = parse_model(part.model)
        part_key = key if len(parts) == 1 else _part_key(key, parsed, part, keys)
        # every string the graph will hold: in NFC, and only characters (the parse made sure
        # of the text; this covers what a .docx adds, such as authors of changes)
        data = clean_tree(parsed.to_json(), path.name)
        _add_pages(data, part.model)
        out = TripleBuilder(ids)
        report = LoadReport(path.name if len(parts) == 1 else f"{path.name} [{part_key}]")
        volume = (key, part) if len(parts) > 1 else None
        place = (
            f"resolution {part.index} of {len(parts)} (from line {part.first_line})"
            if volume
            else None
        )
        try:
            _Mapper(ids, out, report, path, data, part_key, volume).run()
        except IdentifierError as e:
            raise DocumentError(path.name, f"cannot make an identifier: {e}", place) from e
        except DocumentError as e:
            if place is None:
                raise
            raise DocumentError(e.source, e.problem, e.place or place) from e
        add_suggestions(out, texts_of(out, WSIS.Clause, WSIS.text), report, clauses=True)
        report.count("triples", len(out))
        name = f"document-{part_key}"
        source = SourceInfo(name, path.name, digest, entity=ids.document(part_key))
        results.append(LoadResult(ids.graph(name), out.triples(), report, source))
        parses.append(parsed)
        keys.append(part_key)
        jsons.append(data)
    return DocumentLoad(path.name, results, parses, parts, keys, jsons)


def load_document(path: Path, ids: Ids) -> tuple[LoadResult, ParsedDocument | OutcomeDocument]:
    """The quads of one document's named graph, and its parse (for reports and --dry-run);
    a file holding several resolutions is refused here (see :func:`load_documents`)."""
    loaded = load_documents(path, ids)
    if loaded.is_volume:
        raise DocumentError(
            path.name, f"holds {len(loaded.parts)} resolutions: read it as a volume"
        )
    return loaded.results[0], loaded.parses[0]


def _part_key(key: str, parsed: ParsedDocument, part: Part, taken: list[str]) -> str:
    header = parsed.header
    if header.body and header.number:
        base = f"{key}-{header.body}-{header.number}"
    else:
        base = f"{key}-part-{part.index}"
    base = re.sub(r"[^A-Za-z0-9._~-]+", "-", base).strip("-")
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _add_pages(data: dict[str, Any], model: TextModel) -> None:
    """The page of each section and clause, where the file has pages."""
    if not model.page_starts:
        return
    line_starts = [0]
    for line in model.text.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)

    def page(line: int | None) -> int | None:
        if not line or line > len(line_starts):
            return None
        return model.page_at(line_starts[line - 1])

    def walk(clause: dict[str, Any]) -> None:
        if (p := page(clause.get("line"))) is not None:
            clause["page"] = p
        for child in clause.get("children") or []:
            walk(child)

    for section in data["sections"]:
        if (p := page(section.get("line"))) is not None:
            section["page"] = p
        for clause in section["clauses"]:
            walk(clause)


# ---- BEGIN WSIS outcome documents (branch wsis-paragraphs)


def load_outcome_document(path: Path, ids: Ids, text: str) -> tuple[LoadResult, OutcomeDocument]:
    """A WSIS outcome document given as text (``detect_outcome`` says which): one node per
    numbered paragraph and per lettered item, with its text, in the file's named graph.
    Returns the load and the parse (a ``loaders.outcome.OutcomeDocument``)."""
    parsed = parse_outcome(clean_tree(text, path.name), path.name)
    key = document_key(path.name)
    result = outcome_quads(parsed, ids, document_name(path), file_node=ids.document(key))
    result.source = SourceInfo(
        result.source.name,
        path.name,
        hashlib.sha256(path.read_bytes()).hexdigest(),
        entity=ids.document(key),
    )
    return result, parsed


# ---- END WSIS outcome documents
