"""Needs attention: the indicators behind or at risk, one screen for the steering committee."""

import streamlit as st

from monitoring.engine.progress import needs_attention, previous_period_end
from ui import components, tiles
from ui.context import current

ctx = current()
data = ctx.data

st.title("Needs attention")
st.caption(f"Indicators behind or at risk as of **{ctx.as_of:%d %b %Y}**, the most behind first.")
if data.source.sample:
    components.sample_banner()

attention = needs_attention(ctx.progress)
if not attention:
    st.success("Every indicator is on track or achieved.", icon=":material/check_circle:")
previous = previous_period_end(data.periods, ctx.as_of, ctx.settings.project)
if attention:
    shown = [
        tiles.tile(p, f"{previous:%d %b %Y}", ctx.as_of, components.ink(), shortfall=True, chart_width=520)
        for p in attention
    ]
    st.html(tiles.grid(shown, columns=2))
