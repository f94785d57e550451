"""The structure parser: sections, their clause trees, moved and inferred changes,
footnotes and references, each doubt reported as a warning."""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.errors import DocumentError
from loaders.references import Reference, find_references, fold
from loaders.resolution_text.base import _BOOKMARK, _FOOTNOTE_DEF, _FOOTNOTE_REF
from loaders.resolution_text.front import _FrontMatter, _is_header, _is_intro
from loaders.resolution_text.headings import (
    _MISSING_HEADING,
    _Heading,
    _match_heading,
    section_keys,
    slug,
)
from loaders.resolution_text.labels import _align_labels, _name, _plain_reading
from loaders.resolution_text.lists import _before_index, _build_tree, _Item, _make_item, _walk_items
from loaders.resolution_text.model import (
    Clause,
    Footnote,
    InferredChange,
    MovedFrom,
    ParsedDocument,
    Section,
    clause_references,
)

_STOP = re.compile(r"^\s*(?:ANNEX|Annex|APPENDIX|Appendix|ATTACHMENT|Reasons\s*:|_{5,}|-{5,})")
_ARTIFACT = re.compile(r"^\s*\S+\.(?:png|jpe?g|gif|emf|wmf|bmp|tiff?)\s*$", re.IGNORECASE)
_DOUBLED_PUNCT = re.compile(r"[;:,]\s*[;:]|;\s*,")


@dataclass
class _RawSection:
    heading: _Heading
    line: int
    items: list[_Item]


class _Parser(_FrontMatter):
    """One parse of one text: the front matter (from :class:`_FrontMatter`), then the
    sections and their clauses."""

    def run(self) -> ParsedDocument:
        header_idx = self._find_header()
        start = header_idx + 1 if header_idx is not None else 0
        first = next(
            (i for i in range(start, len(self.lines)) if _match_heading(self.lines[i].folded)),
            None,
        )
        header = self._header(header_idx, first)
        if first is not None:
            first = self._headless_start(start, first)
        self._collect_footnotes()
        raw = self._raw_sections(first) if first is not None else []
        has_clauses = any(section.items for section in raw)
        if header_idx is None and not has_clauses:
            raise DocumentError(
                self.source,
                "no resolution structure found (no RESOLUTION header and no clauses under a "
                "heading such as 'considering' or 'resolves')",
            )
        self.default_body = header.body
        self.known_bodies = self._known_bodies(raw)
        sections = self._sections(raw)
        self._check_ending(sections)
        references = clause_references(sections)
        return ParsedDocument(
            self.source,
            self.text,
            header,
            sections,
            references,
            tuple(self.warnings),
            tuple(sorted(self.footnote_defs.values(), key=_footnote_order)),
        )

    def _headless_start(self, start: int, first: int) -> int:
        """Where the sections start when labelled clauses follow the assembly's words before
        the first heading (a preamble whose first heading is missing): at those clauses."""
        intro = next((i for i in range(start, first) if _is_intro(self.lines[i].folded)), None)
        if intro is None:
            return first
        for i in range(intro + 1, first):
            item = _make_item(self.lines[i], False)
            if item is not None and item.label is not None:
                return i
        return first

    def _check_ending(self, sections: tuple[Section, ...]) -> None:
        """A text cut off mid-clause (a partial copy, a truncated file) is read as far as it
        goes, with a warning on its last clause."""
        if not sections or not sections[-1].clauses:
            return
        last = sections[-1].clauses[-1]
        while last.children:
            last = last.children[-1]
        text = last.plain_text.rstrip()
        if text and text[-1] not in ".;:,!?)\u201d\"'\u2019]" and not self._stopped:
            self.warn(
                "truncated",
                f"the text ends mid-clause ('...{text[-40:]}'): it may be cut off",
                f"line {last.line}",
                last.eid,
            )

    def _collect_footnotes(self) -> None:
        for line in self.lines:
            for m in _FOOTNOTE_DEF.finditer(line.ft.original):
                body = " ".join(m.group("body").split())
                self.footnote_defs[m.group("id")] = Footnote(m.group("id"), m.group("marker"), body)

    def _raw_sections(self, first: int) -> list[_RawSection]:
        sections: list[_RawSection] = []
        blank = False
        for line in self.lines[first:]:
            text = line.folded
            if not text.strip():
                blank = True
                continue
            if _STOP.match(text) or (_is_header(text) and sections):
                self._stopped = True
                self.warn(
                    "trailing_content",
                    f"text from here on is not parsed: '{text.strip()[:60]}'",
                    f"line {line.no}",
                )
                break
            if _ARTIFACT.match(text):
                self.warn("artifact_dropped", f"'{text.strip()}' dropped", f"line {line.no}")
                continue
            heading = _match_heading(text)
            if heading is not None:
                sections.append(_RawSection(heading, line.no, []))
                if heading.old is not None:
                    self.warn(
                        "merged_heading",
                        f"'{heading.heading}' read as '{heading.old}' "
                        f"(before) / '{heading.new}' (after)",
                        f"line {line.no}",
                    )
            else:
                item = _make_item(line, blank)
                if item is not None:
                    if not sections:  # clauses after the assembly's words, before any heading
                        sections.append(_RawSection(_MISSING_HEADING, line.no, []))
                        self.warn(
                            "missing_heading",
                            "clauses before the first heading: kept in a preambular section "
                            "without a heading (the heading, e.g. 'considering', is missing)",
                            f"line {line.no}",
                        )
                    sections[-1].items.append(item)
            blank = False
        return sections

    def _known_bodies(self, raw: list[_RawSection]) -> dict[str, str]:
        seen: dict[str, set[str]] = {}
        for section in raw:
            for item in _walk_items(section.items):
                for ref in find_references(item.full_text).references:
                    if ref.type == "resolution" and ref.body and ref.body_basis == "explicit":
                        seen.setdefault(ref.number or "", set()).add(ref.body)
        return {num: bodies.pop() for num, bodies in seen.items() if len(bodies) == 1}

    def _sections(self, raw: list[_RawSection]) -> tuple[Section, ...]:
        keys = section_keys(
            [(s.heading.old or s.heading.keyword, s.heading.addressee) for s in raw]
        )
        trees = [self._tree(section) for section in raw]
        if self.flattened:
            for i in range(1, len(raw)):
                self._moves(raw[i - 1], keys[i - 1], trees[i - 1], raw[i], trees[i])
            for section, roots in zip(raw, trees, strict=True):
                self._one_reading_lists(section, roots)
        out: list[Section] = []
        for key, section, roots in zip(keys, raw, trees, strict=True):
            h = section.heading
            clauses = self._clauses(roots, key, h.heading)
            if not clauses:
                self.warn("empty_section", f"'{h.heading}' has no clause", f"line {section.line}")
            out.append(
                Section(
                    key,
                    h.heading,
                    h.old,
                    h.new,
                    h.keyword,
                    h.kind,
                    h.addressee,
                    section.line,
                    clauses,
                )
            )
        return tuple(out)

    def _tree(self, section: _RawSection) -> list[_Item]:
        """The section's items nested into lists, each with its reading."""
        roots, frames = _build_tree(section.items)
        for frame in frames:
            labels = [item.label or "" for item in frame.items]
            if not self.flattened:
                for item in frame.items:
                    item.reading = _plain_reading(item.label or "", frame.scheme)
                continue
            for item, reading in zip(frame.items, _align_labels(labels, frame.scheme), strict=True):
                item.reading = reading
        return roots

    # ---- what the label sequences of one section cannot show

    def _moves(
        self,
        before: _RawSection,
        before_key: str,
        before_roots: list[_Item],
        section: _RawSection,
        roots: list[_Item],
    ) -> None:
        """Clauses moved from the end of the previous section: the before-reading labels of
        this section do not start a list but continue the previous section's ("considering"
        a)-f), then "recognising" ga), hb), ic): g)-i) were considering's before the change)."""
        if section.heading.old is not None:
            return
        mine = [(item, _before_index(item)) for item in roots if item.scheme == "alpha"]
        theirs = [_before_index(item) for item in before_roots if item.scheme == "alpha"]
        olds = [old for _, old in mine if old is not None]
        ends = [old for old in theirs if old is not None]
        if not olds or not ends or olds[0] == 0 or olds[0] != max(ends) + 1:
            return
        heading = before.heading.old or before.heading.heading
        for item, old in mine:
            if old is None:
                continue
            item.moved_from = MovedFrom(before_key, heading, _name(old, "alpha"))

    def _one_reading_lists(self, section: _RawSection, roots: list[_Item]) -> None:
        """A nested list whose parent ends with both a ';' and a ':' (";:") is introduced by
        the ':' of one reading only. When an inserted clause of the section cites a later
        revision of a resolution that the list cites, the list is the before reading: its
        items are read as likely deleted, with both cues."""
        inserted = [i for i in roots if i.reading is not None and i.reading.reading == "after"]
        for parent in _walk_items(roots):
            if not parent.children or not _MIXED_END.search(parent.full_text):
                continue
            end = _MIXED_END.search(parent.full_text)
            mark = end.group(0).strip() if end else ""
            place = f"{section.heading.heading} {parent.written}"
            superseded = self._superseded(parent.children, inserted, section.heading.heading)
            if not superseded:
                self.warn(
                    "list_in_one_reading",
                    f"{parent.written} ends '{mark}': the list under it is introduced in one "
                    "reading only; which one, the text does not show",
                    place,
                )
                continue
            cues = (
                f"{parent.written} ends '{mark}': the ':' that introduces the list is in one "
                "reading only",
                superseded,
            )
            for item in _walk_items(parent.children):
                item.inferred = InferredChange("deleted", "likely", cues)
            first, last = parent.children[0].written, parent.children[-1].written
            self.warn(
                "likely_deleted_list",
                f"the list {first}-{last} under {parent.written} is read as likely deleted: "
                + "; ".join(cues),
                place,
            )

    def _superseded(self, items: list[_Item], inserted: list[_Item], heading: str) -> str | None:
        """In words, an inserted clause citing a later revision of a resolution that one of
        ``items`` cites; None if there is none."""
        later: list[tuple[_Item, Reference]] = [
            (item, ref) for item in inserted for ref in self._cited_revisions(item)
        ]
        for item in _walk_items(items):
            for old in self._cited_revisions(item):
                for new_item, new in later:
                    same = (new.body, new.number) == (old.body, old.number)
                    if same and _year(new) > _year(old):
                        return (
                            f"the inserted {heading} {new_item.written} cites "
                            f"'{_squash(new.text)}', a later revision than "
                            f"{item.written}'s '{_squash(old.text)}'"
                        )
        return None

    def _cited_revisions(self, item: _Item) -> list[Reference]:
        found = find_references(
            item.full_text, known_bodies=self.known_bodies, default_body=self.default_body
        ).references
        return [r for r in found if r.type == "resolution" and _year(r) > 0 and r.number]

    def _clauses(self, items: list[_Item], prefix: str, heading: str) -> tuple[Clause, ...]:
        out: list[Clause] = []
        unlabelled = 0
        for order, item in enumerate(items, 1):
            since = len(self.warnings)
            if item.label is None:
                unlabelled += 1
                label = old = None
                key, reading = str(unlabelled), "both"
                place = f"{heading} paragraph {unlabelled}"
            else:
                place = f"{heading} {item.written}"
                label, old, key, reading = self._labels(item, place)
            eid = self._unique_eid(f"{prefix}__{key}", place)
            self._tag(since, eid)
            children = self._clauses(item.children, f"{eid}__list_1", heading)
            since = len(self.warnings)
            out.append(
                self._clause(
                    item,
                    eid=eid,
                    label=label,
                    old=old,
                    reading=reading,
                    order=order,
                    place=place,
                    children=children,
                )
            )
            self._tag(since, eid)
        return tuple(out)

    def _labels(self, item: _Item, place: str) -> tuple[str | None, str | None, str, str]:
        """(label, old_label, eid key, reading) of a labelled item, with warnings."""
        r = item.reading
        scheme = item.scheme or "alpha"
        written = item.written or ""
        if r is None or (r.new is None and r.old is None):
            self.warn("irregular_label", f"label '{written}' does not fit its list", place)
            return written, None, slug(written), "both"
        new = _name(r.new, scheme) if r.new is not None else None
        old = _name(r.old, scheme) if r.old is not None else None
        if r.irregular:
            self.warn("irregular_label_sequence", f"label '{written}' breaks the sequence", place)
        if r.merged:
            self.warn(
                "merged_label", f"label '{written}' read as {old} (before) / {new} (after)", place
            )
        if item.inferred is not None and old is not None:
            self.warn(
                "likely_deleted",
                f"clause {written} read as likely deleted: " + "; ".join(item.inferred.cues),
                place,
            )
            return None, old, old.rstrip(")"), "before"
        if item.moved_from is not None and new is not None:
            source = item.moved_from
            self.warn(
                "moved_across_sections",
                f"clause {written} read as moved from '{source.heading}' {source.label} "
                f"(before) to '{place.rsplit(' ', 1)[0]}' {new} (after): the before-reading "
                f"labels here continue those of '{source.heading}'",
                place,
            )
            return new, None, new.rstrip(")"), "both"
        if r.reading == "before" and old is not None:
            self.warn(
                "inferred_reading",
                f"clause {written} read as present only in the before "
                "reading (deleted), from the label sequence",
                place,
            )
            return None, old, f"before_{old.rstrip(')')}", "before"
        if r.reading == "after" and new is not None:
            self.warn(
                "inferred_reading",
                f"clause {written} read as present only in the after "
                "reading (inserted), from the label sequence",
                place,
            )
            return new, None, new.rstrip(")"), "after"
        label = new or old or written
        return label, (old if old != label else None), label.rstrip(")"), "both"

    def _unique_eid(self, eid: str, place: str) -> str:
        candidate, n = eid, 1
        while candidate in self.used_eids:
            n += 1
            candidate = f"{eid}_{n}"
        if n > 1:
            self.warn("duplicate_eid", f"'{eid}' already used: this clause is '{candidate}'", place)
        self.used_eids.add(candidate)
        return candidate

    def _clause(
        self,
        item: _Item,
        *,
        eid: str,
        label: str | None,
        old: str | None,
        reading: str,
        order: int,
        place: str,
        children: tuple[Clause, ...],
    ) -> Clause:
        text = item.full_text
        plain = " ".join(
            _BOOKMARK.sub("", _FOOTNOTE_REF.sub("", _FOOTNOTE_DEF.sub("", text))).split()
        )
        if _DOUBLED_PUNCT.search(fold(plain).folded):
            self.warn(
                "doubled_punctuation", "doubled punctuation, probably a flattened change", place
            )
        scan = find_references(text, known_bodies=self.known_bodies, default_body=self.default_body)
        self.notes(scan.notes, place)
        return Clause(
            eid,
            label,
            old,
            item.written,
            reading,
            order,
            item.line,
            text,
            plain,
            self._footnotes_of(text, place),
            scan.references,
            children,
            moved_from=item.moved_from,
            inferred_change=item.inferred,
        )

    def _footnotes_of(self, text: str, place: str) -> tuple[Footnote, ...]:
        found: list[Footnote] = []
        for m in _FOOTNOTE_REF.finditer(text):
            note = self.footnote_defs.get(m.group("id"))
            if note is None:
                self.warn("footnote_missing", f"footnote {m.group('id')} has no text", place)
                continue
            found.append(Footnote(note.id, m.group("marker") or note.marker, note.text))
        return tuple(found)


def _footnote_order(note: Footnote) -> tuple[int, str]:
    return (int(note.id) if note.id.isascii() and note.id.isdigit() else -1), note.id


_MIXED_END = re.compile(r"(?:;\s*:|:\s*;)\s*$")


def _year(ref: Reference) -> int:
    meeting = ref.revision.meeting if ref.revision else None
    return meeting.year if meeting and meeting.year else 0


def _squash(text: str) -> str:
    return " ".join(text.split())
