"""The per-API table of a CI stage: one row per `stackspec conform` run, from its JSON report.

Usage: python3 -m realcloud.conform_table REPORTS_DIR [--markdown]

``REPORTS_DIR/runs.txt`` lists the runs (``label cloud exit-code seconds`` per line,
written by ci.sh); ``REPORTS_DIR/<label>.json`` is each run's report. A run whose report
is missing (conform failed before writing it) is shown with its exit code and dashes.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("run", "cloud", "exit", "seconds", "operations", "cases", "passed", "failed",
           "warnings", "acknowledged")


@dataclass(frozen=True)
class Row:
    label: str
    cloud: str
    exit_code: int
    seconds: int
    report: dict | None

    def cells(self) -> list[str]:
        head = [self.label, self.cloud, str(self.exit_code), str(self.seconds)]
        if self.report is None:
            return head + ["-"] * (len(COLUMNS) - len(head))
        tallies = self.report.get("operations", {}).values()
        total = {key: sum(t[key] for t in tallies) for key in ("cases", "passed", "failed",
                                                               "warnings")}
        return head + [str(len(self.report.get("operations", {}))), str(total["cases"]),
                       str(total["passed"]), str(total["failed"]), str(total["warnings"]),
                       acknowledged(self.report)]


def acknowledged(report: dict) -> str:
    """Findings the reviewed overrides acknowledged, with the responses that showed each
    (`F1×2 F26×5`), or `-` when none did."""
    counts: dict[str, int] = {}
    for tally in report.get("operations", {}).values():
        for finding, responses in tally.get("acknowledged", {}).items():
            counts[finding] = counts.get(finding, 0) + responses
    ordered = sorted(counts, key=lambda f: (len(f), f))  # F2 before F10
    return " ".join(f"{f}×{counts[f]}" for f in ordered) or "-"


def read_rows(reports: Path) -> list[Row]:
    rows = []
    for line in (reports / "runs.txt").read_text().splitlines():
        if not line.strip():
            continue
        label, cloud, exit_code, seconds = line.split()
        path = reports / f"{label}.json"
        report = json.loads(path.read_text()) if path.is_file() else None
        rows.append(Row(label, cloud, int(exit_code), int(seconds), report))
    return rows


def render(rows: list[Row], markdown: bool) -> str:
    table = [list(COLUMNS)] + [row.cells() for row in rows]
    if markdown:
        lines = ["| " + " | ".join(cells) + " |" for cells in table]
        lines.insert(1, "|" + "|".join("---" if i < 2 else "---:" for i in range(len(COLUMNS))) + "|")
        return "\n".join(lines) + "\n"
    widths = [max(len(cells[i]) for cells in table) for i in range(len(COLUMNS))]
    return "".join("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip() + "\n"
                   for cells in table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="conform_table", description=__doc__.split("\n")[0])
    parser.add_argument("reports", type=Path, help="directory with runs.txt and <label>.json")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    args = parser.parse_args(argv)
    print(render(read_rows(args.reports), args.markdown), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
