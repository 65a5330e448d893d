"""Meetings on the time charts: the dated activities whose type `meeting_types` in indicators.yaml marks as
meetings (a steering committee by default), so a chart over time shows what happened since the last one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitoring.dataset import Dataset

LABEL_LENGTH = 60  # a longer title is cut; the charts write labels level, on two staggered rows, so most fit whole


@dataclass(frozen=True)
class Meeting:
    date: dt.date
    label: str  # the activity's title (cut to LABEL_LENGTH), else its type
    kind: str = ""  # its activity type as written ("steering committee")


def _label(title: object, kind: str) -> str:
    text = title.strip() if isinstance(title, str) and title.strip() else kind.capitalize()
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


def meetings(data: Dataset, start: dt.date, end: dt.date) -> list[Meeting]:
    """The meetings dated from `start` to `end` (both inclusive), by date; one per activity."""
    acts = data.tables["activities"]
    kinds = {t.casefold() for t in data.settings.meeting_types}
    is_meeting = acts["type"].map(lambda t: isinstance(t, str) and t.casefold() in kinds).astype(bool)
    dated = acts[is_meeting & (acts["date"] >= pd.Timestamp(start)) & (acts["date"] <= pd.Timestamp(end))]
    dated = dated.sort_values(["date", "_row"], kind="stable")
    return [
        Meeting(day.date(), _label(title, kind), kind)
        for day, title, kind in zip(dated["date"], dated["title"], dated["type"], strict=True)
    ]
