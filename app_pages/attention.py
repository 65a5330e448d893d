"""Needs attention: the indicators behind or at risk, one screen for the steering committee."""

import streamlit as st

from monitoring.progress import previous_period_end
from ui import components
from ui.context import current

ctx = current()
data = ctx.data

st.title("Needs attention")
st.caption(f"Indicators behind or at risk as of **{ctx.as_of:%d %b %Y}**, the most behind first.")
if data.source.sample:
    components.sample_banner()

order = {"behind": 0, "at risk": 1}
attention = sorted(
    (p for p in ctx.progress if p.status in order),
    key=lambda p: (order[p.status], p.achieved / p.expected if p.expected else 1),
)
if not attention:
    st.success("Every indicator is on track or achieved.", icon=":material/check_circle:")
previous = previous_period_end(data.periods, ctx.as_of, ctx.settings.project)
for start in range(0, len(attention), 2):
    for column, p in zip(st.columns(2), attention[start : start + 2], strict=False):
        with column:
            components.kpi_tile(p, f"{previous:%d %b %Y}")
            gap = p.expected - p.achieved
            st.markdown(
                f"**{components.fmt(gap)} {components.escape_md(p.unit)}** short of plan; "
                f"forecast at the end {components.fmt(p.forecast)} of {components.fmt(p.target)}."
            )
