"""Generate the AlpCommons example workbook (examples/alpcommons/alpcommons.xlsx): a third, invented Interreg project.

AlpCommons (invented) is an Interreg Alpine Space project on energy communities in mountain valleys: 10
organisations in eight countries, two of them micro-states (Liechtenstein, Monaco). It differs from SpinIT in
everything docs/configuration.md says is configurable: its own roadmap and trial stages, no hubs and no discovery
groups, a tab of its own (`schools`, summer schools) with ids, hosts, partners and evidence that an indicator is
measured on, and a workbook that names its tabs and columns its own way (`source.tabs`, `source.columns` in
examples/alpcommons/indicators.yaml).

Run from the repository root: python scripts/make_alpcommons.py
The output is deterministic (a fixed seed) and validates without a problem.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "examples" / "alpcommons"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from monitoring.model.config import Settings, load_settings  # noqa: E402
from monitoring.model.contract import Tab  # noqa: E402
from monitoring.template import write_workbook  # noqa: E402

LOCATIONS = [
    ("V1", "Vaduz", "LI", 47.1410, 9.5209),
    ("V2", "Monaco", "MC", 43.7384, 7.4246),
    ("V3", "Innsbruck", "AT", 47.2692, 11.4041),
    ("V4", "Chur", "CH", 46.8508, 9.5320),
    ("V5", "Kempten", "DE", 47.7267, 10.3139),
    ("V6", "Annecy", "FR", 45.8992, 6.1294),
    ("V7", "Trento", "IT", 46.0748, 11.1217),
    ("V8", "Kranj", "SI", 46.2389, 14.3556),
]
PARTNERS = [
    ("O01", "Rhine Valley Energy Office (invented)", "V1", "LP", "energy agency"),
    ("O02", "Principality Climate Foundation (invented)", "V2", "PP", "association"),
    ("O03", "Tyrol Mountain Research (invented)", "V3", "PP", "research centre"),
    ("O04", "Innsbruck Valley Council (invented)", "V3", "PP", "public authority"),
    ("O05", "Grisons Solar Cooperative (invented)", "V4", "PP", "SME"),
    ("O06", "Allgäu Community Power (invented)", "V5", "PP", "SME"),
    ("O07", "Savoie Energy Commons (invented)", "V6", "PP", "association"),
    ("O08", "Trentino Alpine University (invented)", "V7", "PP", "university"),
    ("O09", "Gorenjska Municipal Union (invented)", "V8", "ASP", "public authority"),
    ("O10", "Alpine Microgrid Start-up (invented)", "V7", "other", "SME"),
]
TYPES = ["peer review", "mountain lab", "roundtable", "site visit"]
START, END = dt.date(2024, 3, 1), dt.date(2026, 8, 31)
# The dates of each roadmap's stages (kick-off, charter, drafted, endorsed, in force), None where not reached.
ROADMAPS = [
    ("2024-04-10", "2024-07-01", "2024-12-05", "2025-03-20", "2025-09-01"),
    ("2024-05-02", "2024-09-12", "2025-02-14", "2025-06-30", None),
    ("2024-04-22", "2024-08-30", "2025-04-02", None, None),
    ("2024-06-05", "2024-11-18", None, None, None),
    ("2024-05-15", "2024-10-01", "2025-03-03", "2025-10-10", "2026-02-01"),
    ("2024-07-01", None, None, None, None),
    ("2024-04-30", "2024-09-02", "2025-01-20", "2025-05-28", "2025-12-15"),
    (None, None, None, None, None),
]
# (stage, start, end, adopted_on, lead, partners, cluster, solution)
TRIALS = [
    ("adopted", "2024-09-01", "2025-04-30", "2025-08-20", "O01", "O02, O05", "energy", "Valley energy-sharing ledger"),
    ("adopted", "2024-10-15", "2025-06-10", "2025-11-04", "O03", "O08, O09", "mobility", "Shared e-bus timetable"),
    ("delivered", "2025-01-10", "2025-09-30", None, "O06", "O07", "energy", None),
    ("delivered", "2025-02-01", "2025-12-12", None, "O02", "O04, O10", "tourism", None),
    ("prototyping", "2025-06-01", None, None, "O08", "O03", "mobility", None),
    ("idea", None, None, None, "O05", "O01", "tourism", None),
]
THEMES = ["Community solar", "Heat pumps in old houses", "Valley mobility", "Energy sharing law", "Microgrids"]


def rows() -> dict[str, list[dict[str, object]]]:
    """The rows of every tab, by the contract's tab and column names."""
    rng = random.Random(20240301)
    country = {i: c for i, _, c, _, _ in LOCATIONS}
    locations = [{"location_id": i, "name": n, "country": c, "lat": lat, "lon": lon} for i, n, c, lat, lon in LOCATIONS]
    partners = [
        {"partner_id": i, "name": n, "country": country[loc], "role": role, "location_id": loc, "org_type": kind}
        for i, n, loc, role, kind in PARTNERS
    ]
    ids = [p[0] for p in PARTNERS]
    activities = []
    days = (END - START).days
    for n in range(1, 41):
        when = START + dt.timedelta(days=int(days * (n / 42) ** 0.85))
        kind = TYPES[n % len(TYPES)]
        group = sorted(rng.sample(ids, rng.randint(2, 4)))
        activities.append(
            {
                "activity_id": f"AC{n:03d}",
                "date": when.isoformat(),
                "type": kind,
                "title": f"{kind.capitalize()} {n}: energy communities in the valleys",
                "partner_ids": ", ".join(group),
                "location_id": rng.choice(LOCATIONS)[0],
                "participants": rng.randint(6, 30),
                "cluster": rng.choice(["energy", "mobility", "tourism"]),
                "evidence_url": f"https://example.org/alpcommons/AC{n:03d}.pdf",
            }
        )
    stages = ("stakeholders_identified", "mou_signed", "lap_drafted", "lap_adopted", "taken_up")
    roadmaps = [
        {
            "lap_id": f"R{k + 1:02d}",
            "location_id": LOCATIONS[k][0],
            "title": f"Energy community roadmap for {LOCATIONS[k][1]}",
            "lead_partner_id": next(p[0] for p in PARTNERS if p[2] == LOCATIONS[k][0]),
            **{stage: day for stage, day in zip(stages, dates, strict=True) if day},
            "document_url": f"https://example.org/alpcommons/roadmap-R{k + 1:02d}.pdf" if dates[3] else None,
        }
        for k, dates in enumerate(ROADMAPS)
    ]
    trials = [
        {
            "pilot_id": f"T{k + 1:02d}",
            "title": f"Trial {k + 1}: {(solution or THEMES[k % len(THEMES)]).lower()}",
            "cluster": cluster,
            "location_id": next(p[2] for p in PARTNERS if p[0] == lead),
            "lead_partner_id": lead,
            "partner_ids": team,
            "stage": stage,
            "start": start,
            "end": end,
            "validated_on": adopted,
            "validation_url": f"https://example.org/alpcommons/trial-T{k + 1:02d}.pdf" if adopted else None,
            "solution": solution,
        }
        for k, (stage, start, end, adopted, lead, team, cluster, solution) in enumerate(TRIALS)
    ]
    schools = [
        {
            "school_id": f"S{n:02d}",
            "date": (START + dt.timedelta(days=120 + 90 * n)).isoformat(),
            "theme": THEMES[n % len(THEMES)],
            "host_id": ids[(2 * n) % len(ids)],
            "partner_ids": ", ".join(sorted({ids[(2 * n + 3) % len(ids)], ids[(2 * n + 5) % len(ids)]})),
            "learners": 14 + 2 * n,
            "report_url": f"https://example.org/alpcommons/school-S{n:02d}.pdf",
        }
        for n in range(1, 9)
    ]
    return {
        "partners": partners,
        "locations": locations,
        "activities": activities,
        "action_plans": roadmaps,
        "pilots": trials,
        "schools": schools,
    }


# Columns of the contract's tabs this project does not keep in its workbook (SpinIT's discovery groups, hubs...).
LEFT_OUT = {"locations": {"hub"}, "action_plans": {"ldg_activated", "ldg_members", "workshops_held"}}


def sheet_contract(settings: Settings) -> dict[str, Tab]:
    """The project's contract as its workbook names it: tabs and columns renamed (`source.tabs`, `source.columns`),
    the columns it does not keep left out."""
    out = {}
    for name, tab in settings.contract.items():
        renamed = settings.source.columns.get(name, {})
        columns = tuple(
            dataclasses.replace(c, name=renamed.get(c.name, c.name))
            for c in tab.columns
            if c.name not in LEFT_OUT.get(name, ())
        )
        sheet = settings.source.tabs.get(name, name)
        out[sheet] = dataclasses.replace(tab, name=sheet, columns=columns)
    return out


def sheet_rows(settings: Settings) -> dict[str, list[dict[str, object]]]:
    """`rows` by the workbook's own tab and column names."""
    out = {}
    for name, records in rows().items():
        renamed = settings.source.columns.get(name, {})
        out[settings.source.tabs.get(name, name)] = [{renamed.get(k, k): v for k, v in r.items()} for r in records]
    return out


def main() -> int:
    settings = load_settings(HERE / "indicators.yaml")
    write_workbook(HERE / "alpcommons.xlsx", sheet_rows(settings), sheet_contract(settings))
    print(f"wrote {HERE / 'alpcommons.xlsx'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
