"""Benchmarks of wsis-kg: ``python -m bench SUBCOMMAND`` (``python -m bench --help``).

Each subcommand is a module of this package with ``add_arguments(parser)`` and ``run(args)``
(see ``bench/__main__.py``); the reports go to ``docs/benchmarks.md``, one section each.
"""
