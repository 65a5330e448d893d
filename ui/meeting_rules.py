"""Meetings as labelled vertical rules, a layer for any Altair chart with a temporal x axis named `date`.

`meeting_layer(meetings)` takes `monitoring.outputs.meetings.meetings(...)`; add it to a chart with
`alt.layer(chart, meeting_layer(found))` (the Cooperation trend does; so can any indicator-over-time chart)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from monitoring.outputs.meetings import Meeting

RULE_COLOUR = "#7B8794"  # a quiet grey: the meetings frame the data, they are not data


LABEL_PX = 13
ROW_PX = 17  # labels alternate between two rows at the top, so neighbours do not overlap


def meeting_rows(meetings: Sequence[Meeting]) -> pd.DataFrame:
    """Columns: date (ISO text, as the charts' date scales take it), label, top (pixels from the chart's top: the
    labels alternate between two rows)."""
    return pd.DataFrame(
        {
            "date": [m.date.isoformat() for m in meetings],
            "label": [m.label for m in meetings],
            "top": [2 + ROW_PX * (k % 2) for k in range(len(meetings))],
        },
        columns=["date", "label", "top"],
    )


def meeting_layer(meetings: Sequence[Meeting]) -> alt.LayerChart:
    """A dotted rule at each meeting, its label written level at the top of the chart, to the right of its rule (the
    last one to the left, so it stays inside the chart), on two alternating rows."""
    rows = meeting_rows(meetings)
    tooltip = [alt.Tooltip("date:T", title="Meeting"), alt.Tooltip("label:N", title="What")]
    rules = (
        alt.Chart(rows)
        .mark_rule(color=RULE_COLOUR, strokeDash=[2, 3], strokeWidth=1.5)
        .encode(x=alt.X("date:T"), tooltip=tooltip)
    )

    def labels(part: pd.DataFrame, align: str) -> alt.Chart:
        return (
            alt.Chart(part)
            .mark_text(
                align=align, baseline="top", dx=4 if align == "left" else -4, fontSize=LABEL_PX, color=RULE_COLOUR
            )
            .encode(x=alt.X("date:T"), y=alt.Y("top:Q", scale=None, axis=None), text="label:N", tooltip=tooltip)
        )

    return alt.layer(rules, labels(rows.iloc[:-1], "left"), labels(rows.iloc[-1:], "right"))
