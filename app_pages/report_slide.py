"""The steering committee's Progress report slide (`report` or `report:P3` on the agenda): the period's numbers and
Jems' overview of the indicators in large type."""

import streamlit as st

from monitoring.outputs import slides
from monitoring.outputs.agenda import parse_item
from ui import context, slide_view

ctx = context.current()
chosen = str(st.query_params.get("report_period", "")).strip()
try:
    item = parse_item(f"report:{chosen}" if chosen else "report")
except ValueError:  # a period in the link that is not one: the last period ended, as for `report`
    item = parse_item("report")
number = min(slides.report_period_number(ctx.data, item, ctx.as_of), len(ctx.data.periods))
report = context.report(ctx.data, number, {})
slide_view.show(slides.report_slide(report, item.word))
