"""Sending a message through an SMTP server (`smtplib`), with settings that are never printed or logged.

Settings: `[smtp]` in `.streamlit/secrets.toml` (read with tomllib: no Streamlit here), each overridden by the
environment: SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_STARTTLS; `to` (a list, or
SMTP_TO with commas) gives default recipients. Port 465 is TLS from the start; on another port STARTTLS is used
when the server offers it, required with SMTP_STARTTLS=true and skipped with false. A password is never sent
over an unencrypted connection to another machine.

Every failure is a `MailError` with one readable line: the server cannot be reached, refused the sign-in, the
sender or a recipient.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

SECRETS_FILE = Path(".streamlit") / "secrets.toml"
ENV = {
    "host": "SMTP_HOST",
    "port": "SMTP_PORT",
    "user": "SMTP_USER",
    "password": "SMTP_PASSWORD",
    "sender": "SMTP_FROM",
    "starttls": "SMTP_STARTTLS",
    "to": "SMTP_TO",
}
TIMEOUT_SECONDS = 20
_LOCAL = ("localhost", "127.0.0.1", "::1")


class MailError(Exception):
    """The message could not be sent; the text is one line, without any secret."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    starttls: bool | None = None  # None: when the server offers it
    to: tuple[str, ...] = ()

    @property
    def from_address(self) -> str:
        return self.sender or self.user


def _flag(value: object) -> bool | None:
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    if text in ("", "auto"):
        return None
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise MailError(f"SMTP_STARTTLS must be true, false or auto, not {value!r}")


def _file_settings(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as f:
            section = tomllib.load(f).get("smtp", {})
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MailError(f"{path} cannot be read ({type(exc).__name__})") from None
    if not isinstance(section, dict):
        raise MailError(f"[smtp] in {path} is not a table")
    return {("sender" if key == "from" else key): value for key, value in section.items()}


def smtp_settings(secrets: Path = SECRETS_FILE, environ: Mapping[str, str] | None = None) -> SmtpSettings:
    """The SMTP settings: `[smtp]` in the secrets file, each key overridden by its environment variable."""
    environ = os.environ if environ is None else environ
    values = _file_settings(secrets)
    for key, name in ENV.items():
        if environ.get(name, "").strip():
            values[key] = environ[name].strip()
    to = values.get("to", ())
    recipients = tuple(a.strip() for a in (to.split(",") if isinstance(to, str) else to) if str(a).strip())
    starttls = _flag(values.get("starttls"))
    try:
        port = int(values.get("port") or (587 if starttls is not False else 25))
    except (TypeError, ValueError):
        raise MailError("SMTP_PORT must be a number") from None
    return SmtpSettings(
        host=str(values.get("host", "")),
        port=port,
        user=str(values.get("user", "")),
        password=str(values.get("password", "")),
        sender=str(values.get("sender", "")),
        starttls=starttls,
        to=recipients,
    )


def _connect(settings: SmtpSettings) -> tuple[smtplib.SMTP, bool]:
    """An open connection, after EHLO and STARTTLS where it applies; and whether it is encrypted."""
    context = ssl.create_default_context()
    if settings.port == 465:
        conn: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context)
        conn.ehlo()
        return conn, True
    conn = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    conn.ehlo()
    offered = conn.has_extn("starttls")
    if settings.starttls and not offered:
        conn.close()
        raise MailError(f"{settings.host}:{settings.port} does not offer STARTTLS, and SMTP_STARTTLS asks for it")
    if offered and settings.starttls is not False:
        conn.starttls(context=context)
        conn.ehlo()
        return conn, True
    return conn, False


def send(message: EmailMessage, settings: SmtpSettings, recipients: list[str]) -> None:
    """Send `message` to `recipients` through the server in `settings`; raise MailError when it does not go."""
    if not settings.host:
        raise MailError("no SMTP server is set: give SMTP_HOST (or host under [smtp] in .streamlit/secrets.toml)")
    if not recipients:
        raise MailError("no recipient: give --to (or SMTP_TO, or to under [smtp] in .streamlit/secrets.toml)")
    where = f"{settings.host}:{settings.port}"
    try:
        conn, encrypted = _connect(settings)
        with conn:
            if settings.user:
                if not encrypted and settings.host not in _LOCAL:
                    raise MailError(f"{where} offers no encryption; the password is not sent in clear text")
                conn.login(settings.user, settings.password)
            refused = conn.send_message(message, from_addr=settings.from_address or None, to_addrs=recipients)
    except MailError:
        raise
    except smtplib.SMTPNotSupportedError:
        raise MailError(f"{where} does not offer sign-in (SMTP AUTH); leave SMTP_USER empty for it") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"{where} refused the sign-in of SMTP_USER ({exc.smtp_code})") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"{where} refused every recipient: {', '.join(exc.recipients)}") from None
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(f"{where} refused the sender {exc.sender} ({exc.smtp_code})") from None
    except smtplib.SMTPResponseException as exc:
        reply = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        raise MailError(
            f"{where} refused the message: {exc.smtp_code} {reply.splitlines()[0] if reply else ''}"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        reason = getattr(exc, "strerror", None) or next(iter(str(exc).splitlines()), "") or type(exc).__name__
        raise MailError(f"cannot reach the SMTP server {where} ({reason})") from None
    if refused:
        raise MailError(f"{where} accepted the message but refused {', '.join(refused)}")
