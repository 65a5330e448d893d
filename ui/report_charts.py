"""The What changed page's chart: where each indicator stood on the first date and what was added since."""

from __future__ import annotations

import altair as alt
import pandas as pd

from monitoring.engine.progress import STATUS_COLOURS


def change_chart(shares: pd.DataFrame, then: str, now: str) -> alt.LayerChart:
    """Per indicator, a grey bar to its % of target on the first moment, the gain since in the colour of its status
    now, the change as text and a dashed line at the target; `shares` as `views.changes.indicator_shares`, `then`
    and `now` naming the two moments in the tooltip."""
    y = alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelFontSize=13, labelFontWeight="bold"))
    x_max = max(100.0, float(shares["after_pct"].max()), float(shares["before_pct"].max())) * 1.12
    x = alt.X(
        "before_pct:Q",
        title="% of target",
        scale=alt.Scale(domain=[0, x_max], nice=False),
        axis=alt.Axis(values=list(range(0, int(x_max) + 1, 25))),
    )
    before_bar = alt.Chart(shares).mark_bar(color="#C5CCD3", size=18).encode(x=x, y=y)
    gained = (
        alt.Chart(shares)
        .mark_bar(size=18)
        .encode(
            x="before_pct:Q",
            x2="after_pct:Q",
            y=y,
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                legend=alt.Legend(title="Status now", orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Indicator"),
                alt.Tooltip("before:Q", title=f"On {then}"),
                alt.Tooltip("after:Q", title=f"On {now}"),
                alt.Tooltip("change_text:N", title="Change"),
            ],
        )
    )
    labels = (
        alt.Chart(shares)
        .mark_text(align="left", dx=6, fontSize=13, color="#1F2933")
        .encode(x="after_pct:Q", y=y, text="change_text:N")
    )
    # aria=False: a reference line at 100 %, named in the axis title; Vega would give it an unnamed graphics role.
    target = alt.Chart(shares).mark_rule(color="#52606D", strokeDash=[4, 2], aria=False).encode(x=alt.datum(100))
    return alt.layer(before_bar, gained, labels, target).properties(height=36 * len(shares) + 40)
