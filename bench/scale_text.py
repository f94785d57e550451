"""Numbers as the scale benchmark's report writes them (bench/scale_report.py and
bench/scale_report_loads.py)."""

from __future__ import annotations

import math

TIMES = "\u00d7"


def ms(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "—"
    value = seconds * 1000
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.1f}"
    if value >= 0.01:
        return f"{value:.3f}"
    return f"{value:.4f}"


def seconds_text(seconds: float) -> str:
    return f"{seconds:,.1f}" if seconds >= 10 else f"{seconds:.2f}"


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f}"


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def ratio_text(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}{TIMES}"
    if value >= 10:
        return f"{value:.1f}{TIMES}"
    return f"{value:.2f}{TIMES}"
