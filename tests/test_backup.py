"""Backups (graph/backup.py; `wsiskg backup`, `wsiskg restore`; docs/reliability.md section 11):
a round trip of the built-in store gives the same quads (counts per graph, release, digest of
the canonical N-Quads); a backup that does not match its manifest is refused; an existing
store is replaced only with --force and never left half restored."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.backup import (
    MANIFEST,
    STORE,
    BackupError,
    Manifest,
    backup,
    canonical_nquads_digest,
    restore,
    verify,
)
from graph.store import KnowledgeGraph
from loaders.rdf import SourceInfo
from ontology.ids import Ids
from tests.conftest import ROOT, WSISKG, run_cli

SMALL = """
@prefix ex: <https://example.org/> .
ex:a ex:p "one" , "deux"@fr ; ex:list ( 1 2 3 ) ; ex:q [ ex:r [ ex:s "nested" ] ] .
ex:b ex:p [ ex:t ex:a ] .
"""


def _digest(path: Path) -> tuple[int, str]:
    store = ox.Store.read_only(str(path))
    try:
        return canonical_nquads_digest(store)
    finally:
        del store


def _small_store(path: Path, extra: str = "") -> KnowledgeGraph:
    kg = KnowledgeGraph.open(path)
    kg.load_ontology()
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse((SMALL + extra).encode(), ox.RdfFormat.TURTLE)
    ]
    kg.replace_graph(kg.ids.graph("small"), triples, SourceInfo("small", "small.ttl", "0" * 64))
    return kg


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    """A small store with blank nodes, closed, and its backup: (store, backup)."""
    kg = _small_store(tmp_path / "store")
    backup(kg, tmp_path / "backup")
    kg.close()
    del kg
    return tmp_path / "store", tmp_path / "backup"


# ---------------------------------------------------------------------- the built-in store


def test_the_built_in_store_round_trips_through_backup_and_restore(
    store_copy: Path, tmp_path: Path
) -> None:
    before = _digest(store_copy)
    directory = tmp_path / "backups" / "today"
    started = time.monotonic()
    made = run_cli("backup", str(directory), store=store_copy, check=True)
    backup_seconds = time.monotonic() - started
    assert "backed up" in made.stdout
    manifest = json.loads((directory / MANIFEST).read_text())
    assert (manifest["quads"], manifest["digest"]) == before
    assert manifest["release"]
    assert manifest["format"] == "wsis-kg-backup/1"
    assert sum(manifest["graphs"].values()) == manifest["quads"]
    assert not list(directory.parent.glob(".*"))  # no partial backup left beside it

    restored = tmp_path / "restored" / "store"
    started = time.monotonic()
    answer = run_cli("restore", str(directory), store=restored, check=True)
    restore_seconds = time.monotonic() - started
    assert "digest verified" in answer.stdout
    assert _digest(restored) == before
    graphs = run_cli("graphs", store=restored, check=True).stdout
    assert f"release {manifest['release']}" in graphs
    original = run_cli("graphs", store=store_copy, check=True).stdout
    assert graphs == original
    size = sum(f.stat().st_size for f in (directory / STORE).iterdir())
    print(
        f"\nbackup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s (CLI, with start-up), "
        f"{manifest['quads']} quads, backup {size / 2**20:.0f} MiB"
    )


# ---------------------------------------------------------------------- the digest


def _quads(text: str) -> list[ox.Quad]:
    graph = ox.NamedNode("urn:g")
    return [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(text.encode(), ox.RdfFormat.TURTLE)
    ]


def test_the_digest_ignores_blank_node_labels_and_order_but_not_the_data() -> None:
    first = ox.Store()
    first.extend(_quads(SMALL))
    second = ox.Store()  # the same data parsed again: other blank node labels
    second.extend(reversed(_quads(SMALL)))
    assert {str(q) for q in first} != {str(q) for q in second}  # the labels differ
    assert canonical_nquads_digest(first) == canonical_nquads_digest(second)
    third = ox.Store()
    third.extend(_quads(SMALL.replace('"nested"', '"nested!"')))
    assert canonical_nquads_digest(third)[1] != canonical_nquads_digest(first)[1]
    # a literal that merely looks like a blank node is data, not a label
    fourth = ox.Store()
    fourth.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("_:b0")))
    assert canonical_nquads_digest(fourth)[0] == 1


# ---------------------------------------------------------------------- refusals


def test_a_backup_needs_a_new_directory_and_an_embedded_store(tmp_path: Path) -> None:
    kg = _small_store(tmp_path / "store")
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "file").write_text("x")
    with pytest.raises(BackupError, match="not an empty directory"):
        backup(kg, taken)
    kg.close()
    remote = KnowledgeGraph(ox.Store(), Ids(), None, release_ttl=0.5)  # as a SPARQL server is
    with pytest.raises(BackupError, match=r"server's own means \(docs/deploy.md\)"):
        backup(remote, tmp_path / "remote")
    with pytest.raises(BackupError, match="in-memory"):
        backup(KnowledgeGraph.in_memory(), tmp_path / "memory")
    assert not (tmp_path / "remote").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "taken"]


def test_with_a_sparql_server_as_the_store_the_commands_say_whose_job_it_is(
    tmp_path: Path,
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("WSISKG_")},
        "WSISKG_STORE_URL": "http://127.0.0.1:9",
        "NO_COLOR": "1",
    }
    for command in ("backup", "restore"):
        result = subprocess.run(
            [*WSISKG, command, str(tmp_path / "dir")],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        assert result.returncode == 1, result.stderr
        assert "docs/deploy.md" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_backup_that_does_not_match_its_manifest_is_refused(
    small: tuple[Path, Path], tmp_path: Path
) -> None:
    _, directory = small
    assert verify(directory).quads == _digest(directory / STORE)[0]
    # the data changed behind the manifest's back: another store in its place
    other = _small_store(tmp_path / "other", 'ex:c ex:p "smuggled" .')
    shutil.rmtree(directory / STORE)
    other.checkpoint(directory / STORE)
    other.close()
    target = tmp_path / "target"
    with pytest.raises(BackupError, match="does not match its manifest") as raised:
        restore(directory, target)
    assert "nothing was restored" in str(raised.value)
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    # a manifest edited by hand is refused the same way
    manifest = json.loads((directory / MANIFEST).read_text())
    manifest["digest"] = "sha256:" + "0" * 64
    (directory / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="does not match its manifest"):
        verify(directory)
    # and a directory that is not a backup says so
    with pytest.raises(BackupError, match="not a backup"):
        restore(tmp_path, target)


def test_an_existing_store_is_replaced_only_with_force_and_never_half_restored(
    small: tuple[Path, Path], tmp_path: Path
) -> None:
    store, directory = small
    expected = Manifest.read(directory)
    other = _small_store(tmp_path / "live", 'ex:c ex:p "the live store" .')
    other.close()
    del other
    live = tmp_path / "live"
    live_digest = _digest(live)
    assert live_digest[1] != expected.digest
    with pytest.raises(BackupError, match="--force"):
        restore(directory, live)
    assert _digest(live) == live_digest
    # a store in use by a process (this one) is not replaced
    holder = ox.Store(str(live))
    with pytest.raises(BackupError, match="in use"):
        restore(directory, live, force=True)
    del holder
    # a damaged backup: the live store stays as it was, nothing is left beside it
    damaged = tmp_path / "damaged"
    shutil.copytree(directory, damaged)
    manifest = json.loads((damaged / MANIFEST).read_text())
    manifest["quads"] += 1
    (damaged / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="does not match"):
        restore(damaged, live, force=True)
    assert _digest(live) == live_digest
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    # with --force and a sound backup: replaced, and the search index (a cache) dropped
    index = live.with_name("live.search.sqlite")
    index.write_text("stale")
    done = restore(directory, live, force=True)
    assert done.replaced
    assert _digest(live) == (expected.quads, expected.digest) == _digest(store)
    assert not index.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    # the restored store is a working store: it opens, and loads go on from its release
    kg = KnowledgeGraph.open(live)
    assert kg.current_release() == expected.release
    kg.close()


def test_the_cli_refuses_to_restore_over_a_store_without_force(
    small: tuple[Path, Path],
) -> None:
    store, directory = small
    result = run_cli("restore", str(directory), store=store)
    assert result.returncode == 1
    assert "--force" in result.stderr
    assert "Traceback" not in result.stderr
    again = run_cli("restore", str(directory), "--force", store=store, check=True)
    assert "replacing the store there" in again.stdout
