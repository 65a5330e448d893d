"""Whose password attempt is it: the client address the password delay is kept for (pure, no Streamlit).

Streamlit 1.67 serves through uvicorn, which by default replaces the connection's address with one taken from
`X-Forwarded-For` when the connection comes from an address it trusts (`FORWARDED_ALLOW_IPS`, by default
127.0.0.1 and ::1). Behind a proxy on the same machine that passes the visitor's header on, every visitor can
then pick their own address, and with it a fresh password delay.

`client_address` believes a forwarded address only from a proxy the deployment names (`[access]
trusted_proxies`, none by default). When uvicorn may have taken the reported address from the header and the
proxy is not named, the real client cannot be told: every such visitor gets the same address (None, as
localhost), so they share one delay: stricter, never looser.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

UVICORN_DEFAULT = "127.0.0.1,::1"  # uvicorn's FORWARDED_ALLOW_IPS when the variable is not set
_LOOPBACK = ("127.0.0.1", "::1")  # Streamlit reports both as None
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def network(text: str) -> Network:
    """An address or network (`127.0.0.1`, `10.0.0.0/8`, `::1`); ValueError when it is neither."""
    return ipaddress.ip_network(text.strip(), strict=False)


class _Trusted:
    def __init__(self, entries: Iterable[str]) -> None:
        entries = [e.strip() for e in entries if e.strip()]
        self.everyone = "*" in entries
        self.networks: list[Network] = []
        self.literals: set[str] = set()
        for entry in entries:
            try:
                self.networks.append(network(entry))
            except ValueError:
                self.literals.add(entry)
        # A proxy on the same machine may connect over either loopback address: naming one names both.
        if any(net.network_address.is_loopback for net in self.networks):
            self.networks += [network(a) for a in _LOOPBACK]

    def __contains__(self, host: str) -> bool:
        if self.everyone:
            return True
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return host in self.literals
        return any(ip in net for net in self.networks)

    def within(self, other: _Trusted) -> bool:
        """Every address this trusts, `other` trusts too."""
        if self.everyone or self.literals:
            return False
        return all(any(net.version == o.version and net.subnet_of(o) for o in other.networks) for net in self.networks)


def _host(item: str) -> str:
    """The address in one element of the header, without a port (as uvicorn reads it)."""
    item = item.strip()
    if item.startswith("["):
        end = item.find("]")
        return item[1:end] if end != -1 else item
    if item.count(":") == 1:
        return item.rsplit(":", 1)[0]
    return item


def _rightmost_untrusted(hosts: Sequence[str], trusted: _Trusted) -> str:
    """The address the nearest trusted proxy saw: the rightmost one it does not trust (uvicorn's rule)."""
    if trusted.everyone:
        return hosts[0]
    return next((host for host in reversed(hosts) if host not in trusted), hosts[0])


def client_address(
    reported: str | None,
    forwarded_for: Sequence[str],
    trusted_proxies: Sequence[str],
    server_trusts: str = UVICORN_DEFAULT,
) -> str | None:
    """The visitor's address for the password delay.

    `reported` is what Streamlit says (`st.context.ip_address`; None for localhost), `forwarded_for` every
    `X-Forwarded-For` header of the connection, `trusted_proxies` the proxies the deployment names, and
    `server_trusts` the addresses uvicorn takes the header from (its `FORWARDED_ALLOW_IPS`).
    """
    hosts = [_host(item) for value in forwarded_for for item in value.split(",")]
    if not hosts:
        return reported
    server, ours = _Trusted(server_trusts.split(",")), _Trusted(trusted_proxies)
    taken = _rightmost_untrusted(hosts, server)
    if taken and taken in ({reported} if reported else set(_LOOPBACK)):
        # uvicorn may have taken `reported` from the header: the connection came from an address it trusts.
        return (_rightmost_untrusted(hosts, ours) or None) if server.within(ours) else None
    # uvicorn left the connection's own address: believe the header only when that address is a named proxy.
    peer = reported or _LOOPBACK[0]
    return (_rightmost_untrusted(hosts, ours) or None) if peer in ours else reported
