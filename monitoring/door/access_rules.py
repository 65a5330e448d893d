"""The access settings of `.streamlit/secrets.toml`, checked in one place: typed, or an error naming the key.

Pure logic (no Streamlit): `access_rules(secrets)` takes the secrets as a mapping and returns
`AccessRules`, or raises `AccessSettingsError` naming the key that is wrong and what it should be.
Messages name keys and the *type* found, never a value: the settings hold passwords and client secrets.

What fails closed (the dashboard then shows nothing to anyone; see docs/access.md):

- `[auth]` or `[access]` that is not a section (`auth = "x"`, `access = "everyone"`);
- `allow` or `managers` that is not a list of texts (`allow = "@uns.ac.rs"`);
- `password`, `manager_password` or `contact` that is not text; `failed_delay_seconds` that is not a
  number from 0 to 30; `password_attempts_per_minute` that is not a whole number from 1 to 600;
  `trusted_proxies` that is not a list of IP addresses or networks;
- a key in `[access]` the dashboard does not know (a typo such as `pasword` would otherwise open it);
- a section or top-level key the dashboard does not know (`[acess]`, `[Access]`, a top-level `password`): only
  `SECTIONS` and `TOP_LEVEL_KEYS` are read;
- an empty `password` or `manager_password`;
- an `allow` or `managers` list with no `[auth]` to sign in with and no password;
- a secrets file with none of `[auth]`, a password or `open = true` under `[access]`: the dashboard is open only
  when no secrets file exists (`secrets` is None) or when the file says so.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from monitoring.door.client_address import network

Mode = Literal["open", "oidc", "password"]
ACCESS_KEYS = (
    "allow",
    "managers",
    "contact",
    "password",
    "manager_password",
    "failed_delay_seconds",
    "password_attempts_per_minute",
    "trusted_proxies",
    "open",
)
# The sections of the secrets file the dashboard reads, and what reads them.
SECTIONS = {
    "auth": "sign-in (docs/access.md)",
    "access": "who may come in (docs/access.md)",
    "gcp_service_account": "the Google service account (docs/google-sheets.md)",
    "smtp": "the e-mail digest (docs/digest.md)",
    "database": "where the report's narratives are kept (docs/reporting.md)",
}
# Top-level keys: Streamlit makes them environment variables, which is where the dashboard reads these.
TOP_LEVEL_KEYS = (
    "GOOGLE_API_KEY",
    "GOOGLE_SERVICE_ACCOUNT_FILE",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_FROM",
    "SMTP_STARTTLS",
    "SMTP_TO",
    "MONITORING_SOURCE",
    "MONITORING_CONFIG",
    "SPINIT_SOURCE",
    "SPINIT_CONFIG",
    "SPINIT_PDF_FONT",
    "SPINIT_DATABASE_URL",
)
WHOLE_FILE = "secrets"  # the key of an AccessSettingsError about the file as a whole
MAX_FAILED_DELAY_SECONDS = 30.0
DEFAULT_FAILED_DELAY_SECONDS = 1.0
DEFAULT_PASSWORD_ATTEMPTS_PER_MINUTE = 30
MAX_PASSWORD_ATTEMPTS_PER_MINUTE = 600


class AccessSettingsError(Exception):
    """The access settings cannot be used: `key` is the setting (`access.allow`), `problem` what is wrong."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        self.problem = problem
        super().__init__(f"{key}: {problem}")


@dataclass(frozen=True)
class AccessRules:
    """Who may come in. Passwords are kept out of repr so they never reach a log or a message."""

    mode: Mode
    providers: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    managers: tuple[str, ...] = ()
    contact: str = ""
    password: str = field(default="", repr=False)
    manager_password: str = field(default="", repr=False)
    failed_delay_seconds: float = DEFAULT_FAILED_DELAY_SECONDS
    password_attempts_per_minute: int = DEFAULT_PASSWORD_ATTEMPTS_PER_MINUTE
    trusted_proxies: tuple[str, ...] = ()


def _kind(value: Any) -> str:
    """The TOML name of a value's type, for messages (never the value itself)."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a section"
    if isinstance(value, list | tuple):
        return "a list"
    return "a date or time" if hasattr(value, "isoformat") else type(value).__name__


def _section(secrets: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = secrets.get(key, {})
    if not isinstance(value, Mapping):
        raise AccessSettingsError(key, f"must be a section ([{key}] on a line of its own), not {_kind(value)}")
    return value


def _hint(key: str, known: list[str]) -> str:
    """A likely meant name for an unknown key (`[Access]` -> `[access]`), or ""."""
    lowered = {name.lower(): name for name in known}
    close = lowered.get(key.lower()) or next(iter(difflib.get_close_matches(key, known, n=1, cutoff=0.75)), "")
    return f" Did you mean `{close}`?" if close else ""


def _check_top_level(secrets: Mapping[str, Any]) -> None:
    """Every top-level key is a known section (a section) or a known top-level setting (not a section)."""
    for key in secrets:
        key, value = str(key), secrets[key]
        if key in SECTIONS:
            if not isinstance(value, Mapping):
                raise AccessSettingsError(key, f"must be a section ([{key}] on a line of its own), not {_kind(value)}")
        elif key in TOP_LEVEL_KEYS:
            if isinstance(value, Mapping | list | tuple):
                raise AccessSettingsError(key, f"must be text in quotes; it is {_kind(value)}")
        elif key in ACCESS_KEYS:
            raise AccessSettingsError(key, "belongs under [access] (a line `[access]` above it); here it is not read")
        else:
            sections = ", ".join(f"[{name}]" for name in SECTIONS)
            raise AccessSettingsError(
                key,
                f"is not a section or setting the dashboard knows.{_hint(key, [*SECTIONS, *TOP_LEVEL_KEYS])} "
                f"The sections are {sections}; the top-level settings {', '.join(TOP_LEVEL_KEYS)}",
            )


def _password(access: Mapping[str, Any], key: str) -> str:
    value = _text(access, key)
    if key in access and not value.strip():
        raise AccessSettingsError(
            f"access.{key}", "is empty: give a long passphrase, or remove the line (an empty password opens nothing)"
        )
    return value


def _open(access: Mapping[str, Any]) -> bool:
    value = access.get("open", False)
    if not isinstance(value, bool):
        raise AccessSettingsError("access.open", f"must be true or false, without quotes; it is {_kind(value)}")
    return value


def _texts(access: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = access.get(key, [])
    example = f'{key} = ["ana.pop@example.org", "@uns.ac.rs"]'
    if not isinstance(value, list | tuple):
        raise AccessSettingsError(
            f"access.{key}", f"must be a list in square brackets, like {example}; it is {_kind(value)}"
        )
    for n, entry in enumerate(value, start=1):
        if not isinstance(entry, str):
            raise AccessSettingsError(f"access.{key}", f"entry {n} must be text in quotes; it is {_kind(entry)}")
    return tuple(value)


def _text(access: Mapping[str, Any], key: str) -> str:
    value = access.get(key, "")
    if not isinstance(value, str):
        raise AccessSettingsError(f"access.{key}", f"must be text in quotes; it is {_kind(value)}")
    return value


def _delay(access: Mapping[str, Any]) -> float:
    value = access.get("failed_delay_seconds", DEFAULT_FAILED_DELAY_SECONDS)
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or not 0 <= value <= MAX_FAILED_DELAY_SECONDS:
        what = f"it is {_kind(value)}" if not ok else "it is out of range"
        raise AccessSettingsError(
            "access.failed_delay_seconds",
            f"must be a number of seconds from 0 to {MAX_FAILED_DELAY_SECONDS:g}, without quotes; {what}",
        )
    return float(value)


def _attempts(access: Mapping[str, Any]) -> int:
    value = access.get("password_attempts_per_minute", DEFAULT_PASSWORD_ATTEMPTS_PER_MINUTE)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PASSWORD_ATTEMPTS_PER_MINUTE:
        raise AccessSettingsError(
            "access.password_attempts_per_minute",
            f"must be a whole number from 1 to {MAX_PASSWORD_ATTEMPTS_PER_MINUTE}, without quotes; "
            f"it is {'out of range' if isinstance(value, int) and not isinstance(value, bool) else _kind(value)}",
        )
    return value


def _proxies(access: Mapping[str, Any]) -> tuple[str, ...]:
    proxies = _texts(access, "trusted_proxies")
    for n, entry in enumerate(proxies, start=1):
        try:
            network(entry)
        except ValueError:
            raise AccessSettingsError(
                "access.trusted_proxies",
                f'entry {n} is not an IP address or network, like "127.0.0.1" or "10.0.0.0/8"',
            ) from None
    return tuple(entry.strip() for entry in proxies)


def access_rules(secrets: Mapping[str, Any] | None) -> AccessRules:
    """The checked access settings from the secrets (None: no secrets file exists anywhere, so the dashboard is
    open); raise AccessSettingsError naming the first wrong key."""
    if secrets is None:
        return AccessRules("open")
    _check_top_level(secrets)
    auth = _section(secrets, "auth")
    access = _section(secrets, "access")
    unknown = sorted(str(key) for key in access if key not in ACCESS_KEYS)
    if unknown:
        raise AccessSettingsError(
            f"access.{unknown[0]}",
            f"is not a setting the dashboard knows.{_hint(unknown[0], list(ACCESS_KEYS))} "
            f"The settings are {', '.join(ACCESS_KEYS)}",
        )
    allow, managers = _texts(access, "allow"), _texts(access, "managers")
    contact = _text(access, "contact")
    password, manager_password = _password(access, "password"), _password(access, "manager_password")
    delay, attempts, proxies = _delay(access), _attempts(access), _proxies(access)
    if _open(access):
        if "auth" in secrets or password or manager_password or "allow" in access or "managers" in access:
            raise AccessSettingsError(
                "access.open",
                "is true, but a way to sign in is set too ([auth], a password, allow or managers): "
                "remove `open = true`, or the sign-in settings to leave the dashboard open",
            )
        mode: Mode = "open"
    elif "auth" in secrets:
        mode = "oidc"
    elif password or manager_password:
        mode = "password"
    elif "allow" in access or "managers" in access:
        key = "access.allow" if "allow" in access else "access.managers"
        raise AccessSettingsError(
            key,
            "is set, but there is no [auth] section to sign in with (and no password): "
            "add [auth] as docs/access.md shows, or remove the list and set `open = true` to leave the dashboard open",
        )
    else:
        raise AccessSettingsError(
            WHOLE_FILE,
            "holds no sign-in settings, so nobody is let in: add an [auth] section (sign-in with Google or "
            "Microsoft) or a `password` under [access], or `open = true` under [access] to leave the dashboard "
            "open to anyone who can reach it on purpose",
        )
    providers = tuple(str(name) for name, value in auth.items() if isinstance(value, Mapping))
    return AccessRules(mode, providers, allow, managers, contact, password, manager_password, delay, attempts, proxies)
