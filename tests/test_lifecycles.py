"""Lifecycles in indicators.yaml: the stages of a plan or a pilot, their labels and dates, which stage is done and
when a row is stalled are configuration. Another project declares its own; a mistake names its key and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from data_sources.base import RawTab, RawWorkbook
from monitoring.dataset import build_dataset
from monitoring.engine import pipelines
from monitoring.model.config import ConfigError, Lifecycle, Settings, load_settings
from monitoring.model.contract import TABS
from monitoring.views import action_plans as plan_view
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
DAY = dt.date(2025, 6, 30)


def config() -> dict:
    return yaml.safe_load(SHIPPED)


def load(tmp_path: Path, data: dict) -> Settings:
    """`data` written and read; the outputs and results of indicators a test left out are left out too."""
    codes = {i["code"] for i in data["indicators"]}
    for key in ("outputs", "results"):
        data[key] = [u for u in data.get(key, []) if u["indicator"] in codes]
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_settings(path)


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    return caught.value.problems


def line_of(needle: str, text: str = SHIPPED) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# --- SpinIT's lifecycles: declared in the shipped file, and the defaults of a file without them -------------


def test_a_config_without_lifecycles_gets_spinits_as_declared_in_the_shipped_file(tmp_path):
    older = config()
    del older["lifecycles"]
    older["vocabularies"]["pilot_stages"] = {"values": list(factories.settings().vocabulary("pilot_stages"))}
    assert load(tmp_path, older).all_lifecycles == factories.settings().all_lifecycles


def test_the_deprecated_top_level_stall_days_is_the_fallback_of_every_lifecycle(tmp_path):
    older = config()
    del older["lifecycles"]
    older["stall_days"] = 90
    settings = load(tmp_path, older)
    assert settings.lifecycle("action_plans").stall_days == settings.lifecycle("pilots").stall_days == 90
    declared = config()
    declared["stall_days"] = 90  # a lifecycle's own stall_days wins
    assert load(tmp_path, declared).lifecycle("pilots").stall_days == 120


def test_the_pilot_stages_vocabulary_is_the_pilots_lifecycle(tmp_path):
    data = config()
    data["lifecycles"]["pilots"]["stages"] = [
        {"name": "idea"},
        {"name": "running", "date": "start"},
        {"name": "completed", "date": "end"},
        {"name": "validated", "date": "validated_on"},
    ]
    data["lifecycles"]["pilots"]["headline"] = [{"label": "Running", "stages": ["running"]}]
    settings = load(tmp_path, data)
    assert settings.vocabulary("pilot_stages") == ("idea", "running", "completed", "validated")
    assert settings.contract["pilots"].column("stage").choices == ("idea", "running", "completed", "validated")
    # The indicators' filters are checked against it: a stage this project does not have is a mistake.
    data["lifecycles"]["pilots"]["stages"][2]["name"] = "finished"
    with pytest.raises(ConfigError, match=r"indicators\[2\]\.measure\.where\[0\]\.in\[0\] .*'completed' is not one of"):
        load(tmp_path, data)


# --- Other stages change the stage on a day, the funnel and what is stalled ---------------------------------


def roadmap_project(tmp_path: Path) -> Settings:
    """SpinIT plus a tab of its own, roadmaps, whose three stages are date columns."""
    data = config()
    data["tabs"] = {
        "roadmaps": {
            "one_row_per": "regional roadmap",
            "id_column": "roadmap_id",
            "columns": [
                {"name": "roadmap_id", "kind": "id", "required": True},
                {"name": "drafted", "kind": "date"},
                {"name": "agreed", "kind": "date"},
                {"name": "signed", "kind": "date"},
            ],
        }
    }
    data["lifecycles"]["roadmaps"] = {
        "stages": [{"column": "drafted"}, {"column": "agreed", "label": "Agreed by the region"}, {"column": "signed"}],
        "stall_days": 30,
    }
    data["indicators"].append(
        {
            "code": "ROADMAPS",
            "name": "Roadmaps signed",
            "unit": "roadmaps",
            "kind": "output",
            "programme_specific": True,
            "target": 2,
            "measure": {
                "tab": "roadmaps",
                "agg": "count",
                "where": [{"column": "stage", "equals": "signed"}],
                "date": "signed",
            },
        }
    )
    return load(tmp_path, data)


def roadmaps(settings: Settings):
    rows = [
        ["roadmap_id", "drafted", "agreed", "signed"],
        ["R1", "2025-01-10", "2025-03-01", "2025-05-01"],
        ["R2", "2025-02-01", "2025-04-15", ""],
        ["R3", "2025-06-01", "", ""],
        ["R4", "", "", ""],
    ]
    tabs = {
        name: factories.raw_tab(name, {"partners": factories.PARTNERS, "locations": factories.LOCATIONS}.get(name, []))
        for name in TABS
    }
    tabs["roadmaps"] = RawTab("roadmaps", rows, origin="test.xlsx")
    return build_dataset(settings, RawWorkbook(tabs, origin="test.xlsx", kind="excel"), sample=False)


def test_a_lifecycle_of_three_date_columns_decides_the_stage_the_funnel_and_what_is_stalled(tmp_path):
    settings = roadmap_project(tmp_path)
    data = roadmaps(settings)
    lifecycle = settings.lifecycle("roadmaps")
    table = data.tables["roadmaps"]
    assert table["stage"].tolist() == ["signed", "agreed", "drafted", None]  # the last date filled in
    rows = pipelines.plans_as_of(table, DAY, lifecycle)
    assert rows["stage"].fillna("-").tolist() == ["signed", "agreed", "drafted", "-"]
    assert rows["stage_label"].tolist() == ["Signed", "Agreed by the region", "Drafted", pipelines.NOT_STARTED]
    assert rows["status"].tolist() == [pipelines.DONE, pipelines.STALLED, pipelines.MOVING, pipelines.NOT_STARTED]
    assert rows["days_in_stage"].tolist()[1:3] == [76, 29]  # stalled after more than 30 days
    assert rows["next_stage_label"].tolist()[1] == "Signed"
    funnel = pipelines.plan_funnel(table, DAY, lifecycle)
    assert funnel[["label", "reached"]].values.tolist() == [["Drafted", 3], ["Agreed by the region", 2], ["Signed", 1]]
    earlier = pipelines.plan_funnel(table, dt.date(2025, 3, 31), lifecycle)
    assert earlier["reached"].tolist() == [2, 1, 0]
    assert data.contributions["ROADMAPS"]["amount"].sum() == 1  # the derived stage is usable in a filter


def test_renamed_and_fewer_plan_stages_change_the_action_plans_page_numbers(tmp_path):
    data = config()
    data["lifecycles"]["action_plans"] = {
        "stages": [{"column": "lap_drafted", "label": "Draft"}, {"column": "lap_adopted", "label": "Adopted"}],
        "stall_days": 60,
    }
    settings = load(tmp_path, data)
    plans = [
        {
            "lap_id": "LAP1",
            "location_id": "L1",
            "title": "A",
            "ldg_activated": "2024-03-01",
            "lap_drafted": "2025-05-01",
        },
        {"lap_id": "LAP2", "location_id": "L2", "title": "B", "ldg_activated": "2024-03-01"},
        {"lap_id": "LAP3", "location_id": "L3", "title": "C", "lap_drafted": "2025-01-01", "lap_adopted": "2025-02-01"},
    ]
    shipped = factories.dataset(action_plans=plans)
    declared = build_dataset(settings, factories.workbook(action_plans=plans), sample=False)
    before = pipelines.plans_as_of(shipped.tables["action_plans"], DAY, shipped.settings.lifecycle("action_plans"))
    after = plan_view.plans_on(declared, DAY).set_index("lap_id")
    assert before.set_index("lap_id").at["LAP2", "stage"] == "ldg_activated"
    assert after.at["LAP2", "status"] == pipelines.NOT_STARTED  # its only date is not a stage of this project
    assert (after.at["LAP1", "stage_label"], after.at["LAP1", "status"]) == ("Draft", pipelines.MOVING)
    assert after.at["LAP3", "status"] == pipelines.DONE  # adopted is the last stage, so done
    assert plan_view.reached(declared, DAY) == {"lap_drafted": 2, "lap_adopted": 1}
    assert declared.tables["action_plans"]["stage"].tolist() == ["lap_drafted", None, "lap_adopted"]
    assert plan_view.stage_dates(declared, DAY).columns.tolist() == ["lap_id", "lap_drafted", "lap_adopted"]


def test_a_done_stage_before_the_last_ends_stalling():
    lifecycle = Lifecycle.model_validate(
        {"stages": [{"column": "drafted"}, {"column": "adopted"}, {"column": "reviewed"}], "done": "adopted"}
    )
    assert not pipelines.is_stalled(500, "adopted", lifecycle)
    assert not pipelines.is_stalled(500, "reviewed", lifecycle)
    assert pipelines.is_stalled(121, "drafted", lifecycle)  # the default 120 days


def test_a_pilot_is_capped_below_each_dated_stage_of_its_own_lifecycle():
    lifecycle = Lifecycle.model_validate(
        {
            "stage_column": "phase",
            "stages": [{"name": "idea", "date": "proposed"}, {"name": "running", "date": "start"}, {"name": "closed"}],
        }
    )
    record = {"phase": "closed", "proposed": dt.date(2025, 1, 1), "start": dt.date(2025, 3, 1)}
    assert pipelines.pilot_stage_as_of(record, dt.date(2025, 6, 1), lifecycle) == "closed"
    assert pipelines.pilot_stage_as_of(record, dt.date(2025, 2, 1), lifecycle) == "idea"
    assert pipelines.pilot_stage_as_of(record, dt.date(2024, 12, 1), lifecycle) is None  # before its first date
    assert pipelines.pilot_stage_since("running", record, lifecycle) == dt.date(2025, 3, 1)
    assert pipelines.pilot_stage_since("closed", record, lifecycle) is None


# --- The data-quality messages name the indicators from the configuration -----------------------------------


def validated_without_date(settings: Settings):
    pilot = {
        "pilot_id": "PIL1",
        "title": "P",
        "cluster": "IT",
        "location_id": "L1",
        "lead_partner_id": "P1",
        "partner_ids": "P2",
        "stage": "validated",
        "start": "2025-01-01",
        "end": "2025-06-01",
    }
    data = build_dataset(settings, factories.workbook(pilots=[pilot]), sample=False)
    return pipelines.pipeline_problems(data.tables, settings)


def test_a_missing_validation_date_names_the_indicators_counting_by_it(tmp_path):
    data = config()
    counted = next(i for i in data["indicators"] if i["measure"]["date"] == "validated_on")
    counted.update(code="SOL1", programme_specific=True)
    (problem,) = validated_without_date(load(tmp_path, data))
    assert problem.level == "error"
    assert problem.message == "the stage is 'validated' but validated_on is empty, so SOL1 does not count it"


def test_a_missing_validation_date_counted_by_no_indicator_is_a_warning(tmp_path):
    data = config()
    data["indicators"] = [i for i in data["indicators"] if i["measure"]["date"] != "validated_on"]
    (problem,) = validated_without_date(load(tmp_path, data))
    assert (problem.level, problem.column) == ("warning", "validated_on")
    assert (
        problem.message
        == "the stage is 'validated' but validated_on is empty, so the day it reached 'validated' is unknown"
    )


# --- Mistakes are configuration errors with their key path and line -----------------------------------------


def test_an_unknown_stage_column_names_its_key_and_line(tmp_path):
    text = SHIPPED.replace("{column: mou_signed, label: MoU signed}", "{column: mou_signd, label: MoU signed}")
    assert problems_of(tmp_path, text) == [
        f"lifecycles.action_plans.stages[2].column (line {line_of('mou_signd', text)}): "
        "tab 'action_plans' has no column 'mou_signd'"
    ]


def test_done_that_is_not_a_stage_names_its_key_and_line(tmp_path):
    text = SHIPPED.replace("    done: validated", "    done: approved")
    (problem,) = problems_of(tmp_path, text)
    assert problem.startswith(f"lifecycles.pilots.done (line {line_of('done: approved', text)}): 'approved' is not")


def test_a_stage_date_that_is_not_a_date_column_is_an_error(tmp_path):
    text = SHIPPED.replace("{name: validated, date: validated_on}", "{name: validated, date: validation_url}")
    assert problems_of(tmp_path, text) == [
        f"lifecycles.pilots.stages[6].date (line {line_of('date: validation_url', text)}): "
        "'validation_url' of 'pilots' is not a date column"
    ]


def test_a_lifecycle_for_a_tab_the_project_does_not_keep_is_an_error(tmp_path):
    data = config()
    data["tabs"] = {"pilots": False}
    data["indicators"] = [i for i in data["indicators"] if i["measure"]["tab"] != "pilots"]
    for indicator in data["indicators"]:
        indicator.pop("result", None)
    data.pop("meeting")  # its agenda names a pilots indicator
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, data)
    (problem,) = caught.value.problems
    assert problem.startswith("lifecycles.pilots (line ") and "does not keep it" in problem
    del data["lifecycles"]["pilots"]  # without it, the default is simply not used
    assert not load(tmp_path, data).has_tab("pilots")


def test_pilot_stages_declared_twice_and_differently_is_an_error(tmp_path):
    text = SHIPPED.replace(
        "  # pilot_stages: the stages of lifecycles.pilots below",
        "  pilot_stages:\n    values: [planned, running, done]",
    )
    (problem,) = problems_of(tmp_path, text)
    assert problem.startswith(f"vocabularies.pilot_stages (line {line_of('  pilot_stages:', text)}): ")
    assert "declare them there" in problem


def test_a_stage_with_a_column_and_a_name_is_an_error(tmp_path):
    text = SHIPPED.replace("{name: planned}", "{name: planned, column: start}")
    (problem,) = problems_of(tmp_path, text)
    assert problem.startswith(f"lifecycles.pilots.stages[0] (line {line_of('name: planned, column', text)}): ")


def test_a_headline_that_counts_an_unknown_stage_names_its_key_and_line(tmp_path):
    text = SHIPPED.replace("stages: [completed]}", "stages: [complete]}")
    assert problems_of(tmp_path, text) == [
        f"lifecycles.pilots.headline[1].stages[0] (line {line_of('stages: [complete]}', text)}): "
        "'complete' is not one of the stages: planned, requirements, selected, methodology, implementation, "
        "completed, validated"
    ]


# --- Other stage names: the Pilots page follows them -------------------------------------------------------


def renamed_pilot_stages(tmp_path: Path) -> Settings:
    """Pilots that go idea -> testing (start) -> delivered (end) -> accepted (validated_on), with no headline."""
    data = config()
    data["lifecycles"]["pilots"] = {
        "stage_column": "stage",
        "stages": [
            {"name": "idea"},
            {"name": "testing", "date": "start"},
            {"name": "delivered", "date": "end"},
            {"name": "accepted", "date": "validated_on"},
        ],
        "stall_days": 90,
    }
    for indicator in data["indicators"]:
        for cond in indicator["measure"].get("where", []):
            if cond["column"] == "stage":
                cond.pop("in", None)
                cond.pop("equals", None)
                cond["in"] = ["delivered", "accepted"]
    return load(tmp_path, data)


def test_other_pilot_stage_names_drive_the_headline_the_gantt_and_the_finished_pilots(tmp_path):
    from monitoring.views import pilots as pilot_view

    settings = renamed_pilot_stages(tmp_path)
    rows = [
        {"pilot_id": "A", "stage": "testing", "start": "2025-01-01"},
        {"pilot_id": "B", "stage": "delivered", "start": "2024-06-01", "end": "2025-01-15"},
        {"pilot_id": "C", "stage": "accepted", "start": "2024-06-01", "end": "2025-01-01", "validated_on": ""},
        {"pilot_id": "D", "stage": "idea"},
    ]
    base = {"title": "P", "cluster": "IT", "location_id": "L1", "lead_partner_id": "P1", "partner_ids": "P2"}
    data = build_dataset(settings, factories.workbook(pilots=[base | r for r in rows]), sample=False)
    stages = pilot_view.lifecycle(data)
    shown = pilot_view.pilots_on(data, DAY)
    numbers = pilot_view.headline(shown, len(shown), stages)
    assert numbers.groups == (("Testing", 1), ("Delivered", 1), ("Accepted", 1))
    texts = dict(zip(shown["pilot_id"], shown["status_text"], strict=True))
    assert texts["B"] == "■ stalled · 166 days awaiting 'Accepted'"
    assert texts["C"] == "✔ accepted · no date"
    gantt, waits = pilot_view.gantt_rows(shown, DAY, stages)
    bars = gantt.set_index("label")
    assert bars["bar_status"].tolist().count(pilot_view.PAST) == 3  # only A is still in its bar's stage
    assert sorted(waits["label"].str[:1]) == ["B", "C"]
    finished = pilot_view.finished_table(data, shown, DAY).set_index("pilot_id")
    assert finished.at["B", "waiting"] == 166 and pd.isna(finished.at["C", "waiting"])
    assert pilot_view.finished_title(stages) == "Accepted"
