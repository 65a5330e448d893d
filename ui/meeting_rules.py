"""Meetings as labelled vertical rules, a layer for any Altair chart with a temporal x axis named `date`.

`meeting_layer(meetings)` takes `monitoring.meetings.meetings(...)`; add it to a chart with
`alt.layer(chart, meeting_layer(found))` (the Cooperation trend does; so can any indicator-over-time chart)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from monitoring.meetings import Meeting

RULE_COLOUR = "#7B8794"  # a quiet grey: the meetings frame the data, they are not data


def meeting_rows(meetings: Sequence[Meeting]) -> pd.DataFrame:
    """Columns: date (ISO text, as the charts' date scales take it), label."""
    return pd.DataFrame(
        {"date": [m.date.isoformat() for m in meetings], "label": [m.label for m in meetings]},
        columns=["date", "label"],
    )


def meeting_layer(meetings: Sequence[Meeting]) -> alt.LayerChart:
    """A dotted rule at each meeting, its label written up along the rule at the top of the chart."""
    base = alt.Chart(meeting_rows(meetings)).encode(
        x=alt.X("date:T"), tooltip=[alt.Tooltip("date:T", title="Meeting"), alt.Tooltip("label:N", title="What")]
    )
    rules = base.mark_rule(color=RULE_COLOUR, strokeDash=[2, 3], strokeWidth=1.5)
    labels = base.mark_text(
        angle=270, align="right", baseline="bottom", dx=-4, dy=-3, fontSize=10, color=RULE_COLOUR
    ).encode(y=alt.value(0), text="label:N")
    return alt.layer(rules, labels)
