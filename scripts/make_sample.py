"""Generate the embedded SpinIT sample workbook (data/sample/spinit-sample.xlsx).

Run from the repository root::

    python scripts/make_sample.py [--out PATH]

The output is deterministic: a fixed random seed and no dependence on today's date, so running it
twice gives identical cell contents. The cities are real, the organisations and every number are
invented; the dashboard labels this data "sample data".

What the data is built to show at the project end (2026-06-30), with the measures of
indicators.yaml (achieved / target):

    RCO87 30/30 achieved     RCO83 9/10      RCO84 7/10 (one completed pilot is single-country)
    RCO116 3/6               RCO81 1250/1200 RCO85 280/300
    RCR79 5/8                RCR104 4/5      RCR84 20/20

Organisations join cross-border work in waves (RCO87 grows period by period), activity is
back-loaded, plans and pilots finish near the end, and the milestones are back-loaded too, so the
statuses differ from indicator to indicator and from period to period.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import yaml  # noqa: E402

from monitoring.model.config import load_settings  # noqa: E402
from monitoring.model.contract import TABS  # noqa: E402
from monitoring.template import write_workbook  # noqa: E402

SEED = 20240101
DEFAULT_OUT = REPO_ROOT / "data" / "sample" / "spinit-sample.xlsx"
CONFIG = REPO_ROOT / "indicators.yaml"
# SpinIT's project model, as indicators.yaml declares it.
SETTINGS = load_settings(CONFIG)
CLUSTERS = SETTINGS.vocabulary("clusters")
ACTIVITY_TYPES = SETTINGS.vocabulary("activity_types")
LAP_STAGES = SETTINGS.lifecycle("action_plans").names
EVIDENCE = "https://example.org/spinit"

# Reporting periods: six months from the project start 2024-01-01; the project ends 2026-06-30.
PERIODS: list[tuple[dt.date, dt.date]] = [
    (dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
    (dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
    (dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
    (dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
    (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
]
FIRST_ACTIVITY = dt.date(2024, 1, 15)
LAST_ACTIVITY = dt.date(2026, 6, 25)

# ---------------------------------------------------------------------------------------------
# Locations: real cities and coordinates. (id, city, ISO country, lat, lon, hub)
LOCATIONS: list[tuple[str, str, str, float, float, str]] = [
    ("L01", "Cluj-Napoca", "RO", 46.7712, 23.6236, "advanced"),
    ("L02", "Novi Sad", "RS", 45.2671, 19.8335, "developing"),
    ("L03", "Sofia", "BG", 42.6977, 23.3219, "advanced"),
    ("L04", "Haskovo", "BG", 41.9344, 25.5554, "developing"),
    ("L05", "Zenica", "BA", 44.2034, 17.9077, "developing"),
    ("L06", "Tuzla", "BA", 44.5384, 18.6671, "developing"),
    ("L07", "Zagreb", "HR", 45.8150, 15.9819, "advanced"),
    ("L08", "Brno", "CZ", 49.1951, 16.6068, "advanced"),
    ("L09", "Ljubljana", "SI", 46.0569, 14.5058, "advanced"),
    ("L10", "Budapest", "HU", 47.4979, 19.0402, "advanced"),
]
LOCATION_BY_ID = {loc[0]: loc for loc in LOCATIONS}

# A few country cells are written as names instead of codes, to show tolerant reading.
LOCATION_COUNTRY_AS = {"L02": "Serbia", "L06": "Bosnia and Herzegovina"}
PARTNER_COUNTRY_AS = {"P02": "Serbia", "P05": "Bosnia and Herzegovina", "P13": "Hrvatska", "P14": "Czechia"}

# Organisations: invented names. (id, name, location, role, org_type)
PARTNERS: list[tuple[str, str, str, str, str]] = [
    ("P01", "Someș Metropolitan Innovation Office", "L01", "LP", "public authority"),
    ("P02", "Petrovaradin Digital Bridge Hub", "L02", "PP", "innovation agency"),
    ("P03", "Vitosha Tech Business Centre", "L03", "PP", "business support organisation"),
    ("P04", "Маришки иновационен център", "L04", "PP", "innovation agency"),
    ("P05", "Bosna Valley Polytechnic", "L05", "PP", "university"),
    ("P06", "Solana Innovation Lab Tuzla", "L06", "PP", "innovation agency"),
    ("P07", "Sava Business Acceleration Network", "L07", "PP", "business support organisation"),
    ("P08", "Moravian Institute for Applied Informatics", "L08", "PP", "university"),
    ("P09", "Ljubljanica Innovation Agency", "L09", "PP", "innovation agency"),
    ("P10", "Csepel Ipar 4.0 Kompetenciaközpont", "L10", "PP", "business support organisation"),
    ("P11", "Feleac Institute of Digital Engineering", "L01", "PP", "university"),
    ("P12", "Lozenets School of Computing", "L03", "PP", "university"),
    ("P13", "Medvednica Robotics d.o.o.", "L07", "PP", "SME"),
    ("P14", "Špilberk Sensors s.r.o.", "L08", "PP", "start-up"),
    ("P15", "Rožnik Institute for Smart Manufacturing", "L09", "PP", "university"),
    ("P16", "Margit Data Systems Kft.", "L10", "PP", "SME"),
    ("P17", "Clujana Cloudworks SRL", "L01", "ASP", "start-up"),
    ("P18", "Bačka Regional Development Office", "L02", "ASP", "public authority"),
    ("P19", "Serdika Automation EOOD", "L03", "ASP", "SME"),
    ("P20", "Marica Youth Tech Association", "L04", "ASP", "NGO"),
    ("P21", "Bilimišće Investment Desk", "L05", "ASP", "public authority"),
    ("P22", "Majevica Institute of Process Technology", "L06", "ASP", "university"),
    ("P23", "Gornji Grad Women in Tech Forum", "L07", "ASP", "NGO"),
    ("P24", "Svratka Regional Digital Office", "L08", "ASP", "public authority"),
    ("P25", "Tivoli Motion Analytics d.o.o.", "L09", "ASP", "SME"),
    ("P26", "Danube Bend Innovation Agency", "L10", "ASP", "innovation agency"),
    ("P27", "Udruženje Dunavski kod", "L02", "other", "NGO"),
    ("P28", "Sakar Agritech", "L04", "other", "start-up"),
    ("P29", "Kočeva Metalworks d.o.o.", "L05", "other", "SME"),
    ("P30", "Pannonica Citizens' Digital Forum", "L06", "other", "NGO"),
]
PARTNER_LOCATION = {p[0]: p[2] for p in PARTNERS}
PARTNER_COUNTRY = {p[0]: LOCATION_BY_ID[p[2]][2] for p in PARTNERS}
NO_COORDINATES = {"P21", "P27", "P28", "P29", "P30"}  # left blank: the map falls back to the location

# The period (1-based) in which each organisation first joins cross-border work: RCO87 grows in waves.
ENTRY_PERIOD: dict[str, int] = {
    **dict.fromkeys(["P01", "P02", "P03", "P05", "P07", "P08", "P09", "P10", "P11"], 1),
    **dict.fromkeys(["P04", "P06", "P12", "P13", "P14", "P15", "P16"], 2),
    **dict.fromkeys(["P17", "P18", "P19", "P20", "P21", "P22"], 3),
    **dict.fromkeys(["P23", "P24", "P25", "P26"], 4),
    **dict.fromkeys(["P27", "P28", "P29", "P30"], 5),
}

# ---------------------------------------------------------------------------------------------
# Activities per period: more activity later in the project.
# (training, LDG meeting, other single-country, other cross-border); plus one steering committee each.
ACTIVITY_PLAN: list[tuple[int, int, int, int]] = [
    (1, 4, 2, 14),
    (2, 6, 3, 16),
    (3, 8, 3, 19),
    (4, 9, 3, 21),
    (4, 9, 4, 26),
]
STEERING_DATES = [
    dt.date(2024, 1, 15),
    dt.date(2024, 11, 20),
    dt.date(2025, 5, 14),
    dt.date(2025, 11, 19),
    dt.date(2026, 6, 25),
]
RCO81_TOTAL = 1250  # participants in cross-border activities other than training
RCO85_TOTAL = 280  # participants in training
CROSS_BORDER_TYPES = ("exchange", "benchmarking", "workshop", "event", "study visit")
CROSS_BORDER_WEIGHTS = (3, 2, 3, 1, 2)
PARTICIPANT_RANGE: dict[str, tuple[int, int]] = {
    "exchange": (5, 15),
    "benchmarking": (5, 15),
    "workshop": (8, 22),
    "event": (15, 45),
    "study visit": (6, 18),
    "training": (12, 30),
    "LDG meeting": (8, 25),
    "steering committee": (20, 35),
}
TOPICS: dict[str, tuple[str, ...]] = {
    "IT": (
        "cloud services for SMEs",
        "cybersecurity for public services",
        "open data platforms",
        "AI adoption in small firms",
    ),
    "Industry 4.0": (
        "predictive maintenance",
        "digital twins in manufacturing",
        "industrial IoT retrofitting",
        "collaborative robots for SMEs",
    ),
    "Cross-sector": (
        "digital skills for agri-food",
        "start-up and SME matchmaking",
        "smart tourism services",
        "e-health services",
    ),
}
TITLE_PATTERNS: dict[str, str] = {
    "exchange": "Peer exchange on {topic}",
    "benchmarking": "Benchmarking {topic}",
    "training": "Training: {topic}",
    "workshop": "Workshop on {topic}",
    "event": "Matchmaking day: {topic}",
    "study visit": "Study visit: {topic}",
}

# ---------------------------------------------------------------------------------------------
# Local Action Plans: adoption and take-up dates (9 adopted, LAP06 stuck at lap_drafted, 5 taken up).
LAP_ADOPTED: dict[str, dt.date] = {
    "LAP01": dt.date(2025, 6, 18),
    "LAP08": dt.date(2025, 9, 24),
    "LAP03": dt.date(2025, 10, 15),
    "LAP07": dt.date(2025, 12, 3),
    "LAP09": dt.date(2026, 1, 28),
    "LAP02": dt.date(2026, 3, 11),
    "LAP10": dt.date(2026, 4, 22),
    "LAP04": dt.date(2026, 5, 20),
    "LAP05": dt.date(2026, 6, 17),
}
LAP_DRAFTED_ONLY = {"LAP06": dt.date(2026, 2, 20)}
LAP_TAKEN_UP: dict[str, dt.date] = {
    "LAP01": dt.date(2025, 11, 5),
    "LAP08": dt.date(2026, 2, 16),
    "LAP03": dt.date(2026, 3, 25),
    "LAP07": dt.date(2026, 5, 6),
    "LAP09": dt.date(2026, 6, 10),
}
# The early stages: stakeholders identified in the first months, the LDG activated soon after.
LAP_STAKEHOLDERS_WINDOW = (dt.date(2024, 1, 20), dt.date(2024, 4, 30))
LAP_GAP_LDG = (20, 60)  # days from stakeholders_identified to ldg_activated
LAP_GAP_MOU = (60, 120)  # days from ldg_activated to mou_signed
LAP_GAP_DRAFT = (45, 120)  # days from lap_drafted to lap_adopted

# ---------------------------------------------------------------------------------------------
# Pilots: one per location. (id, location, cluster, stage, end, validated_on, title)
PILOTS: list[tuple[str, str, str, str, dt.date | None, dt.date | None, str]] = [
    ("PIL01", "L01", "IT", "validated", dt.date(2025, 3, 28), dt.date(2025, 9, 17), "Municipal e-services marketplace"),
    ("PIL02", "L02", "Cross-sector", "completed", dt.date(2026, 2, 26), None, "Open data for agri-food producers"),
    ("PIL03", "L03", "IT", "completed", dt.date(2025, 10, 10), None, "Cybersecurity check-up for SMEs"),
    ("PIL04", "L04", "Industry 4.0", "completed", dt.date(2025, 12, 12), None, "Smart greenhouse sensor network"),
    ("PIL05", "L05", "Industry 4.0", "implementation", None, None, "Digital twin of a steel rolling line"),
    ("PIL06", "L06", "Cross-sector", "methodology", None, None, "Salt heritage smart tourism routes"),
    ("PIL07", "L07", "IT", "completed", dt.date(2026, 4, 15), None, "AI assistant for public procurement"),
    ("PIL08", "L08", "Industry 4.0", "validated", dt.date(2025, 6, 20), dt.date(2025, 12, 9), "Predictive maintenance"),
    ("PIL09", "L09", "Cross-sector", "validated", dt.date(2025, 11, 27), dt.date(2026, 5, 13), "Skills matching"),
    ("PIL10", "L10", "IT", "completed", dt.date(2026, 6, 5), None, "Cloud platform for start-up incubators"),
]
SINGLE_COUNTRY_PILOT = "PIL04"  # completed, but all its organisations are in Bulgaria: not RCO84
PILOT_SOLUTIONS = {
    "PIL01": "Cloud marketplace for municipal e-services",
    "PIL08": "Predictive maintenance toolkit for SME machine shops",
    "PIL09": "Cross-sector skills matching platform",
    "PIL02": "Open data dashboard for agri-food producers",
    "PIL03": "Cybersecurity self-assessment kit for SMEs",
}
PILOT_REPLICATED_IN = {"PIL01": ("L04", "L06"), "PIL08": ("L05",), "PIL09": ("L02", "L10")}
PILOT_IMPLEMENTATION_START = {"PIL05": dt.date(2025, 11, 3)}

# ---------------------------------------------------------------------------------------------
# Entered values. RCR104: solutions taken up (total 4); RCR84: letters of intent (total 20).
RCR104_ROWS: list[tuple[dt.date, int, str, str, str]] = [
    (dt.date(2025, 6, 26), 1, "P01", "L01", "Municipal e-services marketplace taken up by the city's IT department"),
    (dt.date(2025, 12, 4), 1, "P08", "L05", "Predictive maintenance toolkit taken up by a Zenica machine shop"),
    (dt.date(2026, 4, 29), 2, "P09", "L02", "Skills matching platform taken up by two employers' associations"),
]
RCR84_DATES = [dt.date(2026, 2, 12), dt.date(2026, 3, 19), dt.date(2026, 4, 23), dt.date(2026, 5, 28), LAST_ACTIVITY]
RCR84_ORGANISATIONS = 20

# Milestones: share of the target planned by the end of each period (back-loaded).
MILESTONE_PROFILES: dict[str, tuple[float, ...]] = {
    "RCO87": (0.2, 0.4, 0.57, 0.8, 1.0),
    "RCO83": (0.0, 0.0, 0.1, 0.4, 1.0),
    "RCO84": (0.0, 0.0, 0.1, 0.4, 1.0),
    "RCO116": (0.0, 0.0, 0.15, 0.5, 1.0),
    "RCR79": (0.0, 0.0, 0.0, 0.25, 1.0),
    "RCR104": (0.0, 0.0, 0.2, 0.4, 1.0),
    "RCR84": (0.0, 0.0, 0.0, 0.25, 1.0),
}
DEFAULT_PROFILE = (0.1, 0.25, 0.45, 0.7, 1.0)


# ---------------------------------------------------------------------------------------------
def _random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day between start and end, both included."""
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _countries(partner_ids: Sequence[str]) -> set[str]:
    return {PARTNER_COUNTRY[p] for p in partner_ids}


def _sorted_ids(ids: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(set(ids)))


def _location_name(location_id: str) -> str:
    return LOCATION_BY_ID[location_id][1]


def make_locations() -> list[dict[str, Any]]:
    """The 10 project locations."""
    return [
        {
            "location_id": loc_id,
            "name": city,
            "country": LOCATION_COUNTRY_AS.get(loc_id, iso),
            "lat": lat,
            "lon": lon,
            "hub": hub,
        }
        for loc_id, city, iso, lat, lon, hub in LOCATIONS
    ]


def make_partners(rng: random.Random) -> list[dict[str, Any]]:
    """The 30 organisations, near their location (some without coordinates)."""
    rows = []
    for partner_id, name, loc_id, role, org_type in PARTNERS:
        _, city, iso, lat, lon, _ = LOCATION_BY_ID[loc_id]
        jitter_lat, jitter_lon = rng.uniform(-0.03, 0.03), rng.uniform(-0.04, 0.04)
        has_coordinates = partner_id not in NO_COORDINATES
        rows.append(
            {
                "partner_id": partner_id,
                "name": name,
                "country": PARTNER_COUNTRY_AS.get(partner_id, iso),
                "role": role,
                "city": city,
                "location_id": loc_id,
                "org_type": org_type,
                "lat": round(lat + jitter_lat, 4) if has_coordinates else None,
                "lon": round(lon + jitter_lon, 4) if has_coordinates else None,
                "email": _contacts(partner_id),
            }
        )
    return rows


def _contacts(partner_id: str) -> str:
    """Invented addresses (example.org): every organisation has an office address, every third a second one.
    No random draw, so every other number of the sample stays the same."""
    office = f"office.{partner_id.lower()}@example.org"
    return office if int(partner_id[1:]) % 3 else f"{office}, pm.{partner_id.lower()}@example.org"


def _cross_border_group(rng: random.Random, pool: list[str], required: Sequence[str], size: int) -> list[str]:
    """``size`` organisations from ``pool`` including ``required``, spanning at least two countries."""
    group = list(dict.fromkeys(required))
    candidates = [p for p in pool if p not in group]
    rng.shuffle(candidates)
    while len(group) < size and candidates:
        group.append(candidates.pop())
    if len(_countries(group)) < 2:
        others = [p for p in pool if PARTNER_COUNTRY[p] not in _countries(group)]
        replacement = rng.choice(others)
        if len(group) >= size and len(group) > len(required):
            group[-1] = replacement
        else:
            group.append(replacement)
    return group


def _single_country_group(rng: random.Random, location_id: str) -> list[str]:
    """2-4 organisations all from the country of ``location_id``, local ones first."""
    country = LOCATION_BY_ID[location_id][2]
    local = [p for p, loc in PARTNER_LOCATION.items() if loc == location_id]
    national = [p for p in PARTNER_COUNTRY if PARTNER_COUNTRY[p] == country and p not in local]
    rng.shuffle(local)
    rng.shuffle(national)
    size = rng.randint(2, min(4, len(local) + len(national)))
    return (local + national)[:size]


def _scale_participants(rng: random.Random, activities: list[dict[str, Any]], total: int) -> None:
    """Scale the participants of ``activities`` so they sum to ``total`` (each stays in 5..80)."""
    current = sum(a["participants"] for a in activities)
    factor = total / current
    for activity in activities:
        activity["participants"] = max(5, min(80, math.floor(activity["participants"] * factor + 0.5)))
    order = list(range(len(activities)))
    rng.shuffle(order)
    diff = total - sum(a["participants"] for a in activities)
    step = 1 if diff > 0 else -1
    i = 0
    while diff:
        activity = activities[order[i % len(order)]]
        new = activity["participants"] + step
        if 5 <= new <= 80:
            activity["participants"] = new
            diff -= step
        i += 1


def make_activities(rng: random.Random, ldg_activated: dict[str, dt.date]) -> list[dict[str, Any]]:
    """Joint activities over the five periods, ids A001... in date order.

    ``ldg_activated`` maps a location id to the day its Local Discovery Group started: LDG meetings
    only take place after it.
    """
    drafts: list[dict[str, Any]] = []
    location_ids = [loc[0] for loc in LOCATIONS]

    for period_index, ((p_start, p_end), plan) in enumerate(zip(PERIODS, ACTIVITY_PLAN, strict=True)):
        number = period_index + 1
        n_training, n_ldg, n_local, n_cross = plan
        first = max(p_start, FIRST_ACTIVITY + dt.timedelta(days=1))
        last = min(p_end, LAST_ACTIVITY - dt.timedelta(days=1))
        pool = sorted(p for p, entry in ENTRY_PERIOD.items() if entry <= number)
        entrants = sorted(p for p, entry in ENTRY_PERIOD.items() if entry == number)

        # Steering committee: the lead partner and five partners from other countries.
        others = [p for p in pool if p != "P01" and PARTNER_COUNTRY[p] != "RO"]
        rng.shuffle(others)
        members = ["P01"]
        for p in others:
            if len(members) == 6:
                break
            if PARTNER_COUNTRY[p] not in _countries(members):
                members.append(p)
        title = f"Steering committee meeting {number}"
        if number == 1:
            title = "Kick-off and steering committee meeting 1"
        elif number == len(PERIODS):
            title = f"Final conference and steering committee meeting {number}"
        drafts.append(
            {
                "date": STEERING_DATES[period_index],
                "type": "steering committee",
                "title": title,
                "partner_ids": members,
                "location_id": location_ids[period_index * 2 % len(location_ids)],
                "participants": rng.randint(*PARTICIPANT_RANGE["steering committee"]),
                "cluster": None,
            }
        )

        # Cross-border activities; each organisation entering in this period joins one of them.
        cross_types = ["training"] * n_training
        cross_types += rng.choices(CROSS_BORDER_TYPES, weights=CROSS_BORDER_WEIGHTS, k=n_cross)
        local_training = [i for i in range(n_training) if rng.random() < 0.3]
        required: dict[int, list[str]] = {}
        slots = [i for i in range(len(cross_types)) if i not in local_training]
        rng.shuffle(slots)
        for k, partner_id in enumerate(entrants):
            required.setdefault(slots[k % len(slots)], []).append(partner_id)
        for i, activity_type in enumerate(cross_types):
            cluster = rng.choice(CLUSTERS)
            topic = rng.choice(TOPICS[cluster])
            if i in local_training:
                location_id = rng.choice(location_ids)
                group = _single_country_group(rng, location_id)
            else:
                size = max(rng.randint(2, 6), len(required.get(i, ())))
                group = _cross_border_group(rng, pool, required.get(i, ()), size)
                location_id = PARTNER_LOCATION[rng.choice(group)]
            drafts.append(
                {
                    "date": _random_day(rng, first, last),
                    "type": activity_type,
                    "title": TITLE_PATTERNS[activity_type].format(topic=topic) + f" ({_location_name(location_id)})",
                    "partner_ids": group,
                    "location_id": location_id,
                    "participants": rng.randint(*PARTICIPANT_RANGE[activity_type]),
                    "cluster": cluster,
                }
            )

        # Local Discovery Group meetings and other local activities: one country only.
        for _ in range(n_ldg):
            date = _random_day(rng, first, last)
            active = [loc for loc in location_ids if ldg_activated[loc] < date]
            if not active:  # no group active yet: meet just after the first one starts
                first_loc = min(location_ids, key=lambda loc: ldg_activated[loc])
                date = ldg_activated[first_loc] + dt.timedelta(days=rng.randint(1, 20))
                active = [first_loc]
            location_id = rng.choice(active)
            drafts.append(
                {
                    "date": date,
                    "type": "LDG meeting",
                    "title": f"Local Discovery Group {_location_name(location_id)}",  # numbered below
                    "partner_ids": _single_country_group(rng, location_id),
                    "location_id": location_id,
                    "participants": rng.randint(*PARTICIPANT_RANGE["LDG meeting"]),
                    "cluster": rng.choice(CLUSTERS),
                }
            )
        for _ in range(n_local):
            location_id = rng.choice(location_ids)
            activity_type = rng.choice(("workshop", "event", "study visit"))
            cluster = rng.choice(CLUSTERS)
            topic = rng.choice(TOPICS[cluster])
            drafts.append(
                {
                    "date": _random_day(rng, first, last),
                    "type": activity_type,
                    "title": TITLE_PATTERNS[activity_type].format(topic=topic) + f" ({_location_name(location_id)})",
                    "partner_ids": _single_country_group(rng, location_id),
                    "location_id": location_id,
                    "participants": rng.randint(5, 30),
                    "cluster": cluster,
                }
            )

    for draft in drafts:
        assert 2 <= len(draft["partner_ids"]) <= 6, draft
        assert draft["type"] in ACTIVITY_TYPES, draft
        draft["cross_border"] = len(_countries(draft["partner_ids"])) >= 2

    _scale_participants(rng, [a for a in drafts if a["cross_border"] and a["type"] != "training"], RCO81_TOTAL)
    _scale_participants(rng, [a for a in drafts if a["type"] == "training"], RCO85_TOTAL)

    drafts.sort(key=lambda a: a["date"])  # stable: same-day activities keep their generation order
    ldg_counter = dict.fromkeys(location_ids, 0)
    for draft in drafts:
        if draft["type"] == "LDG meeting":
            ldg_counter[draft["location_id"]] += 1
            draft["title"] += f", meeting {ldg_counter[draft['location_id']]}"
    rows = []
    for number, draft in enumerate(drafts, start=1):
        activity_id = f"A{number:03d}"
        rows.append(
            {
                "activity_id": activity_id,
                "date": draft["date"],
                "type": draft["type"],
                "title": draft["title"],
                "partner_ids": _sorted_ids(draft["partner_ids"]),
                "location_id": draft["location_id"],
                "participants": draft["participants"],
                "cluster": draft["cluster"],
                "evidence_url": f"{EVIDENCE}/evidence/{activity_id}",
            }
        )
    return rows


def make_action_plans(rng: random.Random) -> list[dict[str, Any]]:
    """One Local Action Plan per location; stage dates in order up to the stage reached."""
    rows = []
    for index, (loc_id, city, *_rest) in enumerate(LOCATIONS, start=1):
        lap_id = f"LAP{index:02d}"
        stages: dict[str, dt.date] = {}
        stages["stakeholders_identified"] = _random_day(rng, *LAP_STAKEHOLDERS_WINDOW)
        stages["ldg_activated"] = stages["stakeholders_identified"] + dt.timedelta(days=rng.randint(*LAP_GAP_LDG))
        stages["mou_signed"] = stages["ldg_activated"] + dt.timedelta(days=rng.randint(*LAP_GAP_MOU))
        if lap_id in LAP_ADOPTED:
            stages["lap_adopted"] = LAP_ADOPTED[lap_id]
            stages["lap_drafted"] = stages["lap_adopted"] - dt.timedelta(days=rng.randint(*LAP_GAP_DRAFT))
        else:
            stages["lap_drafted"] = LAP_DRAFTED_ONLY[lap_id]
        stages["workshops_held"] = _random_day(
            rng, stages["mou_signed"] + dt.timedelta(days=30), stages["lap_drafted"] - dt.timedelta(days=20)
        )
        if lap_id in LAP_TAKEN_UP:
            stages["taken_up"] = LAP_TAKEN_UP[lap_id]
        reached = [stage for stage in LAP_STAGES if stage in stages]
        dates = [stages[stage] for stage in reached]
        assert dates == sorted(dates) and len(set(dates)) == len(dates), (lap_id, stages)
        assert reached == list(LAP_STAGES[: len(reached)]), (lap_id, reached)
        lead = next(p for p, loc in PARTNER_LOCATION.items() if loc == loc_id)
        rows.append(
            {
                "lap_id": lap_id,
                "location_id": loc_id,
                "title": f"Local Action Plan for digital innovation, {city}",
                "lead_partner_id": lead,
                **{stage: stages[stage] for stage in reached},
                "ldg_members": rng.randint(8, 25),
                "document_url": f"{EVIDENCE}/lap/{lap_id}.pdf" if "lap_drafted" in stages else None,
            }
        )
    return rows


def make_pilots(rng: random.Random) -> list[dict[str, Any]]:
    """Ten pilots, one per location, in three clusters and at different stages."""
    rows = []
    for pilot_id, loc_id, cluster, stage, end, validated_on, title in PILOTS:
        lead = next(p for p, loc in PARTNER_LOCATION.items() if loc == loc_id)
        size = rng.randint(2, 5)
        if pilot_id == SINGLE_COUNTRY_PILOT:
            national = [p for p in PARTNER_COUNTRY if PARTNER_COUNTRY[p] == PARTNER_COUNTRY[lead] and p != lead]
            partners = rng.sample(national, min(size, len(national)))
        else:
            candidates = [p for p in PARTNER_COUNTRY if p != lead]
            partners = rng.sample(candidates, size)
            if _countries([*partners, lead]) == {PARTNER_COUNTRY[lead]}:
                partners[-1] = rng.choice([p for p in candidates if PARTNER_COUNTRY[p] != PARTNER_COUNTRY[lead]])
        implemented = stage in ("implementation", "completed", "validated")
        if end is not None:
            start = end - dt.timedelta(days=rng.randint(150, 300))
        else:
            start = PILOT_IMPLEMENTATION_START.get(pilot_id) if implemented else None
        rows.append(
            {
                "pilot_id": pilot_id,
                "title": f"{title} ({_location_name(loc_id)})",
                "cluster": cluster,
                "location_id": loc_id,
                "lead_partner_id": lead,
                "partner_ids": _sorted_ids(partners),
                "stage": stage,
                "start": start,
                "end": end,
                "validated_on": validated_on,
                "validation_url": f"{EVIDENCE}/validation/{pilot_id}.pdf" if validated_on else None,
                "solution": PILOT_SOLUTIONS.get(pilot_id),
                "replicated_in": PILOT_REPLICATED_IN.get(pilot_id),
            }
        )
    return rows


def make_indicator_values(rng: random.Random) -> list[dict[str, Any]]:
    """Entered values: solutions taken up (RCR104) and letters of intent to keep cooperating (RCR84)."""
    rows = []
    for number, (date, value, partner_id, loc_id, comment) in enumerate(RCR104_ROWS, start=1):
        rows.append(
            {
                "indicator": "RCR104",
                "date": date,
                "value": value,
                "partner_id": partner_id,
                "location_id": loc_id,
                "evidence_url": f"{EVIDENCE}/evidence/uptake-{number}.pdf",
                "comment": comment,
            }
        )
    signers = sorted(rng.sample(sorted(PARTNER_COUNTRY), RCR84_ORGANISATIONS))
    for index, partner_id in enumerate(signers):
        date = RCR84_DATES[index * len(RCR84_DATES) // len(signers)]
        rows.append(
            {
                "indicator": "RCR84",
                "date": date,
                "value": 1,
                "partner_id": partner_id,
                "location_id": PARTNER_LOCATION[partner_id],
                "evidence_url": f"{EVIDENCE}/evidence/loi-{partner_id}.pdf",
                "comment": "Letter of intent to continue cooperating after the project",
            }
        )
    return rows


def make_milestones(config_path: Path = CONFIG) -> list[dict[str, Any]]:
    """Planned cumulative values per period for every indicator in indicators.yaml, ending at its target."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    rows = []
    for indicator in config["indicators"]:
        code, target = indicator["code"], indicator["target"]
        profile = MILESTONE_PROFILES.get(code, DEFAULT_PROFILE)
        assert len(profile) == len(PERIODS) and profile[-1] == 1.0, code
        previous = 0
        for period, share in enumerate(profile, start=1):
            planned = target if period == len(profile) else max(previous, math.floor(target * share + 0.5))
            rows.append({"indicator": code, "period": period, "planned": planned})
            previous = planned
    return rows


def make_sample() -> dict[str, list[dict[str, Any]]]:
    """All tabs of the sample workbook, keyed by contract tab name."""
    rng = random.Random(SEED)
    partners = make_partners(rng)
    plans = make_action_plans(rng)
    ldg_activated = {plan["location_id"]: plan["ldg_activated"] for plan in plans}
    rows = {
        "partners": partners,
        "locations": make_locations(),
        "activities": make_activities(rng, ldg_activated),
        "action_plans": plans,
        "pilots": make_pilots(rng),
        "indicator_values": make_indicator_values(rng),
        "milestones": make_milestones(),
        "reported": [],  # nothing submitted in Jems yet: previously reported is the sheet's own
    }
    assert set(rows) == set(TABS), "the sample fills every contract tab"
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Write the SpinIT sample workbook.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output .xlsx (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    rows = make_sample()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(args.out, rows)
    counts = ", ".join(f"{tab} {len(tab_rows)}" for tab, tab_rows in rows.items())
    print(f"wrote {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
