"""Who may see the dashboard: OpenID Connect sign-in with an allow-list, a shared password, or open.

The gate runs before anything is read from the data source. Settings live in
`.streamlit/secrets.toml` (see `.streamlit/secrets.toml.example` and docs/access.md):

- `[auth]` (Streamlit's native OIDC, `st.login`), with `[auth.google]` and/or `[auth.microsoft]`;
- `[access]`: `allow` (e-mails and `@domain`s), `managers` (optional: only they see data quality
  and exports), `contact`, and for teams without an identity provider `password` (viewers) and
  `manager_password`, with `failed_delay_seconds`.

With none of these the dashboard is open (for a laptop) and says so.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

Role = Literal["manager", "viewer"]
Mode = Literal["open", "oidc", "password"]
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


def _secrets() -> Mapping[str, Any]:
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except (FileNotFoundError, KeyError, OSError):
        return {}
    except Exception:  # a secrets.toml that does not parse: fail closed below
        return {"_unreadable": True}


def is_allowed(email: str, allow: list[str]) -> bool:
    """An exact e-mail or a whole `@domain` on the allow-list; case does not matter."""
    email = email.strip().lower()
    for entry in (e.strip().lower() for e in allow):
        if entry and (email == entry or (entry.startswith("@") and email.endswith(entry))):
            return True
    return False


def role_of(email: str, access: Mapping[str, Any]) -> Role:
    managers = list(access.get("managers", []))
    return "manager" if not managers or is_allowed(email, managers) else "viewer"


def _providers(auth: Mapping[str, Any]) -> list[str]:
    return [name for name, value in auth.items() if isinstance(value, Mapping)]


def _sign_in_page(auth: Mapping[str, Any], project: str) -> None:
    st.title(f"{project} monitoring")
    st.markdown("Sign in with your organisation's account to see the project's monitoring data.")
    providers = _providers(auth)
    for provider in providers or [None]:
        label = f"Sign in with {PROVIDER_LABELS.get(provider, str(provider).title())}" if provider else "Sign in"
        st.button(
            label, on_click=st.login, args=(provider,) if provider else (), type="primary", key=f"login-{provider}"
        )


def _no_access_page(email: str, contact: str) -> None:
    st.title("No access yet")
    st.markdown(
        f"You are signed in as **{email or 'an account without an e-mail address'}**, "
        "which is not on this dashboard's list of people with access."
    )
    if contact:
        st.markdown(f"Ask {contact} to add you.")
    st.button("Sign out", on_click=st.logout)


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


def _password_gate(access: Mapping[str, Any], project: str) -> Access | None:
    if st.session_state.get("_password_role"):
        return Access("password", st.session_state["_password_role"])
    st.title(f"{project} monitoring")
    with st.form("password"):
        given = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Open the dashboard", type="primary")
    if submitted:
        role = password_role(given, access)
        if role:
            st.session_state["_password_role"] = role
            st.session_state.pop("_password_failures", None)
            st.rerun()
        failures = st.session_state.get("_password_failures", 0) + 1
        st.session_state["_password_failures"] = failures
        time.sleep(min(float(access.get("failed_delay_seconds", 1.0)) * 2 ** (failures - 1), 30.0))
        st.error("That password is not right. Ask the project's coordinator for the current one.")
    return None


def gate(project: str) -> Access:
    """Return who is looking, or draw the sign-in / no-access page and stop the script."""
    secrets = _secrets()
    access = secrets.get("access", {}) or {}
    if secrets.get("_unreadable"):
        st.error("The dashboard's secrets file cannot be read, so nobody can be let in. Ask its maintainer.")
        st.stop()
    if "auth" in secrets:
        user = st.user
        if not user.is_logged_in:
            _sign_in_page(secrets["auth"], project)
            st.stop()
        email = str(user.get("email") or "")
        allow = list(access.get("allow", []))
        if not allow or not is_allowed(email, allow):
            _no_access_page(email, str(access.get("contact", "")))
            st.stop()
        return Access("oidc", role_of(email, access), email, str(user.get("name") or email))
    if access.get("password") or access.get("manager_password"):
        result = _password_gate(access, project)
        if result is None:
            st.stop()
        return result
    return Access("open", "manager")


def current_access() -> Access:
    """Who is looking, as app.py's gate decided for this run."""
    return st.session_state.get("_access", Access("open", "manager"))


def sign_out() -> None:
    st.session_state.pop("_password_role", None)
