"""The ``wsiskg`` command: load, query, validate, export and serve the knowledge graph.

Errors are one clear line on standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import pyoxigraph as ox
import typer
from pydantic import ValidationError as SettingsError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graph.builtin import is_empty, load_builtin
from graph.executor import QueryExecutor
from graph.files import load_file, prepare
from graph.settings import Settings
from graph.store import EXPORT_FORMATS, KnowledgeGraph, LoadRecord, StoreError
from graph.validate import ValidationError, check_owl, validate_shacl
from loaders.errors import LoadError
from loaders.rdf import LoadReport
from ontology.ids import Ids

app = typer.Typer(
    name="wsiskg",
    help="A knowledge graph of how ITU-T work supports the WSIS Action Lines and the SDGs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
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
    csv = "csv"
    tsv = "tsv"
    json = "json"


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def load_settings() -> Settings:
    """The settings from the environment; a bad value is one line naming its variable (the
    value itself is not repeated: it may be a secret)."""
    try:
        return Settings()
    except SettingsError as e:
        problems = "; ".join(
            f"WSISKG_{'_'.join(str(part) for part in error['loc']).upper()}: "
            f"{error['msg'].removeprefix('Value error, ')}"
            for error in e.errors()
        )
        fail(f"bad setting: {problems}", 2)


@contextmanager
def open_graph(store: Path | None, settings: Settings | None = None) -> Iterator[KnowledgeGraph]:
    settings = settings or load_settings()
    location = store or settings.store
    try:
        kg = KnowledgeGraph.open(location, Ids(settings.base_iri))
    except StoreError as e:
        if "lock" in str(e).lower():
            fail(
                f"the store at {location} is in use by another process (is `wsiskg serve` running?)"
            )
        fail(str(e))
    try:
        yield kg
    finally:
        kg.close()


def _print_records(records: list[LoadRecord]) -> None:
    table = Table("graph", "source", "triples", "release", title="loaded")
    for r in records:
        table.add_row(
            r.graph.rsplit("/", 1)[-1],
            r.source,
            str(r.triples) if r.release else "unchanged",
            r.release or "-",
        )
    out.print(table)


@app.command()
def load(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files to load: resolution texts (.txt, .docx), a curated table (.csv, by its "
            "file name), RDF (.ttl, .nt). Without files: the built-in data."
        ),
    ] = None,
    store: StoreOption = None,
    force: Annotated[bool, typer.Option(help="Reload even when the input is unchanged.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Parse and report; store nothing.")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="With --dry-run: the parse as JSON (docs/parse-json.md)."),
    ] = False,
) -> None:
    """Load files, or the built-in data, each into its own named graph (one transaction each)."""
    if as_json and not dry_run:
        fail("--json goes with --dry-run", 2)
    if dry_run:
        _dry_run(files or [], as_json)
        return
    with open_graph(store) as kg:
        try:
            if not files:
                records = _load_builtin_with_progress(kg, force)
            else:
                records = []
                for path in files:
                    loaded = load_file(kg, path, force=force)
                    _print_report(path, loaded.report)
                    if loaded.record is not None:
                        records.append(loaded.record)
        except (LoadError, StoreError) as e:
            fail(str(e))
        _print_records(records)
        out.print(f"store {kg.location}: {len(kg)} quads, release {kg.current_release()}")


def _dry_run(files: list[Path], as_json: bool) -> None:
    if not files:
        fail("--dry-run needs files", 2)
    parses: list[dict[str, object]] = []
    for path in files:
        try:
            result, parse = prepare(path, Ids(load_settings().base_iri))
        except LoadError as e:
            fail(str(e))
        if as_json:
            parses.append(
                parse
                if parse is not None
                else {
                    "source": path.name,
                    "counts": result.report.counts,
                    "warnings": [str(w) for w in result.report.warnings],
                }
            )
        else:
            _print_report(path, result.report)
    if as_json:
        print(json.dumps(parses[0] if len(parses) == 1 else parses, ensure_ascii=False, indent=2))


def _print_report(path: Path, report: LoadReport) -> None:
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


def _load_builtin_with_progress(kg: KnowledgeGraph, force: bool) -> list[LoadRecord]:
    from rich.progress import Progress

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("loading the built-in data", total=None)

        def step(what: str) -> None:
            progress.update(task, description=what)

        return load_builtin(kg, force=force, progress=step)


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="A SPARQL query (or use --file).")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the query from a file.")
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.table,
    named: Annotated[
        str | None,
        typer.Option("--named", help="Run a named query of the catalogue (see --list-named)."),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A named query's parameter, key=value (repeatable)."),
    ] = None,
    list_named: Annotated[
        bool, typer.Option("--list-named", help="List the named queries and their parameters.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query over the union of the named graphs (common prefixes predeclared),
    or a named query of the catalogue (--named)."""
    if list_named:
        _list_named()
        return
    if named is not None:
        if sparql is not None or file is not None:
            fail("give a query, --file or --named, only one of them", 2)
        _run_named(named, param or [], fmt, store)
        return
    if param:
        fail("--param goes with --named", 2)
    if (sparql is None) == (file is None):
        fail("give a query as an argument or with --file, not both", 2)
    text = sparql if sparql is not None else _read_query(file)  # type: ignore[arg-type]
    with open_graph(store) as kg:
        try:
            if is_empty(kg):
                err.print(f"note: the store at {kg.location} is empty: run `wsiskg load` first")
            result = kg.query(text, with_prefixes=True)
            _print_result(result, fmt)
        except StoreError as e:
            fail(str(e))
        except OSError as e:
            fail(f"query failed: {e}")


def _list_named() -> None:
    from graph.catalogue import catalogue

    for query in catalogue().values():
        out.print(f"{query.name}: {query.description}", highlight=False, markup=False)
        for p in query.params:
            kind = f"enum:{','.join(p.choices)}" if p.type == "enum" else p.type
            presence = "required" if p.required else "repeatable" if p.repeatable else "optional"
            out.print(
                f"  --param {p.name}=<{kind}> ({presence}, e.g. {p.example}): {p.description}",
                highlight=False,
                markup=False,
            )


def _run_named(name: str, params: list[str], fmt: OutputFormat, store: Path | None) -> None:
    from graph.catalogue import CatalogueError, get, run

    try:
        query = get(name)
    except CatalogueError as e:
        fail(str(e), 2)
    values: dict[str, list[str]] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"--param {item!r}: expected key=value", 2)
        values.setdefault(key.strip(), []).append(value)
    try:
        query.bindings(values)  # check the parameters before opening the store
    except CatalogueError as e:
        fail(str(e), 2)
    with open_graph(store) as kg:
        try:
            if is_empty(kg):
                err.print(f"note: the store at {kg.location} is empty: run `wsiskg load` first")
            answer = run(kg, name, values)
        except (CatalogueError, StoreError) as e:
            fail(str(e))
    if fmt is OutputFormat.json:
        print(json.dumps(answer.rows, ensure_ascii=False, indent=2))
        return
    rows = [
        ["" if r.get(c) is None else str(r.get(c)) for c in answer.columns] for r in answer.rows
    ]
    if fmt in (OutputFormat.csv, OutputFormat.tsv):
        buffer = io.StringIO()
        writer = csv.writer(
            buffer, delimiter="," if fmt is OutputFormat.csv else "\t", lineterminator="\n"
        )
        writer.writerow(answer.columns)
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
        return
    table = Table(*answer.columns, show_lines=False)
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    out.print(table)
    out.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim")


def _read_query(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        fail(f"{path}: {e.strerror or e}")
    except UnicodeDecodeError:
        fail(f"{path}: not UTF-8 text")


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    return term.value


def _print_result(result: object, fmt: OutputFormat) -> None:
    if isinstance(result, ox.QueryBoolean):
        print(
            json.dumps({"boolean": bool(result)})
            if fmt is OutputFormat.json
            else str(bool(result)).lower()
        )
        return
    if isinstance(result, ox.QueryTriples):
        sys.stdout.buffer.write(ox.serialize(result, format=ox.RdfFormat.TURTLE) or b"")
        return
    assert isinstance(result, ox.QuerySolutions)
    if fmt is OutputFormat.json:
        sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.JSON) or b"")
        sys.stdout.write("\n")
        return
    names = [v.value for v in result.variables]
    rows = [[_cell(s[n]) for n in names] for s in result]
    if fmt in (OutputFormat.csv, OutputFormat.tsv):
        buffer = io.StringIO()
        writer = csv.writer(
            buffer, delimiter="," if fmt is OutputFormat.csv else "\t", lineterminator="\n"
        )
        writer.writerow(names)
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
        return
    table = Table(*names, show_lines=False)
    for row in rows:
        table.add_row(*row)
    out.print(table)
    out.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim")


@app.command()
def validate(
    store: StoreOption = None,
    shacl: Annotated[bool, typer.Option(help="Check the SHACL shapes.")] = True,
    owl: Annotated[
        bool, typer.Option(help="Check OWL consistency with HermiT (needs Java).")
    ] = True,
) -> None:
    """Validate the graph: SHACL shapes and OWL consistency. Exit 1 on any violation."""
    failed = False
    with open_graph(store) as kg:
        if is_empty(kg):
            fail("the store is empty: run `wsiskg load` first")
        if shacl:
            started = time.monotonic()
            report = validate_shacl(kg)
            seconds = time.monotonic() - started
            if report.conforms:
                out.print(f"SHACL: conforms ({report.triples} triples, {seconds:.0f} s)")
            else:
                failed = True
                out.print(f"SHACL: {len(report.violations)} violation(s)")
                for v in report.violations[:200]:
                    out.print(f"  {v}", highlight=False, markup=False)
                if len(report.violations) > 200:
                    out.print(f"  ... and {len(report.violations) - 200} more")
        if owl:
            try:
                owl_report = check_owl(kg)
            except ValidationError as e:
                fail(str(e))
            out.print(f"OWL: {owl_report.message} ({owl_report.triples} triples)")
            failed = failed or not owl_report.consistent
    if failed:
        raise typer.Exit(1)


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", help=f"One of {', '.join(EXPORT_FORMATS)}.")
    ] = "nquads",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default: stdout).")
    ] = None,
    graph: Annotated[str | None, typer.Option(help="Only this named graph (IRI).")] = None,
    store: StoreOption = None,
) -> None:
    """Export the graph: quads (N-Quads, TriG, JSON-LD) or the union as triples (Turtle ...)."""
    with open_graph(store) as kg:
        try:
            if output is None:
                buffer = io.BytesIO()
                kg.export(fmt, buffer, graph)
                sys.stdout.buffer.write(buffer.getvalue())
            else:
                kg.export(fmt, output, graph)
                err.print(f"wrote {output}")
        except StoreError as e:
            fail(str(e))
        except OSError as e:
            fail(f"{output}: {e.strerror or e}")


@app.command()
def graphs(store: StoreOption = None) -> None:
    """List the named graphs with their sizes and the current release."""
    with open_graph(store) as kg:
        table = Table("named graph", "triples")
        for name, count in kg.named_graphs().items():
            table.add_row(name, str(count))
        out.print(table)
        out.print(f"release {kg.current_release() or '(none)'}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    store: StoreOption = None,
    builtin: Annotated[
        bool,
        typer.Option(
            "--builtin/--no-builtin",
            help="Load the built-in data first (--no-builtin: serve the store as it is, "
            "e.g. an empty one for protocol tests).",
        ),
    ] = True,
) -> None:
    """Start the API, after loading the built-in data (all of it into an empty store; what
    changed into an existing one)."""
    import uvicorn

    from api.app import create_app

    settings = load_settings()
    location = store or settings.store
    with open_graph(location, settings) as kg:
        # an empty store gets the built-in data; an existing one gets what changed in it
        # (a new version of a table or of the software), and nothing else is reloaded
        if builtin:
            err.print(
                f"store {location}: {'empty, loading' if is_empty(kg) else 'checking'} "
                "the built-in data"
            )
            try:
                _load_builtin_with_progress(kg, force=False)
            except (LoadError, StoreError) as e:
                fail(str(e))
        else:
            err.print(f"store {location}: served as it is (--no-builtin)")
        # /sparql queries run in worker processes over read-only checkpoints of each release,
        # so that a query past its deadline can be stopped (graph/executor.py)
        with QueryExecutor(
            kg, workers=settings.query_workers, timeout=settings.query_timeout
        ) as executor:
            application = create_app(kg, settings, executor)
            uvicorn.run(
                application,
                host=host or settings.host,
                port=port or settings.port,
                log_level="info",
            )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
