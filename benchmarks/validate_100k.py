"""How long `python -m monitoring validate` takes on a workbook with 100 000 activity rows.

Run from the repository root::

    python benchmarks/validate_100k.py [--rows 100000] [--repeat 3]

Makes the workbook in a temporary folder (scripts/make_bad_corpus.py, case activities_100k), then
times validate in a fresh process, as a user runs it (Python start-up and imports included), and
the read / clean / check / measure steps in this process. Prints the figures; it never fails on
time (the goal is under 5 s on the project's 2-core machine).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from data_sources import source_for  # noqa: E402
from monitoring.dataset import Dataset, SourceInfo  # noqa: E402
from monitoring.model.config import load_settings  # noqa: E402
from monitoring.sheet.checks import cross_checks  # noqa: E402
from monitoring.sheet.clean import clean_workbook  # noqa: E402
from scripts.make_bad_corpus import write_activities_100k  # noqa: E402


def timed(step: str, results: dict[str, float], fn, *args):
    start = time.perf_counter()
    value = fn(*args)
    results[step] = time.perf_counter() - start
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "activities_100k.xlsx"
        start = time.perf_counter()
        write_activities_100k(path, args.rows)
        print(
            f"workbook: {args.rows:,} activity rows, {path.stat().st_size / 1e6:.1f} MB, "
            f"written in {time.perf_counter() - start:.1f} s"
        )

        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "monitoring", "validate", "--source", str(path)],
                capture_output=True,
                text=True,
                cwd=REPO_ROOT,
                check=False,
            )
            runs.append(time.perf_counter() - start)
        print(
            f"validate (fresh process, exit {result.returncode}): "
            f"median {statistics.median(runs):.2f} s, runs {', '.join(f'{r:.2f}' for r in runs)}"
        )
        print(f"  {result.stderr.strip()}")

        steps: dict[str, float] = {}
        settings = load_settings(REPO_ROOT / "indicators.yaml")
        raw = timed("read", steps, source_for(path).read)
        tables, problems = timed("clean", steps, clean_workbook, raw, settings)
        problems += timed("cross-tab checks", steps, cross_checks, tables, settings)
        info = SourceInfo(raw.origin, raw.kind, raw.read_at, False)
        timed("measure", steps, Dataset, settings, tables, problems, info)
        print("in this process: " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
