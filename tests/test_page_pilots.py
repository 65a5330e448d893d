"""The Pilots page on the sample: the cluster x stage matrix and the tie-in are the engine's numbers, as of the day.

The headline (filters, metrics, what is stalled) sits above tabs of which only the chosen one is drawn (?view=...)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from monitoring.engine.measure import achieved_as_of
from tests.conftest import chart_frames, open_page, tabs_of

END = dt.date(2026, 6, 30)  # the default as-of day: today is after the project's end
MID = dt.date(2025, 6, 30)


def dataset_with(at, column: str) -> pd.DataFrame:
    """The first chart dataset on the page that has `column`."""
    return next(df for chart in at.get("vega_lite_chart") for df in chart_frames(chart) if column in df)


def matrix(at) -> dict[tuple[str, str], int]:
    df = dataset_with(at, "pilots")
    return {(c, s): int(n) for c, s, n in zip(df["cluster"], df["stage"], df["pilots"], strict=True)}


def per_stage(cells: dict[tuple[str, str], int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (_, stage), n in cells.items():
        totals[stage] = totals.get(stage, 0) + n
    return totals


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def partnerships(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "country_names" in d.value).set_index("pilot_id")


def at_day(day: dt.date, view: str | None = None):
    at = open_page("pilots.py", **({"view": view} if view else {}))
    at.date_input(key="as_of").set_value(day).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def views():
    """The page opened at each of its tabs (?view=...), each opened once for the module."""
    return tabs_of("pilots.py")


def test_only_the_chosen_tab_is_computed_and_drawn(views) -> None:
    first = open_page("pilots.py")
    charts = first.get("vega_lite_chart")
    assert len(charts) == 1 and not first.dataframe  # the cluster x stage matrix; no Gantt, replication or table
    assert matrix(first)  # the one chart is the matrix
    assert [m.label for m in first.metric] == [
        "Pilots",
        "Stalled",
        "In implementation",
        "Completed, not validated",
        "Validated",
    ]
    timeline = views("Timeline")
    assert len(timeline.get("vega_lite_chart")) == 1 and not timeline.dataframe
    assert "bar_start" in dataset_with(timeline, "bar_start")
    assert timeline.query_params["view"] == "Timeline"
    assert not any("**RCO84**" in md.value for md in timeline.markdown)  # the Portfolio's tie-in is not drawn
    partners = views("Partnerships")
    assert len(partners.dataframe) == 1 and not partners.get("vega_lite_chart")
    assert "country_names" in partners.dataframe[0].value
    # The headline stays above the tabs: the same numbers and the same stalled pilots on every tab.
    for other in (timeline, partners):
        assert [m.value for m in other.metric] == [m.value for m in first.metric]
        assert [w.value for w in other.warning] == [w.value for w in first.warning]


def test_matrix_adds_up_to_rco84_and_rco116(sample) -> None:
    at = open_page("pilots.py")
    cells = matrix(at)
    stages = per_stage(cells)
    assert stages["validated"] == achieved_as_of(sample.contributions["RCO116"], END) == 3
    # Completed or validated, less PIL04 (organisations from Bulgaria only), is what RCO84 counts.
    assert stages["completed"] + stages["validated"] - 1 == achieved_as_of(sample.contributions["RCO84"], END) == 7
    assert cells[("IT", "completed")] == 3
    assert cells[("Cross-sector", "methodology")] == 1
    assert sum(cells.values()) == 10
    lines = [md.value for md in at.markdown]
    assert "**RCO84** Pilot actions developed jointly and implemented in projects: **7** of 10" in lines
    assert "**RCO116** Jointly developed solutions: **3** of 6" in lines
    assert "**RCR104** Solutions taken up or up\\-scaled by organisations: **4** of 5" in lines  # the name is escaped
    captions = [c.value.replace("\\", "") for c in at.caption]  # Markdown escapes removed
    # RCO84's own conditions from indicators.yaml explain why 7: PIL04 is all-Bulgarian, PIL05 and PIL06 not done.
    assert "*stage in completed, validated*: 8 of 10 pass; fail: PIL05, PIL06" in captions
    assert "*countries at least 2*: 9 of 10 pass; fail: PIL04" in captions
    assert any(c.startswith("Counted: Cloud marketplace for municipal e-services (PIL01);") for c in captions)
    assert any(c.startswith("Reported in the indicator_values tab, with evidence: ") for c in captions)


def test_earlier_as_of_day_moves_pilots_back_to_the_stage_their_dates_show(sample) -> None:
    at = at_day(MID)
    stages = per_stage(matrix(at))
    assert stages["validated"] == achieved_as_of(sample.contributions["RCO116"], MID) == 0
    assert stages["completed"] == achieved_as_of(sample.contributions["RCO84"], MID) == 2
    assert stages["implementation"] == 4  # PIL02, PIL03, PIL04 and PIL09 had started by then
    assert stages["methodology"] == 4  # PIL05, PIL07 and PIL10 started later; PIL06 has no dates
    assert "**RCO84** Pilot actions developed jointly and implemented in projects: **2** of 10" in [
        md.value for md in at.markdown
    ]
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert "Not counted yet, end after the as-of day: PIL02, PIL03, PIL07, PIL09, PIL10" in captions
    assert metrics(at)["Validated"] == "0"


def test_jointly_developed_check_explains_why_a_pilot_is_not_in_rco84(views, sample) -> None:
    table = partnerships(views("Partnerships"))
    assert table.at["PIL04", "countries"] == 1
    assert table.at["PIL04", "RCO84"] == "not counted: fails countries at least 2"
    assert table.at["PIL04", "country_names"] == "Bulgaria"
    assert table.at["PIL01", "countries"] == 4
    assert table.at["PIL05", "RCO84"] == "not counted: fails stage in completed, validated"
    assert table.at["PIL02", "RCO116"] == "not counted: fails stage equals validated"
    counted = set(table.index[table["RCO84"] == "counted"])
    assert counted == set(sample.contributions["RCO84"]["record"])
    assert table.at["PIL01", "organisations"].startswith("Someș Metropolitan Innovation Office (lead), ")


def test_stalled_pilots_are_named_with_their_days_and_where() -> None:
    at = open_page("pilots.py")
    assert metrics(at)["Stalled"] == "4"
    warning = at.warning[0].value
    assert "**PIL03**" in warning and "**263 days** without validation" in warning
    assert "**PIL05**" in warning and "implementation since 03 Nov 2025, **239 days**" in warning
    assert "**PIL07**" not in warning
    assert any("**PIL06** Tuzla (methodology)" in i.value for i in at.info)


def test_headline_counts_the_stage_groups_the_lifecycle_declares() -> None:
    assert metrics(open_page("pilots.py")) == {
        "Pilots": "10",
        "Stalled": "4",
        "In implementation": "1",
        "Completed, not validated": "5",
        "Validated": "3",
    }
    assert list(metrics(at_day(MID)).values()) == ["10", "0", "4", "2", "0"]


def test_gantt_stops_running_bars_at_the_as_of_day_and_draws_the_rule() -> None:
    at = at_day(MID, view="Timeline")
    assert at.query_params["view"] == "Timeline"  # kept when the as-of day changes
    gantt = dataset_with(at, "bar_start").set_index("label")
    assert pd.to_datetime(gantt["bar_end"]).max() <= pd.Timestamp(MID)
    assert pd.to_datetime(gantt.at["PIL02 · Novi Sad", "bar_end"]) == pd.Timestamp(MID)  # still running
    assert pd.isna(gantt.at["PIL07 · Zagreb", "bar_start"])  # starts in November 2025
    rule = dataset_with(at, "as_of")
    assert pd.to_datetime(rule["as_of"]).max() == pd.Timestamp(MID)


def test_validation_table_links_reports_only_once_validated(views) -> None:
    at = views("Validation")
    table = next(d.value for d in at.dataframe if "report" in d.value).set_index("pilot_id")
    assert table.at["PIL01", "report"] == "https://example.org/spinit/validation/PIL01.pdf"
    assert table.at["PIL03", "waiting"] == 263
    assert pd.isna(table.at["PIL03", "report"])
    assert table.at["PIL08", "lead"] == "Moravian Institute for Applied Informatics"
    earlier = at_day(dt.date(2025, 10, 1), view="Validation")
    table = next(d.value for d in earlier.dataframe if "report" in d.value).set_index("pilot_id")
    assert table.at["PIL01", "report"] == "https://example.org/spinit/validation/PIL01.pdf"
    assert pd.isna(table.at["PIL08", "report"])  # validated in December 2025


def test_replication_matrix_shows_home_and_replicated_locations(views) -> None:
    at = views("Replication")
    rep = dataset_with(at, "role")
    replicas = rep[rep["role"] == "replicated"]
    assert sorted(zip(replicas["pilot_id"], replicas["place"], strict=True)) == [
        ("PIL01", "Haskovo"),
        ("PIL01", "Tuzla"),
        ("PIL08", "Zenica"),
        ("PIL09", "Budapest"),
        ("PIL09", "Novi Sad"),
    ]
    assert (rep["role"] == "home").sum() == 10


def test_cluster_filter_narrows_the_matrix_and_counts() -> None:
    at = open_page("pilots.py")
    at.multiselect(key="pilot_cluster").set_value(["IT"]).run()
    assert not at.exception
    cells = matrix(at)
    assert {c for c, _ in cells} == {"IT"}
    assert sum(cells.values()) == 4
    assert metrics(at)["Pilots"] == "4 of 10"
    # The indicators are not filtered.
    assert "**RCO84** Pilot actions developed jointly and implemented in projects: **7** of 10" in [
        md.value for md in at.markdown
    ]


def test_location_filter_keeps_pilots_running_or_replicated_there() -> None:
    at = open_page("pilots.py", view="Partnerships")
    at.multiselect(key="pilot_location").set_value(["Novi Sad"]).run()
    table = partnerships(at)
    assert sorted(table.index) == ["PIL02", "PIL09"]


def test_stage_filter_uses_the_stage_on_the_as_of_day() -> None:
    at = at_day(MID, view="Partnerships")
    at.multiselect(key="pilot_stage").set_value(["completed"]).run()
    assert sorted(partnerships(at).index) == ["PIL01", "PIL08"]


def test_a_validated_pilot_without_its_date_is_drawn_as_no_date_and_reported(tmp_path, monkeypatch) -> None:
    """PIL01 recorded 'validated' with validated_on empty: every tab draws; the Gantt says 'no date'; it is an error
    at its cell."""
    import openpyxl

    book = openpyxl.load_workbook("data/sample/spinit-sample.xlsx")
    sheet = book["pilots"]
    column = [c.value for c in sheet[1]].index("validated_on") + 1
    assert sheet.cell(2, 1).value == "PIL01" and sheet.cell(2, column).value is not None
    sheet.cell(2, column).value = None
    book.save(tmp_path / "book.xlsx")
    monkeypatch.setenv("SPINIT_SOURCE", str(tmp_path / "book.xlsx"))
    for view in ("Portfolio", "Timeline", "Partnerships", "Validation", "Replication"):
        at = open_page("pilots.py", view=view)
        assert not at.exception and not at.error, (view, [e.value for e in at.exception])
        if view == "Timeline":
            gantt = dataset_with(at, "status_text").set_index("label")
            assert gantt.loc["PIL01 · Cluj-Napoca", "status_text"] == "✔ validated · no date"
    assert metrics(at)["Validated"] == "3"
    problems = open_page("data_quality.py")
    listed = next(t.value for t in problems.table if "J2" in "".join(t.value["Cell"]))
    assert "validated\\_on is empty" in listed.set_index("Cell").loc["**J2**", "Problem and what is expected"]
