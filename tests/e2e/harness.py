"""Run the dashboard and drive Debian's Chromium, the way Streamlit's own e2e suite does.

Used by the browser tests and the benchmarks: start `streamlit run app.py` on a free port, open
pages, and wait until the app is connected, the script is idle and no skeleton is left.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-gl=swiftshader",
    "--enable-unsafe-swiftshader",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class App:
    url: str
    pid: int


@contextlib.contextmanager
def running_app(
    script: str = "app.py",
    env: dict[str, str] | None = None,
    log: Path | None = None,
    port: int | None = None,
    args: tuple[str, ...] = (),
) -> Iterator[App]:
    """Start the app on a free loopback port (or `port`), with extra `streamlit run` options in `args`
    (`--secrets.files`, …); yield its base URL and process id; stop it afterwards."""
    port = port or free_port()
    based = [args[n + 1] for n, arg in enumerate(args[:-1]) if arg == "--server.baseUrlPath"]
    base = "/" + based[-1].strip("/") if based and based[-1].strip("/") else ""  # the health check is under it
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            *args,
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{base}/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not become healthy within 60 s") from None
                time.sleep(0.2)
        yield App(f"http://127.0.0.1:{port}", proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()


def settle(page, timeout_ms: float = 60_000, draw_ms: int = 800) -> None:
    """Wait as Streamlit's e2e suite does: connected, script not running, no skeleton; then let charts draw."""
    page.wait_for_timeout(200)
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout_ms
    )
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout_ms
    )
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=timeout_ms
    )
    page.wait_for_timeout(draw_ms)


def error_boxes(page) -> list[str]:
    """Texts of exception boxes and error alerts on the page."""
    boxes = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").all()
    return [b.inner_text()[:300] for b in boxes]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
