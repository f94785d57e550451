"""What the ``wsiskg`` commands share: the consoles, the one-line failure, the settings, the
store a command opens (read-only beside a running service), and how answers are printed
(a table that fits the terminal, records, CSV, TSV or JSON).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import pyoxigraph as ox
import typer
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import SettingsError as PydanticSettingsError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from graph.builtin import load_builtin
from graph.connect import graph_from_settings
from graph.corpus import CorpusReport, corpus_files, load_corpus
from graph.errors import ExecutorError
from graph.readonly import read_only_view
from graph.settings import Settings
from graph.store import (
    KnowledgeGraph,
    LoadRecord,
    StoreError,
    StoreInUseError,
)
from loaders.formats import ReadLimits
from loaders.rdf import LoadReport
from ontology import PREFIXES
from ontology.ids import Ids

out = Console(soft_wrap=True)


err = Console(stderr=True, soft_wrap=True)


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store", help="Store directory (default: $WSISKG_STORE or ~/.local/share/wsis-kg/store)."
    ),
]


class OutputFormat(StrEnum):
    table = "table"
    records = "records"
    csv = "csv"
    tsv = "tsv"
    json = "json"


# The narrowest a table column may get before its cells become "a…": a result whose columns
# cannot all have this much (or their widest cell, if narrower) is printed as records.
MIN_COLUMN = 16


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def load_settings() -> Settings:
    """The settings from the environment; a bad value is one line naming its variable (the
    value itself is not repeated: it may be a secret)."""
    try:
        return Settings()
    except PydanticSettingsError as e:  # a value the environment source cannot decode
        field = re.search(r'field "(\w+)"', str(e))
        name = f"WSISKG_{field.group(1).upper()}" if field else "a WSISKG_ variable"
        fail(f"bad setting: {name}: cannot be read ({e.__cause__ or e})", 2)
    except PydanticValidationError as e:
        problems = "; ".join(
            (
                f"WSISKG_{'_'.join(str(part) for part in error['loc']).upper()}: "
                if error["loc"]
                else ""
            )
            + error["msg"].removeprefix("Value error, ")
            for error in e.errors()
        )
        fail(f"bad setting: {problems}", 2)


@contextmanager
def open_graph(
    store: Path | None, settings: Settings | None = None, *, read_only: bool = False
) -> Iterator[KnowledgeGraph]:
    """The store the settings name: the embedded store at ``store`` (or $WSISKG_STORE), or
    the SPARQL server of $WSISKG_STORE_URL (graph/remote.py).

    An embedded store another process holds (`wsiskg serve`: one process per store) is
    refused, except for a command that only reads (``read_only``): it reads a read-only
    view of the latest release the service checkpointed (graph/readonly.py), and says so."""
    settings = settings or load_settings()
    location = store or settings.store
    with ExitStack() as stack:
        try:
            kg = graph_from_settings(settings, store)
        except StoreInUseError as e:
            if not read_only:
                fail(f"{e}: stop it first")
            try:
                kg = stack.enter_context(read_only_view(location, Ids(settings.base_iri)))
            except StoreError as e:
                fail(str(e))
            err.print(
                "note: the store is in use by another process (wsiskg serve?): reading a "
                f"read-only view of release {kg.current_release() or '(none)'}",
                highlight=False,
                markup=False,
            )
        except StoreError as e:
            fail(str(e))
        try:
            yield kg
        except ExecutorError as e:  # a SPARQL server that cannot be reached or did not answer
            fail(str(e))
        finally:
            kg.close()


def print_records(records: list[LoadRecord]) -> None:
    table = Table("graph", "source", "triples", "release", title="loaded")
    for r in records:
        table.add_row(
            r.graph.rsplit("/", 1)[-1],
            r.source,
            str(r.triples) if r.release else "unchanged",
            r.release or "-",
        )
    out.print(table)


def print_report(path: Path, report: LoadReport) -> None:
    counts = [f"{n} {what}" for what, n in report.counts.items()]
    if report.warnings:
        counts.append(f"{len(report.warnings)} warnings")
    out.print(f"{path.name}: {', '.join(counts)}", highlight=False, markup=False)
    for warning in report.warnings[:10]:
        out.print(f"  warning: {warning}", highlight=False, markup=False)
    if len(report.warnings) > 10:
        out.print(
            f"  ... {len(report.warnings) - 10} more warnings (all of them: --dry-run --json)",
            highlight=False,
            markup=False,
        )


def load_builtin_with_progress(kg: KnowledgeGraph, force: bool) -> list[LoadRecord]:
    """Load the built-in data, with a line on standard error per stage (what is read, n of
    N; the write), each with the seconds since the start: the first load takes a while."""
    started = time.monotonic()

    def step(what: str) -> None:
        err.print(f"  {time.monotonic() - started:5.1f} s  {what}", highlight=False, markup=False)

    records = load_builtin(kg, force=force, progress=step)
    written = sum(1 for r in records if r.release)
    if written:
        step(f"done: {written} graph{'s' if written != 1 else ''} loaded")
    return records


def load_corpus_with_progress(
    kg: KnowledgeGraph, paths: list[Path], force: bool, limits: ReadLimits, batch: int
) -> CorpusReport:
    """Load files and directories in batches (graph/corpus.py), with a progress bar on
    standard error (files read of all, the time so far and to go); then each file's counts
    when there are few, and a summary."""
    files = corpus_files(paths)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("reading and storing", total=len(files))
        report = load_corpus(
            kg,
            files,
            force=force,
            limits=limits,
            batch_documents=batch,
            progress=lambda _: bar.advance(task),
        )
    if len(report.reports) <= 20:
        for path, file_report in report.reports:
            print_report(path, file_report)
    stored = [r for r in report.records if r.release]
    triples = sum(r.triples for r in stored)
    out.print(
        f"{len(files)} files: {len(stored)} documents stored ({triples:,} triples), "
        f"{len(report.records) - len(stored)} unchanged, {len(report.failed)} failed; "
        f"{report.batches} transaction{'s' if report.batches != 1 else ''}",
        highlight=False,
        markup=False,
    )
    for _path, problem in report.failed:
        err.print(f"error: {problem}", highlight=False, markup=False)
    return report


def print_rows(names: list[str], rows: list[list[str]], fmt: OutputFormat | None) -> None:
    """Rows as CSV, TSV, a table or records; without a format, a table when its columns fit
    the terminal (each at least MIN_COLUMN characters, or its widest cell), else records."""
    if fmt in (OutputFormat.csv, OutputFormat.tsv):
        buffer = io.StringIO()
        writer = csv.writer(
            buffer, delimiter="," if fmt is OutputFormat.csv else "\t", lineterminator="\n"
        )
        writer.writerow(names)
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
        return
    if fmt is None:
        widths = [
            min(MIN_COLUMN, max([len(name), *(len(row[i]) for row in rows)]))
            for i, name in enumerate(names)
        ]
        fits = sum(widths) + 3 * len(names) + 1 <= out.width  # with the borders and padding
        fmt = OutputFormat.table if fits else OutputFormat.records
    count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    if fmt is OutputFormat.records:
        width = max((len(name) for name in names), default=0)
        for number, row in enumerate(rows, start=1):
            out.print(f"-[ row {number} ]", style="dim")
            for name, cell in zip(names, row, strict=True):
                line = f"{name.ljust(width)} : {cell}".rstrip()
                out.print(line, highlight=False, markup=False)
        out.print(count, style="dim")
        return
    table = Table(show_lines=False)
    for name in names:  # a long IRI wraps onto more lines, it is never cut
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    out.print(table)
    out.print(count, style="dim")


def read_query(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        fail(f"{path}: {e.strerror or e}")
    except UnicodeDecodeError:
        fail(f"{path}: not UTF-8 text")


def cell_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    return term.value


def print_result(result: object, fmt: OutputFormat | None) -> None:
    if isinstance(result, ox.QueryBoolean):
        print(
            json.dumps({"boolean": bool(result)})
            if fmt is OutputFormat.json
            else str(bool(result)).lower()
        )
        return
    if isinstance(result, ox.QueryTriples):
        turtle = ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        sys.stdout.buffer.write(turtle or b"")
        return
    assert isinstance(result, ox.QuerySolutions)
    if fmt is OutputFormat.json:
        sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.JSON) or b"")
        sys.stdout.write("\n")
        return
    names = [v.value for v in result.variables]
    print_rows(names, [[cell_text(s[n]) for n in names] for s in result], fmt)
