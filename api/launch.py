"""The ``wsiskg`` command's entry point (pyproject.toml ``[project.scripts]``).

It imports :mod:`api.cli` only when the command runs. The query workers are started with the
"spawn" method (graph/executor.py), which runs the parent's main script again in each new
worker, as ``__mp_main__``: a script that imported the whole command at its top would load
the loaders, the suggesters' embeddings and the web application into every worker (about a
second of CPU and 60 MB each) for nothing a worker uses.
"""

from __future__ import annotations


def main() -> None:
    """Run the command (:func:`api.cli.main`)."""
    from api.cli import main as run  # noqa: PLC0415 -- see the module's docstring

    run()
