"""``wsiskg export``: the store as RDF (graph/export.py), or its mapping sets as SSSOM/TSV
(graph/mappings.py, ``--format sssom``).

SSSOM: one set per file, as SSSOM has it: ``--set NAME`` writes that set to ``-o FILE`` or
standard output; without ``--set``, every set goes into the directory ``-o DIR`` (made if
missing), as ``DIR/<set>.sssom.tsv``. ``--evidence`` keeps only those evidence kinds (a subset
with its own mapping_set_id). The same text as ``GET /mappings/{set}.sssom.tsv``.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from api.console import StoreOption, err, fail, open_graph
from graph import mappings, sssom_tsv
from graph.catalogue import split_values
from graph.mappings import SETS
from graph.store import EXPORT_FORMATS, KnowledgeGraph

SUFFIX = ".sssom.tsv"


def export(
    fmt: Annotated[
        str,
        typer.Option("--format", help=f"One of {', '.join(EXPORT_FORMATS)}, or sssom."),
    ] = "nquads",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File (default: stdout); sssom without --set: a directory."
        ),
    ] = None,
    graph: Annotated[str | None, typer.Option(help="Only this named graph (IRI).")] = None,
    mapping_set: Annotated[
        str | None,
        typer.Option("--set", help=f"sssom: only this mapping set ({', '.join(SETS)})."),
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            help="sssom: only mappings of this evidence (stated, extracted, inferred, suggested)."
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Export the graph: quads (N-Quads, TriG, JSON-LD) or the union as triples (Turtle ...);
    or its mapping sets as SSSOM/TSV (one file per set: docs/mappings.md)."""
    if fmt != "sssom" and fmt not in EXPORT_FORMATS:
        fail(f"unknown format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)} or sssom")
    if fmt != "sssom" and (mapping_set is not None or evidence):
        fail("--set and --evidence are options of --format sssom")
    if fmt == "sssom" and graph is not None:
        fail("--graph is not an option of --format sssom: a mapping set spans the graphs")
    with open_graph(store, read_only=True) as kg:
        if fmt == "sssom":
            export_sssom(kg, output, mapping_set, split_values(evidence))
            return
        try:
            if output is None:
                buffer = io.BytesIO()
                kg.export(fmt, buffer, graph)
                sys.stdout.buffer.write(buffer.getvalue())
            else:
                kg.export(fmt, output, graph)
                err.print(f"wrote {output}")
        except OSError as e:
            fail(f"{output}: {e.strerror or e}")


def add_commands(app: typer.Typer) -> None:
    """The command, on the ``wsiskg`` application (api/cli.py)."""
    app.command()(export)


def export_sssom(
    kg: KnowledgeGraph, output: Path | None, name: str | None, evidence: Sequence[str]
) -> None:
    """Write one set (``name``) to ``output`` or standard output, or every set into the
    directory ``output``."""
    if name is not None:
        text = sssom_tsv.export(kg, name, evidence)
        if output is None:
            sys.stdout.write(text)
            return
        _write(output, text)
        return
    if output is None:
        fail(
            f"there are {len(mappings.SETS)} mapping sets ({', '.join(mappings.SETS)}): give "
            "-o DIR for one file per set, or --set NAME for one"
        )
    if output.exists() and not output.is_dir():
        fail(f"{output}: not a directory (every set is written into -o DIR; --set NAME for one)")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        fail(f"{output}: {e.strerror or e}")
    for chosen in mappings.SETS:
        _write(output / f"{chosen}{SUFFIX}", sssom_tsv.export(kg, chosen, evidence))


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"{path}: {e.strerror or e}")
    err.print(f"wrote {path}")
