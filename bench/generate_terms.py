"""The terms the generated graph is written with: the namespaces and identifiers the loaders
write, the fixed vocabulary the growing part draws from (Action Lines, agencies, study groups,
bodies, themes), N-Triples terms, and a writer that counts what it writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO

ID = "https://w3id.org/wsis-kg/id/"
WSIS = "https://w3id.org/wsis-kg/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SDGO = "http://metadata.un.org/sdg/ontology#"
SDG = "http://metadata.un.org/sdg/"
XSD = "http://www.w3.org/2001/XMLSchema#"

ACTION_LINES = [
    ("C1", "The role of public governance authorities and all stakeholders"),
    ("C2", "Information and communication infrastructure"),
    ("C3", "Access to information and knowledge"),
    ("C4", "Capacity building"),
    ("C5", "Building confidence and security in the use of ICTs"),
    ("C6", "Enabling environment"),
    ("C7", "ICT applications"),
    ("C8", "Cultural diversity and identity, linguistic diversity and local content"),
    ("C9", "Media"),
    ("C10", "Ethical dimensions of the Information Society"),
    ("C11", "International and regional cooperation"),
]
SUB_LINES = [
    "e-government",
    "e-business",
    "e-learning",
    "e-health",
    "e-employment",
    "e-environment",
    "e-agriculture",
    "e-science",
]
AGENCIES = ["ITU", "UNESCO", "UNDP", "UNCTAD", "UNDESA", "FAO", "WHO", "ILO", "WMO", "UNEP"]
# targets per goal (169 in all), as in the 2030 Agenda
TARGETS_PER_GOAL = [7, 8, 13, 10, 9, 8, 5, 12, 8, 10, 10, 11, 5, 10, 12, 12, 19]
PERIODS = [(2001, 2004), (2005, 2008), (2009, 2012), (2013, 2016), (2017, 2020), (2022, 2024)]
PERIODS.append((2025, 2028))
STUDY_GROUPS = [2, 3, 5, 9, 11, 12, 13, 15, 16, 17, 20]
SERIES = "ABDEFGHIJKLMNOPQSTVXYZ"
BODIES = [("wtsa", "WTSA"), ("pp", "PP"), ("wtdc", "WTDC")]
PLACES = ["Geneva", "Dubai", "Hammamet", "Busan", "Buenos Aires", "Kigali", "New Delhi"]
PREAMBLE = ["considering", "recalling", "recognizing", "noting", "taking into account"]
OPERATIVE = [
    ("resolves", None),
    ("instructs the Director of the Telecommunication Standardization Bureau", "TSB Director"),
    ("instructs the study groups", "study groups"),
    ("invites Member States", "Member States"),
    ("invites Sector Members", "Sector Members"),
]
VERBS = [
    "to continue to support",
    "to strengthen",
    "to take into account",
    "to promote",
    "to contribute to",
    "to report on",
    "to cooperate in",
    "to encourage",
]
THEMES = [
    "the implementation of the outcomes of the World Summit on the Information Society",
    "the development of international standards for secure and trusted networks",
    "capacity building for developing countries in the field of standardization",
    "the reduction of the standardization gap between developed and developing countries",
    "accessibility of telecommunications for persons with disabilities",
    "the protection of children online",
    "the deployment of broadband infrastructure in rural and remote areas",
    "energy efficiency and the reduction of electronic waste",
    "the use of ICTs for disaster management and early warning",
    "confidence and security in the use of information and communication technologies",
    "multilingual domain names and local content",
    "digital financial services and financial inclusion",
]


def iri(path: str) -> str:
    return f"<{ID}{path}>"


def w(name: str) -> str:
    return f"<{WSIS}{name}>"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def lit(text: str, lang: str | None = None) -> str:
    return f'"{_escape(text)}"@{lang}' if lang else f'"{_escape(text)}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


@dataclass
class Writer:
    """Writes N-Triples and counts them."""

    out: TextIO
    count: int = 0

    def t(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} {p} {o} .\n")
        self.count += 1


@dataclass
class World:
    """What the growing part links to."""

    action_lines: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    study_groups: list[tuple[str, int, str]] = field(default_factory=list)  # iri, number, period
    resolutions: list[tuple[str, str]] = field(default_factory=list)  # version iri, citation
    recommendations: list[tuple[str, str]] = field(default_factory=list)  # iri, number
    rows: dict[str, int] = field(default_factory=dict)  # dataset -> rows written
