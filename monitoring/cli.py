"""`python -m monitoring`: summary, validate, template, export and digest from the command line.

The configuration and source are the dashboard's (`monitoring.entry.choose`: the flags, else MONITORING_CONFIG /
SPINIT_CONFIG and MONITORING_SOURCE / SPINIT_SOURCE); the first line on stderr names them.

Exit codes: 0 fine; 1 the data has errors (validate), or the digest could not be sent (it is kept as an .eml
file); 2 the source or the config cannot be read, or a file cannot be written (a period that does not exist,
a folder that does not exist).
No command prints a traceback for bad input.
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
from monitoring.checks import sorted_problems
from monitoring.config import ConfigError, Settings, load_settings
from monitoring.dataset import Dataset, load_dataset, resolve_location
from monitoring.entry import choose

if TYPE_CHECKING:
    from monitoring.report import Report

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
    lines.append(f"\n{summary['problems']} data problem(s); run `python -m monitoring validate{flags}` to list them.")
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
        for p in problems:
            print(p.to_line())
        errors = data.error_count
        # The closing line stays on stderr (stdout holds only the problems, for a pipe), after they are flushed:
        # with stdout buffered (a pipe, a file) it overtook them, or glued itself to the last one.
        sys.stdout.flush()
        print(f"{errors} error(s), {len(problems) - errors} warning(s) in {data.source.label}", file=sys.stderr)
    return EXIT_DATA_ERRORS if data.error_count else EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from monitoring.template import write_template

    settings = _settings(args, reads_source=False)
    try:
        write_template(args.out, settings.contract)
    except OSError as exc:
        print(f"error: cannot write {args.out} ({exc.strerror})", file=sys.stderr)
        return EXIT_UNREADABLE
    print(f"wrote {args.out}")
    return EXIT_OK


def _with_saved_narratives(report: Report, args: argparse.Namespace) -> Report:
    """The report with the narratives saved on the Progress report page (the store of SPINIT_DATABASE_URL, else
    `[database] url` in the secrets file beside the configuration, else SQLite in the data folder); the drafts,
    with a warning, when the store cannot be read."""
    from data_sources.narrative_store import NarrativeStore, StoreError, database_url, file_secrets
    from monitoring.dataset import resolve_location
    from monitoring.narratives import project_key, with_saved

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
    from monitoring.export import FORMATS, ExportError, csv_bytes, excel_bytes, pdf_bytes
    from monitoring.report import build_report

    fmt = args.format or Path(args.out).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(f"error: cannot tell the format from {args.out!r}; add --format xlsx, csv or pdf", file=sys.stderr)
        return EXIT_UNREADABLE
    data = _load(args)
    try:
        report = _with_saved_narratives(build_report(data, args.period), args)
        content = {"xlsx": excel_bytes, "csv": csv_bytes, "pdf": pdf_bytes}[fmt](report)
    except (ValueError, ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        Path(args.out).write_bytes(content)
    except OSError as exc:
        print(f"error: cannot write {args.out} ({exc.strerror})", file=sys.stderr)
        return EXIT_UNREADABLE
    flagged = int(report.indicators["deviation"].sum())
    sample = " (sample data)" if data.source.sample else ""
    print(
        f"wrote {args.out}: {report.period.long_label}, as of {report.as_of:%Y-%m-%d}{sample}; "
        f"{len(report.indicators)} indicators, {flagged} to explain (behind or at risk, or below the period's "
        f"milestone), {len(report.findings)} check finding(s)"
    )
    return EXIT_OK


def _write_eml(path: Path, content: bytes) -> bool:
    try:
        path.write_bytes(content)
    except OSError as exc:
        print(f"error: cannot write {path} ({exc.strerror})", file=sys.stderr)
        return False
    return True


def cmd_digest(args: argparse.Namespace) -> int:
    from monitoring.digest import build_digest, digest_message
    from monitoring.mail import MailError, send, smtp_settings

    data = _load(args)
    as_of = data.clamp(args.as_of) if args.as_of else data.default_as_of()
    since = data.clamp(args.since)
    if since >= as_of:
        print(f"error: --since {since:%Y-%m-%d} is not before the digest's day, {as_of:%Y-%m-%d}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        smtp = smtp_settings(Path(args.config).parent / ".streamlit" / "secrets.toml")
    except MailError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    recipients = args.to or list(smtp.to)
    digest = build_digest(data, since, as_of)
    message = digest_message(digest, smtp.from_address or "monitoring@localhost", recipients)
    content = message.as_bytes()
    if args.dry_run:
        if not args.out:
            print(digest.text())
            return EXIT_OK
        if not _write_eml(Path(args.out), content):
            return EXIT_UNREADABLE
        print(f"wrote {args.out}: {digest.subject}")
        return EXIT_OK
    try:
        send(message, smtp, recipients)
    except MailError as exc:
        kept = Path(args.out or f"{data.settings.project.name}-digest-{as_of.isoformat()}.eml")
        saved = f"; the message is kept in {kept}" if _write_eml(kept, content) else ""
        print(f"error: not sent: {exc}{saved}", file=sys.stderr)
        return EXIT_DATA_ERRORS
    if args.out and not _write_eml(Path(args.out), content):
        return EXIT_UNREADABLE
    print(f"sent to {', '.join(recipients)}: {digest.subject}")
    return EXIT_OK


def cmd_slides(args: argparse.Namespace) -> int:
    """The steering committee's deck: a 16:9 PDF page per slide of the agenda (the project's, or --agenda)."""
    from monitoring.agenda import parse_agenda
    from monitoring.deck import deck_pdf, deck_slides
    from monitoring.export import ExportError

    out = Path(args.out)
    if out.exists() and not args.force:
        print(f"error: {args.out} exists; add --force to overwrite it", file=sys.stderr)
        return EXIT_UNREADABLE
    data = _load(args)
    words = [w for w in args.agenda.split(",") if w.strip()] if args.agenda else data.settings.meeting.agenda
    try:
        items = parse_agenda(words)
    except ValueError as exc:
        print(f"error: --agenda: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    as_of = data.clamp(args.as_of) if args.as_of else data.default_as_of()
    try:
        slides = deck_slides(data, items, as_of)
        content = deck_pdf(data, slides, as_of)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        out.write_bytes(content)
    except OSError as exc:
        print(f"error: cannot write {args.out} ({exc.strerror})", file=sys.stderr)
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
    template.set_defaults(func=cmd_template)
    export = sub.add_parser("export", parents=[common], help="a reporting period's report as Excel, CSV or PDF")
    export.add_argument("--period", type=_period, required=True, help="the reporting period: 3 or P3")
    export.add_argument("--format", choices=["xlsx", "csv", "pdf"], help="default: from the --out file's extension")
    export.add_argument("--out", required=True, help="the file to write")
    export.set_defaults(func=cmd_export)
    digest = sub.add_parser("digest", parents=[common], help="e-mail what changed since a date (docs/digest.md)")
    digest.add_argument("--since", type=_date, required=True, help="YYYY-MM-DD: what changed after this day")
    digest.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default today, clamped to the project)")
    digest.add_argument("--to", action="append", metavar="ADDRESS", help="a recipient (repeat for more)")
    digest.add_argument("--dry-run", action="store_true", help="do not send; write --out, or print the text")
    digest.add_argument("--out", help="the .eml file to write (also where a message that cannot be sent is kept)")
    digest.set_defaults(func=cmd_digest)
    slides = sub.add_parser("slides", parents=[common], help="the steering committee's slides as a 16:9 PDF deck")
    slides.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default today, clamped to the project)")
    slides.add_argument("--agenda", help="the slides, comma-separated (default: meeting.agenda in the config)")
    slides.add_argument("--out", required=True, help="the .pdf file to write")
    slides.add_argument("--force", action="store_true", help="overwrite --out if it exists")
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
