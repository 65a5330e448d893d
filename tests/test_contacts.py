"""The organisations' e-mail addresses are personal data: a manager sees an organisation's contacts on the
Partners page; a viewer never sees one, and no to-do file holds one."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from monitoring.outputs import partners as pa
from monitoring.outputs.partner_digest import contacts
from tests.conftest import open_page
from tests.test_access import app_with, everything_visible

AS_OF = dt.date(2026, 6, 30)


def _text(at) -> str:
    tables = " ".join(df.value.to_csv() for df in at.dataframe) + " ".join(str(t.value) for t in at.table)
    return (everything_visible(at) + tables).replace("\\", "").replace("\u2060", "")  # Markdown escapes removed


def test_the_sample_gives_every_organisation_its_addresses(sample):
    found = contacts(sample)
    assert len(found) == 30 and found["P03"] == ("office.p03@example.org", "pm.p03@example.org")


def test_a_manager_sees_an_organisations_contacts():
    at = open_page("partners.py", partner="P03")
    assert "office.p03@example.org" in _text(at) and "pm.p03@example.org" in _text(at)


def test_a_viewer_never_sees_an_address_on_the_partners_page():
    for query in ({"partner": "P03"}, {}, {"view": "To-do"}):
        viewer = app_with({"is_logged_in": True, "email": "someone@cluj.example"})
        viewer.switch_page("app_pages/partners.py")
        viewer.query_params.update(query)
        viewer.run()
        assert not viewer.exception
        assert "@example.org" not in _text(viewer), query


def test_no_to_do_file_holds_an_address(sample):
    period = sample.periods[-1]
    lists = pa.todo_lists(sample, AS_OF, period)
    names = pa.names_of(sample)
    assert "@" not in pa.todo_text(lists, names, period, "SpinIT")
    book = load_workbook(io.BytesIO(pa.todo_workbook(lists, names, period, "SpinIT")))
    assert not any("@" in str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
