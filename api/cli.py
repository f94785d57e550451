"""The ``wsiskg`` command: load, query, validate, export and serve the knowledge graph.

Errors are one clear line on standard error and a non-zero exit, never a traceback: any
error of the project (:class:`ontology.errors.WsisKgError`) that a command does not handle
itself is ``error: <message>`` and exit 1 (:class:`_Commands`).
"""

from __future__ import annotations

import json
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from api.cli_export import add_commands as add_export
from api.cli_load import dry_run_files
from api.cli_releases import add_commands
from api.console import (
    OutputFormat,
    StoreOption,
    err,
    fail,
    load_builtin_with_progress,
    load_corpus_with_progress,
    load_settings,
    open_graph,
    out,
    print_records,
    print_report,
    print_result,
    print_rows,
    read_query,
)
from graph.answers import render as render_answers
from graph.backup import backup as make_backup
from graph.backup import restore as restore_backup
from graph.builtin import is_empty
from graph.catalogue import CatalogueError, catalogue, get, run
from graph.corpus import BATCH_DOCUMENTS
from graph.executor import QueryExecutor
from graph.files import load_file
from graph.rollback import keep_current
from graph.service import build_service
from graph.store import (
    StoreError,
)
from loaders.errors import LoadError
from ontology.errors import WsisKgError


class _Commands(TyperGroup):
    """The commands, with the one place their errors become a line: a :class:`WsisKgError`
    that a command lets through (a load error, a store error, a backup that does not match
    its manifest, a SPARQL server that does not answer ...) is ``error: <message>``, exit 1."""

    def invoke(self, ctx: Any) -> Any:  # ctx: typer's click.Context
        try:
            return super().invoke(ctx)
        except WsisKgError as e:
            fail(str(e))


app = typer.Typer(
    cls=_Commands,
    name="wsiskg",
    help="A knowledge graph of how ITU-T work supports the WSIS Action Lines and the SDGs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
    batch: Annotated[
        int,
        typer.Option(
            "--batch", min=1, help="A corpus: documents stored per transaction (default 100)."
        ),
    ] = BATCH_DOCUMENTS,
) -> None:
    """Load files, or the built-in data, each into its own named graph. Several files or a
    directory load as a corpus: in batches (one transaction each), with a progress bar; a
    file that cannot be read is named with its problem, the others load (exit 1)."""
    if as_json and not dry_run:
        fail("--json goes with --dry-run", 2)
    if dry_run:
        dry_run_files(files or [], as_json)
        return
    with open_graph(store) as kg:
        try:
            if not files:
                err.print(
                    f"store {kg.describe()}: {'empty, loading' if is_empty(kg) else 'checking'}"
                    " the built-in data",
                    highlight=False,
                    markup=False,
                )
                records = load_builtin_with_progress(kg, force)
            elif len(files) > 1 or files[0].is_dir():
                limits = load_settings().read_limits()
                corpus = load_corpus_with_progress(kg, files, force, limits, batch)
                out.print(f"store {kg.describe()}: release {kg.current_release()}")
                if corpus.failed:
                    raise typer.Exit(1)
                return
            else:
                settings = load_settings()
                loaded = load_file(
                    kg,
                    files[0],
                    force=force,
                    limits=settings.read_limits(),
                    bulk_bytes=settings.bulk_load_bytes,
                )
                print_report(files[0], loaded.report)
                records = list(loaded.records)
        except (LoadError, StoreError) as e:
            fail(str(e))
        print_records(records)
        out.print(f"store {kg.describe()}: {len(kg)} quads, release {kg.current_release()}")


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="A SPARQL query (or use --file).")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the query from a file.")
    ] = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            help="Output format (default: a table, or one record per block, 'name: value', "
            "when the columns do not fit the terminal).",
        ),
    ] = None,
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
    text = sparql if sparql is not None else read_query(file)  # type: ignore[arg-type]
    with open_graph(store, read_only=True) as kg:
        try:
            if is_empty(kg):
                err.print(f"note: the store {kg.describe()} is empty: run `wsiskg load` first")
            result = kg.query(text, with_prefixes=True)
            print_result(result, fmt)
        except OSError as e:
            fail(f"query failed: {e}")


def _list_named() -> None:

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


def _run_named(name: str, params: list[str], fmt: OutputFormat | None, store: Path | None) -> None:

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
    with open_graph(store, read_only=True) as kg:
        try:
            if is_empty(kg):
                err.print(f"note: the store {kg.describe()} is empty: run `wsiskg load` first")
            answer = run(build_service(kg, background=False), name, values)
        except (CatalogueError, StoreError) as e:
            fail(str(e))
    if fmt is OutputFormat.json:
        print(json.dumps(answer.rows, ensure_ascii=False, indent=2))
        return
    rows = [
        ["" if r.get(c) is None else str(r.get(c)) for c in answer.columns] for r in answer.rows
    ]
    print_rows(list(answer.columns), rows, fmt)


@app.command()
def validate(
    store: StoreOption = None,
    shacl: Annotated[bool, typer.Option(help="Check the SHACL shapes.")] = True,
    owl: Annotated[
        bool, typer.Option(help="Check OWL consistency with HermiT (needs Java).")
    ] = True,
) -> None:
    """Validate the graph: SHACL shapes and OWL consistency. Exit 1 on any violation."""
    # imported here: the validators bring rdflib (and pySHACL, owlready2), which no other
    # command needs, into the start-up of every `wsiskg` call
    from graph.validate import check_owl, validate_shacl  # noqa: PLC0415

    failed = False
    with open_graph(store, read_only=True) as kg, ThreadPoolExecutor(max_workers=1) as pool:
        if is_empty(kg):
            fail("the store is empty: run `wsiskg load` first")
        # HermiT (a Java process) reasons while pySHACL (Python) checks the shapes
        owl_check = pool.submit(check_owl, kg) if owl else None
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
        if owl_check is not None:
            owl_report = owl_check.result()
            out.print(f"OWL: {owl_report.message} ({owl_report.triples} triples)")
            failed = failed or not owl_report.consistent
    if failed:
        raise typer.Exit(1)


@app.command()
def answers(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here (default: standard output).")
    ] = None,
    store: StoreOption = None,
) -> None:
    """The review table of the headline answer (docs/answers.md): per Action Line C1-C11, the
    stated ITU-T work with its sources, and how much more is extracted or inferred."""
    with open_graph(store, read_only=True) as kg:
        if len(kg) == 0:
            fail("the store is empty: run `wsiskg load` first")
        text = render_answers(kg)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"{output}: {e.strerror or e}")


@app.command()
def graphs(store: StoreOption = None) -> None:
    """List the named graphs with their sizes and the current release."""
    with open_graph(store, read_only=True) as kg:
        table = Table("named graph", "triples")
        for name, count in kg.named_graphs().items():
            table.add_row(name, str(count))
        out.print(table)
        out.print(f"release {kg.current_release() or '(none)'}")


@app.command()
def backup(
    directory: Annotated[Path, typer.Argument(help="A new (or empty) directory.")],
    store: StoreOption = None,
) -> None:
    """Back up the store: a checkpoint of one release and a manifest with its digest
    (graph/backup.py). The service must be stopped (the store has one process at a time)."""

    started = time.monotonic()
    with open_graph(store) as kg:
        manifest = make_backup(kg, directory)
    out.print(
        f"backed up {manifest.quads} quads of release {manifest.release or '(none)'} into "
        f"{directory} in {time.monotonic() - started:.1f} s; digest {manifest.digest}",
        highlight=False,
        markup=False,
    )


@app.command()
def restore(
    directory: Annotated[Path, typer.Argument(help="A backup made by `wsiskg backup`.")],
    store: StoreOption = None,
    force: Annotated[
        bool, typer.Option(help="Replace an existing store (once the backup is verified).")
    ] = False,
) -> None:
    """Restore a backup as the store, after checking it against its manifest; an existing
    store is replaced only with --force, and never left half restored."""

    settings = load_settings()
    if store is None and settings.remote_store:
        fail(
            "the store is a SPARQL server (WSISKG_STORE_URL): restore it with the server's own "
            "means (docs/deploy.md); `wsiskg restore` restores an embedded store"
        )
    target = store or settings.store
    restored = restore_backup(directory, target, force=force)
    manifest = restored.manifest
    out.print(
        f"restored {manifest.quads} quads of release {manifest.release or '(none)'} "
        f"(backed up {manifest.created}) into {target}"
        f"{', replacing the store there' if restored.replaced else ''} in "
        f"{restored.seconds:.1f} s; digest verified",
        highlight=False,
        markup=False,
    )


add_commands(app)  # releases, rollback (api/cli_releases.py)
add_export(app)  # export (api/cli_export.py)


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
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="API processes (uvicorn workers). More than 1 needs a SPARQL server as the "
            "store (WSISKG_STORE_URL): an embedded store has one writing process.",
        ),
    ] = 1,
) -> None:
    """Start the API, after loading the built-in data (all of it into an empty store; what
    changed into an existing one)."""
    # the server is imported only to serve: the other commands start without it
    import uvicorn  # noqa: PLC0415

    from api.app import create_app  # noqa: PLC0415

    settings = load_settings()
    if workers > 1 and not settings.remote_store:
        fail(
            f"--workers {workers} needs a SPARQL server as the store (WSISKG_STORE_URL, see "
            "docs/deploy.md): an embedded store belongs to one process (RocksDB takes one "
            "writer per directory). With the embedded store, serve with one worker; its "
            "queries run in parallel in WSISKG_QUERY_WORKERS query processes.",
            2,
        )
    host, port = host or settings.host, port or settings.port
    with open_graph(store, settings) as kg:
        where = kg.describe()
        # an empty store gets the built-in data; an existing one gets what changed in it
        # (a new version of a table or of the software), and nothing else is reloaded
        if builtin:
            err.print(
                f"store {where}: {'empty, loading' if is_empty(kg) else 'checking'} "
                "the built-in data",
                highlight=False,
                markup=False,
            )
            load_builtin_with_progress(kg, force=False)
        else:
            err.print(f"store {where}: served as it is (--no-builtin)")
        keep_current(kg)  # the release served can be rolled back to
        if not kg.shared:
            # /sparql queries run in worker processes over read-only checkpoints of each
            # release, so that a query past its deadline can be stopped (graph/executor.py)
            with QueryExecutor(
                kg, workers=settings.query_workers, timeout=settings.query_timeout
            ) as executor:
                application = create_app(kg, settings, executor)
                uvicorn.run(application, host=host, port=port, log_level="info")
            return
        # A SPARQL server: queries go straight to it, with the deadline as the HTTP timeout;
        # no query workers, no checkpoints. Each API process re-reads the release every
        # WSISKG_STORE_REFRESH_MS, so a load made through one is seen by all.
        if workers == 1:
            uvicorn.run(create_app(kg, settings), host=host, port=port, log_level="info")
            return
        err.print(f"{workers} API processes over {where}")
    _serve_processes(host, port, workers)


def _serve_processes(host: str, port: int, workers: int) -> None:
    """``workers`` uvicorn processes on one listening socket, each making its own application
    (and its own connections to the SPARQL server): ``api.app:create_app_from_settings``."""

    from uvicorn import Config  # noqa: PLC0415
    from uvicorn.supervisors import Multiprocess  # noqa: PLC0415

    config = Config(
        "api.app:create_app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )
    sock = config.bind_socket()
    # uvicorn makes this socket with protocol 0, so asyncio does not set TCP_NODELAY on the
    # connections it accepts, and Nagle's algorithm with delayed ACKs holds each answer about
    # 40 ms. Accepted connections inherit the option from the listening socket.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
