"""The last N releases of the embedded store, kept as checkpoints beside it (issue 15, "Undo").

After each committed write, still under the store's write lock (graph/store.py calls
:meth:`ReleaseHistory.record`), the store is checkpointed into
``<store>.releases/<release id>/``: an Oxigraph ``Store.backup``, i.e. a RocksDB checkpoint
that hard-links the immutable data files (a few milliseconds at 444k quads), so each one
holds exactly one release. Beside it ``<release id>.json`` says what made it (the activities
of the release, from the provenance) and, once counted, its quads. The newest
``WSISKG_KEEP_RELEASES`` are kept, the others deleted. A checkpoint is written in a hidden
directory and renamed into place, so a listed checkpoint is always complete.

graph/rollback.py rolls the store back to one of them. A SPARQL server as the store keeps
none: :class:`NoHistoryError` says why.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from ontology import DCTERMS, PROV, RDF, RDFS, WSIS

from .errors import StoreError

_log = logging.getLogger("wsiskg.history")

# the kinds of activity that make a release, as the listing names them
KINDS = {WSIS.Load.value: "load", WSIS.Update.value: "update", WSIS.Rollback.value: "rollback"}


class NoHistoryError(StoreError):
    """The store keeps no checkpoints of its releases (a SPARQL server, an in-memory store,
    or ``WSISKG_KEEP_RELEASES=0``)."""


class UnknownReleaseError(StoreError):
    """No checkpoint of this release is kept."""


def releases_dir(location: Path) -> Path:
    """Where the checkpoints of the releases of the store at ``location`` are kept."""
    return location.parent / f"{location.name}.releases"


@dataclass(frozen=True)
class KeptRelease:
    """One kept release: its id, when it was made, what made it, its quads."""

    release: str
    created: str | None  # dcterms:created of the release (xsd:dateTime)
    kind: str  # load, update, rollback (or "other")
    activities: list[str]  # the labels of the activities that made it
    quads: int | None  # None until counted

    @property
    def made_by(self) -> str:
        """The activities in one line: the first label and how many more."""
        if not self.activities:
            return self.kind
        more = len(self.activities) - 1
        return self.activities[0] + (f" (+{more} more)" if more else "")


def describe_release(store: ox.Store, provenance: ox.NamedNode, release: str) -> KeptRelease:
    """What the provenance graph of ``store`` says of ``release`` (quads not counted)."""
    result = store.query(
        f"SELECT ?created ?kind ?label WHERE {{ GRAPH {provenance} {{ "
        f"?rel {WSIS.releaseId} {ox.Literal(release)} ; {PROV.wasGeneratedBy} ?activity . "
        f"OPTIONAL {{ ?rel {DCTERMS.created} ?created }} "
        f"OPTIONAL {{ ?activity {RDFS.label} ?label }} "
        f"OPTIONAL {{ ?activity {RDF.type} ?kind "
        f"FILTER(?kind IN ({', '.join(f'<{k}>' for k in KINDS)})) }} }} }} ORDER BY ?label"
    )
    assert isinstance(result, ox.QuerySolutions)
    created, kinds, labels = None, [], []
    for row in result:
        if row["created"] is not None:
            created = row["created"].value
        if row["kind"] is not None:
            kinds.append(KINDS[row["kind"].value])
        if row["label"] is not None and row["label"].value not in labels:
            labels.append(row["label"].value)
    kind = kinds[0] if kinds and len(set(kinds)) == 1 else "other"
    return KeptRelease(release, created, kind, labels, None)


class ReleaseHistory:
    """The kept checkpoints of one embedded store at ``location``: the newest ``keep``."""

    def __init__(self, location: Path, keep: int, provenance: ox.NamedNode) -> None:
        if keep < 1:
            raise ValueError("keep at least one release (0 keeps none: no history)")
        self.location = location
        self.directory = releases_dir(location)
        self.keep = keep
        self.provenance = provenance

    # ------------------------------------------------------------------ writing

    def record(self, store: ox.Store, release: str | None) -> Path | None:
        """Checkpoint ``store``, which holds ``release`` (the caller holds the write lock, so
        no write commits meanwhile), then prune. Never raises: the write has committed, and
        a checkpoint that cannot be made is a warning (the release cannot be rolled back to)."""
        if release is None:
            return None
        try:
            path = self._record(store, release)
            self.prune()
        except (OSError, RuntimeError, StoreError) as e:
            _log.warning("could not keep a checkpoint of release %s: %s", release, e)
            return None
        return path

    def _record(self, store: ox.Store, release: str) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        staging = self.directory / f".tmp-{uuid.uuid4().hex[:12]}"
        aside: Path | None = None
        try:
            store.backup(str(staging))
            info = describe_release(store, self.provenance, release)
            target = self.directory / release
            if target.exists():  # the same release checkpointed again (entailments recomputed)
                aside = self.directory / f".old-{uuid.uuid4().hex[:12]}"
                target.rename(aside)
            _write_info(self._info_path(release), info)
            staging.rename(target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if aside is not None and not target.exists():  # the earlier checkpoint, back
                aside.rename(target)
            raise
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
        return target

    def record_current(self, store: ox.Store, release: str | None) -> Path | None:
        """A checkpoint of the current release unless one is kept (a store written before it
        kept its releases, e.g. when the service starts)."""
        if release is None or (self.directory / release / "CURRENT").is_file():
            return None
        return self.record(store, release)

    def prune(self) -> list[str]:
        """Delete all but the newest ``keep`` checkpoints (and leftovers of interrupted
        ones); the releases deleted."""
        kept = self.releases()
        dropped = kept[self.keep :]
        for release in dropped:
            self._info_path(release).unlink(missing_ok=True)
            shutil.rmtree(self.directory / release, ignore_errors=True)
        with contextlib.suppress(OSError):
            for entry in self.directory.iterdir():
                if entry.name.startswith((".tmp-", ".old-")) and entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
        return dropped

    # ------------------------------------------------------------------ reading

    def releases(self) -> list[str]:
        """The ids of the kept releases, newest first (release ids sort by time)."""
        try:
            entries = list(self.directory.iterdir())
        except OSError:
            return []
        names = [
            e.name for e in entries if not e.name.startswith(".") and (e / "CURRENT").is_file()
        ]
        return sorted(names, reverse=True)

    def path_of(self, release: str) -> Path:
        """The checkpoint of ``release``; :class:`UnknownReleaseError` when none is kept."""
        if release in self.releases():
            return self.directory / release
        kept = self.releases()
        raise UnknownReleaseError(
            f"no checkpoint of release {release!r} is kept (the {len(kept)} kept: "
            f"{', '.join(kept[:3]) or 'none'}{' ...' if len(kept) > 3 else ''}; "
            "`wsiskg releases` or GET /releases lists them)"
        )

    def list(self) -> list[KeptRelease]:
        """The kept releases, newest first, with their quads (counted once per checkpoint,
        then remembered beside it). A checkpoint deleted meanwhile is left out."""
        listed = []
        for release in self.releases():
            info = self._read_info(release)
            if info is None or info.quads is None:
                try:
                    counted = self._count(release, info)
                except OSError:
                    continue  # pruned by the writer meanwhile
                info = counted
                with contextlib.suppress(OSError):
                    _write_info(self._info_path(release), info)
            listed.append(info)
        return listed

    def _count(self, release: str, info: KeptRelease | None) -> KeptRelease:
        store = ox.Store.read_only(str(self.directory / release))
        try:
            described = info or describe_release(store, self.provenance, release)
            return replace(described, quads=len(store))
        finally:
            del store

    def _info_path(self, release: str) -> Path:
        return self.directory / f"{release}.json"

    def _read_info(self, release: str) -> KeptRelease | None:
        try:
            data = json.loads(self._info_path(release).read_text(encoding="utf-8"))
            return KeptRelease(**data)
        except (OSError, ValueError, TypeError):
            return None


def _write_info(path: Path, info: KeptRelease) -> None:
    """Write ``info`` as JSON, atomically (a reader sees the old file or the new one)."""
    staging = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    staging.write_text(json.dumps(asdict(info), ensure_ascii=False), encoding="utf-8")
    staging.replace(path)
