"""Synthetic SpinIT workbooks, N times the sample, for benchmarks (never committed, made on the fly)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from monitoring.model.contract import TABS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "spinit-sample.xlsx"


def _sample_tabs() -> dict[str, pd.DataFrame]:
    return {name: pd.read_excel(SAMPLE, sheet_name=name, engine="calamine", dtype=object) for name in TABS}


def _renamed(ids: object, copy: int) -> object:
    if not isinstance(ids, str) or not ids.strip():
        return ids
    return ", ".join(f"{p.strip()}x{copy}" for p in ids.replace(";", ",").split(",") if p.strip())


def scaled_tabs(factor: int, activity_rows: int | None = None) -> dict[str, pd.DataFrame]:
    """The sample with organisations, activities, plans, pilots and values copied `factor` times (new ids).

    With `activity_rows`, the activities tab is cut or repeated to exactly that many rows.
    """
    tabs = _sample_tabs()
    out = {"locations": tabs["locations"], "milestones": tabs["milestones"]}
    copies = {name: [] for name in ("partners", "activities", "action_plans", "pilots", "indicator_values")}
    for k in range(factor):
        p = tabs["partners"].copy()
        p["partner_id"] = p["partner_id"].map(lambda v, k=k: f"{v}x{k}")
        copies["partners"].append(p)
        a = tabs["activities"].copy()
        a["activity_id"] = a["activity_id"].map(lambda v, k=k: f"{v}x{k}")
        a["partner_ids"] = a["partner_ids"].map(lambda v, k=k: _renamed(v, k))
        copies["activities"].append(a)
        lap = tabs["action_plans"].copy()
        lap["lap_id"] = lap["lap_id"].map(lambda v, k=k: f"{v}x{k}")
        lap["lead_partner_id"] = lap["lead_partner_id"].map(lambda v, k=k: _renamed(v, k))
        copies["action_plans"].append(lap)
        pil = tabs["pilots"].copy()
        pil["pilot_id"] = pil["pilot_id"].map(lambda v, k=k: f"{v}x{k}")
        for col in ("lead_partner_id", "partner_ids"):
            pil[col] = pil[col].map(lambda v, k=k: _renamed(v, k))
        copies["pilots"].append(pil)
        iv = tabs["indicator_values"].copy()
        iv["partner_id"] = iv["partner_id"].map(lambda v, k=k: _renamed(v, k))
        copies["indicator_values"].append(iv)
    out.update({name: pd.concat(frames, ignore_index=True) for name, frames in copies.items()})
    if activity_rows is not None:
        acts = out["activities"]
        repeats = -(-activity_rows // len(acts))
        acts = pd.concat([acts] * repeats, ignore_index=True).iloc[:activity_rows].copy()
        acts["activity_id"] = [f"A{i:06d}" for i in range(len(acts))]
        out["activities"] = acts
    return out


def write_workbook(tabs: dict[str, pd.DataFrame], path: Path) -> Path:
    """A plain .xlsx with the contract's tabs (openpyxl write-only mode: fast for large tabs)."""
    book = Workbook(write_only=True)
    for name in TABS:
        sheet = book.create_sheet(name)
        frame = tabs[name]
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([None if pd.isna(v) else v for v in row])
    book.save(path)
    return path
