"""Cross-tab checks on the cleaned tables: problems that no single cell shows on its own."""

from __future__ import annotations

import pandas as pd

from monitoring.clean import Problem
from monitoring.config import Settings


def cross_checks(tables: dict[str, pd.DataFrame], settings: Settings) -> list[Problem]:
    """Every cross-tab problem found; the cleaner's own cell problems are not repeated here."""
    return []
