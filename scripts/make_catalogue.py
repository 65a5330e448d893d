"""Make the EU catalogue of common indicators (data/catalogue/eu-common-indicators.csv) from Jems' own lists.

Run from the repository root, with a checkout of Jems (github.com/InterregCE/Jems_V10.0.1_build)::

    python scripts/make_catalogue.py --jems ../Jems_V10.0.1_build
    python scripts/make_catalogue.py --output-ts out.ts --result-ts res.ts   # the two files, wherever they are

Jems, the programmes' monitoring system, carries the common output (RCO) and result (RCR) indicators of
Annex I to Regulation (EU) 2021/1058 (ERDF and Cohesion Fund) and Regulation (EU) 2021/1059 (Interreg)
with their code, name and measurement unit, as TypeScript constants (OUTPUT_TS and RESULT_TS below, in
jems-ui). The script reads each `{code: ..., name: ..., measurementUnit: ...}` object of the two files
(a unit may name a `private static readonly` constant of the file), trims the text, and writes one CSV
row per code, outputs then results, in the files' order, after a comment naming the sources. Running it
twice gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from pathlib import Path

OUTPUT_TS = (
    "jems-ui/src/app/programme/programme-page/components/programme-output-indicator-detail/constants/"
    "programme-output-indicator-constants.ts"
)
RESULT_TS = (
    "jems-ui/src/app/programme/programme-page/components/programme-result-indicator-detail/constants/"
    "programme-result-indicator-constants.ts"
)
OUT = Path("data/catalogue/eu-common-indicators.csv")
HEADER = (
    "EU catalogue of common output (RCO) and result (RCR) indicators: code, name, measurement unit.",
    "Source: Annex I to Regulation (EU) 2021/1058 and Regulation (EU) 2021/1059, as Jems carries them in",
    f"InterregCE/Jems_V10.0.1_build {OUTPUT_TS}",
    f"and {RESULT_TS}.",
    "Made by scripts/make_catalogue.py; do not edit by hand.",
)

_STRING = r"'((?:[^'\\]|\\.)*)'"
_CONSTANT = re.compile(r"static\s+readonly\s+(\w+)\s*=\s*" + _STRING)
_ENTRY = re.compile(
    r"\{\s*code:\s*"
    + _STRING
    + r",\s*name:\s*"
    + _STRING
    + r",\s*measurementUnit:\s*(?:"
    + _STRING
    + r"|[\w.]+\.(\w+))",
    re.S,
)


def entries(typescript: str) -> list[tuple[str, str, str]]:
    """(code, name, measurement unit) of every indicator object in one Jems constants file, in order."""
    constants = dict(_CONSTANT.findall(typescript))
    rows = []
    for code, name, unit, constant in _ENTRY.findall(typescript):
        rows.append((code.strip(), " ".join(name.split()), (unit or constants[constant]).strip()))
    return rows


def catalogue_csv(output_ts: str, result_ts: str) -> str:
    """The catalogue file's text: the header comment, then code,name,measurement_unit rows."""
    out = io.StringIO()
    out.writelines(f"# {line}\n" for line in HEADER)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "measurement_unit"])
    writer.writerows(entries(output_ts) + entries(result_ts))
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jems", type=Path, help="a checkout of the Jems repository")
    parser.add_argument("--output-ts", type=Path, help=f"the output indicators' file (default <jems>/{OUTPUT_TS})")
    parser.add_argument("--result-ts", type=Path, help=f"the result indicators' file (default <jems>/{RESULT_TS})")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not (args.jems or (args.output_ts and args.result_ts)):
        parser.error("give --jems, or both --output-ts and --result-ts")
    output_ts = args.output_ts or args.jems / OUTPUT_TS
    result_ts = args.result_ts or args.jems / RESULT_TS
    text = catalogue_csv(output_ts.read_text(encoding="utf-8"), result_ts.read_text(encoding="utf-8"))
    args.out.write_text(text, encoding="utf-8")
    rows = text.count("\nRCO") + text.count("\nRCR")
    print(f"wrote {args.out}: {rows} indicators")


if __name__ == "__main__":
    main()
