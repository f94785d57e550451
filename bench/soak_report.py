"""The soak's report: latency by route, error rate, memory drift and file descriptors, in
Markdown, written between the soak's markers of docs/reliability.md.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import datetime
from pathlib import Path

from bench.loadgen import percentile
from bench.report import table
from bench.soak_clients import SoakResult
from bench.soak_process import Sample

# ---------------------------------------------------------------- the report


NONE = "-"


def _ms(seconds: float) -> str:
    if math.isnan(seconds):
        return NONE
    return f"{seconds * 1000:.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def _mib(n: float) -> str:
    return f"{n / 1024 / 1024:.0f}"


def drift(samples: list[Sample], key: str, window: float) -> tuple[float, float]:
    """Mean of ``key`` over the first and over the last ``window`` seconds."""
    if not samples:
        return math.nan, math.nan
    last = samples[-1].at
    first = [getattr(s, key) for s in samples if s.at <= window] or [getattr(samples[0], key)]
    final = [getattr(s, key) for s in samples if s.at >= last - window] or [
        getattr(samples[-1], key)
    ]
    return statistics.fmean(first), statistics.fmean(final)


def per_window(samples: list[Sample], key: str, window: float) -> list[float]:
    """The mean of ``key`` over each successive ``window`` seconds."""
    buckets: dict[int, list[float]] = {}
    for s in samples:
        buckets.setdefault(int(s.at // window), []).append(getattr(s, key))
    return [statistics.fmean(v) for _, v in sorted(buckets.items())]


def window_of(result: SoakResult) -> float:
    return min(60.0, max(result.elapsed / 4, 1.0))


def summary_rows(result: SoakResult) -> list[list[str]]:
    rows = []
    for kind in ("lookup", "analytical", "pathological", "abusive"):
        seen = result.of(kind)
        if kind == "abusive" and not seen:
            continue
        answered = [o.seconds for o in seen]
        errors = [o for o in seen if result.unexpected(o)]
        statuses = Counter(o.status if o.status is not None else "none" for o in seen)
        rows.append(
            [
                kind,
                str(len(seen)),
                _ms(percentile(answered, 50)),
                _ms(percentile(answered, 99)),
                _ms(max(answered) if answered else math.nan),
                ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str)),
                f"{len(errors)} ({100 * len(errors) / len(seen):.2f} %)" if seen else NONE,
            ]
        )
    return rows


def route_rows(result: SoakResult) -> list[list[str]]:
    names = sorted({(o.kind, o.name) for o in result.observations})
    rows = []
    for kind, name in names:
        seen = [o for o in result.observations if o.name == name and o.kind == kind]
        times = [o.seconds for o in seen]
        rows.append(
            [
                kind,
                f"`{name}`",
                str(len(seen)),
                _ms(percentile(times, 50)),
                _ms(percentile(times, 99)),
                str(sum(1 for o in seen if result.unexpected(o))),
            ]
        )
    return rows


def figures(result: SoakResult) -> list[list[str]]:
    """The headline figures of a run, as rows of (figure, value)."""
    s = result.settings
    window = window_of(result)
    total = len(result.observations)
    errors = len(result.errors)
    rss0, rss1 = drift(result.samples, "server_rss", window)
    tree0, tree1 = drift(result.samples, "tree_rss", window)
    peak = max((x.tree_rss for x in result.samples), default=0)
    patho = result.of("pathological")
    in_time = sum(1 for o in patho if not result.unexpected(o))
    slowest = max((o.seconds for o in patho), default=math.nan)
    lookups = [o.seconds for o in result.of("lookup")]
    rate = total / result.elapsed if result.elapsed else 0.0
    rows = [
        ["requests", f"{total:,} ({rate:.0f}/s)"],
        [
            "errors (not a 200; for a pathological query, not a 503 within the longest wait "
            "+ deadline + 1 s)",
            f"{errors} ({100 * errors / total:.3f} %)" if total else NONE,
        ],
        [
            "p50 / p99 of lookups",
            f"{_ms(percentile(lookups, 50))} / {_ms(percentile(lookups, 99))} ms",
        ],
        [
            f"pathological queries: 503 within {s.max_wait:g} + {s.deadline:g} + 1 s",
            f"{in_time} of {len(patho)}, slowest {_ms(slowest)} ms",
        ],
    ]
    abusive = result.of("abusive")
    if abusive:
        statuses = Counter(o.status for o in abusive)
        refused = [o.seconds for o in abusive if o.status == 429]
        rows.append(
            [
                f"abusive clients ({s.abusive}): their queries",
                f"{len(abusive)}: {statuses[429]} refused 429 (p99 {_ms(percentile(refused, 99))}"
                f" ms), {statuses[503]} stopped or not let wait (503), {statuses[200]} answered",
            ]
        )
    if rss0 and tree0:
        rows += [
            [
                f"server RSS, mean of the first / last {window:.0f} s",
                f"{_mib(rss0)} / {_mib(rss1)} MiB: drift {_mib(rss1 - rss0)} MiB "
                f"({100 * (rss1 - rss0) / rss0:+.1f} %)",
            ],
            [
                f"server + query workers RSS, first / last {window:.0f} s",
                f"{_mib(tree0)} / {_mib(tree1)} MiB: drift {100 * (tree1 - tree0) / tree0:+.1f} %"
                f"; peak {_mib(peak)} MiB",
            ],
        ]
    if result.samples:
        rows.append(
            [
                f"server RSS, mean of each {window:.0f} s (MiB)",
                ", ".join(_mib(m) for m in per_window(result.samples, "server_rss", window)),
            ]
        )
    fds0, fds1 = drift(result.samples, "server_fds", window)
    rows += [
        [
            f"open fds of the server, mean of the first / last {window:.0f} s of the load",
            f"{fds0:.0f} / {fds1:.0f}",
        ],
        [
            "open fds of the server, before / after the load",
            f"{result.fds_before[0]} / {result.fds_after[0]}",
        ],
        [
            "open fds of the server and its workers, before / after",
            f"{result.fds_before[1]} / {result.fds_after[1]}",
        ],
        ["GET /health after the load", str(result.health_after)],
    ]
    return rows


def render(
    result: SoakResult,
    command: str,
    started: datetime,
    facts: dict[str, str],
    prepared: dict[str, float],
) -> str:
    s = result.settings
    parts = [
        f"Made by `{command}` on {started:%Y-%m-%d %H:%M} UTC: {s.clients} clients"
        + (f" and {s.abusive} abusive ones" if s.abusive else "")
        + " for "
        f"{result.elapsed / 60:.1f} minutes against `wsiskg serve` over {result.quads:,} quads "
        f"(`WSISKG_QUERY_TIMEOUT={s.deadline:g}`"
        + (
            ""
            if s.budget is None
            else f", `WSISKG_QUERY_BUDGET` and `WSISKG_QUERY_BUDGET_BURST` {s.budget:g}"
        )
        + f"), loopback only, seed {s.seed}.",
        table(["figure", "value"], figures(result), "ll"),
        "Per kind of request (latency from writing the request to reading the last byte, "
        "ms):\n\n"
        + table(
            ["kind", "requests", "p50", "p99", "max", "statuses", "errors"],
            summary_rows(result),
            "lrrrrll",
        ),
        "Per route:\n\n"
        + table(
            ["kind", "route", "requests", "p50 ms", "p99 ms", "errors"],
            route_rows(result),
            "llrrrr",
        ),
    ]
    if result.failures:
        parts.append(
            "Requests without an answer:\n\n"
            + "".join(f"- {n}: {why}\n" for why, n in result.failures.most_common(10))
        )
    parts.append("Machine:\n\n" + table(["", ""], [[k, v] for k, v in facts.items()]))
    if prepared:
        parts.append(
            "Preparation (seconds):\n\n"
            + table(["step", "s"], [[k, f"{v:.1f}"] for k, v in prepared.items()], "lr")
        )
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)


START, END = "<!-- bench:soak:start -->", "<!-- bench:soak:end -->"
ANCHOR = "<!-- section:soak -->"


def write_report(path: Path, body: str) -> None:
    """Put ``body`` between the soak markers of ``path`` (below ``<!-- section:soak -->``
    the first time), leaving the rest of the file as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else f"## Soak\n{ANCHOR}\n"
    block = f"{START}\n{body.strip()}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    elif ANCHOR in text:
        text = text.replace(ANCHOR, f"{ANCHOR}\n{block}", 1)
    else:
        text = text.rstrip("\n") + f"\n\n{ANCHOR}\n{block}\n"
    path.write_text(text, encoding="utf-8")
