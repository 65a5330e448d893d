"""docs/access.md keeps its promises: each claim names a test that exists, the nginx example overwrites the
forwarded address, and every settings example on the page is accepted by the access rules."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from monitoring.door.access_rules import access_rules

DOC = Path("docs/access.md").read_text(encoding="utf-8")


def test_every_claim_names_tests_that_exist():
    table = DOC[DOC.index("## What backs each claim") :]
    named = re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", table)
    assert len(named) >= 30
    for path, name in named:
        assert re.search(rf"^def {name}\(", Path(path).read_text(encoding="utf-8"), re.MULTILINE), (path, name)


def test_the_nginx_example_overwrites_the_forwarded_address():
    (nginx,) = re.findall(r"```nginx\n(.*?)```", DOC, re.DOTALL)
    assert re.search(r"proxy_set_header\s+X-Forwarded-For\s+\$remote_addr;", nginx)
    assert "proxy_add_x_forwarded_for" not in nginx


def test_every_settings_example_on_the_page_is_accepted():
    blocks = [tomllib.loads(block) for block in re.findall(r"```toml\n(.*?)```", DOC, re.DOTALL)]
    auth = next(b["auth"] for b in blocks if "auth" in b)
    accesses = [b for b in blocks if "access" in b]
    assert len(accesses) >= 3
    for block in accesses:
        secrets = block if "password" in block["access"] else {"auth": auth, **block}
        assert access_rules(secrets).mode in ("oidc", "password")


def test_the_secrets_example_is_accepted_as_it_stands():
    example = tomllib.loads(Path(".streamlit/secrets.toml.example").read_text(encoding="utf-8"))
    assert access_rules(example).mode == "oidc"
