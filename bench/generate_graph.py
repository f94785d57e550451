"""The generator of the domain-shaped graph: the fixed part, then the growing part in a fixed
rotation (Recommendations, Questions, resolution versions with their clauses and the links
their texts give), each link qualified next to its plain triple, as the loaders write them.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from typing import TextIO

from bench.generate_terms import (
    ACTION_LINES,
    AGENCIES,
    BODIES,
    DCT,
    OPERATIVE,
    PERIODS,
    PLACES,
    PREAMBLE,
    PROV,
    RDF_TYPE,
    RDFS,
    SDG,
    SDGO,
    SERIES,
    SKOS,
    STUDY_GROUPS,
    SUB_LINES,
    TARGETS_PER_GOAL,
    THEMES,
    VERBS,
    World,
    Writer,
    iri,
    lit,
    slug,
    typed,
    w,
)
from loaders.organs import BODY_SECTOR


class Generator:
    def __init__(self, out: TextIO, seed: int) -> None:
        self.w = Writer(out)
        self.rng = random.Random(seed)
        self.world = World()

    # ------------------------------------------------------------------ shared pieces

    def row(self, dataset: str) -> str:
        """A new row of a curated table, as the table loaders write it."""
        number = self.world.rows.get(dataset, 0) + 1
        self.world.rows[dataset] = number
        row = iri(f"dataset/{dataset}/row/{number}")
        self.w.t(row, RDF_TYPE, w("TableRow"))
        self.w.t(row, f"<{DCT}isPartOf>", iri(f"dataset/{dataset}"))
        self.w.t(row, w("rowNumber"), typed(number, "integer"))
        self.w.t(row, f"<{RDFS}label>", lit(f"{dataset} row {number}"))
        return row

    def link(
        self,
        subject: str,
        relation: str,
        obj: str,
        evidence: str,
        source: dict[str, str],
        score: float,
    ) -> None:
        """The plain triple and its qualified link, with evidence, confidence and source."""
        w_ = self.w
        key = f"{subject}|{relation}|{obj}|{sorted(source.items())}"
        link = iri("link/" + hashlib.sha1(key.encode()).hexdigest()[:20])
        w_.t(subject, w(relation), obj)
        w_.t(link, RDF_TYPE, w("Link"))
        w_.t(link, w("subject"), subject)
        w_.t(link, w("relation"), w(relation))
        w_.t(link, w("object"), obj)
        w_.t(link, w("evidence"), w(evidence))
        level = "High" if score >= 0.9 else "Medium" if score >= 0.6 else "Low"
        w_.t(link, w("confidence"), w(f"{level}Confidence"))
        w_.t(link, w("confidenceScore"), typed(score, "decimal"))
        w_.t(link, w("generalKnowledge"), typed("false", "boolean"))
        for predicate, value in source.items():
            w_.t(link, w(predicate) if ":" not in predicate else predicate, value)
        derived = source.get("sourceRow") or source.get("sourceClause") or source.get("rule")
        if derived:
            w_.t(link, f"<{PROV}wasDerivedFrom>", derived)

    # ------------------------------------------------------------------ fixed part

    def fixed(self) -> None:
        t = self.w.t
        label, notation = f"<{RDFS}label>", f"<{SKOS}notation>"
        for dataset, file in [
            ("action-lines", "action_lines.csv"),
            ("sdg-targets", "sdg_targets.csv"),
            ("wsis-sdg-matrix", "wsis_sdg_matrix.csv"),
            ("itut-study-groups", "itut_study_groups.csv"),
            ("itut-recommendations", "itut_recommendations.csv"),
            ("itut-wsis-links", "itut_wsis_links.csv"),
        ]:
            d = iri(f"dataset/{dataset}")
            t(d, RDF_TYPE, w("Dataset"))
            t(d, w("fileName"), lit(file))
            t(d, label, lit(f"{dataset} (synthetic, bench/generate.py)"))
        for name in (*AGENCIES, "ITU-T", "ITU-D", "PP"):
            a = iri(f"agency/{name}")
            t(a, RDF_TYPE, w("Agency"))
            t(a, RDF_TYPE, w("Organ"))
            t(a, w("sector"), a)  # an organ's work is its own (loaders/organs.py)
            t(a, notation, lit(name))
            t(a, label, lit(name, "en"))
        codes = [(code, title) for code, title in ACTION_LINES]
        codes += [(f"C7.{sub}", sub.capitalize()) for sub in SUB_LINES]
        for code, title in codes:
            al = iri(f"action-line/{code}")
            self.world.action_lines.append(al)
            t(al, RDF_TYPE, w("ActionSubLine" if "." in code else "ActionLine"))
            t(al, RDF_TYPE, w("ActionLine") if "." in code else f"<{SKOS}Concept>")
            t(al, notation, lit(code))
            t(al, f"<{SKOS}prefLabel>", lit(title, "en"))
            t(al, label, lit(f"{code} {title}", "en"))
            t(al, f"<{SKOS}inScheme>", w("ActionLineScheme"))
            t(al, w("leadFacilitator"), iri(f"agency/{self.rng.choice(AGENCIES)}"))
            t(al, w("coFacilitator"), iri("agency/ITU"))
            t(al, f"<{PROV}wasDerivedFrom>", self.row("action-lines"))
            if "." in code:
                t(al, f"<{SKOS}broader>", iri("action-line/C7"))
        indicator_total = 0
        for goal, count in enumerate(TARGETS_PER_GOAL, start=1):
            g = f"<{SDG}{goal}>"
            t(g, RDF_TYPE, f"<{SDGO}Goal>")
            t(g, notation, lit(str(goal)))
            t(g, label, lit(f"Goal {goal}", "en"))
            for number in range(1, count + 1):
                code = f"{goal}.{number}"
                target = f"<{SDG}{code}>"
                self.world.targets.append(target)
                t(target, RDF_TYPE, f"<{SDGO}Target>")
                t(target, notation, lit(code))
                t(target, label, lit(f"Target {code}", "en"))
                t(target, f"<{SDGO}isTargetOf>", g)
                t(target, f"<{PROV}wasDerivedFrom>", self.row("sdg-targets"))
                for k in range(1, 2 if indicator_total >= 231 else 3):
                    indicator = f"<{SDG}C{goal:02d}{number:02d}0{k}>"
                    indicator_total += 1
                    t(indicator, RDF_TYPE, f"<{SDGO}Indicator>")
                    t(indicator, notation, lit(f"{code}.{k}"))
                    t(indicator, f"<{SDGO}isIndicatorOf>", target)
        for start, end in PERIODS:
            period = iri(f"study-period/{start}-{end}")
            t(period, RDF_TYPE, w("StudyPeriod"))
            t(period, w("startYear"), typed(start, "integer"))
            t(period, w("endYear"), typed(end, "integer"))
            t(period, label, lit(f"ITU-T study period {start}-{end}"))
            for number in STUDY_GROUPS:
                sg = iri(f"study-group/{start}-{end}/SG{number}")
                self.world.study_groups.append((sg, number, f"{start}-{end}"))
                t(sg, RDF_TYPE, w("StudyGroup"))
                t(sg, w("sector"), iri("agency/ITU-T"))
                t(sg, notation, lit(f"SG{number}"))
                t(sg, w("studyGroupNumber"), typed(number, "integer"))
                t(sg, w("studyPeriod"), period)
                t(sg, label, lit(f"ITU-T SG{number} ({start}-{end})", "en"))
                t(sg, f"<{PROV}wasDerivedFrom>", self.row("itut-study-groups"))
        for letter in SERIES:
            series = iri(f"itu-t/series/{letter}")
            t(series, RDF_TYPE, w("RecommendationSeries"))
            t(series, w("seriesLetter"), lit(letter))
            t(series, label, lit(f"ITU-T {letter} series"))
        # the WSIS-SDG Matrix: each Action Line to about ten targets
        for al in self.world.action_lines:
            for target in self.rng.sample(self.world.targets, 10):
                row = self.row("wsis-sdg-matrix")
                self.link(
                    al,
                    "contributesToSDG",
                    target,
                    "Stated",
                    {"sourceRow": row, "sourceRelation": lit("target-level link")},
                    0.9,
                )

    # ------------------------------------------------------------------ growing part

    def recommendation(self, n: int) -> None:
        t, rng = self.w.t, self.rng
        letter = SERIES[n % len(SERIES)]
        number = f"{letter}.{1000 + n // len(SERIES)}"
        rec = iri(f"itu-t/rec/{number}")
        self.world.recommendations.append((rec, number))
        t(rec, RDF_TYPE, w("Recommendation"))
        t(rec, w("sector"), iri("agency/ITU-T"))
        t(rec, f"<{SKOS}notation>", lit(number))
        t(rec, w("recommendationNumber"), lit(number))
        t(rec, w("inSeries"), iri(f"itu-t/series/{letter}"))
        t(rec, f"<{RDFS}label>", lit(f"ITU-T {number}"))
        kind = rng.choice(["framework", "requirements", "architecture", "guidelines"])
        title = f"{rng.choice(THEMES).capitalize()}: {kind}"
        year = rng.randint(1990, 2026)
        for k in range(rng.randint(1, 4)):
            month = rng.randint(1, 12)
            docid = f"ITU-T {number} ({month:02d}/{year + 2 * k})"
            pub = iri(f"itu-t/pub/{number}_{year + 2 * k}-{month:02d}")
            t(pub, RDF_TYPE, w("Edition"))
            t(pub, f"<{DCT}isVersionOf>", rec)
            t(pub, w("docId"), lit(docid))
            t(pub, f"<{DCT}title>", lit(title, "en"))
            t(pub, w("inSeries"), iri(f"itu-t/series/{letter}"))
            t(pub, f"<{DCT}issued>", typed(f"{year + 2 * k}-{month:02d}-01", "date"))
            t(pub, w("publicationKind"), lit("recommendation"))
            t(pub, f"<{RDFS}label>", lit(docid))
            t(pub, f"<{PROV}wasDerivedFrom>", self.row("itut-recommendations"))
            if rng.random() < 0.15:
                amd = iri(f"itu-t/pub/{number}_Amd.1_{year + 2 * k + 1}")
                t(amd, RDF_TYPE, w("Amendment"))
                t(amd, f"<{DCT}isVersionOf>", rec)
                t(amd, w("docId"), lit(f"{docid} Amd. 1"))
                t(amd, f"<{PROV}wasDerivedFrom>", self.row("itut-recommendations"))
        groups = [g for g in self.world.study_groups if g[2] == "2025-2028"]
        sg = groups[n % len(groups)][0]
        self.link(
            rec,
            "responsibleStudyGroup",
            sg,
            "Inferred",
            {"rule": iri(f"rule/series-{letter.lower()}")},
            0.3,
        )
        if n % 3 == 0:
            al = rng.choice(self.world.action_lines)
            row = self.row("itut-wsis-links")
            self.link(rec, "supportsActionLine", al, "Stated", {"sourceRow": row}, 0.9)

    def question(self, n: int) -> None:
        t, rng = self.w.t, self.rng
        sg, number, period = self.world.study_groups[n % len(self.world.study_groups)]
        q_number = n // len(self.world.study_groups) + 1
        q = iri(f"question/{period}/Q{q_number}-{number}")
        t(q, RDF_TYPE, w("Question"))
        t(q, f"<{SKOS}notation>", lit(f"Q{q_number}/{number}"))
        t(q, w("questionOf"), sg)
        t(q, w("studyPeriod"), iri(f"study-period/{period}"))
        t(q, f"<{RDFS}label>", lit(f"Q{q_number}/{number} ({period}): {rng.choice(THEMES)}", "en"))
        for al in rng.sample(self.world.action_lines, rng.randint(1, 2)):
            row = self.row("itut-wsis-links")
            self.link(q, "supportsActionLine", al, "Stated", {"sourceRow": row}, 0.9)

    def resolution_version(self, n: int) -> None:
        t, rng = self.w.t, self.rng
        path, body = BODIES[n % len(BODIES)]
        number = n // (len(BODIES) * 4) + 1  # up to four versions of a resolution
        version_index = (n // len(BODIES)) % 4
        year = 2012 + 4 * version_index
        place = PLACES[(number + version_index) % len(PLACES)]
        res = iri(f"resolution/{path}/{number}")
        version_path = f"resolution/{path}/{number}/{year}-{slug(place)}"
        version = iri(version_path)
        citation = f"Resolution {number} (Rev. {place}, {year})"
        document = iri(f"document/synthetic-{n}")
        if version_index == 0:
            t(res, RDF_TYPE, w("Resolution"))
            t(res, w("resolutionNumber"), lit(str(number)))
            t(res, f"<{SKOS}notation>", lit(f"{body} Resolution {number}"))
            t(res, f"<{RDFS}label>", lit(f"{body} Resolution {number}", "en"))
            t(res, w("adoptedBy"), iri(f"body/{body}"))
            t(res, w("sector"), iri(f"agency/{BODY_SECTOR[body]}"))
            t(res, f"<{DCT}title>", lit(rng.choice(THEMES).capitalize(), "en"))
        t(version, RDF_TYPE, w("ResolutionVersion"))
        t(version, w("sector"), iri(f"agency/{BODY_SECTOR[body]}"))
        t(version, w("listedUnder"), res)
        t(version, f"<{DCT}isVersionOf>", res)
        t(version, w("revisionYear"), typed(year, "integer"))
        t(version, w("revisionPlace"), lit(place))
        t(version, w("revisionLabel"), lit(f"Rev. {place}, {year}"))
        t(version, f"<{RDFS}label>", lit(f"{body} {citation}", "en"))
        t(version, f"<{DCT}title>", lit(rng.choice(THEMES).capitalize(), "en"))
        t(version, f"<{PROV}wasDerivedFrom>", document)
        t(document, RDF_TYPE, w("Contribution"))
        t(document, RDF_TYPE, w("Document"))
        t(document, w("fileName"), lit(f"synthetic-{n}.txt"))
        t(document, f"<{DCT}creator>", iri(f"agency/{rng.choice(AGENCIES)}"))
        t(document, f"<{RDFS}label>", lit(f"synthetic-{n}.txt"))
        sections: list[tuple[str, str | None, str]] = [
            (h, None, "PreambularSection") for h in rng.sample(PREAMBLE, rng.randint(2, 4))
        ]
        sections += [
            (h, a, "OperativeSection") for h, a in rng.sample(OPERATIVE, rng.randint(3, 4))
        ]
        for order, (heading, addressee, kind) in enumerate(sections, start=1):
            section = iri(f"{version_path}/{slug(heading)}")
            t(version, w("hasSection"), section)
            t(section, RDF_TYPE, w("Section"))
            t(section, RDF_TYPE, w(kind))
            t(section, w("heading"), lit(heading))
            t(section, w("order"), typed(order, "integer"))
            t(section, f"<{RDFS}label>", lit(heading))
            t(section, f"<{PROV}wasDerivedFrom>", document)
            if addressee:
                t(section, w("addressee"), lit(addressee))
            numbered = kind == "OperativeSection"
            for k in range(1, rng.randint(3, 8) + 1):
                label_ = str(k) if numbered else chr(ord("a") + k - 1)
                self.clause(section, heading, label_, k, document, res)
        self.world.resolutions.append((version, citation))

    def clause(
        self, section: str, heading: str, label_: str, order: int, document: str, res: str
    ) -> None:
        t, rng = self.w.t, self.rng
        clause = section[:-1] + f"/{label_}>"
        t(section, w("hasClause"), clause)
        t(clause, RDF_TYPE, w("Clause"))
        t(clause, w("listedUnder"), res)  # answers list a clause under its resolution
        t(clause, w("clauseLabel"), lit(label_))
        t(clause, w("order"), typed(order, "integer"))
        t(clause, f"<{RDFS}label>", lit(f"{heading} {label_}"))
        t(clause, f"<{PROV}wasDerivedFrom>", document)
        parts: list[tuple[str, str, str]] = []  # quoted text, relation, object
        text = f"{rng.choice(VERBS)} {rng.choice(THEMES)}"
        if rng.random() < 0.5:
            code_index = rng.randrange(len(self.world.action_lines))
            al = self.world.action_lines[code_index]
            code = al.rsplit("/", 1)[1][:-1]
            parts.append((f"Action Line {code}", "supportsActionLine", al))
        if self.world.resolutions and rng.random() < 0.4:
            cited, quoted = rng.choice(self.world.resolutions)
            parts.append((quoted, "cites", cited))
        if self.world.recommendations and rng.random() < 0.3:
            rec, number = rng.choice(self.world.recommendations)
            parts.append((f"Recommendation ITU-T {number}", "cites", rec))
        target = None
        if parts and parts[0][1] == "supportsActionLine" and rng.random() < 0.2:
            target = rng.choice(self.world.targets)
            code = target.rsplit("/", 1)[1][:-1]
            parts.append((f"SDG target {code}", "contributesToSDG", target))
        spans: list[tuple[int, int, str, str, str]] = []
        for quoted, relation, obj in parts:
            text += rng.choice([", in line with ", ", taking into account ", " and "])
            start = len(text)
            text += quoted
            spans.append((start, len(text), quoted, relation, obj))
        text += ";"
        t(clause, w("text"), lit(text))
        for start, end, quoted, relation, obj in spans:
            subject = clause
            if relation == "contributesToSDG":  # the Action Line named in the clause
                subject = parts[0][2]
            self.link(
                subject,
                relation,
                obj,
                "Extracted",
                {
                    "sourceClause": clause,
                    "sourceDocument": document,
                    "quotation": lit(quoted),
                    "startOffset": typed(start, "integer"),
                    "endOffset": typed(end, "integer"),
                },
                0.9,
            )

    def growing(self) -> Iterator[None]:
        n = 0
        while True:
            self.recommendation(n)
            if n % 20 == 0:
                self.question(n // 20)
            if n % 40 == 0:
                self.resolution_version(n // 40)
            n += 1
            yield
