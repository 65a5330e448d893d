"""The benchmark suite: `python -m benchmarks.run` prints every figure of the README's performance table.

It never fails on a slow machine: it prints numbers. Browser figures are ratios to an empty
Streamlit page (one `st.write("hello")`) measured in the same run, because these machines are
shared and noisy. Sections can be picked: `python -m benchmarks.run engine pages browser load`.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.synthetic import scaled_tabs, write_workbook
from data_sources import source_for
from monitoring.dataset import build_dataset
from monitoring.model.config import load_settings

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("engine", "pages", "browser", "slides", "elements", "load", "sheets")
WORK = Path(tempfile.gettempdir()) / "spinit-bench"


def _timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median seconds of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def workbooks() -> dict[str, Path]:
    """The sample and the synthetic workbooks (made once per machine, in the temp folder)."""
    WORK.mkdir(exist_ok=True)
    books = {"sample": ROOT / "data" / "sample" / "spinit-sample.xlsx"}
    for label, factor, rows in (("10x", 10, None), ("100x", 100, None), ("100k activities", 1, 100_000)):
        path = WORK / f"{label.replace(' ', '-')}.xlsx"
        if not path.exists():
            write_workbook(scaled_tabs(factor, rows), path)
        books[label] = path
    return books


def bench_engine() -> None:
    settings = load_settings(ROOT / "indicators.yaml")
    print("\n1. Load + clean + measure (median of 3, seconds)")
    print(f"{'data':<18}{'orgs':>7}{'activities':>12}{'read':>8}{'clean+measure':>15}{'progress':>10}{'total':>8}")
    for label, path in workbooks().items():
        raw = source_for(path).read()
        read = _timed(lambda path=path: source_for(path).read())
        data = build_dataset(settings, raw, sample=False)
        build = _timed(lambda raw=raw: build_dataset(settings, raw, sample=False))
        as_of = data.default_as_of()
        progress = _timed(lambda data=data, as_of=as_of: data.progress(as_of))
        c = data.counts()
        total = read + build + progress
        print(
            f"{label:<18}{c['organisations']:>7}{c['activities']:>12}{read:>8.2f}{build:>15.2f}{progress:>10.3f}"
            f"{total:>8.2f}"
        )


def _page_files() -> list[str]:
    return sorted(p.name for p in (ROOT / "app_pages").glob("*.py"))


def bench_pages() -> None:
    from streamlit.testing.v1 import AppTest

    print("\n2. Page script time, warm (AppTest, median of 3 runs, seconds; ratio to an empty page)")
    empty = AppTest.from_file(str(ROOT / "benchmarks" / "empty_app.py"), default_timeout=120).run()
    empty_time = _timed(empty.run)
    print(f"{'empty page':<22}{empty_time:>8.3f}")
    books = workbooks()
    for label in ("sample", "100x"):
        os.environ["SPINIT_SOURCE"] = str(books[label]) if label != "sample" else ""
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
        print(f"-- {label}")
        for page in _page_files():
            at.switch_page(f"app_pages/{page}").run()
            seconds = _timed(at.run)
            flag = " EXCEPTION" if at.exception else ""
            print(f"   {page:<19}{seconds:>8.3f}{seconds / empty_time:>8.1f}x{flag}")
    os.environ.pop("SPINIT_SOURCE", None)


def _url_paths() -> list[str]:
    import re

    return re.findall(r'url_path="([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _settle_seconds(browser, url: str, context=None) -> float:
    """Seconds from opening `url` to a settled page: in a fresh browser context (cold HTTP cache), or in
    `context`, a context that has loaded the app before (warm cache, as for a returning viewer)."""
    from tests.e2e.harness import settle

    own = context is None
    context = context or browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    settle(page, draw_ms=0)
    seconds = time.perf_counter() - start
    page.close()
    if own:
        context.close()
    return seconds


IN_APP_MOVE = """path => new Promise(resolve => {
  const first = document.querySelector('[data-testid=stApp]');
  const start = performance.now();
  let ran = false;
  let poll = null;
  const finish = value => { observer.disconnect(); clearInterval(poll); resolve(value); };
  const check = () => {
    const app = document.querySelector('[data-testid=stApp]');
    const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
    if (ran && idle && !document.querySelector('[data-testid=stSkeleton]')) finish((performance.now() - start) / 1000);
    else if (performance.now() - start > 60000) finish(NaN);
  };
  // Every change of the script state is in the records, even when several come in one batch; some
  // page switches draw a new app element instead. A 50 ms poll catches a last change seen by neither.
  const observer = new MutationObserver(records => {
    const app = document.querySelector('[data-testid=stApp]');
    if (app !== first || records.some(r => r.attributeName === 'data-test-script-state')) ran = true;
    check();
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true});
  poll = setInterval(check, 50);
  history.pushState({}, '', '/' + path);
  dispatchEvent(new PopStateEvent('popstate'));
})"""


def _in_app_seconds(context, base: str, paths: list[str], rounds: int = 3) -> dict[str, float]:
    """Median seconds to settle after moving to each page inside one open tab (as the top menu does:
    the URL changes and Streamlit switches page without loading the document again)."""
    from tests.e2e.harness import settle

    page = context.new_page()
    page.goto(f"{base}/{paths[-1]}")
    settle(page, draw_ms=0)
    times: dict[str, list[float]] = {path: [] for path in paths}
    for _ in range(rounds):
        for path in paths:
            times[path].append(page.evaluate(IN_APP_MOVE, path))
            page.wait_for_timeout(500)  # let the previous page finish drawing (deck.gl)
    page.close()
    # A move that did not settle within 60 s is NaN; the median is of the moves that did.
    return {path: statistics.median([v for v in values if v == v] or [float("nan")]) for path, values in times.items()}


def bench_browser(rounds: int = 3) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.harness import launch, running_app

    print(f"\n3. Time to settle in the browser (median of {rounds}, seconds; ratio to the empty page)")
    print("   cold: a fresh browser context each time; warm: the browser has loaded the app before;")
    print("   in app: moving to the page from another page of the same tab (the top menu, Back, a tile's link).")
    print("   The empty page is measured again beside every page (the machine's speed drifts within a run):")
    print("   each ratio is to the empty page's median of the same rounds.")
    print("5. Server memory after visiting every page")
    with sync_playwright() as p:
        browser = launch(p)
        with running_app("benchmarks/empty_app.py") as empty, running_app() as app:
            empty_warm_context = browser.new_context(viewport={"width": 1366, "height": 768})
            warm_context = browser.new_context(viewport={"width": 1366, "height": 768})
            _settle_seconds(browser, empty.url, empty_warm_context)
            for path in _url_paths():  # warm every page once
                _settle_seconds(browser, f"{app.url}/{path}", warm_context)
            in_app = _in_app_seconds(warm_context, app.url, _url_paths())
            print(f"{'page':<22}{'cold':>8}{'ratio':>8}{'warm':>8}{'ratio':>8}{'in app':>8}{'ratio':>8}{'empty':>13}")
            ratios: dict[str, list[float]] = {"cold": [], "warm": []}
            for path in _url_paths():
                times: dict[str, list[float]] = {"empty cold": [], "cold": [], "empty warm": [], "warm": []}
                for _ in range(rounds):  # interleaved, so the empty page and the page meet the same machine
                    times["empty cold"].append(_settle_seconds(browser, empty.url))
                    times["cold"].append(_settle_seconds(browser, f"{app.url}/{path}"))
                    times["empty warm"].append(_settle_seconds(browser, empty.url, empty_warm_context))
                    times["warm"].append(_settle_seconds(browser, f"{app.url}/{path}", warm_context))
                m = {k: statistics.median(v) for k, v in times.items()}
                ratios["cold"].append(m["cold"] / m["empty cold"])
                ratios["warm"].append(m["warm"] / m["empty warm"])
                inside = in_app[path]
                print(
                    f"   /{path:<18}{m['cold']:>8.2f}{ratios['cold'][-1]:>7.2f}x{m['warm']:>8.2f}{ratios['warm'][-1]:>7.2f}x"
                    + (f"{inside:>8.2f}{inside / m['empty warm']:>7.2f}x" if inside == inside else f"{'—':>8}{'':>8}")
                    + f"{m['empty cold']:>7.2f}/{m['empty warm']:.2f}"
                )
            for kind, values in ratios.items():
                met = sum(v <= 1.5 for v in values)
                print(f"   {kind}: {met} of {len(values)} pages within 1.5x; worst {max(values):.2f}x")
            warm_context.close()
            empty_warm_context.close()
            print(f"resident memory after every page: {_rss_mb(app.pid):.0f} MB")
        browser.close()


def _slide_paths() -> list[tuple[str, str]]:
    """(name, path with query) of every slide of the project's agenda as the agenda bar links them, and the Map's
    tabs; the pages of the old fixed agenda where a configuration declares none."""
    import urllib.parse

    from monitoring.model.config import load_settings

    settings = load_settings(ROOT / "indicators.yaml")
    try:
        from monitoring.outputs.agenda import parse_agenda

        steps = [(i.word, i.page, dict(i.params)) for i in parse_agenda(settings.meeting.agenda)]
    except (ImportError, AttributeError):  # before the agenda was declared
        steps = [(p or "overview", p, {}) for p in ("", "map", "cooperation", "action-plans", "pilots", "attention")]
    steps += [(f"map: {tab}", "map", {"view": tab}) for tab in ("By country", "All links")]
    return [
        (name, f"{page}?" + urllib.parse.urlencode({"present": "1", "slide": k, **params}))
        for k, (name, page, params) in enumerate(steps, start=1)
    ]


def bench_slides(rounds: int = 3) -> None:
    """Each slide of the steering committee's agenda on a warm server and a warm browser: a full load of its link,
    and moving to it inside the open tab (as Next does), each as a ratio to the empty page measured beside it."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.harness import launch, running_app

    print(f"\n3b. Presentation slides, warm server and browser (median of {rounds}, seconds; ratio to the empty page)")
    slides = _slide_paths()
    with sync_playwright() as p:
        browser = launch(p)
        with running_app("benchmarks/empty_app.py") as empty, running_app() as app:
            empty_context = browser.new_context(viewport={"width": 1366, "height": 768})
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            _settle_seconds(browser, empty.url, empty_context)
            for _, path in slides:  # warm the server's caches and the browser's
                _settle_seconds(browser, f"{app.url}/{path}", context)
            moves = _in_app_seconds(context, app.url, [path for _, path in slides], rounds)
            print(f"{'slide':<22}{'load':>8}{'ratio':>8}{'move':>8}{'ratio':>8}{'empty':>8}")
            ratios: list[float] = []
            for name, path in slides:
                times: dict[str, list[float]] = {"empty": [], "slide": []}
                for _ in range(rounds):
                    times["empty"].append(_settle_seconds(browser, empty.url, empty_context))
                    times["slide"].append(_settle_seconds(browser, f"{app.url}/{path}", context))
                m = {k: statistics.median(v) for k, v in times.items()}
                ratios.append(m["slide"] / m["empty"])
                move = moves[path]
                print(
                    f"   {name:<19}{m['slide']:>8.2f}{ratios[-1]:>7.2f}x"
                    + (f"{move:>8.2f}{move / m['empty']:>7.2f}x" if move == move else f"{'—':>8}{'':>8}")
                    + f"{m['empty']:>8.2f}"
                )
            print(
                f"   {sum(r <= 1.5 for r in ratios)} of {len(ratios)} slides load within 1.5x; worst {max(ratios):.2f}x"
            )
            context.close()
            empty_context.close()
        browser.close()


ELEMENT_APPS = {
    "empty page (st.write)": "",
    "st.dataframe, 10 rows": "st.dataframe(pd.DataFrame({'a': range(10), 'b': list('abcdefghij')}))",
    "st.table, 10 rows": "st.table(pd.DataFrame({'a': range(10), 'b': list('abcdefghij')}))",
    "st.altair_chart": "st.altair_chart(alt.Chart(pd.DataFrame({'a': range(9)})).mark_bar().encode(x='a'))",
    "9 x st.vega_lite_chart": "for i in range(9):\n    st.vega_lite_chart({'data': {'values': [{'a': i}]}, "
    "'mark': 'bar', 'encoding': {'x': {'field': 'a', 'type': 'quantitative'}}})",
    "st.html, 9 SVG tiles": 'st.html(\'\'.join(f\'<div><b>T{i}</b><svg width="300" height="30"><rect width="\''
    ' + str(30 * i) + \'" height="20"/></svg></div>\' for i in range(9)))',
    "st.selectbox + st.date_input": "st.selectbox('Period', [1, 2, 3])\nst.date_input('As of')",
    "the same in a closed st.popover": "with st.popover('As of'):\n    st.selectbox('Period', [1, 2, 3])\n"
    "    st.date_input('As of')",
    "st.metric x 6": "for c in st.columns(6):\n    c.metric('Count', 30)",
    "st.pydeck_chart": "st.pydeck_chart(pdk.Deck(layers=[pdk.Layer('ScatterplotLayer', data=[{'p': [21, 45]}], "
    "get_position='p', get_radius=9000)], map_provider=None, initial_view_state=pdk.ViewState(latitude=45, "
    "longitude=21, zoom=4)))",
}


def bench_elements() -> None:
    """What one element type adds to the time to settle: a page with `st.write("hello")` and that element."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.harness import launch, running_app

    print("\n3b. What one element adds to an empty page's time to settle (warm, median of 5, seconds)")
    folder = WORK / "elements"
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        base = None
        for label, code in ELEMENT_APPS.items():
            slug = re.sub(r"\W+", "_", label).strip("_")
            script = folder / f"app_{slug}.py"
            header = "import altair as alt\nimport pandas as pd\nimport pydeck as pdk\nimport streamlit as st\n"
            script.write_text(f"{header}st.write('hello')\n{code}\n", encoding="utf-8")
            with running_app(str(script)) as app:
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                for _ in range(2):
                    _settle_seconds(browser, app.url, context)
                seconds = statistics.median(_settle_seconds(browser, app.url, context) for _ in range(5))
                context.close()
            base = base or seconds
            print(f"   {label:<34}{seconds:>6.2f}{seconds / base:>7.2f}x")
        browser.close()


async def _concurrent(url: str, sessions: int) -> list[float]:
    from playwright.async_api import async_playwright

    from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        async def one() -> float:
            context = await browser.new_context(viewport={"width": 1366, "height": 768})
            page = await context.new_page()
            start = time.perf_counter()
            await page.goto(url)
            await page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
                state="attached", timeout=180_000
            )
            await page.wait_for_function(
                "() => document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=180_000
            )
            seconds = time.perf_counter() - start
            await context.close()
            return seconds

        times = await asyncio.gather(*(one() for _ in range(sessions)))
        await browser.close()
        return list(times)


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def bench_load(sessions: int = 20) -> None:
    from tests.e2e.harness import running_app

    print(f"\n6. {sessions} concurrent browser sessions opening the Overview (seconds)")
    with running_app("benchmarks/empty_app.py") as empty:
        empty_times = asyncio.run(_concurrent(empty.url, sessions))
    log = WORK / "load-server.log"
    WORK.mkdir(exist_ok=True)
    with running_app(env={"SPINIT_LOG_READS": "1"}, log=log) as app:
        times = asyncio.run(_concurrent(app.url, sessions))
    reads = sum("spinit: read source" in line for line in log.read_text().splitlines())
    print(
        f"empty page p95 {_p95(empty_times):.1f}   overview p95 {_p95(times):.1f}   "
        f"ratio {_p95(times) / _p95(empty_times):.2f}x   source reads {reads}"
    )


def bench_sheets() -> None:
    print("\n4. Google Sheets requests per refresh")
    script = ROOT / "benchmarks" / "sheets_requests.py"
    if not script.exists():
        print("   (benchmarks/sheets_requests.py not present)")
        return
    import runpy

    runpy.run_path(str(script), run_name="__main__")


def main(argv: list[str]) -> None:
    chosen = [a for a in argv if a in SECTIONS] or list(SECTIONS)
    print(f"SpinIT benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for name in chosen:
        {
            "engine": bench_engine,
            "pages": bench_pages,
            "browser": bench_browser,
            "slides": bench_slides,
            "elements": bench_elements,
            "load": bench_load,
            "sheets": bench_sheets,
        }[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
