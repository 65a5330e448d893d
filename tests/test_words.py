"""Words a person would write: counts with their nouns, names beside ids, empty cells empty."""

from __future__ import annotations

import math

import pandas as pd

from monitoring.formatting import blank, plural, with_id
from monitoring.outputs.report import build_report


def test_counts_are_written_out_never_with_a_parenthesised_s():
    assert [plural(1, "item"), plural(3, "item"), plural(0, "address", "addresses")] == [
        "1 item",
        "3 items",
        "0 addresses",
    ]


def test_a_name_has_its_id_beside_it_and_an_empty_cell_stays_empty():
    assert with_id("Sava Business Acceleration Network", "P07") == "Sava Business Acceleration Network (P07)"
    assert with_id(None, "P99") == "P99" and with_id("Zagreb", None) == ""
    assert [blank(v) for v in (None, math.nan, pd.NaT, pd.NA, 0, "x")] == ["", "", "", "", 0, "x"]


def test_the_reports_records_name_organisations_and_places(sample):
    records = build_report(sample, 5).records
    assert records["partner_id"].str.fullmatch(r".+ \(P\d\d\)|").all()
    assert "Sava Business Acceleration Network (P07)" in set(records["partner_id"])
    assert records["location_id"].str.fullmatch(r".+ \(L\d\d\)|").all()
