"""`wsiskg` commands in child processes forked from a server that has imported the CLI.

A new interpreter spends about a second importing the project before a command starts; the
suite runs a few hundred commands, and its crash tests kill commands at random points of
their run. So the commands run here in a child forked from a fork server (the
``forkserver`` start method of :mod:`multiprocessing`) that has imported what the CLI
imports: each starts in milliseconds, and a kill lands in the command's work rather than in
its imports.

The child is a process of its own, as the console script's is: the environment given (and
only it), its own working directory, standard input from /dev/null, standard output and
error into files, the start method a new interpreter has here, and at its end the exit
functions an interpreter runs before it exits; its exit code is the command's. Killing it is
a crash as real as killing the installed script. The installed script itself is run by
:func:`tests.conftest.run_cli` with ``script=True`` and by the servers the tests start."""

from __future__ import annotations

import atexit
import importlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

_CONTEXT = multiprocessing.get_context("forkserver")
_PRELOADED: list[str] = []


def _preload() -> None:
    """Before the fork server starts: it is to import what the command line imports, but
    for the modules of api/ themselves (and this module imports none of them): those make
    their consoles when imported (api/console.py), from the environment of the moment, and
    a command's environment is only known in its child."""
    if not _PRELOADED:
        importlib.import_module("api.cli")  # here, in the test's process
        _PRELOADED.extend(
            sorted(
                name
                for name in sys.modules
                if name.partition(".")[0] in ("graph", "loaders", "ontology", "typer", "rich")
            )
        )
        _CONTEXT.set_forkserver_preload(_PRELOADED)


class CommandFailedError(AssertionError):
    """The command ended with an exit code other than 0 without being killed."""


class CommandTimedOutError(AssertionError):
    """The command ran past its time and was killed."""


def _redirect(fd: int, path: str, flags: int) -> None:
    opened = os.open(path, flags, 0o600)
    os.dup2(opened, fd)
    os.close(opened)


def _command(args: list[str], env: dict[str, str], cwd: str, out: str, err: str) -> None:
    """In the child: ``wsiskg args`` as the console script runs it."""
    # a fork server's child has its server's start method; a new interpreter here has fork
    # (and with it, a lock a library makes, tqdm's under bm25s, is not left to the fork
    # server's resource tracker when the child is killed)
    multiprocessing.set_start_method("fork", force=True)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    write = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    _redirect(0, os.devnull, os.O_RDONLY)
    _redirect(1, out, write)
    if err == out:
        os.dup2(1, 2)
    else:
        _redirect(2, err, write)
    cli = importlib.import_module("api.cli")  # its consoles made from this environment
    try:
        cli.app(args=args, prog_name="wsiskg")
    finally:
        atexit._run_exitfuncs()  # what the interpreter runs before it exits
        sys.stdout.flush()
        sys.stderr.flush()


def run(
    args: Sequence[str],
    env: Mapping[str, str],
    cwd: Path,
    out: Path,
    err: Path,
    *,
    kill_after: float | None = None,
    timeout: float = 600,
) -> tuple[int | None, float]:
    """``wsiskg args`` in a child with ``env`` as its whole environment and ``cwd`` as its
    working directory, what it prints written to ``out`` and ``err``. Killed with SIGKILL
    after ``kill_after`` seconds if it still runs then (its exit code is then None); raises
    :class:`CommandTimedOutError` when it runs past ``timeout`` otherwise. (Exit code,
    seconds it ran.)"""
    _preload()
    process = _CONTEXT.Process(
        target=_command, args=(list(args), dict(env), str(cwd), str(out), str(err))
    )
    started = time.monotonic()
    process.start()
    process.join(kill_after if kill_after is not None else timeout)
    killed = process.exitcode is None
    if killed:
        process.kill()
        process.join()
    ran = time.monotonic() - started
    code = process.exitcode
    process.close()
    if killed and code == -signal.SIGKILL:
        if kill_after is None:
            raise CommandTimedOutError(f"wsiskg {' '.join(args)} ran past {timeout} s: killed")
        return None, ran
    return code, ran


def run_or_kill(
    args: Sequence[str],
    env: Mapping[str, str],
    cwd: Path,
    output: Path,
    kill_after: float | None,
) -> tuple[float, bool]:
    """``wsiskg args``, killed after ``kill_after`` seconds (None: let it finish); fails
    with what it printed when it ends on its own with an error. (Seconds it ran, whether
    the kill ended it.)"""
    code, ran = run(args, env, cwd, output, output, kill_after=kill_after, timeout=300)
    if code not in (0, None):
        said = output.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise CommandFailedError(f"wsiskg {' '.join(args)} exited with {code}:\n{said}")
    return ran, code is None
