"""The e-mail digest: its content, and sending it through a real SMTP server on this machine."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from monitoring import cli
from monitoring.engine.progress import needs_attention
from monitoring.outputs.digest import build_digest, digest_message
from monitoring.outputs.mail import MailError, smtp_settings
from tests import factories

SINCE, AS_OF = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
PASSWORD = "hunter2-SECRET"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what arrives, and refuses recipients at refused.example."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def smtp_env(monkeypatch):
    for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM", "SMTP_STARTTLS", "SMTP_TO"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SMTP_FROM", "monitoring@spinit.example")
    return monkeypatch


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_digest_names_every_indicator_behind_plan_in_text_and_html(sample):
    digest = build_digest(sample, SINCE, AS_OF)
    text, html = parts(digest_message(digest, "pm@spinit.example", ["team@spinit.example"]))
    behind = needs_attention(sample.progress(AS_OF))
    assert behind
    for p in behind:
        assert p.code in text and p.code in html
    assert "Behind or at risk" in text and "What changed since 01 Jan 2026" in text
    assert "sample data" in digest.subject


def test_digest_escapes_sheet_text_in_html():
    data = factories.dataset(
        activities=[
            {"activity_id": "A1", "date": "2025-03-10", "type": "exchange", "title": "<script>alert(1)</script>",
             "partner_ids": "P1, P2", "location_id": "L1", "participants": 5}
        ]
    )  # fmt: skip
    text, html = parts(digest_message(build_digest(data, dt.date(2025, 1, 1), dt.date(2025, 6, 30)), "a@b.c", []))
    assert "<script>alert(1)</script>" in text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_digest_links_into_the_dashboard_when_its_url_is_configured(sample):
    plain = build_digest(sample, SINCE, AS_OF)
    assert "http" not in plain.text().replace("https://example.org", "")
    settings = sample.settings.model_copy(update={"dashboard_url": "https://monitoring.spinit.example/"})
    linked = build_digest(dataclasses.replace(sample, settings=settings), SINCE, AS_OF)
    text, html = parts(digest_message(linked, "a@b.c", []))
    assert "https://monitoring.spinit.example/attention?as_of=2026-06-30" in text
    assert 'href="https://monitoring.spinit.example/changes?since=2026-01-01&amp;until=2026-06-30"' in html
    assert "https://monitoring.spinit.example/partners?partner=" in text


def test_dry_run_writes_an_eml_with_text_and_html_parts(tmp_path, smtp_env, capsys):
    out = tmp_path / "d.eml"
    assert cli.main(["digest", "--since", "2026-01-01", "--dry-run", "--out", str(out)]) == 0
    message = message_from_bytes(out.read_bytes(), policy=policy.default)
    text, html = parts(message)
    assert "Behind or at risk" in text and "<h2" in html
    assert str(out) in capsys.readouterr().out


def test_digest_arrives_at_a_real_smtp_server(smtp_server, smtp_env, capsys):
    controller, inbox = smtp_server
    smtp_env.setenv("SMTP_HOST", "127.0.0.1")
    smtp_env.setenv("SMTP_PORT", str(controller.port))
    code = cli.main(["digest", "--since", "2026-01-01", "--to", "pm@spinit.example", "--to", "lp@spinit.example"])
    assert code == 0, capsys.readouterr().err
    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    assert envelope.rcpt_tos == ["pm@spinit.example", "lp@spinit.example"]
    assert envelope.mail_from == "monitoring@spinit.example"
    message = message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["To"] == "pm@spinit.example, lp@spinit.example"
    text, html = parts(message)
    assert "Behind or at risk" in text and "Behind or at risk" in html
    assert "sent to pm@spinit.example, lp@spinit.example" in capsys.readouterr().out


def test_a_refused_recipient_is_said_in_one_line_and_the_message_is_kept(smtp_server, smtp_env, tmp_path, capsys):
    controller, inbox = smtp_server
    smtp_env.setenv("SMTP_HOST", "127.0.0.1")
    smtp_env.setenv("SMTP_PORT", str(controller.port))
    out = tmp_path / "kept.eml"
    code = cli.main(["digest", "--since", "2026-01-01", "--to", "nobody@refused.example", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and not inbox.envelopes
    using, said = err.strip().splitlines()  # which configuration and source, then the one line about the refusal
    assert using.startswith("using indicators.yaml") and "refused every recipient: nobody@refused.example" in said
    assert out.exists() and str(out) in err


def test_with_the_server_down_exit_1_and_the_message_is_kept_without_showing_the_password(
    smtp_env, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    config = Path(__file__).resolve().parents[1] / "indicators.yaml"
    smtp_env.setenv("SMTP_HOST", "127.0.0.1")
    smtp_env.setenv("SMTP_PORT", str(free_port()))  # nothing listens there
    smtp_env.setenv("SMTP_USER", "pm")
    smtp_env.setenv("SMTP_PASSWORD", PASSWORD)
    code = cli.main(["digest", "--config", str(config), "--since", "2026-01-01", "--to", "pm@spinit.example"])
    captured = capsys.readouterr()
    assert code == 1
    assert "cannot reach the SMTP server 127.0.0.1" in captured.err
    assert PASSWORD not in captured.err + captured.out
    kept = list(tmp_path.glob("*.eml"))
    assert len(kept) == 1 and str(kept[0].name) in captured.err
    assert "Behind or at risk" in parts(message_from_bytes(kept[0].read_bytes(), policy=policy.default))[0]


def test_smtp_settings_come_from_secrets_toml_and_the_environment_wins(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[smtp]\nhost = "smtp.example"\nport = 2525\nuser = "pm"\npassword = "p4ss"\nfrom = "pm@x.example"\n'
        'to = ["team@x.example"]\nstarttls = true\n',
        encoding="utf-8",
    )
    found = smtp_settings(secrets, {})
    assert (found.host, found.port, found.user, found.from_address, found.to, found.starttls) == (
        "smtp.example", 2525, "pm", "pm@x.example", ("team@x.example",), True
    )  # fmt: skip
    assert "p4ss" not in repr(found)
    assert smtp_settings(secrets, {"SMTP_HOST": "other.example", "SMTP_STARTTLS": "0"}).host == "other.example"
    assert smtp_settings(tmp_path / "none.toml", {}).host == ""
    with pytest.raises(MailError):
        smtp_settings(tmp_path / "none.toml", {"SMTP_STARTTLS": "maybe"})
