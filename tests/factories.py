"""Small in-memory workbooks for unit tests, read through the real clean -> measure path."""

from __future__ import annotations

from typing import Any

from data_sources.base import RawTab, RawWorkbook
from monitoring.dataset import Dataset, build_dataset
from monitoring.model.config import Settings, load_settings
from monitoring.model.contract import TABS

PARTNERS = [
    {"partner_id": "P1", "name": "Cluj Hub", "country": "RO", "role": "LP", "location_id": "L1"},
    {"partner_id": "P2", "name": "Novi Sad Lab", "country": "Serbia", "role": "PP", "location_id": "L2"},
    {"partner_id": "P3", "name": "Sofia Cluster", "country": "BG", "role": "PP", "location_id": "L3"},
    {"partner_id": "P4", "name": "Timisoara Uni", "country": "RO", "role": "ASP", "location_id": "L1"},
]
LOCATIONS = [
    {"location_id": "L1", "name": "Cluj-Napoca", "country": "RO", "lat": 46.77, "lon": 23.6, "hub": "advanced"},
    {"location_id": "L2", "name": "Novi Sad", "country": "RS", "lat": 45.27, "lon": 19.83, "hub": "developing"},
    {"location_id": "L3", "name": "Sofia", "country": "BG", "lat": 42.7, "lon": 23.32, "hub": "advanced"},
]


def raw_tab(name: str, records: list[dict[str, Any]], header: list[str] | None = None) -> RawTab:
    header = header or TABS[name].column_names
    rows = [list(header)] + [[r.get(h, "") for h in header] for r in records]
    return RawTab(name, rows, origin="test.xlsx")


def workbook(**tabs: list[dict[str, Any]]) -> RawWorkbook:
    """Every contract tab, with PARTNERS and LOCATIONS unless given, and empty others."""
    data = {"partners": PARTNERS, "locations": LOCATIONS} | tabs
    return RawWorkbook({name: raw_tab(name, data.get(name, [])) for name in TABS}, origin="test.xlsx", kind="excel")


def settings() -> Settings:
    return load_settings("indicators.yaml")


def dataset(**tabs: list[dict[str, Any]]) -> Dataset:
    return build_dataset(settings(), workbook(**tabs), sample=False)
