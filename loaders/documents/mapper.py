"""The mapping of one parsed document: document, resolution and versions, sections and
clauses."""

from __future__ import annotations

import itertools
from typing import Any

import pyoxigraph as ox

from loaders.documents.base import ACTIONS, CLAUSE_DOUBTS, _same_meeting, _status, _warning_text
from loaders.documents.citations import _Citations
from loaders.errors import DocumentError
from loaders.organs import BODY_SECTOR, add_sector
from loaders.rdf import en, lit
from loaders.reference import normalise_body
from ontology import DCTERMS, PROV, RDFS, WSIS


class _Mapper(_Citations):
    """Maps one parsed document onto the ontology: the document, the resolution and its
    versions, the sections and clauses, and (through :class:`_Citations`) their references."""

    def run(self) -> None:
        document = self.data["document"]
        if not document.get("body") or not document.get("number"):
            raise DocumentError(self.path.name, "no resolution body and number found")
        try:
            body = normalise_body(document["body"])
        except ValueError as e:
            raise DocumentError(self.path.name, str(e)) from e
        self._document(document)
        self.body = body
        self.doubts: dict[str, list[str]] = {}
        for warning in self.data["warnings"]:
            if warning.get("clause") and warning["code"] in CLAUSE_DOUBTS:
                self.doubts.setdefault(warning["clause"], []).append(_warning_text(warning))
        work = self._work(body, document["number"])
        self.work = work
        version = self._versions(body, document, work)
        self.version = version
        for order, section in enumerate(self.data["sections"], start=1):
            self._section(version, section, order)
        for warning in self.data["warnings"]:
            self.report.warn(warning["place"], f"{warning['message']} [{warning['code']}]")
            self.out.add(self.doc, WSIS.warning, lit(_warning_text(warning)))

    # -------------------------------------------------------------- document and resolution

    def _document(self, document: dict[str, Any]) -> None:
        out, doc = self.out, self.doc
        out.typed(doc, WSIS.Document)
        out.add(doc, WSIS.fileName, lit(self.path.name))
        if self.volume is None:
            out.add(doc, RDFS.label, lit(f"{self.path.name}"))
        else:  # one resolution of a volume: the volume is its source, its pages the locator
            volume_key, part = self.volume
            node = self.ids.document(volume_key)
            out.typed(node, WSIS.Document, WSIS.Volume)
            out.add(node, WSIS.fileName, lit(self.path.name))
            out.add(node, RDFS.label, lit(self.path.name))
            out.add(doc, DCTERMS.isPartOf, node)
            where = part.pages or f"from line {part.first_line}"
            number = f"Resolution {document.get('number')}" if document.get("number") else None
            label = ", ".join(x for x in (number, where) if x)
            out.add(doc, RDFS.label, lit(f"{self.path.name} ({label})"))
            out.add(doc, WSIS.locator, lit(where))
        if document["kind"] == "contribution":
            out.typed(doc, WSIS.Contribution)
        if document.get("abstract"):
            out.add(doc, WSIS.abstract, en(document["abstract"]))
        if admin := document.get("proposing_administration"):
            node = self.ids.agency(admin)
            out.typed(node, WSIS.Administration)
            out.add(node, RDFS.label, en(admin))
            out.add(doc, DCTERMS.creator, node)

    def _versions(self, body: str, document: dict[str, Any], work: ox.NamedNode) -> ox.NamedNode:
        number = document["number"]
        revisions = document.get("revisions") or {}
        in_force = revisions.get("in_force")
        proposed: dict[str, Any] | None = (
            revisions.get("proposed") if document["kind"] == "contribution" else None
        )
        adopted: list[ox.NamedNode] = []
        for i, rev in enumerate(document.get("history") or []):
            node = self._version(body, number, work, rev, i > 0)
            if proposed is not None and _same_meeting(rev, proposed):
                self._proposed(node)  # the history line names the proposed revision too
            else:
                adopted.append(node)
        for earlier, later in itertools.pairwise(adopted):
            self.out.add(later, DCTERMS.replaces, earlier)
        for node in adopted:
            self.out.add(node, WSIS.versionStatus, WSIS.Adopted)
        current = self._version(body, number, work, in_force, True) if in_force else None
        if current is not None:
            self.out.add(current, WSIS.versionStatus, WSIS.Adopted)
        title = document.get("title")
        if proposed is None:
            if current is None:
                raise DocumentError(self.path.name, "no revision of the resolution found")
            if title:
                self.out.add(current, DCTERMS.title, en(title))
            return current
        target = self._version(body, number, work, proposed, True)
        self._proposed(target)
        draft = self.ids.draft_version(target, self.key)
        out = self.out
        out.typed(draft, WSIS.ResolutionVersion, WSIS.DraftVersion)
        add_sector(out, draft, BODY_SECTOR[body])
        out.add(draft, DCTERMS.isVersionOf, work)
        out.add(draft, WSIS.listedUnder, work)
        out.add(draft, WSIS.revisionYear, lit(int(proposed["year"])))
        label = f"Rev. {proposed['place']['normalised']}, {proposed['year']} (proposed)"
        out.add(draft, WSIS.revisionLabel, lit(label))
        out.add(draft, RDFS.label, en(f"{body} Resolution {number} ({label} in {self.path.name})"))
        out.add(draft, PROV.wasDerivedFrom, self.doc)
        self._proposed(draft)
        if title:
            out.add(draft, DCTERMS.title, en(title))
        change = self.ids.proposed_change(self.doc, 1)
        action = (document.get("action") or "MOD").upper()
        if action not in ACTIONS:
            raise DocumentError(self.path.name, f"unknown action {action!r} (MOD, ADD or SUP)")
        out.typed(change, WSIS.ProposedChange)
        out.add(change, RDFS.label, lit(f"{action} {body} Resolution {number}"))
        out.add(change, WSIS.action, WSIS[action])
        out.add(change, WSIS.changes, current or work)
        out.add(change, WSIS.proposedVersion, draft)
        out.add(self.doc, WSIS.proposes, change)
        return draft

    def _proposed(self, version: ox.NamedNode) -> None:
        """A version only this proposal names: proposed, in this document, replacing nothing."""
        self.out.add(version, WSIS.versionStatus, WSIS.Proposed)
        self.out.add(version, WSIS.proposedIn, self.doc)

    # -------------------------------------------------------------- sections and clauses

    def _section(self, version: ox.NamedNode, section: dict[str, Any], order: int) -> None:
        node = self.ids.section(version, section["eid"])
        out = self.out
        kind = WSIS.OperativeSection if section["kind"] == "operative" else WSIS.PreambularSection
        out.typed(node, WSIS.Section, kind)
        out.add(version, WSIS.hasSection, node)
        out.add(node, WSIS.heading, lit(section["heading"]))
        out.add(node, WSIS.eId, lit(section["eid"]))
        out.add(node, WSIS.order, lit(order))
        out.add(node, RDFS.label, lit(section["heading"]))
        if section.get("addressee"):
            out.add(node, WSIS.addressee, lit(section["addressee"]))
        if section.get("line"):
            out.add(node, WSIS.sourceLine, lit(int(section["line"])))
        if section.get("page"):
            out.add(node, WSIS.sourcePage, lit(int(section["page"])))
        out.add(node, PROV.wasDerivedFrom, self.doc)
        self.report.count("sections")
        for clause in section["clauses"]:
            self._clause(node, node, section, clause)

    def _clause(
        self,
        section_node: ox.NamedNode,
        parent: ox.NamedNode,
        section: dict[str, Any],
        clause: dict[str, Any],
    ) -> None:
        path = clause["eid"].removeprefix(section["eid"]).strip("_").replace("__", "/")
        node = self.ids.clause(section_node, path)
        out = self.out
        out.typed(node, WSIS.Clause)
        out.add(node, WSIS.listedUnder, self.work)
        out.add(parent, WSIS.hasClause, node)
        out.add(node, WSIS.eId, lit(clause["eid"]))
        out.add(node, WSIS.order, lit(int(clause["order"])))
        out.add(node, WSIS.text, lit(clause["text"]))
        label = clause.get("label") or clause.get("old_label")
        name = (
            f"{section['heading']} {label}"
            if label
            else f"{section['heading']} ({clause['order']})"
        )
        out.add(node, RDFS.label, lit(name))
        out.add_all(
            node,
            [
                (WSIS.clauseLabel, lit(clause["label"]) if clause.get("label") else None),
                (
                    WSIS.previousLabel,
                    lit(clause["old_label"])
                    if clause.get("old_label") and clause.get("old_label") != clause.get("label")
                    else None,
                ),
                (
                    WSIS.labelAsWritten,
                    lit(clause["label_as_written"]) if clause.get("label_as_written") else None,
                ),
                (WSIS.reading, lit(clause["reading"]) if clause.get("reading") else None),
                (WSIS.sourceLine, lit(int(clause["line"])) if clause.get("line") else None),
                (WSIS.sourcePage, lit(int(clause["page"])) if clause.get("page") else None),
                (
                    WSIS.textBefore,
                    lit(clause["text_before"]) if clause.get("text_before") else None,
                ),
                (WSIS.textAfter, lit(clause["text_after"]) if clause.get("text_after") else None),
            ],
        )
        out.add(node, WSIS.changeStatus, WSIS[_status(clause)])
        if moved := clause.get("moved_from"):
            out.add(node, WSIS.previousSection, self.ids.section(self.version, moved["section"]))
            out.add(node, WSIS.previousLabel, lit(moved["label"]))
        for cue in (clause.get("inferred_change") or {}).get("cues") or []:
            out.add(node, WSIS.statusCue, lit(cue))
        for change in clause.get("changes") or []:
            if change.get("author"):
                out.add(node, WSIS.changeAuthor, lit(change["author"]))
            if change.get("date"):
                out.add(node, WSIS.changeDate, lit(change["date"]))
        for footnote in clause.get("footnotes") or []:
            text = footnote["text"] if isinstance(footnote, dict) else str(footnote)
            out.add(node, WSIS.footnote, lit(text))
        out.add(node, PROV.wasDerivedFrom, self.doc)
        self.report.count("clauses")
        for mention in clause.get("mentions") or []:
            self._reference(node, mention, name, self.doubts.get(clause["eid"], []))
        for child in clause.get("children") or []:
            self._clause(section_node, node, section, child)

    # -------------------------------------------------------------- references
