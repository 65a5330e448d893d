"""`digest --partners`: one message per organisation with something to fix, to its own contacts, received through a
real SMTP server (aiosmtpd); a send log so that a second run the same day sends nothing twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from email import message_from_bytes, policy
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from monitoring import cli
from monitoring.dataset import load_dataset
from monitoring.model.config import ConfigError, load_settings
from monitoring.outputs import partner_digest as pd_
from monitoring.outputs import partners as pa
from tests import factories, test_digest
from tests.test_pipelines import pilot

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample" / "spinit-sample.xlsx"
smtp_server, smtp_env = test_digest.smtp_server, test_digest.smtp_env  # the digest's fixtures, reused


def sample_contacts(path: Path = SAMPLE) -> dict[str, list[str]]:
    """Independently of monitoring: the addresses in the workbook's partners tab."""
    partners = pd.read_excel(path, sheet_name="partners", engine="calamine")
    return {
        who: [a.strip() for a in str(cell).replace(";", ",").split(",") if a.strip()]
        for who, cell in zip(partners["partner_id"], partners["email"], strict=True)
        if isinstance(cell, str)
    }


def project(tmp_path: Path, workbook: Path = SAMPLE) -> Path:
    """A copy of indicators.yaml reading `workbook`, its data folder (the send log) in tmp_path."""
    text = (REPO / "indicators.yaml").read_text(encoding="utf-8")
    text = text.replace("path: data/sample/spinit-sample.xlsx", f"path: {workbook}\n  data_dir: {tmp_path / 'data'}")
    config = tmp_path / "indicators.yaml"
    config.write_text(text, encoding="utf-8")
    return config


def todo(config: Path) -> dict[str, list[pa.TodoItem]]:
    data = load_dataset(load_settings(config), config)
    as_of = data.default_as_of()
    return pa.todo_lists(data, as_of, pd_.current_period(data, as_of))


def read(path: Path):
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def test_dry_run_writes_one_message_per_organisation_to_its_own_contacts_with_exactly_its_items(
    tmp_path, smtp_env, capsys
):
    config, out = project(tmp_path), tmp_path / "out"
    assert cli.main(["digest", "--partners", "--config", str(config), "--dry-run", "--out", str(out)]) == 0
    lists, addresses = todo(config), sample_contacts()
    assert lists  # the sample has organisations with something to fix, and others without
    assert len(lists) < len(addresses)
    written = sorted(out.glob("*.eml"))
    assert len(written) == len(lists)
    for path in written:
        message = read(path)
        who = path.stem.rsplit("-", 1)[1]
        assert [a.strip() for a in message["To"].split(",")] == addresses[who]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        items = [line for line in text.splitlines() if line[:1].isdigit() and ". " in line]
        assert len(items) == len(lists[who])
        for item in lists[who]:
            assert item.where in text and item.where in html
        assert "Kind regards, the SpinIT project management team" in text
        assert "deadline was 20 Jun 2026" in text  # the period's end (30 Jun) less 10 days
    printed = capsys.readouterr().out
    assert "@" not in printed  # the addresses are not printed


def test_each_message_arrives_once_and_a_second_run_the_same_day_sends_none(smtp_server, smtp_env, tmp_path, capsys):
    controller, inbox = smtp_server
    smtp_env.setenv("SMTP_HOST", "127.0.0.1")
    smtp_env.setenv("SMTP_PORT", str(controller.port))
    config = project(tmp_path)
    lists, addresses = todo(config), sample_contacts()
    assert cli.main(["digest", "--partners", "--config", str(config)]) == 0, capsys.readouterr().err
    expected = sorted(a for who in lists for a in addresses[who])
    assert sorted(r for e in inbox.envelopes for r in e.rcpt_tos) == expected
    for envelope in inbox.envelopes:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        owners = {who for who, found in addresses.items() if envelope.rcpt_tos[0] in found}
        assert [a.strip() for a in message["To"].split(",")] == addresses[owners.pop()]  # its own contacts only
    log = (tmp_path / "data" / pd_.SEND_LOG).read_text(encoding="utf-8")
    assert "@" not in log and len(log.splitlines()) == len(expected)
    first = len(inbox.envelopes)
    capsys.readouterr()
    assert cli.main(["digest", "--partners", "--config", str(config)]) == 0
    assert len(inbox.envelopes) == first
    assert "already sent today" in capsys.readouterr().out


def test_one_refused_address_does_not_stop_the_others_and_its_message_is_kept(smtp_server, smtp_env, tmp_path, capsys):
    controller, inbox = smtp_server
    smtp_env.setenv("SMTP_HOST", "127.0.0.1")
    smtp_env.setenv("SMTP_PORT", str(controller.port))
    lists = todo(project(tmp_path))
    first = next(iter(lists))
    workbook = tmp_path / "refused.xlsx"
    shutil.copy(SAMPLE, workbook)
    book = openpyxl.load_workbook(workbook)
    sheet = book["partners"]
    column = next(c.column for c in sheet[1] if c.value == "email")
    row = next(c.row for c in sheet["A"] if c.value == first)
    sheet.cell(row=row, column=column).value = "nobody@refused.example"
    book.save(workbook)
    config, out = project(tmp_path, workbook), tmp_path / "kept"
    out.mkdir()
    (out / pd_.eml_name(dt.date.today(), first)).write_bytes(b"an older file")
    code = cli.main(["digest", "--partners", "--config", str(config), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 1
    assert len({e.rcpt_tos[0] for e in inbox.envelopes}) == len(
        [a for w in lists if w != first for a in sample_contacts()[w]]
    )
    assert f"{first} " in printed and "not sent to 1" in printed and "refused.example" not in printed
    assert (out / pd_.eml_name(dt.date.today(), first)).read_bytes() == b"an older file"  # never overwritten
    kept = out / pd_.eml_name(dt.date.today(), first).replace(".eml", "-2.eml")
    assert read(kept)["To"] == "nobody@refused.example"


def test_the_message_escapes_sheet_text_and_links_to_the_cell_of_a_google_sheet():
    data = factories.dataset(
        pilots=[pilot("PIL1", "validated", start="2025-01-15", end="2025-03-30", validated_on="2025-04-10",
                      title="<b>Bold</b> & co", lead_partner_id="P2", partner_ids="P1")],
        partners=[*factories.PARTNERS[:1], {**factories.PARTNERS[1], "email": "a@p2.example; b@p2.example"},
                  *factories.PARTNERS[2:]],
    )  # fmt: skip
    link = "https://docs.google.com/spreadsheets/d/KEY/edit#gid=7"
    data.tables["pilots"].attrs["link"] = link
    messages = {m.partner_id: m for m in pd_.partner_messages(data, dt.date(2025, 6, 30), only=["P2"])}
    assert list(messages) == ["P2"]
    message = messages["P2"]
    assert message.recipients == ("a@p2.example", "b@p2.example")
    assert "<b>Bold</b>" in message.text() and "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in message.html()
    letter = data.tables["pilots"].attrs["letters"]["validation_url"]
    assert f"{link}&range={letter}2" in message.text()
    assert message.greeting == "Dear colleagues at Novi Sad Lab,"
    data.tables["pilots"].attrs["link"] = "https://docs.google.com/spreadsheets/d/KEY/edit"  # no gid known
    sheet_only = pd_.partner_messages(data, dt.date(2025, 6, 30), only=["P2"])[0]
    assert "https://docs.google.com/spreadsheets/d/KEY/edit\n" in sheet_only.text()


def test_a_bad_address_is_reported_without_repeating_it():
    data = factories.dataset(partners=[{**factories.PARTNERS[0], "email": "not-an-address, x@y.example"}])
    problem = next(p for p in data.problems if p.column == "email")
    assert problem.value == "" and "not-an-address" not in problem.to_line()
    assert "1 of its 2 parts" in problem.message


def test_the_deadline_days_are_validated_with_their_key_and_line(tmp_path):
    text = (REPO / "indicators.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "indicators.yaml"
    bad.write_text(
        text.replace("partner_deadline_days_before_period_end: 10", "partner_deadline_days_before_period_end: -3")
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(bad)
    line = text.splitlines().index("  partner_deadline_days_before_period_end: 10") + 1
    assert caught.value.problems == [
        f"digest.partner_deadline_days_before_period_end (line {line}): Input should be greater than or equal to 0"
    ]


def test_nothing_is_sent_to_an_organisation_with_nothing_to_fix_and_only_picks_organisations():
    data = factories.dataset(
        activities=[
            {"activity_id": "A1", "date": "2025-03-10", "type": "exchange", "title": "Fine",
             "partner_ids": "P1, P2, P3, P4", "location_id": "L1", "participants": 5, "evidence_url": "https://e/1"}
        ]
    )  # fmt: skip
    assert pd_.partner_messages(data, dt.date(2025, 6, 30)) == []
    settings = data.settings.model_copy(
        update={"digest": data.settings.digest.model_copy(update={"partner_deadline_days_before_period_end": 0})}
    )
    data = dataclasses.replace(data, settings=settings)
    assert pd_.deadline(data, data.periods[2]) == dt.date(2025, 6, 30)
    assert pd_.address_key("A@x.example") == pd_.address_key("a@x.example ")
