"""``wsiskg releases`` and ``wsiskg rollback``: the kept releases of the embedded store and
the undo of a write (graph/history.py, graph/rollback.py).

``releases`` reads only the checkpoints beside the store, so it answers while the service
runs; ``rollback`` writes the store, so, like ``restore``, it needs the service stopped (or
use ``POST /releases/{release}/rollback``). A SPARQL server as the store keeps no
checkpoints: both say so in one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.console import StoreOption, fail, load_settings, open_graph, out
from graph.history import ReleaseHistory
from graph.rollback import rollback as roll_back
from ontology.ids import Ids

_REMOTE = (
    "the store is a SPARQL server (WSISKG_STORE_URL): it keeps no checkpoints of its "
    "releases, so there is nothing to list or roll back to here; use the server's own backups "
    "(docs/deploy.md)"
)


def releases(store: StoreOption = None) -> None:
    """List the releases kept as checkpoints, newest first: what made each and its quads."""
    settings = load_settings()
    if store is None and settings.remote_store:
        fail(_REMOTE)
    if settings.keep_releases == 0:
        fail("no releases are kept (WSISKG_KEEP_RELEASES=0)")
    location: Path = (store or settings.store).absolute()
    history = ReleaseHistory(
        location, settings.keep_releases, Ids(settings.base_iri).graph("provenance")
    )
    kept = history.list()
    if not kept:
        out.print(f"no release of the store at {location} is kept yet (one is after each write)")
        return
    table = Table("release", "date", "made by", "quads")
    for release in kept:
        table.add_row(
            release.release,
            release.created or "",
            f"{release.kind}: {release.made_by}",
            "" if release.quads is None else str(release.quads),
        )
    out.print(table)
    out.print(f"{len(kept)} kept (newest first; WSISKG_KEEP_RELEASES={history.keep})")


def rollback(
    release: Annotated[str, typer.Argument(help="A kept release (`wsiskg releases`).")],
    store: StoreOption = None,
) -> None:
    """Roll the data back to a kept release, in one transaction recorded as a new release
    (the provenance keeps everything). The service must be stopped (or use POST
    /releases/{release}/rollback)."""
    settings = load_settings()
    if store is None and settings.remote_store:
        fail(_REMOTE)
    with open_graph(store, settings) as kg:
        done = roll_back(kg, release)
    out.print(
        f"rolled back to release {done.target}: new release {done.release}; "
        f"{len(done.graphs)} graph(s) put back ({done.quads} triples) in {done.seconds:.1f} s",
        highlight=False,
        markup=False,
    )


def add_commands(app: typer.Typer) -> None:
    """The two commands, on the ``wsiskg`` application (api/cli.py)."""
    app.command()(releases)
    app.command()(rollback)
