"""The e-mail digest: what a project manager needs to know since a date, as one message with a plain-text and
an HTML part.

Its sections: the headline numbers as of the day; the indicators behind or at risk, and those whose status changed
since the date (`Dataset.progress` on both days); what changed since the date (`monitoring.outputs.changes`); and what
each organisation still owes before the current period's report (`monitoring.outputs.partners`). With `dashboard_url`
in indicators.yaml, each section links to its page of the dashboard. Every text from the sheet is HTML-escaped
in the HTML part. Sending is `monitoring.outputs.mail`'s job; `python -m monitoring digest` puts the two together.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlencode

from monitoring.dataset import Dataset
from monitoring.engine.measure import period_containing
from monitoring.engine.progress import ATTENTION_STATUSES, STATUS_ICONS, IndicatorProgress, needs_attention
from monitoring.formatting import number, plural
from monitoring.outputs import partners as pa
from monitoring.outputs.changes import changes_between
from monitoring.outputs.report import BEHIND_OR_AT_RISK

SHOWN_ACTIVITIES = 10  # new activities listed by name; the rest are counted


@dataclass(frozen=True)
class Line:
    """One line of a section: its text (sheet text unescaped) and, where the dashboard has a page for it, a link."""

    text: str
    link: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)
    link: str = ""  # the dashboard page that shows the whole section
    empty: str = "Nothing."  # said when there are no lines


@dataclass(frozen=True)
class Digest:
    subject: str
    intro: str
    sections: list[Section]
    footer: str

    def text(self) -> str:
        """The plain-text part."""
        parts = [self.intro, ""]
        for s in self.sections:
            parts += [s.title, "-" * len(s.title)]
            parts += [f"- {line.text}" + (f"\n  {line.link}" if line.link else "") for line in s.lines] or [s.empty]
            if s.link:
                parts.append(f"On the dashboard: {s.link}")
            parts.append("")
        parts.append(self.footer)
        return "\n".join(parts) + "\n"

    def html(self) -> str:
        """The HTML part: every text escaped, links as anchors."""
        e = html.escape

        def item(line: Line) -> str:
            text = e(line.text)
            return f'<li><a href="{e(line.link)}">{text}</a></li>' if line.link else f"<li>{text}</li>"

        body = [f'<p style="font-size:15px">{e(self.intro)}</p>']
        for s in self.sections:
            body.append(f'<h2 style="font-size:17px;margin:18px 0 6px">{e(s.title)}</h2>')
            body.append(f"<ul>{''.join(item(line) for line in s.lines)}</ul>" if s.lines else f"<p>{e(s.empty)}</p>")
            if s.link:
                body.append(f'<p><a href="{e(s.link)}">Open it on the dashboard</a></p>')
        body.append(f'<p style="color:#52606D;font-size:12px">{e(self.footer)}</p>')
        return (
            '<!DOCTYPE html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#1F2933;'
            f'max-width:760px">{"".join(body)}</body></html>'
        )


def _link(data: Dataset, page: str, **params: str) -> str:
    """A link into the dashboard ('' without `dashboard_url`): page '' is the Overview."""
    base = data.settings.dashboard_url.strip().rstrip("/")
    if not base:
        return ""
    query = f"?{urlencode(params)}" if params else ""
    return f"{base}/{page}{query}"


def _status(p: IndicatorProgress) -> str:
    return f"{STATUS_ICONS[p.status]} {p.status}"


def _headline(data: Dataset, progress: list[IndicatorProgress], as_of: dt.date) -> Section:
    day = as_of.isoformat()
    lines = [
        Line(
            f"{p.code} {p.name}: {number(p.achieved)} of {number(p.target)} {p.unit} "
            f"(expected by now {number(p.expected)}) · {_status(p)}",
            _link(data, "indicator", indicator=p.code, as_of=day),
        )
        for p in progress
    ]
    return Section(f"Every indicator as of {as_of:%d %b %Y}", lines, _link(data, "", as_of=day))


def _behind(data: Dataset, progress: list[IndicatorProgress], as_of: dt.date) -> Section:
    day = as_of.isoformat()
    lines = [
        Line(
            f"{p.code} {p.name}: {number(p.achieved)} achieved, {number(p.expected)} expected by now "
            f"({number(max(p.expected - p.achieved, 0))} short) · {_status(p)}",
            _link(data, "indicator", indicator=p.code, as_of=day),
        )
        for p in needs_attention(progress)
    ]
    return Section(BEHIND_OR_AT_RISK, lines, _link(data, "attention", as_of=day), "No indicator is behind or at risk.")


def _status_changes(data: Dataset, since: dt.date, progress: list[IndicatorProgress]) -> Section:
    before = {p.code: p for p in data.progress(since)}
    lines = []
    for p in progress:
        old = before.get(p.code)
        if old is None or old.status == p.status:
            continue
        fell = (
            " — now behind or at risk"
            if p.status in ATTENTION_STATUSES and old.status not in ATTENTION_STATUSES
            else ""
        )
        lines.append(Line(f"{p.code} {p.name}: {_status(old)} → {_status(p)}{fell}"))
    return Section(f"Status changes since {since:%d %b %Y}", lines, empty="No indicator changed status.")


def _what_changed(data: Dataset, since: dt.date, as_of: dt.date) -> Section:
    changes = changes_between(data, since, as_of)
    lines = [
        Line(f"{r.code}: {number(r.before)} → {number(r.after)} ({'+' if r.change > 0 else ''}{number(r.change)})")
        for r in changes.moved.itertuples()
    ]
    for kind, frame in (("Action plan", changes.plans), ("Pilot", changes.pilots)):
        for r in frame.itertuples():
            where = f" ({r.location})" if isinstance(r.location, str) else ""
            lines.append(Line(f"{kind} {r.id}{where}: {r.before} → {r.after}"))
    link = _link(data, "changes", since=since.isoformat(), until=as_of.isoformat())
    return Section(f"What changed since {since:%d %b %Y}", lines, link, "Nothing changed.")


def _new_activities(data: Dataset, since: dt.date, as_of: dt.date) -> Section:
    acts = changes_between(data, since, as_of).activities
    lines = []
    for r in acts.head(SHOWN_ACTIVITIES).itertuples():
        where = f" ({r.location})" if isinstance(r.location, str) and r.location not in str(r.title) else ""
        lines.append(Line(f"{r.date:%d %b %Y} · {r.type}: {r.title}{where}"))
    if len(acts) > SHOWN_ACTIVITIES:
        lines.append(Line(f"… and {len(acts) - SHOWN_ACTIVITIES} more"))
    link = _link(data, "changes", since=since.isoformat(), until=as_of.isoformat())
    return Section(f"New activities since {since:%d %b %Y} ({len(acts)})", lines, link, "No new activity.")


def _todo(data: Dataset, as_of: dt.date) -> Section:
    period = period_containing(data.periods, as_of) or data.periods[-1]
    lists = pa.todo_lists(data, as_of, period)
    names = pa.names_of(data)
    lines = []
    for who, items in lists.items():
        kinds = [i.kind for i in items]
        owed = [
            plural(kinds.count("problem"), "data problem") if "problem" in kinds else "",
            f"{plural(kinds.count('evidence'), 'record')} without evidence" if "evidence" in kinds else "",
            f"nothing recorded in {period.label}" if "silent" in kinds else "",
        ]
        text = f"{who} {names.get(who, who)}: " + ", ".join(o for o in owed if o)
        lines.append(Line(text, _link(data, "partners", partner=who, as_of=as_of.isoformat())))
    title = f"What the organisations owe before the {period.label} report ({len(lists)})"
    link = _link(data, "partners", to_fix="true", as_of=as_of.isoformat())
    return Section(title, lines, link, "No organisation has anything to fix.")


def build_digest(data: Dataset, since: dt.date, as_of: dt.date) -> Digest:
    """The digest of what happened from the end of `since` to the end of `as_of` (both within the project)."""
    project = data.settings.project
    progress = data.progress(as_of)
    behind = needs_attention(progress)
    sample = " (sample data)" if data.source.sample else ""
    counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in data.counts().items())
    subject = (
        f"{project.name} monitoring{sample}: {plural(len(behind), 'indicator')} behind or at risk, as of {as_of:%d %b %Y}"
        f" (since {since:%d %b %Y})"
    )
    intro = f"{project.name} as of {as_of:%d %b %Y}{sample}: {counts}."
    read_at = data.source.read_at.astimezone(dt.UTC)
    footer = (
        f"Source: {data.source.label}, read {read_at:%d %b %Y, %H:%M} UTC; {plural(len(data.problems), 'data problem')}. "
        "Sent by python -m monitoring digest."
    )
    sections = [
        _headline(data, progress, as_of),
        _behind(data, progress, as_of),
        _status_changes(data, since, progress),
        _what_changed(data, since, as_of),
        _new_activities(data, since, as_of),
        _todo(data, as_of),
    ]
    return Digest(subject, intro, sections, footer)


def digest_message(digest: Digest, sender: str, recipients: list[str]) -> EmailMessage:
    """The digest as one e-mail: a plain-text part and an HTML alternative."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = sender
    if recipients:
        message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("<> ") or None)
    message.set_content(digest.text())
    message.add_alternative(digest.html(), subtype="html")
    return message
