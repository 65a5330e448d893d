"""Overview: every indicator with achieved, target, expected by now, status and change."""

import streamlit as st

from monitoring.measure import period_containing
from monitoring.progress import needs_attention, previous_period_end
from ui import components, presentation, tiles
from ui.auth import current_access
from ui.context import current

ctx = current()
data = ctx.data
project = ctx.settings.project
present = presentation.is_on()
counts = data.counts()
COUNT_LABELS = {
    "organisations": "Organisations",
    "countries": "Countries",
    "locations": "Locations",
    "pilots": "Pilots",
    "action_plans": "Action plans",
    "activities": "Activities",
}

st.markdown(f"## {project.name} · progress on the indicators")
if present:
    st.caption(" · ".join(f"**{counts[key]}** {label.lower()}" for key, label in COUNT_LABELS.items() if key in counts))
else:
    st.caption(
        f"{project.programme} · {project.code} · {project.start:%d %b %Y} – {project.end:%d %b %Y} · "
        f"as of **{ctx.as_of:%d %b %Y}**"
    )
    if data.source.sample:
        components.sample_banner()
    st.html(tiles.counts({label: counts[key] for key, label in COUNT_LABELS.items() if key in counts}))

    if data.problems:
        st.warning(
            f"{len(data.problems)} data problem(s) in the source ({data.error_count} error(s)): the cells that "
            "could not be read are left out of the numbers below.",
            icon=":material/warning:",
        )
        if current_access().is_manager:
            st.page_link(
                "app_pages/data_quality.py", label="See every problem and its cell", icon=":material/fact_check:"
            )

    attention = needs_attention(ctx.progress)
    if attention:
        lines = [
            f"{components.status_label(p.status)} — **{p.code}** {components.escape_md(p.name)}: "
            f"{components.fmt(p.achieved)} of {components.fmt(p.target)}, expected {components.fmt(p.expected)} by now"
            for p in attention
        ]
        with st.container(border=True):
            st.markdown("**Needs attention**  \n" + "  \n".join(lines))

previous_end = previous_period_end(data.periods, ctx.as_of, project)
previous = period_containing(data.periods, previous_end)
previous_label = previous.label if previous else "the start"

ink = components.ink()
for kind, heading in (("output", "Output indicators"), ("result", "Result indicators")):
    rows = [p for p in ctx.progress if p.kind == kind]
    if not rows:
        continue
    if present:
        st.html(tiles.grid([tiles.compact_tile(p, ink) for p in rows], compact=True))
        continue
    st.subheader(heading)
    st.html(tiles.grid([tiles.tile(p, previous_label, ctx.as_of, ink) for p in rows]))

if not present and any(p.illustrative for p in ctx.progress):
    st.caption(
        "Targets marked illustrative are placeholders in the default configuration, not the project's approved values."
    )
