"""Every chart every page draws is a valid Vega-Lite spec.

The app skips Altair's schema checks for speed (ui/components.py); this test keeps them, on what is
actually sent to the browser, including the charts behind the pages' other views.
"""

from __future__ import annotations

import json

import altair as alt
import pytest

from tests.conftest import open_page

VIEWS = [
    ("action_plans.py", {"view": "Stages"}),
    ("action_plans.py", {"view": "Reached"}),
    ("changes.py", {}),
    ("cooperation.py", {"view": "Countries"}),
    ("cooperation.py", {"view": "Hubs"}),
    ("cooperation.py", {"view": "RCO87"}),
    ("indicator.py", {"indicator": "RCO84", "view": "Per period"}),
    ("indicator.py", {"indicator": "RCO84", "view": "Breakdown"}),
    ("pilots.py", {"view": "Portfolio"}),
    ("pilots.py", {"view": "Timeline"}),
    ("pilots.py", {"view": "Replication"}),
]


@pytest.fixture(scope="module")
def schema() -> dict:
    return alt.vegalite.v6.schema.core.load_schema()


@pytest.mark.parametrize(("page", "query"), VIEWS, ids=[f"{p}-{'-'.join(q.values())}" for p, q in VIEWS])
def test_every_chart_on_the_page_is_valid_vega_lite(page, query, schema):
    at = open_page(page, **query)
    charts = at.get("vega_lite_chart")
    assert charts, f"{page} drew no chart"
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        alt.utils.schemapi.validate_jsonschema(spec, schema, rootschema=schema)


def test_the_fast_path_sends_the_same_spec_as_st_altair_chart():
    from streamlit.testing.v1 import AppTest

    def app():
        import altair as alt
        import pandas as pd
        import streamlit as st

        from ui import components

        frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
        chart = alt.Chart(frame).mark_bar().encode(x="a:Q", y=alt.Y("b:N", sort="-x"), tooltip=["a", "b"])
        st.altair_chart(chart, width="stretch")
        components.altair_chart(chart, width="stretch")

    at = AppTest.from_function(app).run()
    slow, fast = at.get("vega_lite_chart")
    assert json.loads(fast.proto.spec) == json.loads(slow.proto.spec)
    assert [d.data.data for d in fast.proto.datasets] == [d.data.data for d in slow.proto.datasets]
