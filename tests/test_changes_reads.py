"""What changed between two stored reads of the Google Sheet: the history of reads compared."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

from data_sources import source_for
from data_sources.store import ReadStore
from monitoring.dataset import SourcePlan, dataset_from_read, stored_reads
from monitoring.model.config import load_settings
from monitoring.outputs.changes import Snapshot, compare
from tests.conftest import open_page

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "spinit-sample.xlsx"
KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFG"
END = dt.date(2026, 6, 30)


def two_reads(tmp_path: Path) -> tuple[SourcePlan, list[int]]:
    """The sample as read now, and an earlier read in which the last 5 activities were not entered yet."""
    raw = source_for(SAMPLE).read()
    acts = raw.tabs["activities"]
    earlier_tab = replace(acts, rows=acts.rows[:-5])
    earlier = replace(
        raw, tabs={**raw.tabs, "activities": earlier_tab}, read_at=dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
    )
    store = ReadStore.in_folder(tmp_path)
    ids = [store.save(f"google:{KEY}", earlier).id, store.save(f"google:{KEY}", raw).id]
    return SourcePlan((KEY,), False, tmp_path), ids


def test_two_stored_reads_compare_to_the_activities_added_in_between(tmp_path):
    plan, (old, new) = two_reads(tmp_path)
    settings = load_settings("indicators.yaml")
    assert [r.id for r in stored_reads(plan)] == [new, old]
    before, after = dataset_from_read(settings, plan, old), dataset_from_read(settings, plan, new)
    changes = compare(Snapshot(before, END), Snapshot(after, END))
    added = set(after.tables["activities"]["activity_id"]) - set(before.tables["activities"]["activity_id"])
    assert len(added) == 5
    assert set(changes.activities["activity_id"]) == added


def test_files_have_no_stored_reads(tmp_path):
    assert stored_reads(SourcePlan((SAMPLE,), True, tmp_path)) == []


def page_on_two_reads(tmp_path, monkeypatch):
    """What changed, comparing two stored reads of a sheet; returns the page and the two read ids."""
    plan, (old, new) = two_reads(tmp_path)
    settings = load_settings("indicators.yaml")
    datasets = {i: dataset_from_read(settings, plan, i) for i in (old, new)}
    monkeypatch.setattr("monitoring.dataset.stored_reads", lambda _plan: stored_reads(plan))
    monkeypatch.setattr("ui.context.stored_dataset", datasets.__getitem__)
    at = open_page("changes.py")
    at.segmented_control(key="compare_mode").set_value("Two reads of the sheet").run()
    return at, (old, new)


def test_the_page_offers_the_reads_and_shows_their_difference(tmp_path, monkeypatch):
    at, _reads = page_on_two_reads(tmp_path, monkeypatch)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["New activities"] == "5"
