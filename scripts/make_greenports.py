"""Generate the GreenPorts example workbook (examples/greenports/greenports.xlsx): another, invented Interreg project.

GreenPorts (invented) is an Interreg Central Europe project on greener inland ports: 12 organisations in six
countries, no pilots and no Local Action Plans, its own activity types (knowledge exchange, capacity building,
webinar, conference and study tour), and a tab of its own, `trainings`, that one indicator is measured on. It
proves that another project runs on configuration alone (examples/greenports/indicators.yaml).

Run from the repository root: python scripts/make_greenports.py
The output is deterministic (a fixed seed); one activity has a type outside the declared list ("hackathon"):
it is kept, counted and reported as a warning.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "examples" / "greenports"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from monitoring.model.config import load_settings  # noqa: E402
from monitoring.template import write_workbook  # noqa: E402

LOCATIONS = [
    ("GP1", "Linz", "AT", 48.3069, 14.2858),
    ("GP2", "Budapest", "HU", 47.4979, 19.0402),
    ("GP3", "Vukovar", "HR", 45.3511, 19.0025),
    ("GP4", "Koper", "SI", 45.5481, 13.7302),
    ("GP5", "Děčín", "CZ", 50.7821, 14.2148),
    ("GP6", "Venezia", "IT", 45.4408, 12.3155),
]
PARTNERS = [
    ("G01", "Port of Linz Authority (invented)", "GP1", "LP", "public authority"),
    ("G02", "Upper Austria Logistics Lab (invented)", "GP1", "PP", "university"),
    ("G03", "Budapest Freight Centre (invented)", "GP2", "PP", "business support organisation"),
    ("G04", "Csepel Clean Energy (invented)", "GP2", "PP", "SME"),
    ("G05", "Vukovar River Agency (invented)", "GP3", "PP", "public authority"),
    ("G06", "Slavonia Green Start (invented)", "GP3", "other", "start-up"),
    ("G07", "Koper Maritime Institute (invented)", "GP4", "PP", "university"),
    ("G08", "Adriatic Port Users (invented)", "GP4", "ASP", "NGO"),
    ("G09", "Elbe Barge Cooperative (invented)", "GP5", "PP", "SME"),
    ("G10", "Ústí Region Office (invented)", "GP5", "ASP", "public authority"),
    ("G11", "Laguna Shipping Research (invented)", "GP6", "PP", "research centre"),
    ("G12", "Venice Port Network (invented)", "GP6", "PP", "innovation agency"),
]
TYPES = ["knowledge exchange", "capacity building", "webinar", "conference", "study tour"]
START, END = dt.date(2024, 4, 1), dt.date(2026, 9, 30)


def rows() -> dict[str, list[dict[str, object]]]:
    rng = random.Random(20240401)
    locations = [
        {
            "location_id": i,
            "name": n,
            "country": c,
            "lat": lat,
            "lon": lon,
        }
        for i, n, c, lat, lon in LOCATIONS
    ]
    partners = [
        {
            "partner_id": i,
            "name": n,
            "country": dict((x[0], x[2]) for x in LOCATIONS)[loc],
            "role": role,
            "location_id": loc,
            "org_type": kind,
        }
        for i, n, loc, role, kind in PARTNERS
    ]
    ids = [p[0] for p in PARTNERS]
    activities = []
    days = (END - START).days
    for n in range(1, 49):
        when = START + dt.timedelta(days=int(days * (n / 50) ** 0.8))
        kind = "hackathon" if n == 30 else TYPES[n % len(TYPES)]
        group = sorted(rng.sample(ids, rng.randint(2, 5)))
        place = rng.choice(LOCATIONS)[0]
        activities.append(
            {
                "activity_id": f"GA{n:03d}",
                "date": when.isoformat(),
                "type": kind,
                "title": f"{kind.capitalize()} {n} on green port operations",
                "partner_ids": ", ".join(group),
                "location_id": place,
                "participants": rng.randint(8, 40),
                "evidence_url": f"https://example.org/greenports/GA{n:03d}.pdf",
            }
        )
    trainings = [
        {
            "training_id": f"T{n:02d}",
            "date": (START + dt.timedelta(days=60 + 75 * n)).isoformat(),
            "topic": ["shore power", "LNG bunkering", "digital port calls"][n % 3],
            "trainees": 10 + 3 * n,
            "provider_id": ids[n % len(ids)],
            "evidence_url": f"https://example.org/greenports/T{n:02d}.pdf",
        }
        for n in range(1, 11)
    ]
    values = [
        {
            "indicator": "RCO116",
            "date": "2025-11-20",
            "value": 1,
            "partner_id": "G07",
            "evidence_url": "https://example.org/greenports/solution-1.pdf",
            "comment": "Shore-power sizing tool",
        },
        {
            "indicator": "RCO116",
            "date": "2026-05-12",
            "value": 1,
            "partner_id": "G02",
            "evidence_url": "https://example.org/greenports/solution-2.pdf",
            "comment": "Barge emissions calculator",
        },
    ]
    return {
        "partners": partners,
        "locations": locations,
        "activities": activities,
        "trainings": trainings,
        "indicator_values": values,
    }


def main() -> int:
    settings = load_settings(HERE / "indicators.yaml")
    write_workbook(HERE / "greenports.xlsx", rows(), settings.contract)
    print(f"wrote {HERE / 'greenports.xlsx'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
