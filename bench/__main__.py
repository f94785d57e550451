"""``python -m bench SUBCOMMAND [options]``: run one benchmark and write its report.

A subcommand is a module of this package listed in ``SUBCOMMANDS``, with
``add_arguments(parser: argparse.ArgumentParser) -> None`` and
``run(args: argparse.Namespace) -> int`` (the exit status; a ``BenchError`` it raises is
reported here) and a docstring whose first line
is its help.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bench.http_systems import say
from bench.servers import BenchError

# name -> module; a new benchmark adds a line here
SUBCOMMANDS = {
    "http": "bench.http",
    "remote": "bench.remote",
    "soak": "bench.soak",
    "textload": "bench.textload",
    "generate": "bench.generate",
    "scale": "bench.scale",
    "write": "bench.write",
    "corpus": "bench.corpus",
    "suggest": "bench.suggest",
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m bench", description="Benchmarks of wsis-kg; each writes a report."
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="SUBCOMMAND")
    for name, module_name in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        summary = (module.__doc__ or name).strip().splitlines()[0]
        sub = commands.add_parser(name, help=summary, description=module.__doc__)
        sub.formatter_class = argparse.RawDescriptionHelpFormatter
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the subcommand; a :class:`bench.servers.BenchError` (a benchmark that cannot run
    or whose systems disagree) is one line and exit status 1."""
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except BenchError as e:
        say(f"error: {e}")
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
