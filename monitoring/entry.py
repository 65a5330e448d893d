"""Which configuration and which source an entry point uses: one rule for the dashboard and the command line.

A command-line flag (`--config`, `--source`) wins; then the environment: `MONITORING_CONFIG` (or `SPINIT_CONFIG`,
its older name) and `MONITORING_SOURCE` (or `SPINIT_SOURCE`); then `indicators.yaml` and the configuration's own
source. So `SPINIT_CONFIG=examples/greenports/indicators.yaml` makes both the dashboard and `python -m monitoring`
work on GreenPorts.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from monitoring.dataset import SourcePlan

CONFIG_ENV = "MONITORING_CONFIG"
SOURCE_ENV = "MONITORING_SOURCE"
# Read when the project-neutral name is not set (the dashboard's first names, kept working).
OLDER_CONFIG_ENV = "SPINIT_CONFIG"
OLDER_SOURCE_ENV = "SPINIT_SOURCE"
DEFAULT_CONFIG = "indicators.yaml"


@dataclass(frozen=True)
class Choice:
    """The configuration and source to use, and where each choice came from."""

    config: str
    source: str | None  # None: the configuration's own source
    config_from: str  # "--config", an environment variable's name, or "" (the default)
    source_from: str  # "--source", an environment variable's name, or "" (the configuration's)

    def flags(self) -> str:
        """What a hint adds to a command so that it works on the same project and source: " --config X"."""
        words = []
        if self.config_from:
            words += ["--config", self.config]
        if self.source is not None:
            words += ["--source", self.source]
        return "".join(f" {shlex.quote(w)}" for w in words)

    def describe(self, plan: SourcePlan | None = None) -> str:
        """In words, for the first line a command prints: "using examples/greenports/indicators.yaml (from
        SPINIT_CONFIG) and its source examples/greenports/greenports.xlsx"."""
        config = f"{self.config} (from {self.config_from})" if self.config_from else f"{self.config} (the default)"
        if plan is None:
            return f"using {config}"
        shown = " + ".join(_shown(loc) for loc in plan.locations)
        if self.source is None:
            return f"using {config} and its source {shown}"
        return f"using {config} and the source {shown} (from {self.source_from})"


def _shown(location: str | Path) -> str:
    """A path relative to the working directory where it is inside it; a Google Sheet as given."""
    if not isinstance(location, Path):
        return location
    try:
        return str(location.relative_to(Path.cwd()))
    except ValueError:
        return str(location)


def _first_set(environ: Mapping[str, str], *names: str) -> tuple[str | None, str]:
    for name in names:
        if environ.get(name):
            return environ[name], name
    return None, ""


def choose(config: str | None = None, source: str | None = None, environ: Mapping[str, str] | None = None) -> Choice:
    """The configuration and source: the flags given, else the environment's, else the defaults. An empty
    variable counts as not set."""
    env = os.environ if environ is None else environ
    if config is not None:
        chosen_config, config_from = config, "--config"
    else:
        found, config_from = _first_set(env, CONFIG_ENV, OLDER_CONFIG_ENV)
        chosen_config = found or DEFAULT_CONFIG
    if source is not None:
        chosen_source, source_from = source, "--source"
    else:
        chosen_source, source_from = _first_set(env, SOURCE_ENV, OLDER_SOURCE_ENV)
    return Choice(chosen_config, chosen_source, config_from, source_from)
