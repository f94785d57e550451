"""Virtuoso open source (Debian's `virtuoso-opensource`) as a store under test: opt-in, with
``WSISKG_TEST_VIRTUOSO=1`` (tests/test_remote_virtuoso.py; docs/deploy.md has the command).

Without the opt-in the run says, in its summary, that Virtuoso was not tested: it never
pretends to. With it, a missing `virtuoso-t` fails the run.

A server is a fresh database in a temporary directory, on free ports of 127.0.0.1, with the
default ``dba`` / ``dba`` account (a new database's), started in the foreground and stopped
with the test.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx

from graph.endpoints import Endpoints
from tests.servers import free_port, stop, wait_until_ready

ENV = "WSISKG_TEST_VIRTUOSO"
BINARY = "virtuoso-t"
USER = PASSWORD = "dba"  # a new database's administrator


def enabled() -> bool:
    return os.environ.get(ENV) == "1"


def summary() -> str:
    """One line for the end of the test run."""
    if enabled():
        return f"Virtuoso: tested ({ENV}=1): tests/test_remote_virtuoso.py"
    return (
        f"Virtuoso: NOT tested in this run (opt-in: {ENV}=1 with Debian's "
        "virtuoso-opensource installed; see docs/deploy.md)"
    )


_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


@contextlib.contextmanager
def server(folder: Path, *, start_timeout: float = 300) -> Iterator[Endpoints]:
    """A fresh Virtuoso in ``folder``; its endpoints (``/sparql-auth``, digest, as ``dba``)."""
    binary = shutil.which(BINARY)
    if binary is None:
        raise AssertionError(
            f"{ENV}=1 but `{BINARY}` is not installed: apt-get install virtuoso-opensource"
        )
    db = folder / "virtuoso"
    db.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(db=db, sql=sql, http=http))
    log = folder / "virtuoso.out"
    with log.open("w") as out:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    base = f"http://127.0.0.1:{http}"
    try:
        wait_until_ready(
            process,
            "virtuoso",
            log,
            lambda: (
                httpx.post(f"{base}/sparql", data={"query": "ASK {}"}, timeout=5).status_code == 200
            ),
            start_timeout,
            pause=0.5,
        )
        yield Endpoints.for_server(base, "virtuoso", username=USER, password=PASSWORD, timeout=120)
    finally:
        stop(process, timeout=60)
