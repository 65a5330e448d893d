"""Who may see the dashboard: OpenID Connect sign-in with an allow-list, a shared password, or open.

The gate runs before anything is read from the data source. Settings live in
`.streamlit/secrets.toml` (see `.streamlit/secrets.toml.example` and docs/access.md):

- `[auth]` (Streamlit's native OIDC, `st.login`), with `[auth.google]` and/or `[auth.microsoft]`;
- `[access]`: `allow` (e-mails and `@domain`s), `managers` (optional: only they see data quality
  and exports), `contact`, and for teams without an identity provider `password` (viewers) and
  `manager_password`, with `failed_delay_seconds`, `password_attempts_per_minute` and `trusted_proxies`;
  `open = true` to leave it open on purpose.

Without any secrets file, or with `[access] open = true`, the dashboard is open (for a laptop) and says so; a
secrets file that says neither, or holds a section or key the dashboard does not know, locks it.
"""

from __future__ import annotations

import hmac
import logging
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st
from streamlit import config as st_config

from monitoring.door import next_view as next_view_rules
from monitoring.door.access_rules import WHOLE_FILE, AccessRules, AccessSettingsError, access_rules
from monitoring.door.backoff import PasswordBackoff
from monitoring.door.client_address import UVICORN_DEFAULT
from monitoring.door.client_address import client_address as address_of_client

Role = Literal["manager", "viewer"]
# "none": no gate decision in this session yet (the least access: a viewer of nothing in particular).
Mode = Literal["open", "oidc", "password", "none"]
PROVIDER_LABELS = {"google": "Google", "microsoft": "Microsoft"}


@dataclass(frozen=True)
class Access:
    mode: Mode
    role: Role
    email: str = ""
    name: str = ""

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


class SecretsUnreadable(Exception):
    """A secrets file exists but cannot be read: `location` is its path, `why` what is wrong (never its content)."""

    def __init__(self, location: str, why: str) -> None:
        self.location = location
        self.why = why
        super().__init__(f"{location}: {why}")


def secret_locations() -> list[str]:
    """Every place Streamlit reads secrets from (the config option `secrets.files`)."""
    try:
        return [str(p) for p in st_config.get_option("secrets.files") or []]
    except Exception:
        return []


def _exists(path: str) -> bool:
    """True when something is at `path`, or when we cannot tell (a folder we may not look into)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def _why_unreadable(path: str) -> str | None:
    """What is wrong with one secrets location, without quoting any of it; None when it reads."""
    if os.path.isdir(path) and not path.endswith(".toml"):
        return None if os.access(path, os.R_OK | os.X_OK) else "the folder cannot be read"
    try:
        with open(path, "rb") as file:
            tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        return f"it is not valid TOML{f' (line {line[1]})' if line else ''}: a bracket or quote may be missing"
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    except OSError as exc:
        return f"it cannot be opened ({exc.strerror or type(exc).__name__})"
    return None


def _secrets() -> Mapping[str, Any] | None:
    """The secrets; None only when no secrets file exists anywhere; SecretsUnreadable when one exists but fails.

    Streamlit raises StreamlitSecretNotFoundError (a FileNotFoundError) both when there is no file and when a
    file does not parse, so the files themselves are looked at to tell the two apart.
    """
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except Exception:
        existing = [path for path in secret_locations() if _exists(path)]
        if not existing:
            return None
        for path in existing:
            why = _why_unreadable(path)
            if why:
                raise SecretsUnreadable(path, why) from None
        raise SecretsUnreadable(", ".join(existing), "Streamlit could not load it") from None


def is_allowed(email: str, allow: list[str]) -> bool:
    """An exact e-mail or a whole `@domain` on the allow-list; case does not matter."""
    email = email.strip().lower()
    for entry in (e.strip().lower() for e in allow):
        if entry and (email == entry or (entry.startswith("@") and email.endswith(entry))):
            return True
    return False


def role_of(email: str, rules: AccessRules) -> Role:
    return "manager" if not rules.managers or is_allowed(email, list(rules.managers)) else "viewer"


# The sign-in page keeps the address asked for (path and query) in a short-lived same-site cookie; "/" forgets it.
_REMEMBER_VIEW = f"""<script>
(() => {{
  const view = location.pathname + location.search;
  const keep = view !== "/" && view.length <= {next_view_rules.MAX_LENGTH};
  document.cookie = "{next_view_rules.COOKIE}=" + (keep ? encodeURIComponent(view) : "") +
    "; Path=/; SameSite=Lax; Max-Age=" + (keep ? {next_view_rules.MAX_AGE_SECONDS} : 0);
}})();
</script>"""
_FORGET_VIEW = f'<script>document.cookie = "{next_view_rules.COOKIE}=; Path=/; SameSite=Lax; Max-Age=0";</script>'


def base_url_path() -> str:
    """Streamlit's `server.baseUrlPath` without its slashes ("" when the app is served at the root)."""
    try:
        return str(st_config.get_option("server.baseUrlPath") or "").strip("/")
    except Exception:
        return ""


def resume_requested_view(pages: Mapping[str, st.Page]) -> None:
    """After sign-in, open the view asked for before it (kept by the sign-in page), once per session.

    Only a page of `pages` (url_path -> page) with the app's own query parameters is opened
    (monitoring/door/next_view.py); the cookie is then deleted."""
    if st.session_state.get("_next_view_forget"):
        del st.session_state["_next_view_forget"]
        st.html(_FORGET_VIEW, unsafe_allow_javascript=True, width="content")
    if st.session_state.get("_next_view_checked"):
        return
    st.session_state["_next_view_checked"] = True
    raw = st.context.cookies.get(next_view_rules.COOKIE)
    if not raw:
        return
    st.session_state["_next_view_forget"] = True  # deleted in the next run, whichever page it draws
    wanted = next_view_rules.next_view(raw, [path for path in pages if path], base_url_path())
    if wanted is None:
        return
    page = pages.get(wanted.url_path) or next(iter(pages.values()))
    st.switch_page(page, query_params=wanted.query)


def _sign_in_page(providers: tuple[str, ...], project: str) -> None:
    st.title(f"{project} monitoring")
    st.html(_REMEMBER_VIEW, unsafe_allow_javascript=True, width="content")
    st.markdown("Sign in with your organisation's account to see the project's monitoring data.")
    for provider in providers or [None]:
        label = f"Sign in with {PROVIDER_LABELS.get(provider, str(provider).title())}" if provider else "Sign in"
        st.button(
            label, on_click=st.login, args=(provider,) if provider else (), type="primary", key=f"login-{provider}"
        )


def _no_access_page(email: str, contact: str, unverified: bool = False) -> None:
    st.title("No access yet")
    shown = email or "an account without an e-mail address"
    if unverified:
        st.markdown(
            f"You are signed in as **{shown}**, but your sign-in provider says this e-mail address is **not "
            "verified**, so the dashboard cannot tell that it is yours. Verify the address with your provider "
            "(or sign in with your organisation's account), then sign in again."
        )
    else:
        st.markdown(f"You are signed in as **{shown}**, which is not on this dashboard's list of people with access.")
    if contact:
        st.markdown(f"Ask {contact} to add you.")
    st.button("Sign out", on_click=st.logout)


def email_unverified(user: Mapping[str, Any]) -> bool:
    """True unless the provider says the e-mail address is verified (`email_verified` true or "true") or says
    nothing: "false", 0, "no" or anything else is not verified.

    Google sends the claim; Microsoft Entra does not (its addresses are the tenant's): absent is not false."""
    verified = user.get("email_verified")
    return verified is not None and not (
        verified is True or (isinstance(verified, str) and verified.strip().lower() == "true")
    )


def password_role(given: str, access: Mapping[str, Any]) -> Role | None:
    """The role a typed password opens, compared in constant time; None when it is wrong."""

    def matches(key: str) -> bool:
        secret = str(access.get(key, ""))
        return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())

    if matches("manager_password"):
        return "manager"
    if matches("password"):
        return "viewer" if access.get("manager_password") else "manager"
    return None


_BACKOFFS: dict[tuple[float, int], PasswordBackoff] = {}


def password_backoff(base: float, per_minute: int) -> PasswordBackoff:
    """The wrong-password backoff shared by every session of this server (per client address, with a global
    limit of `per_minute` compared passwords), one per `failed_delay_seconds` and limit."""
    if (base, per_minute) not in _BACKOFFS:
        _BACKOFFS[base, per_minute] = PasswordBackoff(base=base, global_limit=per_minute, global_window=60.0)
    return _BACKOFFS[base, per_minute]


def client_address(trusted_proxies: tuple[str, ...] = ()) -> str | None:
    """The viewer's address for the password delay (None for localhost, and for everyone behind a proxy that is
    not in `trusted_proxies`): monitoring/door/client_address.py."""
    try:
        reported = st.context.ip_address
        forwarded = st.context.headers.get_all("X-Forwarded-For")
    except Exception:
        return None
    server_trusts = os.environ.get("FORWARDED_ALLOW_IPS", UVICORN_DEFAULT)  # uvicorn reads it when the server starts
    return address_of_client(reported, forwarded, trusted_proxies, server_trusts)


def _password_gate(rules: AccessRules, project: str) -> Access | None:
    if st.session_state.get("_password_role"):
        return Access("password", st.session_state["_password_role"])
    st.title(f"{project} monitoring")
    with st.form("password"):
        given = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Open the dashboard", type="primary")
    if submitted:
        backoff = password_backoff(rules.failed_delay_seconds, rules.password_attempts_per_minute)
        address = client_address(rules.trusted_proxies)
        waiting = backoff.attempt(address)
        if waiting > 0:  # not even compared: a reload, another connection or another address does not help
            st.error(
                "Too many wrong passwords from your connection, or from everyone together. "
                f"Try again in {math.ceil(waiting)} s."
            )
            return None
        role = password_role(given, {"password": rules.password, "manager_password": rules.manager_password})
        if role:
            backoff.succeeded(address)
            st.session_state["_password_role"] = role
            st.rerun()
        delay = backoff.failed(address)
        message = "That password is not right. Ask the project's coordinator for the current one."
        st.error(message + (f" You can try again in {math.ceil(delay)} s." if delay > 0 else ""))
    return None


def _locked_page(what: str, fix: str) -> None:
    """Nobody gets in: say so, and tell the dashboard's maintainer what to fix (never a secret's value)."""
    st.title("The dashboard is locked")
    st.error(
        "The dashboard's sign-in settings cannot be used, so nobody is let in until they are fixed.",
        icon=":material/lock:",
    )
    st.markdown(f"**For the dashboard's maintainer:** {what}")
    st.markdown(fix)
    st.caption("What each setting means: docs/access.md. Restart the dashboard after fixing the file.")


def _plain(text: str) -> str:
    """A key or path from the file, safe inside `code` in Markdown."""
    return text.replace("`", "'").replace("\n", " ")


def _rules() -> AccessRules | None:
    """The checked access settings, or None after drawing the locked page."""
    log = logging.getLogger("spinit")
    try:
        return access_rules(_secrets())
    except SecretsUnreadable as exc:
        log.error("access locked: the secrets file %s cannot be read: %s", exc.location, exc.why)
        _locked_page(
            f"the secrets file `{_plain(exc.location)}` cannot be read: {exc.why}.",
            "Fix the file (every `[section]` and `[list]` needs its closing bracket, every text its closing quote); "
            "`python -c \"import tomllib; tomllib.load(open('FILE', 'rb'))\"` shows the line.",
        )
    except AccessSettingsError as exc:
        log.error("access locked: %s", exc)
        where = "the secrets file" if exc.key == WHOLE_FILE else f"in the secrets file, `{_plain(exc.key)}`"
        _locked_page(
            f"{where} {exc.problem}.",
            "The shape of every setting is in `.streamlit/secrets.toml.example`.",
        )
    return None


def gate(project: str) -> Access:
    """Return who is looking, or draw the sign-in / no-access / locked page and stop the script."""
    rules = _rules()
    if rules is None:
        st.stop()
    if rules.mode == "oidc":
        user = st.user
        if not user.is_logged_in:
            _sign_in_page(rules.providers, project)
            st.stop()
        email = str(user.get("email") or "")
        if email_unverified(user):  # an unverified address proves nothing: not allowed, whatever the list says
            _no_access_page(email, rules.contact, unverified=True)
            st.stop()
        if not rules.allow or not is_allowed(email, list(rules.allow)):
            _no_access_page(email, rules.contact)
            st.stop()
        return Access("oidc", role_of(email, rules), email, str(user.get("name") or email))
    if rules.mode == "password":
        result = _password_gate(rules, project)
        if result is None:
            st.stop()
        return result
    return Access("open", "manager")


NO_DECISION = Access("none", "viewer")


def current_access() -> Access:
    """Who is looking, as app.py's gate decided for this run; the least access when nothing was decided."""
    who = st.session_state.get("_access")
    return who if isinstance(who, Access) else NO_DECISION


def sign_out() -> None:
    st.session_state.pop("_password_role", None)
