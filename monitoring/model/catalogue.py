"""The EU catalogue of common indicators: every RCO and RCR code with its name and measurement unit.

The catalogue is data, `data/catalogue/eu-common-indicators.csv` (made from Jems' own lists by
`scripts/make_catalogue.py`; its header comment names the sources). `indicators.yaml` is checked against
it: a code that is not in it is a configuration error naming the nearest codes, and a name or unit that
differs from it is a warning, because a programme may adapt them.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUE_PATH = Path(__file__).resolve().parents[2] / "data" / "catalogue" / "eu-common-indicators.csv"
# The prefixes of the EU's common indicators; other codes are programme-specific.
COMMON_PREFIXES = ("RCO", "RCR")


@dataclass(frozen=True)
class CommonIndicator:
    code: str
    name: str
    unit: str  # the measurement unit

    @property
    def kind(self) -> str:
        """output (RCO) or result (RCR)."""
        return "output" if self.code.startswith("RCO") else "result"


@cache
def common_indicators(path: Path = CATALOGUE_PATH) -> dict[str, CommonIndicator]:
    """Code -> the catalogue's entry, in the file's order (outputs, then results)."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return {r["code"]: CommonIndicator(r["code"], r["name"], r["measurement_unit"]) for r in rows}


def is_common_code(code: str) -> bool:
    """True for a code shaped like a common indicator's (RCO…, RCR…), whether or not it exists."""
    return code.upper().startswith(COMMON_PREFIXES)


def nearest_codes(code: str, n: int = 3) -> list[str]:
    """The catalogue codes most like `code` (difflib), best first; the same kind first when there are enough."""
    codes = list(common_indicators())
    same_kind = [c for c in codes if c[:3] == code.upper()[:3]]
    found = difflib.get_close_matches(code.upper(), same_kind or codes, n=n, cutoff=0.5)
    return found or difflib.get_close_matches(code.upper(), codes, n=n, cutoff=0.0)
