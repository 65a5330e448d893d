"""Google Sheets requests per refresh, and per TTL with 20 concurrent sessions, on a mocked Sheets API.

Run from the repository root::

    python benchmarks/sheets_requests.py [--latency 0.1] [--sessions 20]

The sample workbook's seven contract tabs are served by a fake Sheets API v4 (the one the tests
use, tests/fixtures/sheets/fake_api.py), each request taking `--latency` seconds like a real
round trip. It compares this source (one metadata request + one values:batchGet for all tabs)
with the pattern most Streamlit tutorials use (`open_by_key`, then
`worksheet(name).get_all_records()` per tab), times how long the source takes to give up when the
API answers 429 forever (real waiting), then runs the dashboard's own cached loader
(`ui.context.dataset`) from 20 threads at once, before and after the TTL. Prints tables; never fails.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import gspread  # noqa: E402
import responses  # noqa: E402

from data_sources import GoogleAccess, GoogleSheetsSource, SheetsClient, SourceError  # noqa: E402
from monitoring.entry import CONFIG_ENV  # noqa: E402
from monitoring.model.contract import TABS  # noqa: E402
from tests.fixtures.sheets.fake_api import (  # noqa: E402
    SAMPLE,
    FakeSheetsAPI,
    Sheet,
    error,
    sheet_from_workbook,
    write_config,
)

KEY = "1SpInItSampleWorkbookAsAGoogleSheet000000000"
API_KEY = "AIzaSyBENCHMARK-fake-key-000000000000000"


def contract_sheet() -> Sheet:
    sheet = sheet_from_workbook(SAMPLE, KEY, "SpinIT monitoring")
    return Sheet(KEY, sheet.title, {name: rows for name, rows in sheet.tabs.items() if name in TABS})


def this_source(api: FakeSheetsAPI) -> None:
    GoogleSheetsSource(KEY, SheetsClient(GoogleAccess(api_key=API_KEY))).read()


def per_worksheet(api: FakeSheetsAPI) -> None:
    spreadsheet = gspread.api_key(API_KEY).open_by_key(KEY)
    for name in TABS:
        spreadsheet.worksheet(name).get_all_records()


def refresh_row(label: str, read: Callable[[FakeSheetsAPI], None], latency: float) -> list[str]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        api = FakeSheetsAPI(mock, contract_sheet(), latency=latency)
        start = time.perf_counter()
        try:
            read(api)
            outcome = ""
        except Exception as exc:  # a benchmark reports, it does not fail
            outcome = f" (failed: {type(exc).__name__})"
        seconds = time.perf_counter() - start
    data = api.count("batch") + api.count("values")
    return [label + outcome, str(api.count("sheets")), str(data), f"{seconds:.2f}"]


def failing_row(latency: float) -> list[str]:
    """Real waiting (no injected sleep) until the source gives up on an API that answers 429 forever."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        api = FakeSheetsAPI(mock, contract_sheet(), latency=latency)
        api.fail(error(429), times=None)
        start = time.perf_counter()
        try:
            this_source(api)
            outcome = "read (unexpected)"
        except SourceError as exc:
            outcome = type(exc).__name__
        seconds = time.perf_counter() - start
    return [f"HTTP 429 on every request -> {outcome}", str(api.count("sheets")), f"{seconds:.1f}"]


def sessions_rows(sessions: int, latency: float, ttl: int) -> list[list[str]]:
    """Waves of `sessions` threads calling the dashboard's cached loader: cold, warm, after the TTL."""
    import streamlit as st
    from streamlit import config as streamlit_config
    from streamlit.logger import set_log_level

    from ui import context

    streamlit_config.get_option("logger.level")  # parse the config now, so it does not reset the level below
    set_log_level("error")  # "missing ScriptRunContext": these threads are not browser sessions
    rows = []
    with tempfile.TemporaryDirectory() as folder, responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        config = write_config(
            Path(folder), kind="google_sheets", spreadsheet=KEY, cache_ttl_seconds=ttl, data_dir=str(Path(folder))
        )
        saved = {k: os.environ.get(k) for k in (CONFIG_ENV, "GOOGLE_API_KEY", "GOOGLE_SERVICE_ACCOUNT_FILE")}
        os.environ.update({CONFIG_ENV: str(config), "GOOGLE_API_KEY": API_KEY})
        os.environ.pop("GOOGLE_SERVICE_ACCOUNT_FILE", None)
        st.cache_data.clear()
        st.cache_resource.clear()
        api = FakeSheetsAPI(mock, contract_sheet(), latency=latency)
        try:

            def wave(label: str) -> None:
                before = api.count("sheets")
                waits: list[float] = []
                errors: list[str] = []

                def session() -> None:
                    start = time.perf_counter()
                    try:
                        context.dataset()
                    except Exception as exc:
                        errors.append(type(exc).__name__)
                    waits.append(time.perf_counter() - start)

                threads = [threading.Thread(target=session) for _ in range(sessions)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                time.sleep(4 * latency + 0.2)  # let a background refresh finish before counting
                failed = f" ({len(errors)} failed: {errors[0]})" if errors else ""
                rows.append([label + failed, str(api.count("sheets") - before), f"{max(waits):.2f}"])

            wave(f"{sessions} sessions open the dashboard (cold)")
            wave(f"{sessions} more sessions within the TTL")
            time.sleep(ttl + 0.1)
            wave(f"{sessions} sessions after the TTL (background refresh)")
            wave(f"{sessions} sessions after that refresh")
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            st.cache_data.clear()
            st.cache_resource.clear()
    return rows


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per mocked request (default 0.1)")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--ttl", type=int, default=5, help="cache TTL in seconds for the sessions run (default 5)")
    args, _ = parser.parse_known_args(argv)  # benchmarks/run.py runs this file with its own arguments
    warnings.filterwarnings("ignore")

    print(f"Sheets API requests per refresh, {len(TABS)} tabs, {args.latency:.2f} s per request")
    rows = [
        refresh_row("this source: metadata + one values:batchGet", this_source, args.latency),
        refresh_row("tutorial: open_by_key + worksheet(tab).get_all_records()", per_worksheet, args.latency),
    ]
    print(table(["pattern", "requests", "data requests", "seconds"], rows))
    print()
    print("When Google keeps failing (real waiting; the bound is 30 s)")
    print(table(["case", "requests", "seconds to the answer"], [failing_row(args.latency)]))
    print()
    print(f"Dashboard loader (ui.context.dataset) with {args.sessions} concurrent sessions, TTL {args.ttl} s")
    try:
        session_rows = sessions_rows(args.sessions, args.latency, args.ttl)
    except Exception as exc:  # a benchmark reports, it does not fail
        session_rows = [[f"could not run ({type(exc).__name__}: {exc})", "-", "-"]]
    print(table(["wave", "Sheets requests", "slowest session (s)"], session_rows))


if __name__ == "__main__":
    main(sys.argv[1:])
