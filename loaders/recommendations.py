"""ITU-T Recommendations from ITU's index (``itut_recommendations.csv``).

Each row is one publication (an edition, amendment, corrigendum, erratum, addendum, supplement,
annex or appendix), identified by its docid. Publications are grouped under the Recommendation
they belong to, as a work (``X.1205``), read off the docid:

=========================================  ==============================================
docid                                      reading
=========================================  ==============================================
``ITU-T X.1205 (04/2008)``                 edition of X.1205, published 2008-04
``ITU-T G.7041/Y.1303 (04/2011)``          edition of G.7041, also numbered Y.1303
``ITU-T J.52 (1996) Amd. 1 (09/1999)``     amendment 1 to the 1996 edition of J.52
``ITU-T X.882 (1994) Technical Cor. 1 ..`` corrigendum to the 1994 edition of X.882
``ITU-T V.250 Suppl. 1 (06/2001)``         supplement 1 to V.250 (a work of its own)
``ITU-T L Suppl. 38 (10/2020)``            supplement 38 to the L series
``ITU-T Z.100 Annex F1 (01/2015)``         annex F1, part of Z.100
``ITU-T F.742 (V2) (03/2025)``             edition (version 2) of F.742
=========================================  ==============================================

The index names no study group. Links from a Recommendation to the study group responsible
for it, and from there to an Action Line, come from the documented rules of
``recommendation_rules.csv``: evidence ``inferred``, confidence ``low``, ``wsis:rule`` naming the
rule, so that official answers can leave them out and analysts can see why each is there.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from loaders.curated import Table, source_iris, start
from loaders.errors import TableError
from loaders.organs import add_sector
from loaders.rdf import LoadResult, en, lit
from loaders.study_groups import known_study_groups, period_of, study_periods
from loaders.suggest.triples import add_suggestions, texts_of
from loaders.tables import Row, read_table, table_path
from ontology import DCTERMS, PROV, RDFS, SKOS, WSIS, XSD
from ontology.ids import Ids

_DOCID = re.compile(r"ITU-T (?P<body>.+) \((?P<month>\d{2})/(?P<year>\d{4})\)")
# a change to a dated edition: "<base> (<year>) <change>"
_CHANGE = re.compile(r"(?P<base>.+?) (?:\(V\d+\) )?\((?P<year>\d{4})\) (?P<change>.+)")
_SUPPLEMENT = re.compile(r"(?P<base>.+?) Suppl\. (?P<n>[\d.]+)")
_PART = re.compile(r"(?P<base>.+?) (?P<part>(?:Annex |App\. |attachment).*|attachment)")

KIND_CLASS = {
    "edition": "Edition",
    "amendment": "Amendment",
    "corrigendum": "Corrigendum",
    "erratum": "Erratum",
    "addendum": "Addendum",
    "supplement": "Supplement",
    "annex": "Annex",
}


@dataclass(frozen=True)
class DocId:
    """What a docid says: the work it belongs to and how."""

    work: str  # "X.1205", "V.250 Suppl. 1", "L Suppl. 38"
    kind: str  # a key of KIND_CLASS
    aliases: tuple[str, ...]  # other numbers of a jointly numbered Recommendation
    base_year: int | None  # for a change: the year of the edition it changes
    parent: str | None  # for a supplement or annex: what it supplements / belongs to
    published: str  # YYYY-MM


def _change_kind(change: str) -> str:
    """``Amd. 1`` -> amendment; ``Amd. 1 Err. 1`` -> erratum (the last change names the kind);
    ``Amd. 1/Technical Cor. 1`` (one document doing both) -> amendment; ``App. IV`` -> annex."""
    if change.startswith(("Annex", "App.")):
        return "annex"
    kinds = {"Amd.": "amendment", "Cor.": "corrigendum", "Err.": "erratum", "Add.": "addendum"}
    first = change.split("/", maxsplit=1)[0]
    found = [kinds[w] for w in first.split() if w in kinds]
    return found[-1] if found else ""


def _split_numbers(base: str) -> tuple[str, tuple[str, ...]]:
    """``G.7041/Y.1303`` -> ("G.7041", ("Y.1303",)); the first number names the work."""
    head, *rest = base.split("/")
    return head, tuple(rest)


def parse_docid(docid: str) -> DocId:
    """Read a docid of ITU's index; ValueError when its shape is not one we know."""
    m = _DOCID.fullmatch(docid)
    if not m:
        raise ValueError(f"not an ITU-T docid: {docid!r}")
    body, published = m["body"], f"{m['year']}-{m['month']}"
    if change := _CHANGE.fullmatch(body):
        kind = _change_kind(change["change"])
        if not kind:
            raise ValueError(f"unknown change {change['change']!r} in {docid!r}")
        work, aliases = _split_numbers(_strip_version(change["base"]))
        if kind == "annex":
            return DocId(body, kind, aliases, int(change["year"]), work, published)
        if sup := _SUPPLEMENT.fullmatch(work):
            return DocId(work, kind, aliases, int(change["year"]), sup["base"], published)
        return DocId(work, kind, aliases, int(change["year"]), None, published)
    body = _strip_version(body)
    if sup := _SUPPLEMENT.fullmatch(body):
        return DocId(body, "supplement", (), None, sup["base"], published)
    if part := _PART.fullmatch(body):
        work, aliases = _split_numbers(part["base"])
        return DocId(body, "annex", aliases, None, work, published)
    work, aliases = _split_numbers(body)
    return DocId(work, "edition", aliases, None, None, published)


def _strip_version(text: str) -> str:
    return re.sub(r" \(V\d+\)$", "", text)


def main_number(work: str, series: str) -> int | None:
    """X.1205 -> 1205, X.1080.0 -> 1080; None for a series supplement or odd numbering."""
    m = re.match(rf"{re.escape(series)}\.(\d+)", work)
    return int(m[1]) if m else None


@dataclass(frozen=True)
class Rule:
    rule_id: str
    series: str
    first: int
    last: int
    group: str
    first_period: str
    last_period: str | None
    action_line: str | None
    rationale: str
    source: str
    row: Row

    def covers(self, series: str, number: int | None) -> bool:
        return series == self.series and number is not None and self.first <= number <= self.last

    def in_period(self, period: str) -> bool:
        """Whether the rule's group studied the range in ``period`` ("2005-2008")."""
        return self.first_period <= period and (
            self.last_period is None or period <= self.last_period
        )


def read_rules(path: Path) -> list[Rule]:
    rules = []
    columns = (
        "rule_id",
        "series",
        "first",
        "last",
        "study_group",
        "first_period",
        "last_period",
        "action_line",
        "rationale",
        "source",
    )
    periods = {p.name for p in study_periods()}
    for row in read_table(path, columns):
        first_period = row.require("first_period", r"\d{4}-\d{4}")
        last_period = row.get("last_period") or None
        for column, value in (("first_period", first_period), ("last_period", last_period)):
            if value is not None and value not in periods:
                raise row.error(f"{value} is not a period of study_periods.csv", column)
        rules.append(
            Rule(
                row.require("rule_id", r"[a-z0-9-]+"),
                row.require("series", "[A-Z]"),
                int(row.require("first", r"\d+")),
                int(row.require("last", r"\d+")),
                row.require("study_group", r"SG\d+"),
                first_period,
                last_period,
                row.get("action_line") or None,
                row.require("rationale"),
                row.require("source"),
                row,
            )
        )
    return rules


def load_recommendations(
    ids: Ids, path: Path | None = None, rules_path: Path | None = None
) -> LoadResult:
    t = start("itut-recommendations", path, ids)
    rules = read_rules(rules_path or table_path("recommendation-rules"))
    rule_nodes = {r.rule_id: _rule(t, r) for r in rules}
    works: dict[str, str] = {}  # work -> series
    editions: dict[str, list[tuple[ox.NamedNode, date]]] = {}  # work -> its editions
    seen: dict[ox.NamedNode, int] = {}
    for row in read_table(
        t.path, ("docid", "series", "doctype", "published", "title", "source_url")
    ):
        kind = _publication(t, row, works, seen, editions)
        t.report.count("publications")
        t.report.count(f"kind: {kind}")
    _in_force(t, editions)
    groups = set(known_study_groups())
    current = study_periods()[-1].name
    for work, series in works.items():
        number = main_number(work, series)
        for rule in rules:
            if rule.covers(series, number):
                _apply_rule(t, work, rule, rule_nodes[rule.rule_id], current, groups)
                for edition, issued in editions.get(work, []):
                    _place_edition(t, edition, issued, rule, rule_nodes[rule.rule_id], groups)
    t.report.count("recommendations (works)", len(works))
    add_suggestions(t.out, _titles(t, editions), t.report, clauses=False)
    return t.result()


def _titles(
    t: Table, editions: dict[str, list[tuple[ox.NamedNode, date]]]
) -> list[tuple[ox.NamedNode, str]]:
    """Each Recommendation with the title of its latest edition: the text suggestions are
    made for (one per work, not per edition: the editions of a work mostly share a title)."""
    titles = dict(texts_of(t.out, WSIS.Publication, DCTERMS.title))
    found = []
    for work, dated in editions.items():
        latest = max(dated, key=lambda pair: (pair[1], pair[0].value))[0]
        if title := titles.get(latest):
            found.append((t.ids.recommendation(work), title))
    return found


def _in_force(t: Table, editions: dict[str, list[tuple[ox.NamedNode, date]]]) -> None:
    """When each edition is in force: from its date in the index until the next edition's of
    the same Recommendation, which supersedes it (ITU's practice: one edition in force at a
    time); a Recommendation from its first edition. Withdrawals are not in the index: a
    Recommendation's last edition stays in force."""
    out = t.out
    for work, dated in editions.items():
        ordered = sorted(dated, key=lambda e: e[1])
        out.add(t.ids.recommendation(work), WSIS.inForceFrom, _date(ordered[0][1]))
        for (edition, issued), later in itertools.zip_longest(ordered, ordered[1:]):
            out.add(edition, WSIS.inForceFrom, _date(issued))
            if later is not None and later[1] > issued:
                out.add(edition, WSIS.inForceUntil, _date(later[1]))


def _date(day: date) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=XSD.date)


def _publication(
    t: Table,
    row: Row,
    works: dict[str, str],
    seen: dict[ox.NamedNode, int],
    editions: dict[str, list[tuple[ox.NamedNode, date]]],
) -> str:
    docid = row.require("docid")
    try:
        doc = parse_docid(docid)
    except ValueError as e:
        raise row.error(str(e), "docid") from e
    series = row.require("series", "[A-Z]")
    node = t.ids.publication(docid)
    if node in seen:
        raise row.error(f"{docid!r} gives the same IRI as row {seen[node]}", "docid")
    seen[node] = row.number
    out = t.out
    work = _work(t, doc.work, series, doc.aliases, works)
    out.typed(node, WSIS.Publication, WSIS[KIND_CLASS[doc.kind]])
    out.add(node, WSIS.docId, lit(docid))
    out.add(node, RDFS.label, lit(docid))
    out.add(node, WSIS.publicationKind, lit(row.require("doctype")))
    out.add(node, WSIS.inSeries, t.ids.series(series))
    add_sector(out, node, "ITU-T")
    published = row.require("published", r"\d{4}-\d{2}-\d{2}")
    out.add(node, DCTERMS.issued, ox.Literal(published, datatype=XSD.date))
    if title := row.get("title"):
        out.add(node, DCTERMS.title, en(title))
    if page := t.ids.web(row.get("source_url")):
        out.add(node, WSIS.page, page)
    out.add(node, PROV.wasDerivedFrom, t.row_node(row))
    out.add(node, WSIS.listedUnder, work)
    if doc.kind in ("edition", "supplement"):
        out.add(node, DCTERMS.isVersionOf, work)
        if doc.kind == "edition":
            editions.setdefault(doc.work, []).append((node, date.fromisoformat(published)))
    elif doc.kind == "annex":
        out.add(node, DCTERMS.isPartOf, _work(t, doc.parent or doc.work, series, (), works))
    else:
        out.add(node, WSIS.amends, work)
        if doc.base_year is not None:
            out.add(node, WSIS.baseEditionYear, lit(doc.base_year))
    if doc.kind == "supplement" and doc.parent:
        target = (
            _work(t, doc.parent, series, (), works)
            if re.match(r"[A-Z]\.\d", doc.parent)
            else t.ids.series(series)
        )
        out.add(work, WSIS.supplements, target)
    return doc.kind


def _work(
    t: Table, work: str, series: str, aliases: tuple[str, ...], works: dict[str, str]
) -> ox.NamedNode:
    node = t.ids.recommendation(work)
    if work not in works:
        works[work] = series
        out = t.out
        series_node = t.ids.series(series)
        out.typed(series_node, WSIS.RecommendationSeries)
        out.add(series_node, WSIS.seriesLetter, lit(series))
        out.add(series_node, RDFS.label, lit(f"ITU-T {series} series"))
        add_sector(out, series_node, "ITU-T")
        out.typed(node, WSIS.Recommendation)
        add_sector(out, node, "ITU-T")
        out.add(node, WSIS.recommendationNumber, lit(work))
        out.add(node, SKOS.notation, lit(work))
        out.add(node, RDFS.label, lit(f"ITU-T {work}"))
        out.add(node, WSIS.inSeries, series_node)
    for alias in aliases:
        t.out.add(node, SKOS.altLabel, lit(f"ITU-T {alias}"))
    return node


def _rule(t: Table, rule: Rule) -> ox.NamedNode:
    node = t.ids.rule(rule.rule_id)
    out = t.out
    target = f" -> {rule.action_line}" if rule.action_line else ""
    out.typed(node, WSIS.InferenceRule)
    out.add(
        node,
        RDFS.label,
        lit(
            f"rule {rule.rule_id}: {rule.series}.{rule.first}-"
            f"{rule.series}.{rule.last} -> {rule.group} ({rule.first_period} to "
            f"{rule.last_period or 'today'}){target}"
        ),
    )
    out.add(node, RDFS.comment, en(rule.rationale))
    for src in source_iris(t.ids, rule.source):
        out.add(node, DCTERMS.source, src)
    rules_table = t.ids.dataset("recommendation-rules")
    out.typed(rules_table, WSIS.Dataset)
    out.add(rules_table, WSIS.fileName, lit("recommendation_rules.csv"))
    out.add(rules_table, RDFS.label, lit("curated table recommendation_rules.csv"))
    out.add(
        node, PROV.wasDerivedFrom, out.row("recommendation-rules", rules_table, rule.row.number)
    )
    return node


def _apply_rule(
    t: Table,
    work: str,
    rule: Rule,
    rule_node: ox.NamedNode,
    current: str,
    groups: set[tuple[str, str]],
) -> None:
    """The Recommendation (the work): the group responsible for it today, if the rule says
    that group studies the range today, and the Action Line of the range's topic."""
    work_node = t.ids.recommendation(work)
    targets = []
    if rule.in_period(current) and (current, rule.group) in groups:
        targets.append((WSIS.responsibleStudyGroup, t.ids.study_group(current, rule.group)))
    if rule.action_line:
        targets.append((WSIS.supportsActionLine, t.ids.action_line(rule.action_line)))
    for relation, obj in targets:
        _inferred(t, work_node, relation, obj, rule, rule_node)


def _place_edition(
    t: Table,
    edition: ox.NamedNode,
    issued: date,
    rule: Rule,
    rule_node: ox.NamedNode,
    groups: set[tuple[str, str]],
) -> None:
    """An edition: the group of the study period in which it was approved (which succession
    links to today's), when the rule's group studied the range then."""
    period = period_of(issued)
    if period is None:
        t.report.count("editions before the first study period of the tables")
        return
    if not rule.in_period(period.name) or (period.name, rule.group) not in groups:
        t.report.count("editions outside their rule's study periods")
        return
    group = t.ids.study_group(period.name, rule.group)
    _inferred(t, edition, WSIS.responsibleStudyGroup, group, rule, rule_node)


def _inferred(
    t: Table,
    subject: ox.NamedNode,
    relation: ox.NamedNode,
    obj: ox.NamedNode,
    rule: Rule,
    rule_node: ox.NamedNode,
) -> None:
    t.out.link(
        subject,
        relation,
        obj,
        evidence="inferred",
        confidence="low",
        source=rule_node,
        rule=rule_node,
        citation=rule.source,
        notes=rule.rationale,
        source_iris=source_iris(t.ids, rule.source),
    )
    t.report.count(f"inferred links ({relation.value.rsplit('#', 1)[1]})")


def check_parse(path: Path) -> None:
    """Raise TableError at the first docid we cannot read (used by tests and `validate`)."""
    for row in read_table(path, ("docid",)):
        try:
            parse_docid(row["docid"])
        except ValueError as e:
            raise TableError(path.name, str(e), row.place) from e
