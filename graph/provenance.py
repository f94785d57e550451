"""What the store records about each write: the PROV-O activity (a load or an update), the
release it generates and the software that made it, as N-Triples lines for the one SPARQL
update of the write (graph/store.py); the ids of releases; the versions of the software.

One record for both kinds of write: :func:`release_record` writes what every write has, and
each kind adds its own lines (a load: its file, graph and triple count; an update: its text).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import metadata, resources
from pathlib import Path

import pyoxigraph as ox

from loaders.rdf import SourceInfo, lit
from ontology import DCTERMS, PROV, RDF, RDFS, WSIS, XSD
from ontology.ids import Ids

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


def software_version() -> str:
    try:
        return metadata.version("wsis-kg")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


@cache
def fingerprinted_files() -> tuple[Path, ...]:
    """What produces the data, whose bytes :func:`loader_version` hashes: every module of the
    loaders (their subpackages too: the suggester's weights in loaders/suggest change every
    stored suggestion), their curated tables (loaders/data/*.csv) and the reference tables
    (loaders/data/reference: the suggester's label texts, read by every load), the ontology
    and the entailment rules."""
    found: list[Path] = []
    for package, patterns in (
        ("loaders", ("**/*.py", "data/*.csv", "data/reference/*.csv")),
        ("ontology", ("**/*.py", "*.ttl")),
        ("graph", ("rules/*.rq", "store.py", "writing.py", "provenance.py", "entailments.py")),
    ):
        root = Path(str(resources.files(package)))
        for pattern in patterns:
            found.extend(sorted(root.glob(pattern)))
    return tuple(found)


@cache  # the files are read once a process (some 14 ms)
def loader_version() -> str:
    """The package version plus a fingerprint of what produces the data
    (:func:`fingerprinted_files`).

    A load is skipped only when both its input and this value are unchanged, so a changed
    loader or ontology reloads even before the version number moves.
    """
    digest = hashlib.sha256()
    for path in fingerprinted_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{software_version()}+{digest.hexdigest()[:12]}"


def release_id(when: datetime, sources: Sequence[SourceInfo]) -> str:
    """The id of the release a write made at ``when`` from ``sources``: sortable by time."""
    names = "|".join(f"{s.name}:{s.sha256}" for s in sources)
    digest = hashlib.sha256(f"{when.isoformat()}|{names}".encode())
    return f"{when:%Y%m%dT%H%M%S%fZ}-{digest.hexdigest()[:8]}"


def release_date(release: str) -> str | None:
    """The UTC day (``2026-12-05``) a release of :func:`release_id` was made, or None for an id
    of another form."""
    try:
        return datetime.strptime(release[:8], "%Y%m%d").date().isoformat()
    except ValueError:
        return None


def _stamp(when: datetime) -> ox.Literal:
    return ox.Literal(when.isoformat(timespec="milliseconds"), datatype=XSD.dateTime)


def release_record(
    ids: Ids,
    activity: ox.NamedNode,
    kind: ox.NamedNode,
    label: str,
    *,
    sha256: str,
    started: datetime,
    release: str,
    version: str,
    details: Iterable[Triple] = (),
) -> str:
    """The record of one write, as N-Triples lines: ``activity`` (of ``kind``, wsis:Load or
    wsis:Update) from ``started`` to now, by the software of ``version``, generating the
    release ``release``; ``details``: the lines only this kind of write has."""
    rel = ids.release(release)
    software = ids.software(version)
    now = datetime.now(UTC)
    # the classes and inverses the rules would derive are written out: the entailment rules
    # do not read the store's own records (graph/entailments.py)
    triples: list[Triple] = [
        (activity, RDF.type, kind),
        (activity, RDF.type, PROV.Activity),
        (activity, RDFS.label, lit(label)),
        *details,
        (activity, WSIS.sha256, lit(sha256)),
        (activity, PROV.startedAtTime, _stamp(started)),
        (activity, PROV.endedAtTime, _stamp(now)),
        (activity, PROV.wasAssociatedWith, software),
        (activity, PROV.generated, rel),
        (software, RDF.type, PROV.SoftwareAgent),
        (software, RDF.type, PROV.Agent),
        (software, RDFS.label, lit(f"wsis-kg {version}")),
        (rel, RDF.type, WSIS.Release),
        (rel, RDF.type, PROV.Entity),
        (rel, WSIS.releaseId, lit(release)),
        (rel, PROV.wasGeneratedBy, activity),
        # one value per release, whichever of its records says it (a write of several
        # graphs writes one record each; "now" differed between them by milliseconds)
        (rel, DCTERMS.created, _stamp(started)),
    ]
    return "\n".join(f"{s} {p} {o} ." for s, p, o in triples)


def forget_record(provenance: ox.NamedNode, graph: ox.NamedNode) -> str:
    """The SPARQL text (two operations, each ended by " ;") that deletes the record of the
    load that made ``graph`` from the ``provenance`` graph, before a new one replaces it."""
    return (
        f"DELETE WHERE {{ GRAPH {provenance} {{ {graph} prov:wasGeneratedBy ?old }} }} ;\n"
        f"DELETE WHERE {{ GRAPH {provenance} {{ ?old prov:generated {graph} }} }} ;\n"
    )


def load_record(
    ids: Ids,
    graph: ox.NamedNode,
    used: ox.NamedNode,
    source: SourceInfo,
    count: int,
    started: datetime,
    release: str,
    number: int,
    version: str,
) -> str:
    """The record of the load of ``source`` (``count`` triples) into ``graph``, the
    ``number``-th load of the release."""
    load = ids.load(f"{release}-{number}")
    details: list[Triple] = [
        (load, PROV.used, used),
        (load, WSIS.fileName, lit(source.path)),
        (load, WSIS.loaderVersion, lit(version)),
        (load, WSIS.namedGraph, graph),
        (load, WSIS.tripleCount, lit(count)),
    ]
    record = release_record(
        ids,
        load,
        WSIS.Load,
        f"load of {source.path} into {graph.value}",
        sha256=source.sha256,
        started=started,
        release=release,
        version=version,
        details=details,
    )
    return f"{record}\n{graph} {PROV.wasGeneratedBy} {load} .\n{load} {PROV.generated} {graph} ."


def update_record(
    ids: Ids, sparql: str, digest: str, started: datetime, release: str, used: Sequence[str]
) -> str:
    """The record of a SPARQL update (its text, the graphs it used)."""
    activity = ox.NamedNode(f"{ids.base}update/{release}")
    details: list[Triple] = [
        (activity, WSIS.updateText, lit(sparql)),
        *((activity, PROV.used, ox.NamedNode(g)) for g in dict.fromkeys(used)),
    ]
    return release_record(
        ids,
        activity,
        WSIS.Update,
        f"SPARQL update {release}",
        sha256=digest,
        started=started,
        release=release,
        version=loader_version(),
        details=details,
    )


def rollback_record(ids: Ids, target: str, digest: str, started: datetime, release: str) -> str:
    """The record of a rollback to the kept release ``target`` (graph/rollback.py):
    ``digest`` is the SHA-256 of the data it put back."""
    activity = ox.NamedNode(f"{ids.base}rollback/{release}")
    return release_record(
        ids,
        activity,
        WSIS.Rollback,
        f"rollback to release {target}",
        sha256=digest,
        started=started,
        release=release,
        version=loader_version(),
        details=[(activity, PROV.used, ids.release(target))],
    )
