"""The JSON answers of the REST API as pydantic models: one per answer shape, shared parts
nested (a reference, a source of a link, a page of items).

They say in one place what each route answers, for three readers: the OpenAPI document
(``response_model=``: the answers with their fields, descriptions and an example taken from
the built-in data), the schema fuzzing (which then checks bodies, not only statuses) and the
code that shapes rows into answers (api/shaping.py, used by REST and the dashboard alike).

Every model forbids fields it does not name (``additionalProperties: false``), so that an
answer that drifts from its model fails its contract test (tests/test_response_models.py)
instead of changing the API unannounced. A text field given a number by the graph (a literal
typed as a number where a text is expected) takes it as its text. Fields that a route leaves
out when the graph has no value (the rows of ``/sdgs``, ``rolled_up_from`` of a matrix row,
``choices`` of a query parameter) have no default in the answer: dump with
``exclude_unset=True`` to answer exactly what the route answers.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Evidence = Literal["stated", "extracted", "inferred"]
RELEASE = "20261205T132301695387Z-816e581c"
_ID = "https://w3id.org/wsis-kg/id/"


class ApiModel(BaseModel):
    """The base of every answer: no unnamed field; numbers given for a text become text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(
        extra="forbid", coerce_numbers_to_str=True, json_schema_extra={"examples": list(examples)}
    )


# ---------------------------------------------------------------- shared parts


class Ref(ApiModel):
    """A resource the answer points to: its IRI and its label."""

    iri: str = Field(description="The IRI of the resource.")
    label: str | None = Field(
        description="Its label (its IRI when it has none; search: null when it has none)."
    )


class Page(ApiModel):
    """Where a page of a longer list starts and how long it may be."""

    total: int = Field(description="How many items there are in all (every page).")
    offset: int = Field(description="How many items were skipped before this page.")
    limit: int = Field(description="At most this many items are on the page.")


class ErrorAnswer(ApiModel):
    """Every answer other than 2xx and 304: what is wrong, in one line."""

    model_config = _examples({"error": "no Action Line C8"})

    error: str = Field(description="What is wrong, in one line.")


class TooManyRowsAnswer(ErrorAnswer):
    """``/sparql``: an answer of more rows than the service gives (422): add a LIMIT."""

    model_config = _examples(
        {"error": "the answer has more than 100000 rows", "max_result_rows": 100000}
    )

    max_result_rows: int = Field(description="The most rows an answer may have.")


# ---------------------------------------------------------------- the service


class Health(ApiModel):
    """``GET /health``: the service answers, and from which release."""

    model_config = _examples({"status": "ok", "release": RELEASE, "quads": 444573, "pid": 30871})

    status: Literal["ok"] = Field(description="Always ok: the service answers.")
    release: str | None = Field(
        description="The id of the latest committed release (null: an empty store)."
    )
    quads: int = Field(description="The number of quads in the store.")
    pid: int = Field(description="The process that answered (several may serve one store).")


class Graphs(ApiModel):
    """``GET /graphs``: the named graphs of the current release and their sizes."""

    model_config = _examples(
        {
            "release": RELEASE,
            "graphs": {f"{_ID}graph/action-lines": 1174, f"{_ID}graph/sdg-targets": 2538},
        }
    )

    release: str | None = Field(description="The release the sizes are of.")
    graphs: dict[str, int] = Field(description="Each named graph (IRI) and its triples.")


class UpdateDone(ApiModel):
    """``POST /sparql`` with an update: the release the update made."""

    model_config = _examples({"release": RELEASE})

    release: str | None = Field(description="The new release (null: nothing committed).")


class QueryParameter(ApiModel):
    """A parameter of a named query (and of the REST route built on it)."""

    name: str = Field(description="Its name, also the name of the query's variable.")
    type: str = Field(description="string, integer or iri.")
    required: bool = Field(description="Whether the query needs it.")
    repeatable: bool = Field(description="Whether it takes several values.")
    example: str = Field(description="A value it takes.")
    description: str = Field(description="What it selects.")
    choices: list[str] = Field(
        default_factory=list, description="The values it takes (only when it has a fixed list)."
    )


class NamedQueryInfo(ApiModel):
    """One named query: its name, what it answers, where its text is and its parameters."""

    name: str = Field(description="The name of the query (its file graph/queries/NAME.rq).")
    description: str = Field(description="What it answers.")
    url: str = Field(description="Where its SPARQL text is (GET: it runs as it is on /sparql).")
    parameters: list[QueryParameter] = Field(description="Its parameters.")


class QueryCatalogue(ApiModel):
    """``GET /queries``: the prefixes the service declares and the named queries."""

    model_config = _examples(
        {
            "prefixes": {"wsis": "https://w3id.org/wsis-kg/ontology#"},
            "queries": [
                {
                    "name": "action-lines",
                    "description": "The WSIS Action Lines C1-C11 and the C7 sub-lines.",
                    "url": "http://127.0.0.1:8000/queries/action-lines",
                    "parameters": [
                        {
                            "name": "action_line",
                            "type": "string",
                            "required": False,
                            "repeatable": False,
                            "example": "C5",
                            "description": "an Action Line code (C1 to C11, or a C7 sub-line "
                            "such as C7.e-health); without it, every Action Line",
                        }
                    ],
                }
            ],
        }
    )

    prefixes: dict[str, str] = Field(description="Prefix -> namespace, usable on /sparql.")
    queries: list[NamedQueryInfo] = Field(description="Every named query.")


# ---------------------------------------------------------------- Action Lines


class ActionLine(ApiModel):
    """``GET /action-lines/{id}`` (and each item of ``GET /action-lines``): one Action Line."""

    model_config = _examples(
        {
            "id": "C5",
            "iri": f"{_ID}action-line/C5",
            "title": "Building confidence and security in the use of ICTs",
            "label": "C5 Building confidence and security in the use of ICTs",
            "parent": None,
            "sub_lines": [],
            "geneva_plan_paragraph": "12",
            "itu_role": "sole facilitator",
            "lead_facilitators": ["ITU"],
            "co_facilitators": [],
        }
    )

    id: str = Field(description="Its code: C1 to C11, or a C7 sub-line (C7.e-health).")
    iri: str = Field(description="Its IRI.")
    title: str | None = Field(description="Its title.")
    label: str | None = Field(description="Its code and title.")
    parent: str | None = Field(description="The Action Line of a C7 sub-line (else null).")
    sub_lines: list[str] = Field(description="The codes of its sub-lines (C7 only).")
    geneva_plan_paragraph: str | None = Field(
        description="The paragraph(s) of the Geneva Plan of Action that state it."
    )
    itu_role: str | None = Field(description="ITU's role in it (e.g. sole facilitator).")
    lead_facilitators: list[str] = Field(description="The agencies that lead it.")
    co_facilitators: list[str] = Field(description="The agencies that co-facilitate it.")


class WorkSource(ApiModel):
    """One link that makes a work support an Action Line: what it names, its evidence and
    where it is stated."""

    link: str = Field(description="The IRI of the link (a reified statement).")
    evidence: Evidence = Field(description="stated, extracted or inferred.")
    confidence: str | None = Field(description="How sure the source is (high, medium, low).")
    via: Ref | None = Field(
        description="What the source names: a version, a clause, an edition, the study group "
        "of a period."
    )
    relation: str | None = Field(description="The property the link states (IRI).")
    source_relation: str | None = Field(description="The relation as the source table names it.")
    document_symbol: str | None = Field(description="The document that states it.")
    locator: str | None = Field(description="Where in that document.")
    quotation: str | None = Field(description="The words of the document, when quoted.")
    addresses: list[str] = Field(description="Web addresses of the document.")
    mirrors: list[str] = Field(description="Other copies of the document on the web.")
    row: Ref | None = Field(description="The row of the table the link comes from.")
    clause: Ref | None = Field(description="The clause of a resolution text that states it.")
    document: Ref | None = Field(description="The document the clause was read from.")
    rule: Ref | None = Field(description="The rule that inferred it (inferred links).")


class CitedWorkSource(WorkSource):
    """A source as the dashboard shows it: with the citation as the source table gives it."""

    citation: str | None = Field(description="The citation, as the source table gives it.")


class WorkItem(ApiModel):
    """A work (a resolution, a Recommendation, a study group under its latest successor, an
    organ) that supports an Action Line, once, with every link that makes it."""

    iri: str = Field(description="The IRI of the work.")
    label: str = Field(description="Its label (its IRI when it has none).")
    type: str | None = Field(description="Its kind (e.g. ITU-T Recommendation, resolution).")
    sector: str | None = Field(description="The Sector or organ whose work it is.")
    scope: Literal["specific", "all"] = Field(
        description="specific: this Action Line; all: a statement about every Action Line."
    )
    evidence: Evidence = Field(description="The strongest evidence of its sources.")
    sources: list[WorkSource] = Field(
        description="The links that make it, strongest evidence first."
    )


class CitedWorkItem(WorkItem):
    """A work as the dashboard shows it: each source with its citation."""

    sources: list[CitedWorkSource] = Field(  # type: ignore[assignment]
        description="The links that make it, strongest evidence first, with citations."
    )


_SOURCE_EXAMPLE = {
    "link": f"{_ID}link/27b7d2abccf17d8c5dd2",
    "evidence": "stated",
    "confidence": "high",
    "via": {"iri": f"{_ID}agency/ITU", "label": "International Telecommunication Union (ITU)"},
    "relation": "https://w3id.org/wsis-kg/ontology#moderatorFacilitatorOf",
    "source_relation": "moderator_facilitator",
    "document_symbol": "ITU-T web page on WSIS",
    "locator": "page text, the same sentence as for C2",
    "quotation": None,
    "addresses": ["http://www.itu.int/en/ITU-T/wsis/Pages/default.aspx"],
    "mirrors": [],
    "row": {
        "iri": f"{_ID}dataset/itu-action-line-links/row/2",
        "label": "itu-action-line-links row 2",
    },
    "clause": None,
    "document": None,
    "rule": None,
}
_ITEM_EXAMPLE = {
    "iri": f"{_ID}agency/ITU",
    "label": "International Telecommunication Union (ITU)",
    "type": "Sector or organ",
    "sector": "ITU",
    "scope": "specific",
    "evidence": "stated",
    "sources": [_SOURCE_EXAMPLE],
}


class SupportingWork(Page):
    """``GET /action-lines/{id}/supporting-work``: which work supports an Action Line, one
    page of it, with the statements about all Action Lines beside it (never counted)."""

    model_config = _examples(
        {
            "action_line": "C5",
            "evidence": ["stated", "extracted", "inferred"],
            "sector": None,
            "total": 324,
            "offset": 0,
            "limit": 1,
            "items": [_ITEM_EXAMPLE],
            "all_action_lines": [{**_ITEM_EXAMPLE, "scope": "all", "sources": []}],
        }
    )

    action_line: str = Field(description="The Action Line asked about.")
    evidence: list[Evidence] = Field(
        description="The kinds of evidence among the answer's links, strongest first."
    )
    sector: list[str] | None = Field(description="The sectors asked for (null: all).")
    items: list[WorkItem] = Field(description="The works of this page.")
    all_action_lines: list[WorkItem] = Field(
        description="Works stated to support every Action Line: shown with each, not counted."
    )


# ---------------------------------------------------------------- SDGs


class SdgSummary(ApiModel):
    """An item of ``GET /sdgs``: one goal, the row of the ``sdgs`` query as it is (a field
    the graph has no value for is left out)."""

    model_config = _examples(
        {
            "goal": "1",
            "iri": "http://metadata.un.org/sdg/1",
            "title": "End poverty in all its forms everywhere",
            "short_title": "No poverty",
            "label": "SDG 1: No poverty",
            "targets": 7,
            "action_lines": 10,
        }
    )

    goal: str = Field(description="The goal's number, 1 to 17.")
    iri: str = Field(description="Its IRI.")
    title: str = Field(description="Its title.")
    short_title: str | None = Field(default=None, description="Its short title.")
    label: str | None = Field(default=None, description="Its label.")
    targets: int = Field(description="How many targets it has.")
    action_lines: int = Field(
        description="How many Action Lines contribute to it or to one of its targets."
    )


class Indicator(ApiModel):
    """An indicator of an SDG target."""

    id: str = Field(description="Its number (e.g. 16.1.1).")
    iri: str = Field(description="Its IRI.")
    title: str | None = Field(description="What it measures.")


class Target(ApiModel):
    """A target of an SDG, with its indicators."""

    id: str = Field(description="Its number (e.g. 16.1).")
    iri: str = Field(description="Its IRI.")
    title: str | None = Field(description="Its text.")
    indicators: list[Indicator] = Field(description="Its indicators.")


class SdgDetail(ApiModel):
    """``GET /sdgs/{goal}``: one goal with its targets and their indicators."""

    model_config = _examples(
        {
            "goal": "16",
            "iri": "http://metadata.un.org/sdg/16",
            "title": "Promote peaceful and inclusive societies for sustainable development, "
            "provide access to justice for all and build effective, accountable and inclusive "
            "institutions at all levels",
            "short_title": "Peace, justice and strong institutions",
            "targets": [
                {
                    "id": "16.1",
                    "iri": "http://metadata.un.org/sdg/16.1",
                    "title": "Significantly reduce all forms of violence and related death "
                    "rates everywhere",
                    "indicators": [
                        {
                            "id": "16.1.1",
                            "iri": "http://metadata.un.org/sdg/C160101",
                            "title": "Number of victims of intentional homicide per 100,000 "
                            "population, by sex and age",
                        }
                    ],
                }
            ],
        }
    )

    goal: str = Field(description="The goal's number, 1 to 17.")
    iri: str = Field(description="Its IRI.")
    title: str | None = Field(description="Its title.")
    short_title: str | None = Field(description="Its short title.")
    targets: list[Target] = Field(description="Its targets.")


class SdgLinkSource(ApiModel):
    """One link between an Action Line and a goal or target: the row that states it."""

    sdg: str = Field(description="The goal or target linked (e.g. 16 or 16.10).")
    link: str = Field(description="The IRI of the link.")
    evidence: Evidence = Field(description="stated, extracted or inferred.")
    row: Ref | None = Field(description="The row of the WSIS-SDG Matrix that states it.")


class SdgActionLine(ApiModel):
    """An Action Line linked to a goal or to its targets, with the links."""

    action_line: str = Field(description="The Action Line's code.")
    title: str | None = Field(description="Its title.")
    sdgs: list[str] = Field(description="The goal and targets it is linked to, each once.")
    sources: list[SdgLinkSource] = Field(description="The links.")


class SdgActionLines(ApiModel):
    """``GET /sdgs/{goal}/action-lines``: the Action Lines linked to a goal or its targets."""

    model_config = _examples(
        {
            "goal": "16",
            "action_lines": [
                {
                    "action_line": "C3",
                    "title": "Access to information and knowledge",
                    "sdgs": ["16"],
                    "sources": [
                        {
                            "sdg": "16",
                            "link": f"{_ID}link/17934ad5a4e6ce132d47",
                            "evidence": "stated",
                            "row": {
                                "iri": f"{_ID}dataset/wsis-sdg-matrix/row/31",
                                "label": "wsis-sdg-matrix row 31",
                            },
                        }
                    ],
                }
            ],
        }
    )

    goal: str = Field(description="The goal asked about.")
    action_lines: list[SdgActionLine] = Field(description="The Action Lines linked to it.")


class MatrixRow(ApiModel):
    """One Action Line of the matrix: its number of links per goal."""

    action_line: str = Field(description="The Action Line's code.")
    counts: dict[str, int] = Field(description="Goal number -> links (every goal of the matrix).")
    total: int = Field(description="Its links to every goal.")
    rolled_up_from: list[str] | None = Field(
        default=None,
        description="Only an Action Line with sub-lines (C7): its counts include theirs, each "
        "target once.",
    )


class Matrix(ApiModel):
    """``GET /matrix``: Action Line x SDG goal, the numbers of links."""

    model_config = _examples(
        {
            "evidence": ["stated", "extracted", "inferred"],
            "source": ["matrix", "resolutions", "curated"],
            "goals": ["1", "16", "17"],
            "rows": [
                {"action_line": "C1", "counts": {"1": 1, "16": 3, "17": 1}, "total": 5},
                {
                    "action_line": "C7",
                    "counts": {"1": 3, "16": 3, "17": 9},
                    "total": 15,
                    "rolled_up_from": ["C7.e-government", "C7.e-health"],
                },
            ],
        }
    )

    evidence: list[str] = Field(description="The kinds of evidence counted.")
    source: list[str] = Field(description="The sources counted.")
    goals: list[str] = Field(description="The goals (columns), in number order.")
    rows: list[MatrixRow] = Field(description="One row per Action Line.")


# ---------------------------------------------------------------- ITU-T and resolutions


class StudyGroup(ApiModel):
    """``GET /study-groups/{period}/{sg}`` (and each item of ``GET /study-groups``)."""

    model_config = _examples(
        {
            "period": "2022-2024",
            "group": "SG17",
            "iri": f"{_ID}study-group/2022-2024/SG17",
            "title": "Security",
            "label": "ITU-T SG17 (2022-2024): Security",
            "notes": "Lead study group on security: general-knowledge (not retrieved).",
            "predecessors": ["2017-2020/SG17"],
            "successors": ["2025-2028/SG17"],
        }
    )

    period: str = Field(description="The study period (e.g. 2022-2024).")
    group: str = Field(description="The study group (e.g. SG17).")
    iri: str = Field(description="Its IRI.")
    title: str | None = Field(description="Its title.")
    label: str | None = Field(description="Its label.")
    notes: str | None = Field(description="Notes on where the facts come from.")
    predecessors: list[str] = Field(description="The groups it continues (period/group).")
    successors: list[str] = Field(description="The groups that continue it (period/group).")


class ResolutionVersion(ApiModel):
    """A version of a resolution: an edition adopted at a conference, or a proposed draft."""

    iri: str = Field(description="Its IRI.")
    label: str | None = Field(description="Its label.")
    status: str | None = Field(description="adopted or proposed (null: not stated).")
    revision: str | None = Field(description="The revision as written (e.g. Rev. Dubai, 2012).")
    year: int | None = Field(description="Its year.")
    draft: bool = Field(description="Whether it is a draft proposed in a document.")
    sections: int = Field(description="How many sections of its text the graph holds.")


class Resolution(ApiModel):
    """``GET /resolutions/{body}/{number}`` (and each item of ``GET /resolutions``)."""

    model_config = _examples(
        {
            "body": "WTSA",
            "number": "75",
            "iri": f"{_ID}resolution/wtsa/75",
            "label": "WTSA Resolution 75",
            "title": "ITU Telecommunication Standardization Sector's contribution in "
            "implementing the outcomes of the World Summit on the Information Society, taking "
            "into account the 2030 Agenda for Sustainable Development",
            "versions": [
                {
                    "iri": f"{_ID}resolution/wtsa/75/2022-geneva",
                    "label": "WTSA Resolution 75 (Rev. Geneva, 2022)",
                    "status": "adopted",
                    "revision": "Rev. Geneva, 2022",
                    "year": 2022,
                    "draft": False,
                    "sections": 0,
                }
            ],
        }
    )

    body: str = Field(description="The body that adopts it (WTSA, PP, WTDC, UNGA ...).")
    number: str = Field(description="Its number (e.g. 75, 70/125).")
    iri: str = Field(description="Its IRI.")
    label: str | None = Field(description="Its label.")
    title: str | None = Field(description="Its title.")
    versions: list[ResolutionVersion] = Field(description="Its versions.")


class Clause(ApiModel):
    """A clause of a resolution text."""

    iri: str = Field(description="Its IRI.")
    parent: str | None = Field(description="The section or clause it is in (IRI).")
    label: str | None = Field(description="Its label (section heading and clause label).")
    clause_label: str | None = Field(description="Its own label (e.g. a)).")
    status: str | None = Field(description="What a proposal does to it (added, deleted ...).")
    text: str | None = Field(description="Its text.")
    line: int | None = Field(description="The line of the document it was read from.")


class Section(ApiModel):
    """A section of a resolution text (a preambular heading, the operative part ...)."""

    iri: str = Field(description="Its IRI.")
    heading: str | None = Field(description="Its heading.")
    kind: str | None = Field(description="preambular section, operative section ...")
    order: int | None = Field(description="Its place in the text.")
    clauses: list[Clause] = Field(description="Its clauses, in the order of the text.")


class VersionText(ApiModel):
    """A version of a resolution whose text the graph holds: its sections."""

    iri: str = Field(description="The version's IRI.")
    label: str | None = Field(description="Its label.")
    sections: list[Section] = Field(description="Its sections.")


class ResolutionClauses(ApiModel):
    """``GET /resolutions/{body}/{number}/clauses``: the texts the graph holds, clause by
    clause."""

    model_config = _examples(
        {
            "body": "WTSA",
            "number": "75",
            "versions": [
                {
                    "iri": f"{_ID}resolution/wtsa/75/2024-new-delhi/proposed-by/"
                    "000_104f64d2c729d048",
                    "label": "WTSA Resolution 75 (Rev. New Delhi, 2024 (proposed) in "
                    "000_104f64d2c729d048.txt)",
                    "sections": [
                        {
                            "iri": f"{_ID}resolution/wtsa/75/2024-new-delhi/proposed-by/"
                            "000_104f64d2c729d048/recognising",
                            "heading": "recognising",
                            "kind": "preambular section",
                            "order": 2,
                            "clauses": [
                                {
                                    "iri": f"{_ID}resolution/wtsa/75/2024-new-delhi/"
                                    "proposed-by/000_104f64d2c729d048/recognising/b",
                                    "parent": f"{_ID}resolution/wtsa/75/2024-new-delhi/"
                                    "proposed-by/000_104f64d2c729d048/recognising",
                                    "label": "recognising b)",
                                    "clause_label": "b)",
                                    "status": "moved",
                                    "text": "that, despite the previous decade's "
                                    "achievements in ICT connectivity, many forms of digital "
                                    "divide remain ...",
                                    "line": 40,
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )

    body: str = Field(description="The body, as the graph spells it.")
    number: str = Field(description="The resolution's number.")
    versions: list[VersionText] = Field(description="The versions whose text the graph holds.")


class ChangedClause(ApiModel):
    """A clause of a proposal: what it proposes for it."""

    iri: str = Field(description="The clause's IRI.")
    section: str | None = Field(description="The heading of its section.")
    label: str | None = Field(description="Its label (section heading and clause label).")
    clause_label: str | None = Field(description="Its own label in the proposal.")
    previous_label: str | None = Field(description="Its label in the text it changes.")
    previous_section: str | None = Field(description="Its section there, when it moved.")
    label_as_written: str | None = Field(description="Its label as the document writes it.")
    reading: str | None = Field(description="before, after, or both readings of the text.")
    status: str | None = Field(description="added, deleted, modified, moved, ...")
    text: str | None = Field(description="Its text.")
    text_before: str | None = Field(description="Its text before the change.")
    text_after: str | None = Field(description="Its text after the change.")
    status_cues: str | None = Field(description="What the status was read from (' | ').")
    line: int | None = Field(description="The line of the document.")


class DocumentChanges(ApiModel):
    """``GET /documents/{id}/changes``: what a contribution proposes, clause by clause."""

    model_config = _examples(
        {
            "document": "000_104f64d2c729d048",
            "file": "000_104f64d2c729d048.txt",
            "draft": f"{_ID}resolution/wtsa/75/2024-new-delhi/proposed-by/000_104f64d2c729d048",
            "counts": {"deleted": 1},
            "clauses": [
                {
                    "iri": f"{_ID}resolution/wtsa/75/2024-new-delhi/proposed-by/"
                    "000_104f64d2c729d048/considering/before_a",
                    "section": "consideringrecalling",
                    "label": "consideringrecalling a)",
                    "clause_label": None,
                    "previous_label": "a)",
                    "previous_section": None,
                    "label_as_written": "a)",
                    "reading": "before",
                    "status": "deleted",
                    "text": "the relevant outcomes of both phases of the World Summit on the "
                    "Information Society (WSIS);",
                    "text_before": None,
                    "text_after": None,
                    "status_cues": None,
                    "line": 18,
                }
            ],
        }
    )

    document: str = Field(description="The document's id (its file name without extension).")
    file: str | None = Field(description="Its file name.")
    draft: str | None = Field(description="The version it proposes (IRI).")
    counts: dict[str, int] = Field(description="Status -> how many clauses have it.")
    clauses: list[ChangedClause] = Field(description="Its clauses, in the order of the text.")


# ---------------------------------------------------------------- search


class SearchHit(ApiModel):
    """A text that matches: where it is and the snippet that matches."""

    kind: Literal["clause", "section", "title"] = Field(
        description="clause (a clause's text), section (a heading) or title."
    )
    iri: str = Field(description="The IRI of what matched (a clause, a section, a resolution).")
    label: str | None = Field(description="Its label.")
    resolution: Ref | None = Field(description="The resolution it belongs to.")
    version: Ref | None = Field(description="The version it belongs to.")
    document: Ref | None = Field(description="The document it was read from.")
    section: str | None = Field(description="The heading of its section.")
    clause: str | None = Field(description="The clause's own label.")
    snippet: str = Field(description="The matching text (or an excerpt of it).")
    snippet_html: str = Field(description="The snippet as HTML: escaped, matches in <mark>.")
    highlights: list[list[int]] = Field(
        description="The matches in the snippet: [start, end) in code points."
    )
    score: float = Field(description="How well it matches: higher is better.")
    graph: str = Field(description="The named graph the text is in.")


class SearchAnswer(Page):
    """``GET /search``: the texts that match, best first, one page of them."""

    model_config = _examples(
        {
            "query": "cybersecurity",
            "terms": ["cybersecurity"],
            "release": RELEASE,
            "total": 1,
            "offset": 0,
            "limit": 20,
            "hits": [
                {
                    "kind": "title",
                    "iri": f"{_ID}resolution/wtsa/50",
                    "label": "WTSA Resolution 50",
                    "resolution": {
                        "iri": f"{_ID}resolution/wtsa/50",
                        "label": "WTSA Resolution 50",
                    },
                    "version": None,
                    "document": None,
                    "section": None,
                    "clause": None,
                    "snippet": "Cybersecurity",
                    "snippet_html": "<mark>Cybersecurity</mark>",
                    "highlights": [[0, 13]],
                    "score": 7.159131,
                    "graph": f"{_ID}graph/wtsa-resolutions",
                }
            ],
        }
    )

    query: str = Field(description="The query as given.")
    terms: list[str] = Field(description="What is searched for, as the query wrote it.")
    release: str | None = Field(description="The release the index is at.")
    hits: list[SearchHit] = Field(description="The hits of this page, best first.")


# ---------------------------------------------------------------- uploads


class LoadWarning(ApiModel):
    """Something the reader of a document noted: where and what."""

    place: str = Field(description="Where in the document (a line, a clause, the file).")
    message: str = Field(description="What was noted.")


class UploadReport(ApiModel):
    """``POST /documents``: the load report. A dry run has ``dry_run`` and ``parse``; a load
    has ``graph``, ``triples``, ``release`` and ``unchanged`` (a volume also ``graphs``); a
    volume has ``documents``. Fields that do not apply are left out."""

    model_config = _examples(
        {
            "file": "res75.txt",
            "document": f"{_ID}document/res75",
            "counts": {"sections": 13, "clauses": 61, "triples": 3085},
            "warnings": [
                {
                    "place": "line 12",
                    "message": "'New Delfi' normalised to 'New Delhi' [place_spelling]",
                }
            ],
            "graph": f"{_ID}graph/document-res75",
            "triples": 3085,
            "release": RELEASE,
            "unchanged": False,
        }
    )

    file: str = Field(description="The file name, as uploaded.")
    document: str = Field(description="The document's IRI.")
    counts: dict[str, int] = Field(description="What was read: sections, clauses, triples ...")
    warnings: list[LoadWarning] = Field(description="What the reader noted, with places.")
    dry_run: bool | None = Field(default=None, description="A dry run: nothing was stored.")
    parse: dict[str, Any] | None = Field(
        None, description="A dry run: the document as read (as `wsiskg parse --json`)."
    )
    graph: str | None = Field(default=None, description="The named graph it was loaded into.")
    triples: int | None = Field(default=None, description="The triples loaded.")
    release: str | None = Field(default=None, description="The new release (null: unchanged).")
    unchanged: bool | None = Field(default=None, description="The same file was already loaded.")
    graphs: list[str] | None = Field(default=None, description="A volume: the graph of each part.")
    documents: list[str] | None = Field(default=None, description="A volume: each part's document.")


# the answers that are JSON lists of one of the models above
ActionLines = list[ActionLine]
Sdgs = list[SdgSummary]
StudyGroups = list[StudyGroup]
Resolutions = list[Resolution]
