"""Run every benchmark, print one table, write the figures as JSON. Nothing is asserted.

    .venv/bin/python -m benchmarks [--quick] [--only NAME ...] [--json PATH]

Each timing is compared with a reference measured in the same run (a bare Textual app, Prism,
a bare FastAPI route, raw httpx, a smaller database), so the ratios hold on a busy machine
better than the absolute figures do. A full run took 9 minutes on two busy cores; ``--quick``
(fewer runs, 2-second loads) about half that. The run's length is printed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import client_overhead, load, startup, ui
from benchmarks.common import Figure

BENCHMARKS: dict[str, Callable[[bool], list[Figure]]] = {
    "startup": startup.run,
    "ui": ui.run,
    "load": load.run,
    "scaling": load.run_scaling,
    "client": client_overhead.run,
}
DEFAULT_JSON = Path(__file__).with_name("results.json")


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{text} {unit}".strip()


def table(figures: list[Figure]) -> str:
    """A Markdown table (readable in a terminal, pasteable into the README)."""
    rows = [
        "| figure | value | reference | ref. value | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for figure in figures:
        met = {True: "yes", False: "**no**", None: ""}[figure.met]
        rows.append(
            f"| {figure.name} | {number(figure.value, figure.unit)} | {figure.reference_name} "
            f"| {number(figure.reference, figure.unit)} "
            f"| {'' if figure.ratio is None else f'{figure.ratio:.2f}x'} "
            f"| {figure.target} | {met} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs, shorter loads")
    parser.add_argument(
        "--only", action="append", choices=sorted(BENCHMARKS), help="run just this (repeatable)"
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="default: %(default)s")
    options = parser.parse_args(argv)
    chosen = options.only or list(BENCHMARKS)
    figures: list[Figure] = []
    durations: dict[str, float] = {}
    started = time.perf_counter()
    for name in chosen:
        print(f"running {name} …", file=sys.stderr, flush=True)
        began = time.perf_counter()
        figures += BENCHMARKS[name](options.quick)
        durations[name] = round(time.perf_counter() - began, 1)
    total = round(time.perf_counter() - started, 1)
    print(table(figures))
    notes = [f"{figure.name}: {figure.detail}" for figure in figures if figure.detail]
    print("\n".join(f"- {note}" for note in notes))
    spent = ", ".join(f"{name} {seconds} s" for name, seconds in durations.items())
    print(f"\n{len(figures)} figures in {total} s ({spent})")
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": options.quick,
        "machine": machine(),
        "seconds": {"total": total, **durations},
        "figures": [figure.as_json() for figure in figures],
    }
    options.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {options.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
