"""Nothing the command line writes replaces a file the user did not ask to replace (`--force`), and the source
workbook (or a CSV of the source folder) and the configuration are never written, even with --force."""

from __future__ import annotations

import shutil
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from monitoring import cli
from tests import test_digest
from tests.test_digest import free_port

smtp_env = test_digest.smtp_env  # the fixture: SMTP_* from the test, not the machine

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data/sample/spinit-sample.xlsx"


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "filled.xlsx"
    shutil.copy(SAMPLE, path)
    return path


def test_template_does_not_replace_a_filled_workbook_unless_forced(workbook, capsys):
    before = workbook.read_bytes()
    assert cli.main(["template", "--out", str(workbook)]) == 2
    assert f"{workbook} already exists; add --force to replace it" in capsys.readouterr().err
    assert workbook.read_bytes() == before
    assert cli.main(["template", "--out", str(workbook), "--force"]) == 0
    assert workbook.read_bytes() != before


def test_export_does_not_replace_an_existing_report_unless_forced(tmp_path, capsys):
    out = tmp_path / "report.csv"
    out.write_text("last month's report")
    assert cli.main(["export", "--period", "3", "--out", str(out)]) == 2
    assert "already exists; add --force" in capsys.readouterr().err
    assert out.read_text() == "last month's report"
    assert cli.main(["export", "--period", "3", "--out", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("Period,")


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_never_writes_over_its_source_workbook(workbook, tmp_path, monkeypatch, capsys, force):
    before = workbook.read_bytes()
    monkeypatch.chdir(tmp_path)
    alias = tmp_path / "sub" / ".." / "filled.xlsx"
    (tmp_path / "sub").mkdir()
    config = str(ROOT / "indicators.yaml")
    args = ["export", "--config", config, "--source", str(workbook), "--period", "3", "--out", str(alias), *force]
    assert cli.main(args) == 2
    assert "is the source" in capsys.readouterr().err
    assert workbook.read_bytes() == before


def test_export_never_writes_over_a_hard_link_to_its_source(workbook, tmp_path, capsys):
    link = tmp_path / "link.xlsx"
    link.hardlink_to(workbook)
    before = workbook.read_bytes()
    args = ["export", "--source", str(workbook), "--period", "3", "--out", str(link), "--force"]
    assert cli.main(args) == 2 and "is the source" in capsys.readouterr().err
    assert workbook.read_bytes() == before


def test_export_never_writes_a_csv_into_its_source_folder(tmp_path, capsys):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "partners.csv").write_text("partner_id,name\nP01,One\n")
    args = ["export", "--source", str(folder), "--period", "3", "--out", str(folder / "activities.csv"), "--force"]
    assert cli.main(args) == 2 and "is the source" in capsys.readouterr().err
    assert not (folder / "activities.csv").exists()


def test_template_never_writes_over_the_configuration(tmp_path, capsys):
    config = tmp_path / "indicators.yaml"
    shutil.copy(ROOT / "indicators.yaml", config)
    text = config.read_text()
    assert (
        cli.main(["template", "--config", str(config), "--source", str(SAMPLE), "--out", str(config), "--force"]) == 2
    )
    assert "is the configuration" in capsys.readouterr().err and config.read_text() == text


def test_an_unsent_digest_keeps_an_existing_eml_and_gets_a_fresh_name(smtp_env, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    smtp_env.setenv("SMTP_HOST", "127.0.0.1")
    smtp_env.setenv("SMTP_PORT", str(free_port()))  # nothing listens there
    old = tmp_path / "SpinIT-digest-2026-06-30.eml"  # the name an earlier unsent digest was kept under
    old.write_bytes(b"Subject: the earlier digest\n\nkept")
    config = str(ROOT / "indicators.yaml")
    code = cli.main(["digest", "--config", config, "--since", "2026-01-01", "--to", "pm@x.example"])
    err = capsys.readouterr().err
    assert code == 1 and old.read_bytes() == b"Subject: the earlier digest\n\nkept"
    fresh = tmp_path / "SpinIT-digest-2026-06-30-2.eml"
    assert f"kept in {fresh.name}" in err
    assert message_from_bytes(fresh.read_bytes(), policy=policy.default)["To"] == "pm@x.example"


def test_a_dry_run_does_not_replace_an_existing_eml_unless_forced(smtp_env, tmp_path, capsys):
    out = tmp_path / "d.eml"
    out.write_bytes(b"mine")
    assert cli.main(["digest", "--since", "2026-01-01", "--dry-run", "--out", str(out)]) == 2
    assert "already exists; add --force" in capsys.readouterr().err and out.read_bytes() == b"mine"
    assert cli.main(["digest", "--since", "2026-01-01", "--dry-run", "--out", str(out), "--force"]) == 0
    assert out.read_bytes() != b"mine"


@pytest.mark.parametrize(
    ("option", "env"),
    [
        (["--to", "pm@x.example\r\nBcc: eve@evil.example"], {}),
        ([], {"SMTP_FROM": "a@x.example\nBcc: eve@evil.example"}),
    ],
)
def test_a_line_break_in_an_address_is_said_clearly_and_the_message_is_kept(smtp_env, tmp_path, capsys, option, env):
    for name, value in env.items():
        smtp_env.setenv(name, value)
    out = tmp_path / "digest.eml"
    code = cli.main(["digest", "--since", "2026-01-01", "--to", "lp@x.example", *option, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "holds a line break" in err and f"kept in {out}" in err and "Traceback" not in err
    message = message_from_bytes(out.read_bytes(), policy=policy.default)
    assert message["To"] == "lp@x.example" and "evil" not in out.read_text()


def test_a_comma_inside_one_to_value_names_two_recipients_who_both_get_it(smtp_env, tmp_path, capsys):
    server = test_digest.Controller(test_digest.Inbox(), hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        smtp_env.setenv("SMTP_HOST", "127.0.0.1")
        smtp_env.setenv("SMTP_PORT", str(server.port))
        assert cli.main(["digest", "--since", "2026-01-01", "--to", "pm@x.example, lp@x.example"]) == 0
        assert server.handler.envelopes[0].rcpt_tos == ["pm@x.example", "lp@x.example"]
    finally:
        server.stop()
    assert "sent to pm@x.example, lp@x.example" in capsys.readouterr().out
