"""A slide of `monitoring.outputs.slides` on screen: its title, what is shown, its key numbers and its bar chart.

The Progress report and "since the last meeting" slides are drawn with this; the deck draws the same `Slide`.
"""

from __future__ import annotations

import datetime as dt
import html

import altair as alt
import pandas as pd
import streamlit as st

from monitoring.dataset import Dataset
from monitoring.engine.progress import STATUS_COLOURS
from monitoring.outputs import slides
from monitoring.outputs.agenda import SINCE_WORD
from monitoring.outputs.slides import Slide, is_number
from ui import components

NEUTRAL_BAR = "#56B4E9"  # Okabe-Ito sky blue: a bar that is not an indicator's status
BAR_PX = 34
FONT = 18


def bar_chart(slide: Slide, ink: dict[str, str]) -> alt.LayerChart:
    """Horizontal bars, labels on the left in full, the value written at each bar's end; an indicator's bar in its
    status colour, with a dashed 100 % line when the bars are % of target. Built once per slide and read."""
    rows = pd.DataFrame(
        [
            {"label": b.label, "value": b.value, "text": b.text, "status": b.status or "none", "order": i}
            for i, b in enumerate(slide.bars)
        ]
    )
    top = max([100.0 if slide.percent else 0.0, *rows["value"].abs()]) * 1.18 or 1.0
    low = min(0.0, float(rows["value"].min()))
    y = alt.Y(
        "label:N",
        sort=None,
        title=None,
        axis=alt.Axis(labelFontSize=FONT, labelLimit=420, labelColor=ink["ink"], ticks=False, domain=False),
    )
    x = alt.X(
        "value:Q",
        title=slide.chart_title,
        scale=alt.Scale(domain=[low, top], nice=False),
        axis=alt.Axis(
            labelFontSize=FONT - 2,
            titleFontSize=FONT,
            tickMinStep=1,
            format="~s",
            labelColor=ink["ink"],
            titleColor=ink["ink"],
            gridColor=ink["band"],
        ),
    )
    colours = {**STATUS_COLOURS, "none": NEUTRAL_BAR}
    bars = (
        alt.Chart(rows)
        .mark_bar(size=BAR_PX - 10)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "status:N", scale=alt.Scale(domain=list(colours), range=list(colours.values())), legend=None
            ),
            tooltip=[alt.Tooltip("label:N", title="What"), alt.Tooltip("text:N", title="Value")],
        )
    )
    text = (
        alt.Chart(rows)
        .mark_text(align="left", dx=8, fontSize=FONT, fontWeight="bold", color=ink["ink"])
        .encode(x="value:Q", y=y, text="text:N")
    )
    layers = [bars, text]
    if slide.percent:
        layers.append(
            alt.Chart(rows).mark_rule(color=ink["rule"], strokeDash=[6, 3], aria=False).encode(x=alt.datum(100))
        )
    return alt.layer(*layers).properties(height=BAR_PX * len(rows) + 50).configure_view(stroke=None)


TABLE_CSS = """<style>
table.spinit-slide { border-collapse: collapse; width: 100%; }
[data-testid="stMain"] table.spinit-slide th, [data-testid="stMain"] table.spinit-slide td {
  font-size: 21px !important; line-height: 1.2; padding: 5px 10px; text-align: left;
  border-bottom: 1px solid rgba(128, 128, 128, 0.35); }
table.spinit-slide th { font-weight: 600; }
table.spinit-slide td.number, table.spinit-slide th.number { text-align: right; white-space: nowrap; }
</style>"""


def table_html(table: list[list[str]]) -> str:
    """A small table (its header row, then rows) in large type, compact enough for a slide; every cell escaped.
    Columns whose cells are all numbers (or a dash) are right-aligned."""
    header, rows = table[0], table[1:]
    kinds = [' class="number"' if all(is_number(r[i]) for r in rows) else "" for i in range(len(header))]
    head = "".join(f"<th{k}>{html.escape(c)}</th>" for k, c in zip(kinds, header, strict=True))
    body = "".join(
        "<tr>" + "".join(f"<td{k}>{html.escape(v)}</td>" for k, v in zip(kinds, row, strict=True)) + "</tr>"
        for row in rows
    )
    return f'{TABLE_CSS}<table class="spinit-slide"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


@st.cache_resource(max_entries=16, show_spinner=False)
def _since(_data: Dataset, data_key: tuple[str, dt.datetime], as_of: dt.date) -> Slide:
    return slides.since_slide(_data, as_of, SINCE_WORD)


def since_slide(data: Dataset, as_of: dt.date) -> Slide:
    """What changed since the last meeting, computed once per read and as-of date for every viewer."""
    return _since(data, (data.source.label, data.source.read_at), as_of)


def numbers(slide: Slide) -> None:
    """The key numbers in one row of metrics."""
    for col, (label, value) in zip(st.columns(len(slide.numbers)), slide.numbers, strict=True):
        col.metric(label, value)


def show(slide: Slide) -> None:
    """Title, what is shown, the numbers, then the chart (or the slide's table, in large type, instead of it)."""
    st.markdown(f"## {components.escape_md(slide.title)}")
    st.caption(components.escape_md(slide.subtitle))
    if slide.numbers:
        numbers(slide)
    if slide.table:
        st.html(table_html(slide.table))
    elif slide.bars:
        components.altair_chart(bar_chart(slide, components.ink()), width="stretch")
    for line in slide.lines:
        st.markdown(components.escape_md(line))
