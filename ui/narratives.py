"""The Progress report's Narratives tab: per output "Progress in this period", per result "Describe progress
achieved", drafted from the records (`monitoring.outputs.narratives`), edited by managers and kept in the narrative store
(`data_sources.narrative_store`: SQLite in the data folder, or the database `SPINIT_DATABASE_URL` /
`[database] url` names)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from data_sources.narrative_store import SECRETS_SECTION, NarrativeStore, SavedText, StoreError, database_url
from monitoring.outputs import narratives
from monitoring.outputs.narratives import MAX_CHARS, Narrative, project_key
from monitoring.outputs.report import Report
from ui import components, context
from ui.auth import Access, current_access

LOG = logging.getLogger("spinit")
AUTHORS = {"password": "shared password", "open": "open access"}


def author(access: Access) -> str:
    """Who saves a text: the signed-in e-mail, else how they got in ("shared password", "open access")."""
    return access.email or AUTHORS.get(access.mode, access.mode)


def _secrets() -> Mapping[str, Any]:
    """The [database] section of the secrets, {} when there is none or the file cannot be read (never shown)."""
    try:
        section = st.secrets.get(SECRETS_SECTION)
    except Exception:  # no secrets.toml, or one that does not parse: the sign-in gate already says so
        return {}
    return {SECRETS_SECTION: dict(section)} if section else {}


@st.cache_resource(show_spinner=False, max_entries=4)
def _store(url: str) -> NarrativeStore:
    """One store (and its connection pool) per database for every session; a StoreError is not kept."""
    return NarrativeStore(url)


def store() -> NarrativeStore:
    """The narrative store of this dashboard; StoreError (its message names no URL) when it cannot be opened."""
    return _store(database_url(context.source_plan().data_dir, os.environ, _secrets()))


def with_saved(report: Report) -> tuple[Report, str | None]:
    """The report with the texts preparers saved for its period, and why they could not be read (or None)."""
    try:
        saved = store().current(project_key(report), report.period.number)
    except StoreError as exc:
        LOG.warning("narratives: %s", exc)
        return report, str(exc)
    return narratives.with_saved(report, saved), None


def in_the_files(report: Report) -> str:
    """What the downloads say of the narratives: "the narratives of the 10 outputs and results (2 edited)"."""
    edited = sum(n.edited for n in report.narratives)
    return f"the narratives of the {len(report.narratives)} outputs and results ({edited} edited, the others drafts)"


def _unsaved_key(report: Report, n: Narrative) -> str:
    return f"_unsaved_{project_key(report)}_{report.period.label}_{n.key}"


def _overtaken_key(report: Report, n: Narrative) -> str:
    return f"_overtaken_{project_key(report)}_{report.period.label}_{n.key}"


@dataclass(frozen=True)
class _Box:
    """A narrative's text box in this session: its widget's generation, and the stored text it was opened with."""

    generation: int
    shown: str
    shown_at: dt.datetime | None  # when that text was saved (None: the draft, never saved)


def _box(report: Report, n: Narrative) -> tuple[str, _Box]:
    """The box's session key and state. The box keeps what this viewer submitted across reruns, also when a colleague
    saves meanwhile; it is opened afresh on the stored text after this viewer's own save, and when a colleague saved
    (or a new read of the sheet changed the draft) while this viewer has not changed the box."""
    name = f"_box_{project_key(report)}_{report.period.label}_{n.key}"
    box = st.session_state.get(name)
    if box is None:
        box = _Box(0, n.current, n.saved_at)
    elif (box.shown_at, box.shown) != (n.saved_at, n.current) and st.session_state.get(
        _widget(report, n, box), box.shown
    ) == box.shown:
        box = _Box(box.generation + 1, n.current, n.saved_at)
    st.session_state[name] = box
    return name, box


def _widget(report: Report, n: Narrative, box: _Box) -> str:
    return f"narrative_{report.period.label}_{n.key}_{box.generation}"


def _save(report: Report, n: Narrative, text: str, name: str, box: _Box) -> None:
    """Keep `text` ("" gives the draft back); on failure keep it in the session and say so."""
    try:
        latest = store().current(project_key(report), report.period.number).get(n.key)
        saved = store().save(project_key(report), report.period.number, n.key, text, author(current_access()))
    except StoreError as exc:
        LOG.warning("narratives: %s", exc)
        st.session_state[_unsaved_key(report, n)] = (text, str(exc))
        return
    st.session_state.pop(_unsaved_key(report, n), None)
    if latest is not None and latest.saved_at != box.shown_at:  # a colleague saved after this box was opened
        st.session_state[_overtaken_key(report, n)] = f"{latest.author} saved a text at {latest.saved_at:%H:%M} UTC"
    st.session_state[name] = _Box(box.generation + 1, text.strip() or n.draft, saved.saved_at)
    st.toast(f"Saved: {n.heading}", icon=":material/check:")
    st.rerun()


def _editor(report: Report, n: Narrative) -> None:
    name, box = _box(report, n)
    key = _widget(report, n, box)
    with st.form(f"form_{report.period.label}_{n.key}", border=False):
        typed = st.text_area(n.label, value=box.shown, height=160, max_chars=MAX_CHARS, key=key)
        left, right = st.columns(2)
        save = left.form_submit_button("Save", type="primary", icon=":material/save:")
        draft = right.form_submit_button(
            "Use the draft", icon=":material/undo:", disabled=not n.edited, help="Go back to the text from the records."
        )
    if save:
        _save(report, n, typed, name, box)
    elif draft:
        _save(report, n, "", name, box)
    overtaken = st.session_state.pop(_overtaken_key(report, n), None)
    if overtaken:
        st.warning(
            f"{components.escape_md(overtaken)} while you were writing; yours is now the current text and theirs is "
            "under Earlier versions.",
            icon=":material/group:",
        )
    unsaved = st.session_state.get(_unsaved_key(report, n))
    if unsaved:
        st.error(f"Not saved: {unsaved[1]}. Your text is kept in this browser tab; download it to be safe.")
        st.download_button(
            "Download your text",
            unsaved[0].encode("utf-8"),
            file_name=f"{project_key(report)}-{report.period.label}-{n.key.replace(' ', '-')}.txt",
            mime="text/plain",
            icon=":material/download:",
            on_click="ignore",
            key=f"download_{key}",
        )


def _earlier_versions(report: Report) -> dict[str, list[SavedText]]:
    """Per output (result), every save before the current one, newest first: nothing typed is out of reach."""
    try:
        saves = store().history(project_key(report), report.period.number)
    except StoreError as exc:
        LOG.warning("narratives: %s", exc)
        return {}
    versions: dict[str, list[SavedText]] = {}
    for save in saves:
        versions.setdefault(save.unit, []).append(save)
    return {unit: found[1:] for unit, found in versions.items() if len(found) > 1}


def narratives_view(report: Report, problem: str | None) -> None:
    """Each output's and result's text for Jems: its state (draft, or edited by whom and when) and, for managers, a
    box to edit it."""
    st.subheader(f"Progress of the outputs and results in {report.period.label}")
    st.caption(
        "Jems asks for every output “Progress in this period” and for every result “Describe progress achieved”. "
        "Each starts as a draft from the period's records (what, where, with whom, how many); what you save is kept "
        "for this project and period, goes into the Excel, CSV and PDF, and is marked edited."
    )
    if problem:
        st.error(f"The saved texts cannot be read: {problem}. The drafts are shown.", icon=":material/database:")
    manager = current_access().is_manager
    earlier = _earlier_versions(report) if not problem else {}
    for n in report.narratives:
        with st.container(border=True):
            st.markdown(f"**{components.escape_md(n.heading)}** · {n.indicator}")
            if n.edited:
                st.badge("edited", color="blue", icon=":material/edit:")
            else:
                st.badge("draft", color="gray", icon=":material/draft:")
            st.caption(components.escape_md(n.state) if n.edited else "Drafted from the records; nobody edited it yet.")
            if manager:
                _editor(report, n)
            else:
                st.markdown(f"**{n.label}**")
                st.markdown(components.escape_md(n.current))
            if n.edited:
                with st.expander("The draft from the records"):
                    st.markdown(components.escape_md(n.draft))
            if earlier.get(n.key):
                with st.expander(f"Earlier versions ({len(earlier[n.key])})"):
                    for version in earlier[n.key]:
                        st.caption(components.escape_md(f"{version.author}, {version.saved_at:%d %b %Y %H:%M} UTC"))
                        st.markdown(components.escape_md(version.text) if version.text.strip() else "*(the draft)*")
