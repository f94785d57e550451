"""The references a clause makes, as ``extracted`` links with their words, offsets and
confidence (see :mod:`loaders.documents`)."""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from loaders.documents.base import GROUP_NAMES, ROLE_PROPERTIES, _confidence, _MapperBase
from loaders.organs import add_sector, group_sector
from loaders.outcome import (
    OUTCOME_DOCUMENTS,
    REFERENCE_KINDS,
    describe_document,
    describe_paragraph,
    has_paragraph,
    paragraph_label,
)
from loaders.rdf import en, lit
from loaders.reference import BODIES, normalise_body
from loaders.references import MEETING_NAMES
from loaders.wsis_paragraphs import paragraph_facts
from ontology import RDFS, SKOS, WSIS


class _Citations(_MapperBase):
    """A clause's references as links: Action Lines by role, resolutions and their
    revisions, paragraphs of the outcome documents, meetings, groups and SDGs."""

    def _reference(
        self, clause: ox.NamedNode, ref: dict[str, Any], place: str, doubts: list[str]
    ) -> None:
        target = self._reference_target(ref)
        if target is None:
            self.report.count("references not linked")
            return
        relation, obj, role = target
        warnings = [
            f"{place}: {w['message']} [{w['code']}]" for w in ref.get("warnings") or []
        ] + doubts
        self._link(clause, relation, obj, ref, role or ref["type"], warnings)
        if ref["type"] in REFERENCE_KINDS:
            self._outcome_paragraphs(clause, ref, place, warnings)
        if (ref.get("revision") or {}).get("before"):
            # a merged revision ("Rev. DubaiBucharest, 20182022"): the text cites the old
            # revision before the change and the new one after it
            before = self._cited_resolution(ref, "before")
            role = f"{ref['type']} (reading before the change)"
            self._link(clause, relation, before, ref, role, warnings)
        self.report.count("references")

    def _link(
        self,
        clause: ox.NamedNode,
        relation: ox.NamedNode,
        obj: ox.NamedNode,
        ref: dict[str, Any],
        role: str,
        warnings: list[str],
    ) -> None:
        where = self.ids.text_span(clause, int(ref["start"]), int(ref["end"]))
        link = self.out.link(
            clause,
            relation,
            obj,
            evidence="extracted",
            confidence=_confidence(warnings),
            source=where,
            clause=clause,
            document=self.doc,
            quotation=ref["text"],
            source_relation=role,
        )
        self.out.add(link, WSIS.startOffset, lit(int(ref["start"])))
        self.out.add(link, WSIS.endOffset, lit(int(ref["end"])))
        if ref.get("paragraphs"):
            self.out.add(link, WSIS.paragraph, lit(", ".join(ref["paragraphs"])))
        for warning in warnings:
            self.out.add(link, WSIS.evidenceWarning, lit(warning))

    def _reference_target(
        self, ref: dict[str, Any]
    ) -> tuple[ox.NamedNode, ox.NamedNode, str | None] | None:
        kind = ref["type"]
        if kind == "action_line" and ref.get("code"):
            role = ref.get("role")
            relation = WSIS[ROLE_PROPERTIES.get(role or "", "supportsActionLine")]
            return relation, self.ids.action_line(ref["code"]), role
        if kind in ("resolution", "resolution_paragraph") and ref.get("number"):
            return WSIS.cites, self._cited_resolution(ref), None
        if kind == "agenda_2030":
            work = self._work("UNGA", "70/1")
            return WSIS.cites, self._version("UNGA", "70/1", work, {"year": 2015}, False), None
        if kind in REFERENCE_KINDS:  # a paragraph of a WSIS outcome document: cites it
            return WSIS.cites, describe_document(self.out, self.ids, REFERENCE_KINDS[kind]), None
        if kind == "sdg_goal" and ref.get("code"):
            return WSIS.mentions, self.ids.sdg_goal(ref["code"]), None
        if kind == "sdg_target" and ref.get("code"):
            return WSIS.mentions, self.ids.sdg_target(ref["code"]), None
        if kind == "body" and ref.get("code"):
            return WSIS.mentions, self._group(ref["code"]), None
        if kind == "meeting" and (ref.get("meeting") or {}).get("year"):
            return WSIS.mentions, self._meeting(ref), None
        if kind == "wsis_document" and ref.get("code"):
            node = self.ids.document(ref["code"])
            self.out.typed(node, WSIS.Document)
            self.out.add(node, RDFS.label, en(ref["code"]))
            return WSIS.cites, node, None
        return None

    # ---- BEGIN WSIS outcome-document paragraphs (branch wsis-paragraphs)

    def _outcome_paragraphs(
        self, clause: ox.NamedNode, ref: dict[str, Any], place: str, warnings: list[str]
    ) -> None:
        """A reference to paragraphs of a WSIS outcome document: an extracted link from the
        clause to each paragraph, and, where the curated table says which Action Line the
        paragraph sets out, an extracted link to that line with the same words. A paragraph
        number the document does not have gives a warning and no link."""
        key = REFERENCE_KINDS[ref["type"]]
        facts = paragraph_facts()
        for text in ref.get("paragraphs") or []:
            number = int(text)
            if not has_paragraph(key, number):
                info = OUTCOME_DOCUMENTS[key]
                message = (
                    f"{place}: '{ref['text']}' names paragraph {number}, but the {info.name} "
                    f"has {info.paragraphs} paragraphs [unknown_paragraph]"
                )
                self.report.warn(place, message)
                self.out.add(self.doc, WSIS.warning, lit(message))
                continue
            node = describe_paragraph(self.out, self.ids, key, number)
            self._link(clause, WSIS.citesParagraph, node, ref, ref["type"], warnings)
            self.report.count("paragraph references")
            fact = facts.get((key, number))
            if fact is None or not fact.action_line:
                continue
            doubts = list(warnings)
            if fact.general_knowledge:
                doubts.append(
                    f"{place}: that {paragraph_label(key, number)} sets out {fact.action_line} is "
                    f"general knowledge (wsis_paragraphs.csv row {fact.row}) [unsourced_paragraph]"
                )
            role = f"{ref['type']} (§{number} sets out {fact.action_line})"
            self._link(
                clause,
                WSIS.supportsActionLine,
                self.ids.action_line(fact.action_line),
                ref,
                role,
                doubts,
            )

    # ---- END WSIS outcome-document paragraphs

    def _meeting(self, ref: dict[str, Any]) -> ox.NamedNode:
        """A meeting named in a clause ("the Plenipotentiary Conference (Busan, 2014)"),
        described so that it never dangles."""
        body, meeting = ref["body"], ref["meeting"]
        year = int(meeting["year"])
        node = self.ids.meeting(body, year)
        out = self.out
        out.typed(node, WSIS.Meeting)
        out.add(node, WSIS.meetingYear, lit(year))
        out.add(node, SKOS.notation, lit(ref["code"]))
        name = MEETING_NAMES.get(body, body)
        where = f"{meeting['place']}, {year}" if meeting.get("place") else str(year)
        out.add(node, RDFS.label, en(f"{name} ({where})"))
        if meeting.get("place"):
            out.add(node, WSIS.meetingPlace, lit(meeting["place"]))
        if body in BODIES:
            out.add(node, WSIS.meetingOf, self.res.body(body))
        return node

    def _cited_resolution(self, ref: dict[str, Any], reading: str = "after") -> ox.NamedNode:
        """The cited resolution (or its cited revision), described so that it never dangles,
        with the IRIs the reference data uses for the same resolution and revision."""
        body = normalise_body(ref["body"]) if ref.get("body") else self.body
        work = self._work(body, ref["number"])
        revision = ref.get("revision") or {}
        if reading == "before":
            revision = {**revision.get("before", {}), "is_revision": revision.get("is_revision")}
        if not revision.get("year"):
            return work
        place = revision.get("place")
        cited = {
            "year": revision["year"],
            "place": {"normalised": place, "as_written": revision.get("place_as_written") or place}
            if place
            else None,
        }
        return self._version(body, ref["number"], work, cited, bool(revision.get("is_revision")))

    def _group(self, code: str) -> ox.NamedNode:
        node = self.ids.agency(code)
        study_group = re.fullmatch(r"SG(\d+)", code)
        label = (
            f"ITU-T Study Group {study_group[1]}" if study_group else GROUP_NAMES.get(code, code)
        )
        self.out.typed(node, WSIS.ITUGroup)
        add_sector(self.out, node, group_sector(code))
        self.out.add(node, RDFS.label, en(label))
        self.out.add(node, SKOS.notation, lit(code))
        return node
