"""`python -m monitoring`: summary, validate, template, export and digest from the command line.

The configuration and source are the dashboard's (`monitoring.entry.choose`: the flags, else MONITORING_CONFIG /
SPINIT_CONFIG and MONITORING_SOURCE / SPINIT_SOURCE); the first line on stderr names them.

Exit codes: 0 fine; 1 the data has errors (validate), or the digest (or, with --partners, one organisation's
message) could not be sent (it is kept as an .eml file); 2 the source or the config cannot be read, or a file
cannot be written (a period that does not exist, a folder that does not exist,
a file that exists, the source).
No command prints a traceback for bad input.

Files: a command replaces an existing --out file only with --force; it never writes over its source (the
workbook, a CSV of the source folder, also through another name or a hard link) or its configuration, even
with --force. A digest that cannot be sent is kept under a fresh name when its file exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from data_sources import SourceError
from monitoring.dataset import Dataset, load_dataset, resolve_location
from monitoring.entry import choose
from monitoring.formatting import plural
from monitoring.model.config import ConfigError, Settings, load_settings
from monitoring.sheet.checks import in_sheet_words, is_vocabulary_warning, sorted_problems, vocabulary_groups

if TYPE_CHECKING:
    from monitoring.outputs.report import Report

EXIT_OK, EXIT_DATA_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2025-06-30, got {text!r}") from None


def _period(text: str) -> int:
    number = text.strip().upper().removeprefix("P")
    if not number.isdigit():
        raise argparse.ArgumentTypeError(f"expected a reporting period number like 3 or P3, got {text!r}")
    return int(number)


def summary_dict(data: Dataset, as_of: dt.date) -> dict[str, Any]:
    """The summary as one JSON-ready object; the same numbers the Overview shows."""
    return {
        "project": data.settings.project.name,
        "as_of": as_of.isoformat(),
        "source": data.source.label,
        "sample": data.source.sample,
        "counts": data.counts(),
        "indicators": [
            {
                "code": p.code,
                "name": p.name,
                "unit": p.unit,
                "kind": p.kind,
                "target": _number(p.target),
                "achieved": _number(p.achieved),
                "expected": _number(p.expected),
                "percent_of_target": p.percent_of_target,
                "status": p.status,
                "expected_from": p.expected_from,
            }
            for p in data.progress(as_of)
        ],
        "problems": len(data.problems),
    }


def _summary_text(summary: dict[str, Any], flags: str = "") -> str:
    """The summary for a terminal; `flags` (`Choice.flags`) go into the hint, so it checks the same project."""
    counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in summary["counts"].items())
    sample = " (sample data)" if summary["sample"] else ""
    lines = [f"{summary['project']} as of {summary['as_of']} — {summary['source']}{sample}", counts, ""]
    lines.append(f"{'code':<8}{'achieved':>10}{'expected':>10}{'target':>8}{'%':>7}  status")
    for i in summary["indicators"]:
        lines.append(
            f"{i['code']:<8}{i['achieved']:>10}{i['expected']:>10}{i['target']:>8}{i['percent_of_target']:>7}  {i['status']}"
        )
    lines.append(
        f"\n{plural(summary['problems'], 'data problem')}; run `python -m monitoring validate{flags}` to list them."
    )
    return "\n".join(lines)


def _settings(args: argparse.Namespace, reads_source: bool = True) -> Settings:
    """The configuration. The first line on stderr names it and the source (stdout stays for the output, JSON
    included); where it differs from the EU catalogue (a name, a unit) is said next, not fatal."""
    settings = load_settings(args.config)
    plan = resolve_location(settings, args.config, args.source) if reads_source else None
    print(args.choice.describe(plan), file=sys.stderr)
    for line in settings.warnings:
        print(f"warning: {args.config}: {line}", file=sys.stderr)
    return settings


def _load(args: argparse.Namespace) -> Dataset:
    return load_dataset(_settings(args), args.config, args.source)


def cmd_summary(args: argparse.Namespace) -> int:
    data = _load(args)
    as_of = data.clamp(args.as_of) if args.as_of else data.default_as_of()
    summary = summary_dict(data, as_of)
    text = _summary_text(summary, args.choice.flags())
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.format == "json" else text)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    data = _load(args)
    problems = sorted_problems(data.problems)  # tabs in contract order, then down the sheet, as on the page
    if args.format == "json":
        keys = ("level", "tab", "cell", "column", "message", "value")
        print(
            json.dumps({"problems": [{k: getattr(p, k) for k in keys} for p in problems]}, ensure_ascii=False, indent=2)
        )
    else:
        # A value outside an open vocabulary is one line per value (where its first cell is), not one per cell.
        groups = {(g.tab, g.problems[0].cell, g.problems[0].origin): g for g in vocabulary_groups(problems)}
        for p in problems:
            if not is_vocabulary_warning(p):
                print(in_sheet_words(p, data.settings.source).to_line())
            elif (group := groups.get((p.tab, p.cell, p.origin))) is not None:
                print(group.to_line())
        errors = data.error_count
        # The closing line stays on stderr (stdout holds only the problems, for a pipe), after they are flushed:
        # with stdout buffered (a pipe, a file) it overtook them, or glued itself to the last one.
        sys.stdout.flush()
        counts = f"{plural(errors, 'error')}, {plural(len(problems) - errors, 'warning')}"
        print(f"{counts} in {data.source.label}", file=sys.stderr)
    return EXIT_DATA_ERRORS if data.error_count else EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from monitoring.template import template_bytes

    settings = _settings(args, reads_source=False)
    out = Path(args.out)
    if not _checked_out(out, args, settings):
        return EXIT_UNREADABLE
    if not _write(out, template_bytes(settings.contract), args.force):
        return EXIT_UNREADABLE
    print(f"wrote {args.out}")
    return EXIT_OK


def _with_saved_narratives(report: Report, args: argparse.Namespace) -> Report:
    """The report with the narratives saved on the Progress report page (the store of SPINIT_DATABASE_URL, else
    `[database] url` in the secrets file beside the configuration, else SQLite in the data folder); the drafts,
    with a warning, when the store cannot be read."""
    from data_sources.narrative_store import NarrativeStore, StoreError, database_url, file_secrets
    from monitoring.dataset import resolve_location
    from monitoring.outputs.narratives import project_key, with_saved

    data_dir = resolve_location(_settings(args), args.config, args.source).data_dir
    secrets = file_secrets(Path(args.config).parent / ".streamlit" / "secrets.toml")
    try:
        store = NarrativeStore(database_url(data_dir, os.environ, secrets))
        try:
            saved = store.current(project_key(report), report.period.number)
        finally:
            store.close()
    except StoreError as exc:
        print(f"warning: {exc}; the narratives are the drafts from the records", file=sys.stderr)
        return report
    return with_saved(report, saved)


def cmd_export(args: argparse.Namespace) -> int:
    from monitoring.outputs.export import FORMATS, ExportError, csv_bytes, excel_bytes, pdf_bytes
    from monitoring.outputs.report import build_report

    fmt = args.format or Path(args.out).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(f"error: cannot tell the format from {args.out!r}; add --format xlsx, csv or pdf", file=sys.stderr)
        return EXIT_UNREADABLE
    settings = _settings(args)
    if not _checked_out(Path(args.out), args, settings):
        return EXIT_UNREADABLE
    data = load_dataset(settings, args.config, args.source)
    try:
        report = _with_saved_narratives(build_report(data, args.period), args)
        content = {"xlsx": excel_bytes, "csv": csv_bytes, "pdf": pdf_bytes}[fmt](report)
    except (ValueError, ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not _write(Path(args.out), content, args.force):
        return EXIT_UNREADABLE
    flagged = int(report.indicators["deviation"].sum())
    sample = " (sample data)" if data.source.sample else ""
    print(
        f"wrote {args.out}: {report.period.long_label}, as of {report.as_of:%Y-%m-%d}{sample}; "
        f"{len(report.indicators)} indicators, {flagged} to explain (behind or at risk, or below the period's "
        f"milestone), {plural(len(report.findings), 'check finding')}"
    )
    return EXIT_OK


def _same(a: Path, b: Path) -> bool:
    try:
        return a == b or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _refusal(out: Path, args: argparse.Namespace, settings: Settings) -> str | None:
    """Why `out` must not be written: it is the source or the configuration (always), or it exists (without
    --force); None when it may be written."""
    target = out.resolve()
    config = Path(args.config).resolve()
    if _same(target, config):
        return f"{out} is the configuration ({config}); choose another --out"
    for source in resolve_location(settings, args.config, args.source).paths:
        in_folder = source.is_dir() and target.suffix.lower() == ".csv" and _same(target.parent, source)
        if in_folder or _same(target, source):
            return f"{out} is the source the data is read from ({source}); it is never written: choose another --out"
    if target.is_dir():
        return f"cannot write {out} (it is a folder)"
    if target.exists() and not args.force:
        return f"{out} already exists; add --force to replace it"
    return None


def _write(out: Path, content: bytes, replace: bool) -> bool:
    """Write `content` to `out`; a file that appeared meanwhile is replaced only when `replace`."""
    try:
        with open(out, "wb" if replace else "xb") as file:
            file.write(content)
    except FileExistsError:
        print(f"error: {out} already exists; add --force to replace it", file=sys.stderr)
        return False
    except OSError as exc:
        print(f"error: cannot write {out} ({exc.strerror})", file=sys.stderr)
        return False
    return True


def _checked_out(out: Path, args: argparse.Namespace, settings: Settings) -> bool:
    refusal = _refusal(out, args, settings)
    if refusal:
        print(f"error: {refusal}", file=sys.stderr)
    return refusal is None


def _fresh(path: Path) -> Path:
    """`path`, or `path` with -2, -3... before its extension when a file of that name exists."""
    n = 2
    fresh = path
    while fresh.exists():
        fresh, n = path.with_name(f"{path.stem}-{n}{path.suffix}"), n + 1
    return fresh


def _addresses(values: list[str]) -> list[str]:
    """The recipients of --to: each value may hold several addresses separated by commas."""
    return [address.strip() for value in values for address in value.split(",") if address.strip()]


def _broken(address: str) -> bool:
    """An address with a line break or another control character (it would break the message's headers)."""
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in address)


def _partner_digest(args: argparse.Namespace, data: Dataset, as_of: dt.date, smtp: Any, today: dt.date) -> int:
    """`digest --partners`: one message per organisation with something to fix, to its own contacts only."""
    from monitoring.outputs import partner_digest as pd_
    from monitoring.outputs.mail import MailError, send
    from monitoring.outputs.partners import organisations

    known = set(organisations(data)["partner_id"])
    unknown = [who for who in args.only or [] if who not in known]
    if unknown:
        print(f"error: --only names no organisation of the partners tab: {', '.join(unknown)}", file=sys.stderr)
        return EXIT_UNREADABLE
    messages = pd_.partner_messages(data, as_of, args.only or ())
    sender = smtp.from_address or "monitoring@localhost"
    data_dir = resolve_location(data.settings, args.config, args.source).data_dir
    out = Path(args.out) if args.out else data_dir / "digest-unsent"
    if not messages:
        print("No organisation has anything to fix: nothing to send.")
        return EXIT_OK
    if args.dry_run and args.out:
        for m in messages:
            path = pd_.keep_eml(out, pd_.eml_name(today, m.partner_id), m.email(sender).as_bytes())
            to = plural(len(m.recipients), "address", "addresses")
            print(f"{m.partner_id} {m.name}: {plural(len(m.items), 'item')}, to its {to}: wrote {path}")
        return EXIT_OK
    if args.dry_run:
        for m in messages:
            print(f"{m.partner_id} {m.name}: to its {plural(len(m.recipients), 'address', 'addresses')}")
            print(m.text())
        return EXIT_OK
    log = pd_.SendLog(data_dir / pd_.SEND_LOG)
    unsent = 0
    for m in messages:
        label = f"{m.partner_id} {m.name}"
        message = m.email(sender)
        if not m.recipients:
            path = pd_.keep_eml(out, pd_.eml_name(today, m.partner_id), message.as_bytes())
            print(f"{label}: no e-mail address in the partners tab; not sent, kept in {path}")
            unsent += 1
            continue
        sent, skipped, failed = 0, 0, []
        for n, address in enumerate(m.recipients, 1):
            if log.sent(today, m.partner_id, address):
                skipped += 1
                continue
            try:
                send(message, smtp, [address])
            except MailError as exc:  # one refused address does not stop the others
                failed.append(str(exc).replace(address, f"address {n}"))
                continue
            log.record(today, m.partner_id, address, m.subject)
            sent += 1
        said = [f"sent to {plural(sent, 'address', 'addresses')}" if sent else ""]
        said.append(f"already sent today to {plural(skipped, 'address', 'addresses')}" if skipped else "")
        if failed:
            path = pd_.keep_eml(out, pd_.eml_name(today, m.partner_id), message.as_bytes())
            said.append(f"not sent to {len(failed)} ({'; '.join(failed)}), kept in {path}")
            unsent += 1
        print(f"{label} ({plural(len(m.items), 'item')}): {'; '.join(s for s in said if s)}")
    return EXIT_DATA_ERRORS if unsent else EXIT_OK


def cmd_digest(args: argparse.Namespace) -> int:
    from monitoring.outputs.digest import build_digest, digest_message
    from monitoring.outputs.mail import MailError, send, smtp_settings

    if not args.partners and args.since is None:
        print("error: give --since YYYY-MM-DD (or --partners for one message per organisation)", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.only and not args.partners:
        print("error: --only goes with --partners", file=sys.stderr)
        return EXIT_UNREADABLE
    settings = _settings(args)
    if args.out and not args.partners and not _checked_out(Path(args.out), args, settings):
        return EXIT_UNREADABLE
    data = load_dataset(settings, args.config, args.source)
    as_of = data.clamp(args.as_of) if args.as_of else data.default_as_of()
    if args.partners:
        try:
            smtp = smtp_settings(Path(args.config).parent / ".streamlit" / "secrets.toml")
        except MailError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_UNREADABLE
        return _partner_digest(args, data, as_of, smtp, dt.date.today())
    since = data.clamp(args.since)
    if since >= as_of:
        print(f"error: --since {since:%Y-%m-%d} is not before the digest's day, {as_of:%Y-%m-%d}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        smtp = smtp_settings(Path(args.config).parent / ".streamlit" / "secrets.toml")
    except MailError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    recipients = _addresses(args.to) if args.to else list(smtp.to)
    sender = smtp.from_address or "monitoring@localhost"
    broken = [f"the recipient {a!r}" for a in recipients if _broken(a)]
    broken += [f"the sender (SMTP_FROM) {sender!r}"] if _broken(sender) else []
    recipients = [a for a in recipients if not _broken(a)]
    digest = build_digest(data, since, as_of)
    message = digest_message(digest, "monitoring@localhost" if _broken(sender) else sender, recipients)
    content = message.as_bytes()

    def kept() -> str:
        path = Path(args.out or f"{data.settings.project.name}-digest-{as_of.isoformat()}.eml")
        path = path if args.out and args.force else _fresh(path)
        return f"; the message is kept in {path}" if _write(path, content, bool(args.out and args.force)) else ""

    if broken:
        print(
            f"error: not sent: {' and '.join(broken)} holds a line break or another control character (an address "
            f"is one line){kept()}",
            file=sys.stderr,
        )
        return EXIT_DATA_ERRORS
    if args.dry_run:
        if not args.out:
            print(digest.text())
            return EXIT_OK
        if not _write(Path(args.out), content, args.force):
            return EXIT_UNREADABLE
        print(f"wrote {args.out}: {digest.subject}")
        return EXIT_OK
    try:
        send(message, smtp, recipients)
    except MailError as exc:
        print(f"error: not sent: {exc}{kept()}", file=sys.stderr)
        return EXIT_DATA_ERRORS
    if args.out and not _write(Path(args.out), content, args.force):
        return EXIT_UNREADABLE
    print(f"sent to {', '.join(recipients)}: {digest.subject}")
    return EXIT_OK


def cmd_slides(args: argparse.Namespace) -> int:
    """The steering committee's deck: a 16:9 PDF page per slide of the agenda (the project's, or --agenda)."""
    from monitoring.outputs.agenda import parse_agenda
    from monitoring.outputs.deck import deck_pdf, deck_slides
    from monitoring.outputs.export import ExportError

    settings = _settings(args)
    if not _checked_out(Path(args.out), args, settings):
        return EXIT_UNREADABLE
    words = [w for w in args.agenda.split(",") if w.strip()] if args.agenda else settings.meeting.agenda
    try:
        items = parse_agenda(words)
    except ValueError as exc:
        print(f"error: --agenda: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    data = load_dataset(settings, args.config, args.source)
    as_of = data.clamp(args.as_of) if args.as_of else data.default_as_of()
    try:
        slides = deck_slides(data, items, as_of)
        content = deck_pdf(data, slides, as_of)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not _write(Path(args.out), content, args.force):
        return EXIT_UNREADABLE
    sample = " (sample data)" if data.source.sample else ""
    print(f"wrote {args.out}: {len(slides)} slides as of {as_of:%Y-%m-%d}{sample}: {', '.join(s.word for s in slides)}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--source", help="an .xlsx file or a folder of CSV files (default: MONITORING_SOURCE, else the config's source)"
    )
    common.add_argument(
        "--config", help="the configuration (default: MONITORING_CONFIG or SPINIT_CONFIG, else indicators.yaml)"
    )
    parser = argparse.ArgumentParser(
        prog="python -m monitoring", description="The monitoring dashboard from the command line."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    summary = sub.add_parser("summary", parents=[common], help="every indicator as of a date")
    summary.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default today, clamped to the project)")
    summary.add_argument("--format", choices=["text", "json"], default="text")
    summary.set_defaults(func=cmd_summary)
    validate = sub.add_parser("validate", parents=[common], help="list every data problem with its cell")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.set_defaults(func=cmd_validate)
    template = sub.add_parser("template", parents=[common], help="write an empty template workbook")
    template.add_argument("--out", required=True, help="the .xlsx file to write")
    template.add_argument("--force", action="store_true", help="replace --out if it exists (never the source)")
    template.set_defaults(func=cmd_template)
    export = sub.add_parser("export", parents=[common], help="a reporting period's report as Excel, CSV or PDF")
    export.add_argument("--period", type=_period, required=True, help="the reporting period: 3 or P3")
    export.add_argument("--format", choices=["xlsx", "csv", "pdf"], help="default: from the --out file's extension")
    export.add_argument("--out", required=True, help="the file to write")
    export.add_argument("--force", action="store_true", help="replace --out if it exists (never the source)")
    export.set_defaults(func=cmd_export)
    digest = sub.add_parser("digest", parents=[common], help="e-mail what changed since a date (docs/digest.md)")
    digest.add_argument("--since", type=_date, help="YYYY-MM-DD: what changed after this day (not with --partners)")
    digest.add_argument(
        "--partners", action="store_true", help="one message per organisation with its own to-do list, to its contacts"
    )
    digest.add_argument("--only", nargs="+", metavar="ID", help="with --partners: only these organisations (P07 P12)")
    digest.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default today, clamped to the project)")
    digest.add_argument(
        "--to", action="append", metavar="ADDRESS", help="a recipient (repeat, or separate with commas, for more)"
    )
    digest.add_argument("--dry-run", action="store_true", help="do not send; write --out, or print the text")
    digest.add_argument(
        "--out",
        help="the .eml file to write (also where a message that cannot be sent is kept); with --partners a folder "
        "(default: digest-unsent in the data folder)",
    )
    digest.add_argument("--force", action="store_true", help="replace --out if it exists (never the source)")
    digest.set_defaults(func=cmd_digest)
    slides = sub.add_parser("slides", parents=[common], help="the steering committee's slides as a 16:9 PDF deck")
    slides.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default today, clamped to the project)")
    slides.add_argument("--agenda", help="the slides, comma-separated (default: meeting.agenda in the config)")
    slides.add_argument("--out", required=True, help="the .pdf file to write")
    slides.add_argument("--force", action="store_true", help="replace --out if it exists (never the source)")
    slides.set_defaults(func=cmd_slides)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.choice = choose(args.config, args.source)  # the same configuration and source as the dashboard
    args.config, args.source = args.choice.config, args.choice.source
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"error: {exc.path} has mistakes:", file=sys.stderr)
        for line in exc.problems:
            print(f"  {line}", file=sys.stderr)
        return EXIT_UNREADABLE
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
