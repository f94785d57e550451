"""The scale benchmark's plot: cost against size (load, questions, memory), as a PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.scale_measure import ScaleResult, label
from bench.scale_report import p50

# ---------------------------------------------------------------- the plot


LOADERS = (  # the systems of the bulk load, with their names in the legend
    ("ours", "wsis-kg load"),
    ("bulk", "pyoxigraph bulk_load"),
    ("extend", "pyoxigraph extend"),
    ("rdflib", "rdflib parse"),
)
IN_PROCESS = (
    ("ours_uncached", "wsis-kg uncached"),
    ("ours_cached", "wsis-kg cached"),
    ("raw", "raw pyoxigraph"),
    ("rdflib", "rdflib engine"),
)
OVER_HTTP = (
    ("ours-route", "wsis-kg headline route"),
    ("ceiling-async", "constant-JSON ceiling"),
    ("ours-sparql", "wsis-kg /sparql"),
    ("oxigraph", "Oxigraph server /query"),
    ("rdflib", "rdflib-endpoint"),
)


def _line(
    ax: Any, points: list[tuple[int, float]], name: str, *style: str, marker: str = "o"
) -> None:
    """One curve (when there are points to draw)."""
    if points:
        ax.plot(*zip(*points, strict=True), *style, marker=marker, label=name)


def write_plot(results: list[ScaleResult], path: Path) -> None:
    # imported here: slow to import, and only the plot needs it
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    sizes = [r.triples for r in results]
    fig, axes = plt.subplots(2, 2, figsize=(12, 9))
    ax = axes[0][0]
    for system, name in LOADERS:
        _line(ax, [(r.triples, x.seconds) for r in results if (x := r.load(system))], name)
    ax.set_title("bulk load: seconds")
    ax = axes[0][1]
    for question, style in (("headline", "-"), ("matrix", "--")):
        for system, name in IN_PROCESS:
            points = [
                (r.triples, v) for r in results if (v := p50(r, question, system)) is not None
            ]
            _line(ax, points, f"{question}: {name}", style)
    ax.set_title("questions in process: p50 seconds")
    ax = axes[1][0]
    for system, name in LOADERS:
        points = [(r.triples, x.peak_rss / 2**20) for r in results if (x := r.load(system))]
        _line(ax, points, f"peak, {name}")
    for key, name in (("ours", "serving: wsis-kg"), ("oxigraph", "serving: Oxigraph server")):
        points = [(r.triples, r.serving_rss[key] / 2**20) for r in results if key in r.serving_rss]
        _line(ax, points, name, "--", marker="s")
    ax.set_title("memory: MiB resident")
    ax = axes[1][1]
    for key, name in OVER_HTTP:
        _line(ax, [(r.triples, h.throughput) for r in results if (h := r.http_row(key))], name)
    ax.set_title("HTTP: requests per second at 16 connections")
    for row in axes:
        for ax in row:
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("triples")
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=7)
    fig.suptitle(f"wsis-kg: cost against size ({', '.join(label(s) for s in sizes)} triples)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
