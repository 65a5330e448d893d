"""The client address the password delay is kept for: a forwarded header is believed only from a proxy the
deployment names (`[access] trusted_proxies`); by default none is (docs/access.md, "Shared password").

Streamlit 1.67 serves through uvicorn, which by default takes the address from `X-Forwarded-For` when the
connection comes from 127.0.0.1 or ::1 (`FORWARDED_ALLOW_IPS`), so `st.context.ip_address` may be what the
visitor wrote. `client_address` undoes that unless the deployment trusts the proxy.
"""

from __future__ import annotations

import pytest

from monitoring.door.client_address import UVICORN_DEFAULT, client_address

LOCAL_PROXY = ("127.0.0.1",)


@pytest.mark.parametrize(
    ("reported", "forwarded", "trusted", "expected"),
    [
        # No header: the connection's own address (None is localhost, as Streamlit reports it).
        ("198.51.100.7", [], (), "198.51.100.7"),
        (None, [], (), None),
        (None, [], LOCAL_PROXY, None),
        # A visitor behind a local proxy that passes their header on, nothing trusted: uvicorn reported what
        # the visitor wrote, so everyone who sends the header shares one delay (None), whatever they write.
        ("203.0.113.9", ["203.0.113.9"], (), None),
        ("10.1.2.3", ["10.1.2.3"], (), None),
        ("203.0.113.9", ["1.1.1.1, 203.0.113.9"], (), None),
        # A visitor straight to the server, not from loopback: uvicorn ignored the header, and so do we.
        ("198.51.100.7", ["203.0.113.9"], (), "198.51.100.7"),
        ("198.51.100.7", ["198.51.100.7, 203.0.113.9"], LOCAL_PROXY, "198.51.100.7"),
        ("198.51.100.7", ["203.0.113.9"], LOCAL_PROXY, "198.51.100.7"),
        # The named proxy on the same machine (nginx with `proxy_set_header X-Forwarded-For $remote_addr`).
        ("203.0.113.9", ["203.0.113.9"], LOCAL_PROXY, "203.0.113.9"),
        # A proxy that appends: the rightmost address the trusted proxy saw, not what the visitor wrote.
        ("198.51.100.7", ["6.6.6.6, 198.51.100.7"], LOCAL_PROXY, "198.51.100.7"),
        ("198.51.100.7", ["6.6.6.6", "198.51.100.7"], LOCAL_PROXY, "198.51.100.7"),
        # A proxy on another machine, named by its network: its header is believed, a direct visitor's is not.
        ("10.0.0.5", ["203.0.113.9"], ("10.0.0.0/8",), "203.0.113.9"),
        ("10.0.0.5", ["203.0.113.9, 10.0.0.7"], ("10.0.0.0/8",), "203.0.113.9"),
        ("192.0.2.1", ["203.0.113.9"], ("10.0.0.0/8",), "192.0.2.1"),
        # A port in the header is not part of the address; an empty header element gives no address.
        ("203.0.113.9", ["203.0.113.9:5555"], LOCAL_PROXY, "203.0.113.9"),
        (None, ["203.0.113.9, "], (), None),
    ],
)
def test_a_forwarded_address_is_believed_only_from_a_named_proxy(reported, forwarded, trusted, expected):
    assert client_address(reported, forwarded, trusted) == expected


def test_many_spoofed_headers_through_an_unnamed_proxy_are_one_address():
    seen = {client_address(f"10.0.{n // 250}.{n % 250}", [f"10.0.{n // 250}.{n % 250}"], ()) for n in range(500)}
    assert seen == {None}


def test_when_the_server_trusts_more_than_the_deployment_names_the_visitor_cannot_pick_an_address():
    # FORWARDED_ALLOW_IPS="*": uvicorn takes the first address of any visitor's header.
    assert client_address("6.6.6.6", ["6.6.6.6, 198.51.100.7"], LOCAL_PROXY, server_trusts="*") is None
    assert client_address("203.0.113.9", ["203.0.113.9"], ("10.0.0.0/8",), UVICORN_DEFAULT) is None
    assert client_address("203.0.113.9", ["203.0.113.9"], ("127.0.0.0/8", "::1"), UVICORN_DEFAULT) == "203.0.113.9"
