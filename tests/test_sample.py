"""The embedded sample workbook: what it contains, computed by hand from the tabs.

These checks deliberately do not use the dashboard's own cleaning and measuring code: they read the
workbook with pandas and recompute the indicators with plain logic, so they pin down the sample data
itself (and catch a generator change that silently shifts the story the sample tells).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from monitoring.model.contract import TABS

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE = REPO_ROOT / "data" / "sample" / "spinit-sample.xlsx"
SCRIPT = REPO_ROOT / "scripts" / "make_sample.py"
CONFIG = REPO_ROOT / "indicators.yaml"
PROJECT_END = pd.Timestamp("2026-06-30")
PERIOD_ENDS = [pd.Timestamp(d) for d in ("2024-06-30", "2024-12-31", "2025-06-30", "2025-12-31", "2026-06-30")]
LINEAR_SHARE = [0.2, 0.4, 0.6, 0.8, 1.0]  # share of the project's 30 months elapsed at each period end

# Country names the sample writes instead of codes (it shows tolerant reading).
COUNTRY_NAMES = {"Serbia": "RS", "Bosnia and Herzegovina": "BA", "Hrvatska": "HR", "Czechia": "CZ"}
SAMPLE_COUNTRIES = {"RO", "RS", "BG", "BA", "HR", "CZ", "SI", "HU"}


def read_workbook(path: Path) -> dict[str, pd.DataFrame]:
    """Every contract tab of ``path`` as a DataFrame (calamine engine)."""
    return {name: pd.read_excel(path, sheet_name=name, engine="calamine") for name in TABS}


@pytest.fixture(scope="module")
def tabs() -> dict[str, pd.DataFrame]:
    if not SAMPLE.exists():
        subprocess.run([sys.executable, str(SCRIPT)], check=True, cwd=REPO_ROOT)
    return read_workbook(SAMPLE)


def ids(cell: object) -> list[str]:
    """Split an ids cell ("P01, P05" or "P01; P05") into ids."""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return []
    return [part.strip() for part in str(cell).replace(";", ",").split(",") if part.strip()]


def country_code(value: str) -> str:
    value = str(value).strip()
    return COUNTRY_NAMES.get(value, value.upper())


@pytest.fixture(scope="module")
def partner_country(tabs: dict[str, pd.DataFrame]) -> dict[str, str]:
    partners = tabs["partners"]
    return dict(zip(partners["partner_id"], partners["country"].map(country_code), strict=True))


@pytest.fixture(scope="module")
def activities(tabs: dict[str, pd.DataFrame], partner_country: dict[str, str]) -> pd.DataFrame:
    frame = tabs["activities"].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    frame["orgs"] = frame["partner_ids"].map(ids)
    frame["cross_border"] = frame["orgs"].map(lambda orgs: len({partner_country[p] for p in orgs}) >= 2)
    return frame


@pytest.fixture(scope="module")
def targets() -> dict[str, float]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return {indicator["code"]: indicator["target"] for indicator in config["indicators"]}


def test_headers_follow_the_contract(tabs: dict[str, pd.DataFrame]) -> None:
    for name, tab in TABS.items():
        assert list(tabs[name].columns) == tab.column_names, name


def test_partners_and_locations(tabs: dict[str, pd.DataFrame], partner_country: dict[str, str]) -> None:
    partners, locations = tabs["partners"], tabs["locations"]
    assert len(partners) == 30
    assert partners["partner_id"].is_unique
    assert set(partner_country.values()) == SAMPLE_COUNTRIES  # exactly 8 countries
    assert partners["role"].value_counts().to_dict() == {"PP": 15, "ASP": 10, "other": 4, "LP": 1}
    assert partners.loc[partners["role"] == "LP", "partner_id"].tolist() == ["P01"]
    assert set(partners["location_id"]) <= set(locations["location_id"])
    assert len(locations) == 10
    assert set(locations["country"].map(country_code)) == SAMPLE_COUNTRIES
    assert set(locations["hub"]) == {"advanced", "developing"}
    # Some countries are written as names, and every name is one the reader knows.
    written = set(partners["country"]) | set(locations["country"])
    assert written & set(COUNTRY_NAMES)
    assert written <= SAMPLE_COUNTRIES | set(COUNTRY_NAMES)


def test_activities(activities: pd.DataFrame, partner_country: dict[str, str]) -> None:
    assert len(activities) >= 150
    assert activities["activity_id"].is_unique
    assert activities["date"].min() >= pd.Timestamp("2024-01-15")
    assert activities["date"].max() <= pd.Timestamp("2026-06-25")
    assert activities["orgs"].map(len).between(2, 6).all()
    assert activities["participants"].between(5, 80).all()
    assert {"training", "LDG meeting", "steering committee"} <= set(activities["type"])
    assert not activities["cross_border"].all()  # some activities involve one country only
    # One steering committee per half-year.
    steering = activities[activities["type"] == "steering committee"]
    assert sorted(steering["date"].map(lambda d: (d.year, d.month > 6))) == [
        (2024, False),
        (2024, True),
        (2025, False),
        (2025, True),
        (2026, False),
    ]
    # Every organisation cooperates across borders by the end; some join only late.
    cross = activities[activities["cross_border"] & (activities["date"] <= PROJECT_END)]
    first = cross.explode("orgs").groupby("orgs")["date"].min()
    assert set(first.index) == set(partner_country)
    assert (first >= pd.Timestamp("2026-01-01")).sum() >= 1
    assert (first < pd.Timestamp("2024-07-01")).sum() < 30


def achieved(
    tabs: dict[str, pd.DataFrame], activities: pd.DataFrame, partner_country: dict[str, str], as_of: pd.Timestamp
) -> dict[str, float]:
    """Each indicator's cumulative value on ``as_of``, by the measures described in indicators.yaml."""
    acts = activities[activities["date"] <= as_of]
    cross = acts[acts["cross_border"]]
    plans = tabs["action_plans"]
    pilots = tabs["pilots"]
    values = tabs["indicator_values"]

    def dated(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        return frame[pd.to_datetime(frame[column]) <= as_of]

    def pilot_countries(row: pd.Series) -> int:
        return len({partner_country[p] for p in [row["lead_partner_id"], *ids(row["partner_ids"])]})

    finished = dated(pilots[pilots["stage"].isin(["completed", "validated"])], "end")
    validated = dated(pilots[pilots["stage"] == "validated"], "validated_on")
    entered = dated(values, "date")
    return {
        "RCO87": len(set(cross["orgs"].explode())),
        "RCO83": len(dated(plans, "lap_adopted")),
        "RCO84": sum(pilot_countries(row) >= 2 for _, row in finished.iterrows()),
        "RCO116": validated["solution"].dropna().nunique(),
        "RCO81": int(cross.loc[cross["type"] != "training", "participants"].sum()),
        "RCO85": int(acts.loc[acts["type"] == "training", "participants"].sum()),
        "RCR79": len(dated(plans, "taken_up")),
        "RCR104": float(entered.loc[entered["indicator"] == "RCR104", "value"].sum()),
        "RCR84": float(entered.loc[entered["indicator"] == "RCR84", "value"].sum()),
    }


def test_achieved_at_project_end(
    tabs: dict[str, pd.DataFrame], activities: pd.DataFrame, partner_country: dict[str, str]
) -> None:
    assert achieved(tabs, activities, partner_country, PROJECT_END) == {
        "RCO87": 30,
        "RCO83": 9,
        "RCO84": 7,
        "RCO116": 3,
        "RCO81": 1250,
        "RCO85": 280,
        "RCR79": 5,
        "RCR104": 4.0,
        "RCR84": 20.0,
    }


def test_cooperation_grows_over_time(
    tabs: dict[str, pd.DataFrame], activities: pd.DataFrame, partner_country: dict[str, str]
) -> None:
    rco87 = [achieved(tabs, activities, partner_country, end)["RCO87"] for end in PERIOD_ENDS]
    assert rco87 == sorted(set(rco87)) and len(rco87) == len(PERIOD_ENDS)  # strictly growing
    first_half = (activities["date"] <= PERIOD_ENDS[0]).sum()
    last_half = (activities["date"] > PERIOD_ENDS[-2]).sum()
    assert last_half > first_half  # more activity later


def test_action_plans(tabs: dict[str, pd.DataFrame]) -> None:
    plans = tabs["action_plans"]
    assert len(plans) == 10 and plans["location_id"].is_unique
    stages = ["stakeholders_identified", "ldg_activated", "mou_signed", "workshops_held", "lap_drafted"]
    stages += ["lap_adopted", "taken_up"]
    for _, plan in plans.iterrows():
        dates = [pd.to_datetime(plan[stage]) for stage in stages]
        reached = [d for d in dates if not pd.isna(d)]
        assert reached == dates[: len(reached)], plan["lap_id"]  # filled in order, no gaps
        assert reached == sorted(reached) and len(set(reached)) == len(reached), plan["lap_id"]
        assert reached[-1] <= PROJECT_END
        assert 8 <= plan["ldg_members"] <= 25
        assert isinstance(plan["document_url"], str)  # every plan here is at least drafted
    assert plans["lap_adopted"].notna().sum() == 9
    assert plans["taken_up"].notna().sum() == 5
    stuck = plans[plans["lap_adopted"].isna()]
    assert len(stuck) == 1 and stuck["lap_drafted"].notna().all()


def test_pilots(tabs: dict[str, pd.DataFrame], partner_country: dict[str, str]) -> None:
    pilots = tabs["pilots"]
    partners = tabs["partners"].set_index("partner_id")
    assert len(pilots) == 10 and pilots["location_id"].is_unique
    assert set(pilots["cluster"]) == {"IT", "Industry 4.0", "Cross-sector"}
    assert pilots["cluster"].value_counts().min() >= 3
    assert pilots["stage"].value_counts().to_dict() == {
        "completed": 5,
        "validated": 3,
        "implementation": 1,
        "methodology": 1,
    }
    countries = pilots.apply(
        lambda row: {partner_country[p] for p in [row["lead_partner_id"], *ids(row["partner_ids"])]}, axis=1
    )
    finished = pilots["stage"].isin(["completed", "validated"])
    assert ((countries.map(len) >= 2) & finished).sum() == 7
    single = pilots[countries.map(len) < 2]
    assert single["stage"].tolist() == ["completed"]
    for _, pilot in pilots.iterrows():
        assert partners.loc[pilot["lead_partner_id"], "location_id"] == pilot["location_id"]
        assert 2 <= len(ids(pilot["partner_ids"])) <= 5
        implemented = pilot["stage"] in ("implementation", "completed", "validated")
        assert pd.isna(pilot["start"]) != implemented
        assert pd.isna(pilot["end"]) != (pilot["stage"] in ("completed", "validated"))
        if not pd.isna(pilot["end"]):
            assert pd.Timestamp("2025-03-01") <= pd.to_datetime(pilot["end"]) <= PROJECT_END
            assert pd.to_datetime(pilot["start"]) < pd.to_datetime(pilot["end"])
        replicated = ids(pilot["replicated_in"])
        assert len(replicated) <= 2 and pilot["location_id"] not in replicated
    validated = pilots[pilots["stage"] == "validated"]
    assert validated["validated_on"].notna().all() and validated["validation_url"].notna().all()
    assert validated["solution"].nunique() == 3
    assert pilots.loc[pilots["stage"] == "completed", "solution"].notna().sum() == 2
    assert pilots["replicated_in"].notna().sum() == 3


def test_indicator_values(tabs: dict[str, pd.DataFrame]) -> None:
    values = tabs["indicator_values"]
    assert set(values["indicator"]) == {"RCR104", "RCR84"}
    assert pd.api.types.is_numeric_dtype(values["value"])
    rcr104 = values[values["indicator"] == "RCR104"]
    assert rcr104["value"].sum() == 4 and set(rcr104["value"]) <= {1, 2}
    dates = pd.to_datetime(rcr104["date"])
    assert dates.min() >= pd.Timestamp("2025-06-01") and dates.max() <= PROJECT_END
    rcr84 = values[values["indicator"] == "RCR84"]
    assert rcr84["value"].sum() == 20
    assert (pd.to_datetime(rcr84["date"]).dt.year == 2026).all()
    assert values[["partner_id", "evidence_url", "comment"]].notna().all().all()


def test_milestones(tabs: dict[str, pd.DataFrame], targets: dict[str, float]) -> None:
    milestones = tabs["milestones"]
    assert set(milestones["indicator"]) == set(targets)
    for code, rows in milestones.groupby("indicator"):
        rows = rows.sort_values("period")
        assert rows["period"].tolist() == [1, 2, 3, 4, 5], code
        assert rows["planned"].is_monotonic_increasing, code
        assert rows["planned"].iloc[-1] == targets[code], code
        # Back-loaded: never ahead of a straight line from start to target.
        assert all(rows["planned"] <= [targets[code] * share for share in LINEAR_SHARE]), code


def test_regenerating_gives_the_same_cells(tmp_path: Path, tabs: dict[str, pd.DataFrame]) -> None:
    out = tmp_path / "again.xlsx"
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, cwd=tmp_path, capture_output=True)
    again = read_workbook(out)
    for name in TABS:
        pd.testing.assert_frame_equal(again[name], tabs[name], check_exact=True, obj=name)
