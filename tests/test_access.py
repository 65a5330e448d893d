"""Access control: nobody sees data before signing in and being allowed; roles hide what they should."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP, overview_counts
from ui.auth import is_allowed, password_role

SECRET = "SECRET-client-9f8e7d"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "cookie-SECRET-0123456789abcdef",
    "google": {
        "client_id": "spinit.apps.googleusercontent.com",
        "client_secret": SECRET,
        "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
    },
}
ACCESS = {
    "allow": ["@cluj.example", "guest@partner.example"],
    "managers": ["pm@cluj.example"],
    "contact": "pm@cluj.example",
}
PAGES = sorted(p.name for p in (Path(APP).parent / "app_pages").glob("*.py"))
DATA_ELEMENTS = ("metric", "vega_lite_chart", "deck_gl_json_chart", "arrow_data_frame", "table", "download_button")


def app_with(user: dict | None = None, access: dict | None = None, auth: dict | None = AUTH) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if auth:
        at.secrets["auth"] = auth
    at.secrets["access"] = access if access is not None else ACCESS
    at.user = user or {"is_logged_in": False}
    return at.run()


def data_shown(at: AppTest) -> dict[str, int]:
    shown = {name: len(at.get(name)) for name in DATA_ELEMENTS if at.get(name)}
    tiles = [h for h in at.get("html") if "spinit-tile" in h.proto.body or "spinit-counts" in h.proto.body]
    return {**shown, "tiles": len(tiles)} if tiles else shown


def everything_visible(at: AppTest) -> str:
    parts = [
        str(e.value)
        for kind in ("markdown", "caption", "title", "info", "warning", "error", "code")
        for e in getattr(at, kind)
    ]
    return " ".join(parts + [b.label for b in at.button])


@pytest.mark.parametrize("page", PAGES)
def test_signed_out_visitor_sees_a_sign_in_prompt_and_no_data_on_any_page(page):
    at = app_with()
    at.switch_page(f"app_pages/{page}").run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in with Google"]
    assert data_shown(at) == {}


def test_signed_in_partner_on_the_allow_list_sees_the_dashboard():
    at = app_with({"is_logged_in": True, "email": "someone@cluj.example", "name": "Ana"})
    assert not at.exception
    assert "Organisations" in overview_counts(at)
    assert "Signed in as Ana (viewer)" in [c.value for c in at.caption]


def test_signed_in_stranger_gets_a_polite_no_access_page_with_their_email():
    at = app_with({"is_logged_in": True, "email": "eve@elsewhere.example", "name": "Eve"})
    assert at.title[0].value == "No access yet"
    text = everything_visible(at)
    assert "eve@elsewhere.example" in text and "pm@cluj.example" in text and "Sign out" in text
    assert data_shown(at) == {}


def test_an_empty_allow_list_lets_nobody_in():
    at = app_with({"is_logged_in": True, "email": "someone@cluj.example"}, access={})
    assert at.title[0].value == "No access yet"


def test_viewer_does_not_get_the_data_quality_page_but_a_manager_does():
    viewer = app_with({"is_logged_in": True, "email": "someone@cluj.example"})
    manager = app_with({"is_logged_in": True, "email": "pm@cluj.example"})
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        viewer.switch_page("app_pages/data_quality.py")
    manager.switch_page("app_pages/data_quality.py").run()
    assert not manager.exception
    assert "Signed in as pm@cluj.example (manager)" in [c.value for c in manager.caption]


def test_no_secret_value_reaches_any_page():
    for user in ({"is_logged_in": False}, {"is_logged_in": True, "email": "pm@cluj.example"}):
        at = app_with(user)
        text = everything_visible(at)
        assert SECRET not in text and AUTH["cookie_secret"] not in text


def test_shared_password_opens_the_dashboard_and_a_wrong_one_does_not():
    at = app_with(auth=None, access={"password": "danube-2026", "failed_delay_seconds": 0})
    assert data_shown(at) == {}
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert "not right" in at.error[0].value and data_shown(at) == {}
    at.text_input[0].input("danube-2026")
    at.button[0].click().run()
    assert not at.exception and "Organisations" in overview_counts(at)
    assert "danube-2026" not in everything_visible(at)


def test_without_any_sign_in_the_dashboard_is_open_and_says_so():
    at = app_with(auth=None, access={"open": True})
    assert "Organisations" in overview_counts(at)
    assert "Open access (no sign-in configured)." in [c.value for c in at.caption]


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("pm@cluj.example", True),
        ("PM@Cluj.Example", True),
        ("guest@partner.example", True),
        ("other@partner.example", False),
        ("x@notcluj.example", False),
        ("mallory.guest@partner.example", False),  # an exact address is not a suffix
        ("eveguest@partner.example", False),
        ("guest@partner.example.evil.example", False),
        ("", False),
    ],
)
def test_allow_list_matches_emails_and_whole_domains(email, allowed):
    assert is_allowed(email, ACCESS["allow"]) is allowed


def test_passwords_map_to_roles_in_constant_time_comparison():
    both = {"password": "view", "manager_password": "manage"}
    assert password_role("manage", both) == "manager"
    assert password_role("view", both) == "viewer"
    assert password_role("view", {"password": "view"}) == "manager"
    assert password_role("", {"password": "view"}) is None


def test_viewer_gets_no_export_buttons_on_the_report_but_a_manager_does():
    viewer = app_with({"is_logged_in": True, "email": "someone@cluj.example"})
    manager = app_with({"is_logged_in": True, "email": "pm@cluj.example"})
    for at in (viewer, manager):
        at.switch_page("app_pages/reporting.py").run()
        assert not at.exception
    assert len(viewer.get("download_button")) == 0
    assert len(manager.get("download_button")) == 3


def test_without_a_managers_list_everyone_allowed_is_a_manager():
    access = {"allow": ["@cluj.example"], "contact": "pm@cluj.example"}
    at = app_with({"is_logged_in": True, "email": "someone@cluj.example", "name": "Ana"}, access=access)
    assert "Signed in as Ana (manager)" in [c.value for c in at.caption]


def test_nothing_is_read_from_the_source_before_the_visitor_is_let_in(monkeypatch):
    import streamlit as st

    from ui import context

    reads = []
    real = context.load_dataset
    monkeypatch.setattr(context, "load_dataset", lambda *a, **k: reads.append(a) or real(*a, **k))
    st.cache_resource.clear()
    for page in ("overview.py", "reporting.py", "data_quality.py"):
        at = app_with()
        at.switch_page(f"app_pages/{page}").run()
        assert [b.label for b in at.button] == ["Sign in with Google"]
    assert reads == []
    app_with({"is_logged_in": True, "email": "someone@cluj.example"})
    assert len(reads) == 1  # the same counter sees the read once someone is let in


def test_open_access_over_a_live_google_sheet_warns_that_anyone_with_the_url_sees_the_data():
    def bar() -> None:
        import streamlit as st

        from ui.auth import Access
        from ui.viewbar import _access_box

        _access_box(st, Access("open", "manager"), live_source=st.session_state.get("live", False))

    at = AppTest.from_function(bar).run()
    assert [c.value for c in at.caption] == ["Open access (no sign-in configured)."]
    at.session_state["live"] = True
    assert "anyone with this URL can see the data" in at.run().caption[0].value


def test_google_and_microsoft_together_each_get_a_sign_in_button():
    microsoft = {"client_id": "m", "client_secret": SECRET, "server_metadata_url": "https://login.example/.well-known"}
    at = app_with(auth={**AUTH, "microsoft": microsoft})
    assert [b.label for b in at.button] == ["Sign in with Google", "Sign in with Microsoft"]


def test_passwords_are_compared_with_a_constant_time_comparison(monkeypatch):
    import hmac

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    assert password_role("view", {"password": "view"}) == "manager" and calls
