"""Backups of the embedded store: ``wsiskg backup DIR`` and ``wsiskg restore DIR``.

A backup is a directory holding

- ``store/``: an Oxigraph ``Store.backup`` of the store, i.e. a RocksDB checkpoint, taken under
  the store's write lock between two loads, so it holds exactly one release. On the same file
  system it hard-links the store's data files (immutable: RocksDB never changes a file it has
  written), so it costs almost no time or space there; on another file system it copies
  them. A backup that should survive the disk goes on another disk, or is copied there (it is
  a plain directory).
- ``manifest.json``: what the backup holds (release, number of quads, quads per graph), the
  digest of its canonical N-Quads (:func:`canonical_nquads_digest`), the software and
  pyoxigraph versions, the date.

A backup is written beside its target and renamed into place only once complete and
verified, so a backup directory is either complete or absent. A restore checks the manifest
against the backup it describes (a backup whose quads or digest differ from its manifest is
refused: it is damaged or was changed), restores into a directory beside the target, checks
that copy again, and only then moves it into place (the old store, with ``--force``, is moved
aside first and deleted last): a store is never half restored.

The search index (``<store>.search.sqlite``) is a cache and is not backed up; a restore
deletes the target's, and the service rebuilds it. A SPARQL server as the store
(``WSISKG_STORE_URL``) is backed up by the server's own means (docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from ontology import WSIS
from ontology.errors import WsisKgError

from .store import KnowledgeGraph, StoreError, software_version

FORMAT = "wsis-kg-backup/1"
MANIFEST = "manifest.json"
STORE = "store"
DIGEST_METHOD = (
    "sha256 of the sorted lines (bytes, each ending in LF) of the store's N-Quads as pyoxigraph "
    "writes them (RDF 1.2 canonical N-Quads), with blank nodes relabelled by RDFC-1.0"
)


class BackupError(WsisKgError):
    """A backup or restore that cannot be done, or a backup that does not match its
    manifest; the message says what and where."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds."""

    format: str
    release: str | None
    quads: int
    graphs: dict[str, int]
    digest: str
    digest_method: str
    software_version: str
    pyoxigraph_version: str
    created: str
    source: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        path = directory / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BackupError(f"{directory} is not a backup: it has no {MANIFEST}") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise BackupError(f"{path}: cannot read the manifest ({e})") from e
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else None
            raise BackupError(f"{path}: not a backup of this format ({found!r}, not {FORMAT!r})")
        try:
            manifest = cls(**data)
        except TypeError as e:
            raise BackupError(f"{path}: the manifest is incomplete or has unknown fields") from e
        if not isinstance(manifest.quads, int) or not isinstance(manifest.digest, str):
            raise BackupError(f"{path}: the manifest's quads or digest is malformed")
        return manifest


def _has_blank_node(quad: ox.Quad) -> bool:
    return any(
        isinstance(term, ox.BlankNode) for term in (quad.subject, quad.object, quad.graph_name)
    )


def canonical_nquads(store: ox.Store) -> list[bytes]:
    """The store's quads as sorted canonical N-Quads lines (without their LF): the same data
    gives the same lines, whatever the order of the store or the labels of its blank nodes
    (RDFC-1.0; the built-in data has some 100 quads with blank nodes, in the ontology)."""
    dump = store.dump(format=ox.RdfFormat.N_QUADS) or b""
    lines = [line for line in dump.split(b"\n") if line]
    maybe_blank = [line for line in lines if b"_:" in line]  # or "_:" within a literal
    if maybe_blank:
        quads = list(ox.parse(b"\n".join(maybe_blank), ox.RdfFormat.N_QUADS))
        blank = ox.Dataset(q for q in quads if _has_blank_node(q))
        blank.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        lines = [line for line in lines if b"_:" not in line]
        rewritten = ox.serialize(
            [*blank, *(q for q in quads if not _has_blank_node(q))], format=ox.RdfFormat.N_QUADS
        )
        lines.extend(line for line in (rewritten or b"").split(b"\n") if line)
    lines.sort()
    return lines


def canonical_nquads_digest(source: KnowledgeGraph | ox.Store) -> tuple[int, str]:
    """(number of quads, ``sha256:<hex>`` of the canonical N-Quads) of a store: two stores
    with the same quads have the same digest (see :data:`DIGEST_METHOD`)."""
    store = source.store if isinstance(source, KnowledgeGraph) else source
    if not isinstance(store, ox.Store):
        raise BackupError("a digest needs the embedded store (not a SPARQL server)")
    digest = hashlib.sha256()
    lines = canonical_nquads(store)
    for line in lines:
        digest.update(line)
        digest.update(b"\n")
    return len(lines), f"sha256:{digest.hexdigest()}"


def _graph_sizes(store: ox.Store) -> dict[str, int]:
    """Quads per named graph (IRI; a blank node as ``_:id``), and in the default graph ("")."""
    sizes: dict[str, int] = {}
    for query, graph in (
        ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", "g"),
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", None),  # the default graph alone
    ):
        result = store.query(query)
        assert isinstance(result, ox.QuerySolutions)
        for row in result:
            name = row[graph] if graph else None
            count = row["n"]
            if count is not None and int(count.value):
                sizes[
                    str(name) if isinstance(name, ox.BlankNode) else name.value if name else ""
                ] = int(count.value)
    return dict(sorted(sizes.items()))


def _release(store: ox.Store, kg: KnowledgeGraph) -> str | None:
    """The release the store holds, read as KnowledgeGraph.current_release reads it."""
    result = store.query(
        f"SELECT (MAX(?id) AS ?r) WHERE {{ GRAPH {kg.provenance_graph} "
        f"{{ ?rel a {WSIS.Release} ; {WSIS.releaseId} ?id }} }}"
    )
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        value = row["r"]
        return value.value if value is not None else None
    return None


def _describe(store: ox.Store, kg: KnowledgeGraph, source: str) -> Manifest:
    quads, digest = canonical_nquads_digest(store)
    return Manifest(
        format=FORMAT,
        release=_release(store, kg),
        quads=quads,
        graphs=_graph_sizes(store),
        digest=digest,
        digest_method=DIGEST_METHOD,
        software_version=software_version(),
        pyoxigraph_version=ox.__version__,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        source=source,
    )


def _fresh_target(target: Path, what: str) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} exists and is not an empty directory: {what} needs a new one")


def _sync(path: Path) -> None:
    """Flush a file or a directory's entries to the disk."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup(kg: KnowledgeGraph, target: Path) -> Manifest:
    """Back up the embedded store of ``kg`` into ``target`` (a new or empty directory)."""
    if kg.location is None:
        if kg.shared:
            raise BackupError(
                f"the store is a SPARQL server ({kg.describe()}): back it up with the server's "
                "own means (docs/deploy.md); `wsiskg backup` backs up an embedded store"
            )
        raise BackupError("an in-memory store cannot be backed up")
    target = target.absolute()
    _fresh_target(target, "a backup")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        kg.checkpoint(staging / STORE)  # under the write lock: one release
        checkpoint = ox.Store.read_only(str(staging / STORE))
        try:
            manifest = _describe(checkpoint, kg, str(kg.location))
        finally:
            del checkpoint
        (staging / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        _sync(staging / MANIFEST)
        _sync(staging)
        if target.exists():
            target.rmdir()  # empty (checked above)
        staging.rename(target)
        _sync(target.parent)
    except StoreError as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(str(e)) from e
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def verify(directory: Path) -> Manifest:
    """The manifest of the backup in ``directory``, after checking that the backup holds
    exactly what it says (quads and digest); :class:`BackupError` if not."""
    manifest = Manifest.read(directory)
    _check(directory / STORE, manifest, directory)
    return manifest


def _open_read_only(path: Path, backup_dir: Path) -> ox.Store:
    if not (path / "CURRENT").is_file():
        raise BackupError(f"{backup_dir} is not a complete backup: {path} holds no store")
    try:
        return ox.Store.read_only(str(path))
    except OSError as e:
        raise BackupError(f"cannot open the store of the backup {backup_dir}: {e}") from e


def _check(path: Path, manifest: Manifest, backup_dir: Path) -> None:
    store = _open_read_only(path, backup_dir)
    try:
        quads, digest = canonical_nquads_digest(store)
    finally:
        del store
    if (quads, digest) != (manifest.quads, manifest.digest):
        versions = (
            f" (it was made with pyoxigraph {manifest.pyoxigraph_version}, this is "
            f"{ox.__version__}: the digest may differ between versions)"
            if manifest.pyoxigraph_version != ox.__version__
            else ""
        )
        raise BackupError(
            f"the backup {backup_dir} does not match its manifest: {quads} quads with digest "
            f"{digest}, where the manifest says {manifest.quads} with {manifest.digest}; it is "
            f"damaged or was changed, and nothing was restored{versions}"
        )


def _in_use(target: Path) -> bool:
    """Whether another process has the store at ``target`` open (RocksDB's lock)."""
    try:
        probe = ox.Store(str(target))
    except OSError as e:
        # locked: in use; any other failure (a damaged store) is what a restore replaces
        return "lock" in str(e).lower()
    del probe
    return False


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    seconds: float
    replaced: bool


def restore(source: Path, target: Path, *, force: bool = False) -> Restored:
    """Restore the backup in ``source`` as the store at ``target`` (absent, or replaced with
    ``force``), verified before it is moved into place."""
    started = time.monotonic()
    source, target = source.absolute(), target.absolute()
    manifest = Manifest.read(source)
    exists = target.exists() and (not target.is_dir() or any(target.iterdir()))
    if exists and not force:
        raise BackupError(
            f"a store exists at {target}: restore with --force to replace it (it is replaced "
            "only once the backup has been checked)"
        )
    if exists and _in_use(target):
        raise BackupError(
            f"the store at {target} is in use by another process (is `wsiskg serve` "
            "running?): stop it first"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:8]
    staging = target.parent / f".{target.name}.restoring-{tag}"
    aside = target.parent / f".{target.name}.replaced-{tag}"
    try:
        backup_store = _open_read_only(source / STORE, source)
        try:  # a checkpoint of the backup: hard links on the same file system, else a copy
            backup_store.backup(str(staging))
        except OSError as e:
            raise BackupError(f"cannot copy the backup to {staging}: {e}") from e
        finally:
            del backup_store
        _check(staging, manifest, source)
        if target.exists():
            target.rename(aside)
        staging.rename(target)
        _sync(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if aside.exists() and not target.exists():
            aside.rename(target)  # put the old store back
        raise
    shutil.rmtree(aside, ignore_errors=True)
    # the search index is a cache of the old store: the service rebuilds it
    index = target.with_name(target.name + ".search.sqlite")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    return Restored(manifest, time.monotonic() - started, exists)
