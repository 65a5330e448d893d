"""What the Data quality page shows: the counts, the problems per tab and level, filtered, each as a table row."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from monitoring.dataset import Dataset
from monitoring.model.config import Source
from monitoring.model.contract import TABS
from monitoring.sheet import checks

# The "Show" filter's choices after "all" (what a bound widget writes into the URL: ?level=errors) -> level.
LEVELS = {"errors": "error", "warnings": "warning"}
STATIC_ROWS = 200  # up to this many problems in a group are listed in full; more go into a scrollable table
# The columns of a long list of problems (`scrollable`), in order; `origin` and `link` only when they say something.
SCROLL_COLUMNS = ["where", "column", "message", "value", "origin", "link"]


@dataclass(frozen=True)
class Quality:
    problems: pd.DataFrame  # `grouped_problems`: the Problem fields plus `where` and `cells`, sorted
    errors: int
    warnings: int
    tabs_with_problems: int
    rows_read: int  # in every tab
    no_tab_read: bool  # none of the contract's required tabs could be read
    tab_names: list[str]  # every tab of the project as the sheet names it, then any other with problems (the source)
    per_tab: pd.DataFrame  # per tab of `tab_names`: Tab, Rows read (None when not read), Errors, Warnings
    tab_labels: dict[str, str]  # a tab as the sheet names it -> with the contract's name beside when it differs
    has_links: bool  # the problems link to their cells (a Google Sheet)
    several_files: bool  # the problems come from more than one file


@dataclass(frozen=True)
class TabProblems:
    tab: str  # as the sheet names it
    label: str  # the tab, with the contract's name beside it when it differs: 'trials (pilots)'
    errors: int
    warnings: int
    levels: list[tuple[str, pd.DataFrame]]  # ("error", its rows), ("warning", its rows); only levels with rows


def grouped_problems(problems: list[checks.Problem], source: Source | None = None) -> pd.DataFrame:
    """`checks.problem_table` with a column `cells` (how many cells a row stands for), where every group of
    cells holding the same value outside an open vocabulary is one row: its `where` lists the cells
    ("C3, C7, … and 29 more"), its message says how to end the warning (`checks.VocabularyGroup`). With the
    project's `source`, tabs and columns in the sheet's own words (`checks.in_sheet_words`)."""
    single = checks.problem_table([p for p in problems if not checks.is_vocabulary_warning(p)], source)
    single = single.assign(cells=1)
    rows = [
        {
            **(checks.in_sheet_words(g.problems[0], source) if source else g.problems[0]).to_dict(),
            "message": g.sentence(),
            "where": g.cell_list(),
            "cells": len(g.problems),
        }
        for g in checks.vocabulary_groups(problems)
    ]
    if not rows:
        return single
    table = pd.concat([single, pd.DataFrame(rows, columns=single.columns)], ignore_index=True)
    order = {name: i for i, name in enumerate(TABS)}
    key = [
        (order.get(t, len(order)), lv != "error", checks.cell_position(c))
        for t, lv, c in zip(table["tab"], table["level"], table["cell"], strict=True)
    ]
    return table.iloc[sorted(range(len(table)), key=key.__getitem__)].reset_index(drop=True)


def quality(data: Dataset) -> Quality:
    """The problems of `data` and what the page counts of them (cells, not rows: a group counts its cells), in the
    sheet's own words (`checks.in_sheet_words`: its tab and column names after `source.tabs` and `source.columns`)."""
    source = data.settings.source
    table = grouped_problems(data.problems, source)
    rows_read = {checks.sheet_tab(name, source): len(frame) for name, frame in data.tables.items()}
    is_error = table["level"] == "error"
    errors = int(table.loc[is_error, "cells"].sum())
    missing_tabs = set(table.loc[table["cell"] == "", "tab"])
    tab_names = list(dict.fromkeys([*(checks.sheet_tab(t, source) for t in data.settings.contract), *table["tab"]]))
    per_tab = pd.DataFrame(
        {
            "Tab": tab_names,
            "Rows read": [rows_read.get(name) for name in tab_names],
            "Errors": [int(table.loc[(table["tab"] == name) & is_error, "cells"].sum()) for name in tab_names],
            "Warnings": [int(table.loc[(table["tab"] == name) & ~is_error, "cells"].sum()) for name in tab_names],
        }
    )
    return Quality(
        problems=table,
        errors=errors,
        warnings=int(table["cells"].sum()) - errors,
        tabs_with_problems=table["tab"].nunique(),
        rows_read=sum(rows_read.values()),
        no_tab_read={checks.sheet_tab(t.name, source) for t in TABS.values() if not t.optional} <= missing_tabs,
        tab_names=tab_names,
        per_tab=per_tab,
        tab_labels={
            checks.sheet_tab(t, source): f"{checks.sheet_tab(t, source)} ({t})"
            for t in source.tabs
            if t != source.tabs[t]
        },
        has_links=bool((table["link"] != "").any()),
        several_files=table["origin"].nunique() > 1,
    )


def filtered(problems: pd.DataFrame, tabs: list[str], show: str) -> pd.DataFrame:
    """The problems of `tabs` (all when none) at the level `show` names ("errors", "warnings"; else all)."""
    if tabs:
        problems = problems[problems["tab"].isin(tabs)]
    if show in LEVELS:
        problems = problems[problems["level"] == LEVELS[show]]
    return problems


def by_tab(problems: pd.DataFrame, labels: dict[str, str] | None = None) -> list[TabProblems]:
    """The problems grouped by tab, in their order, each tab's errors before its warnings; `labels` (a `Quality`'s
    tab_labels) says what each tab is called above its problems."""
    groups = []
    for tab in dict.fromkeys(problems["tab"]):
        in_tab = problems[problems["tab"] == tab]
        levels = [(level, in_tab[in_tab["level"] == level]) for level in LEVELS.values()]
        errors = int(in_tab.loc[in_tab["level"] == "error", "cells"].sum())
        warnings = int(in_tab["cells"].sum()) - errors
        label = (labels or {}).get(tab, tab)
        groups.append(TabProblems(tab, label, errors, warnings, [(lv, rows) for lv, rows in levels if len(rows)]))
    return groups


def literal(text: str) -> str:
    """Sheet text as a Markdown code span: shown exactly as written, never formatted or turned into a link."""
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def readable(rows: pd.DataFrame, quality: Quality, escape: Callable[[object], str]) -> pd.DataFrame:
    """The problems as a static table of Markdown cells: Cell, Column, Problem and what is expected, The cell holds,
    then File when there are several files and Open (a link to the cell) when there are links. Sheet text goes
    through `escape` (Markdown-escaped), the cell's value is shown as `literal`."""
    out = {
        "Cell": [f"**{where}**" for where in rows["where"]],
        "Column": [escape(c) for c in rows["column"]],
        "Problem and what is expected": [escape(m) for m in rows["message"]],
        "The cell holds": [literal(v) for v in rows["value"]],
    }
    if quality.several_files:
        out["File"] = [escape(o) for o in rows["origin"]]
    if quality.has_links:
        out["Open"] = [f"[Open the cell]({link})" if link else "" for link in rows["link"]]
    return pd.DataFrame(out)


def scrollable(rows: pd.DataFrame, quality: Quality) -> pd.DataFrame:
    """The problems for an interactive table: the SCROLL_COLUMNS that say something (plain text)."""
    wanted = {"origin": quality.several_files, "link": quality.has_links}
    return rows[[c for c in SCROLL_COLUMNS if wanted.get(c, True)]]
