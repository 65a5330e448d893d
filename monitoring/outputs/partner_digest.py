"""One message per organisation: its own to-do list, sent to its own contacts only.

`python -m monitoring digest --partners` puts this together with `monitoring.outputs.mail`:

- `contacts`: the e-mail addresses of each organisation (the `email` column of the partners tab). They are
  personal data: they are in the messages' To header and nowhere else — not in the send log (which keeps a
  hash), not in what the command prints;
- `partner_messages`: for each organisation with something to fix (`partners.todo_lists`), a message with a
  greeting and signature from `digest:` in indicators.yaml, the deadline (the current period's end less
  `partner_deadline_days_before_period_end` days), and its items, each with its record, tab and cell, and a
  link to the cell when the source is a Google Sheet (the sheet's link when the tab's gid is unknown); in
  text and in HTML (every sheet text escaped). An organisation with nothing to fix gets nothing;
- `SendLog`: what was sent, per day, organisation and address (`digest-sent.jsonl` in the data folder), so
  that running the command twice in a day sends nothing twice;
- `keep_eml`: an unsent message, kept as an .eml file that never overwrites another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from monitoring.dataset import Dataset
from monitoring.engine.measure import Period, period_containing
from monitoring.formatting import plural
from monitoring.outputs import partners as pa

SEND_LOG = "digest-sent.jsonl"
EMAIL_COLUMN = "email"


def contacts(data: Dataset) -> dict[str, tuple[str, ...]]:
    """Organisation id -> its e-mail addresses, as written in the partners tab (organisations without any left out)."""
    orgs = pa.organisations(data)
    if EMAIL_COLUMN not in orgs:
        return {}
    return {
        who: tuple(found)
        for who, found in zip(orgs["partner_id"], orgs[EMAIL_COLUMN], strict=True)
        if isinstance(found, tuple) and found
    }


def current_period(data: Dataset, as_of: dt.date) -> Period:
    """The reporting period `as_of` falls in (the last one after the project)."""
    return period_containing(data.periods, as_of) or data.periods[-1]


def deadline(data: Dataset, period: Period) -> dt.date:
    """The day the organisations are asked to fix their items by: the period's end less the configured days."""
    return period.end - dt.timedelta(days=data.settings.digest.partner_deadline_days_before_period_end)


def item_link(item: pa.TodoItem) -> str:
    """The link that opens the item's cell: with its range where the tab's gid is known, else the sheet's link."""
    if not item.link or "#gid=" in item.link:
        return item.link
    return item.link.split("#", 1)[0]


@dataclass(frozen=True)
class PartnerMessage:
    """The message for one organisation."""

    partner_id: str
    name: str
    recipients: tuple[str, ...]  # its own contacts, and only those
    subject: str
    greeting: str
    intro: str
    items: tuple[pa.TodoItem, ...]
    signature: str
    footer: str

    def _lines(self, item: pa.TodoItem) -> tuple[str, str]:
        """(where and what, link) of an item."""
        where = f"{item.where} — " if item.where else ""
        record = f"{item.record}: " if item.record and item.record not in item.text else ""
        return f"{where}{record}{item.text}", item_link(item)

    def text(self) -> str:
        """The plain-text part."""
        parts = [self.greeting, "", self.intro, ""]
        for n, item in enumerate(self.items, 1):
            line, link = self._lines(item)
            parts.append(f"{n}. {line}" + (f"\n   {link}" if link else ""))
        parts += ["", self.signature, "", "-- ", self.footer]
        return "\n".join(parts) + "\n"

    def html(self) -> str:
        """The HTML part: every text escaped, links as anchors."""
        e = html.escape
        items = []
        for item in self.items:
            line, link = self._lines(item)
            opened = f' · <a href="{e(link)}">open the cell</a>' if link else ""
            items.append(f"<li>{e(line)}{opened}</li>")
        body = [
            f"<p>{e(self.greeting)}</p>",
            f"<p>{e(self.intro)}</p>",
            f"<ol>{''.join(items)}</ol>",
            f"<p>{e(self.signature)}</p>",
            f'<p style="color:#52606D;font-size:12px">{e(self.footer)}</p>',
        ]
        return (
            '<!DOCTYPE html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#1F2933;'
            f'max-width:760px">{"".join(body)}</body></html>'
        )

    def email(self, sender: str) -> EmailMessage:
        """The message: To its organisation's contacts only, a plain-text part and an HTML alternative."""
        message = EmailMessage()
        message["Subject"] = self.subject
        message["From"] = sender
        if self.recipients:
            message["To"] = ", ".join(self.recipients)
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("<> ") or None)
        message.set_content(self.text())
        message.add_alternative(self.html(), subtype="html")
        return message


def _fill(template: str, who: str, name: str) -> str:
    """The greeting with {name} and {partner_id} replaced (nothing else is interpreted)."""
    return template.replace("{name}", name).replace("{partner_id}", who)


def partner_messages(data: Dataset, as_of: dt.date, only: Iterable[str] = ()) -> list[PartnerMessage]:
    """One message per organisation with something to fix (of `only`, when given), in the partners tab's order."""
    period = current_period(data, as_of)
    due = deadline(data, period)
    lists = pa.todo_lists(data, as_of, period)
    names = pa.names_of(data)
    addresses = contacts(data)
    chosen = set(only)
    config = data.settings.digest
    project = data.settings.project.name
    sample = " (sample data)" if data.source.sample else ""
    when = f"by {due:%d %b %Y}" if due >= as_of else f"as soon as you can (the deadline was {due:%d %b %Y})"
    report = f"{period.label} ({period.start:%d %b %Y} – {period.end:%d %b %Y})"
    messages = []
    for who, items in lists.items():
        if chosen and who not in chosen:
            continue
        name = names.get(who, who)
        count = plural(len(items), "item")
        messages.append(
            PartnerMessage(
                partner_id=who,
                name=name,
                recipients=addresses.get(who, ()),
                subject=f"{project}{sample}: {count} to fix before the {period.label} report, {when}",
                greeting=_fill(config.greeting, who, name),
                intro=(
                    f"Before the {report} report, please fix {'this item' if len(items) == 1 else f'these {count}'} "
                    f"in the {project} monitoring sheet, {when}. Each says where it is (tab and cell)."
                ),
                items=tuple(items),
                signature=config.signature,
                footer=(
                    f"This message lists the items of {name} ({who}) only, and goes to its contacts only. "
                    f"Source: {data.source.label}{sample}. Sent by python -m monitoring digest --partners."
                ),
            )
        )
    return messages


def address_key(address: str) -> str:
    """What the send log keeps of an address: a hash, never the address."""
    return hashlib.sha256(address.strip().casefold().encode("utf-8")).hexdigest()[:16]


class SendLog:
    """The messages sent, one JSON line each: day, partner_id, address (a hash), subject. Read once, appended to."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._sent: set[tuple[str, str, str]] = set()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            lines = []
        for line in lines:
            try:
                entry = json.loads(line)
                self._sent.add((entry["day"], entry["partner_id"], entry["address"]))
            except (ValueError, KeyError, TypeError):
                continue  # a damaged line does not stop the log from being read

    def sent(self, day: dt.date, partner_id: str, address: str) -> bool:
        return (day.isoformat(), partner_id, address_key(address)) in self._sent

    def record(self, day: dt.date, partner_id: str, address: str, subject: str) -> None:
        entry = {"day": day.isoformat(), "partner_id": partner_id, "address": address_key(address), "subject": subject}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._sent.add((entry["day"], partner_id, entry["address"]))


def eml_name(day: dt.date, partner_id: str) -> str:
    """'2026-06-20-P07.eml' (characters a file name cannot hold replaced)."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", partner_id) or "partner"
    return f"{day.isoformat()}-{safe}.eml"


def keep_eml(folder: Path, name: str, content: bytes) -> Path:
    """Write `content` to `folder`/`name`, or to 'name-2.eml', 'name-3.eml'... : never over an existing file."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while True:
        path = folder / (name if n == 1 else f"{stem}-{n}{suffix}")
        try:
            with path.open("xb") as f:
                f.write(content)
            return path
        except FileExistsError:
            n += 1
