"""Overview: every indicator with achieved, target, expected by now, status and change."""

import streamlit as st

from monitoring.formatting import plural
from monitoring.views.overview import overview
from ui import components, presentation, tiles
from ui.auth import current_access
from ui.context import current

ctx = current()
data = ctx.data
project = ctx.settings.project
present = presentation.is_on()
shown = overview(data, ctx.progress, ctx.as_of)

st.markdown(f"## {project.name} · progress on the indicators")
if present:
    st.caption(" · ".join(f"**{count}** {label.lower()}" for label, count in shown.counts.items()))
else:
    st.caption(
        f"{project.programme} · {project.code} · {project.start:%d %b %Y} – {project.end:%d %b %Y} · "
        f"as of **{ctx.as_of:%d %b %Y}**"
    )
    if data.source.sample:
        components.sample_banner()
    st.html(tiles.counts(shown.counts))

    if data.problems:
        st.warning(
            f"{plural(len(data.problems), 'data problem')} in the source ({plural(data.error_count, 'error')}): "
            "the cells that could not be read are left out of the numbers below.",
            icon=":material/warning:",
        )
        if current_access().is_manager:
            st.page_link(
                "app_pages/data_quality.py", label="See every problem and its cell", icon=":material/fact_check:"
            )

    if shown.attention:
        lines = [
            f"{components.status_label(a.status)} — **{a.code}** {components.escape_md(a.name)}: {a.numbers}"
            for a in shown.attention
        ]
        with st.container(border=True):
            st.markdown("**Needs attention**  \n" + "  \n".join(lines))

ink = components.ink()
for heading, rows in shown.groups:
    if present:
        st.html(tiles.grid([tiles.compact_tile(p, ink) for p in rows], compact=True))
        continue
    st.subheader(heading)
    st.html(tiles.grid([tiles.tile(p, shown.previous_label, ctx.as_of, ink) for p in rows]))

if not present and shown.illustrative:
    st.caption(
        "Targets marked illustrative are placeholders in the default configuration, not the project's approved values."
    )
