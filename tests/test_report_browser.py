"""The cohort report in a real browser: headless Chromium driven by Selenium, on the bundled
examples (the demo's report) and on a benchmark cohort. The page loads from file:// with no
console errors, its key elements are there and readable, a screenshot is not blank, and its
print layout fits an A4 page.

Needs Debian's `chromium` and `chromium-driver` (or CHROMIUM / CHROMEDRIVER naming them):
skipped where they are absent, unless APCOMPLIANCE_REQUIRE_BROWSER=1 (set by .ci/run), where
that is a failure. Screenshots are kept in APCOMPLIANCE_ARTEFACTS, if set, else in a temporary
folder (its path is printed with -s, and in the report of a failing test)."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
from pathlib import Path

import pytest

from apcompliance import SchoolCalendar
from apcompliance.cli import main
from apcompliance.evaluation.cohort import read_jsonl
from apcompliance.outputs.report import cohort_report, write_report
from benchmarks.cohort import DEFAULT_AS_OF, generate, write_jsonl

pytestmark = pytest.mark.browser

BENCHMARK_CASES = 300
A4_WIDTH_PT = 595.28
MARGIN_IN = 12 / 25.4
"""The report's @page margin: 12 mm."""
PRINTABLE_CSS_PX = (210 - 2 * 12) / 25.4 * 96
"""The width of A4 less its margins, in CSS pixels (96 per inch)."""

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def _program(env: str, *candidates: str) -> str | None:
    for name in (os.environ.get(env), *candidates):
        if name and (found := shutil.which(name)):
            return found
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("APCOMPLIANCE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"APCOMPLIANCE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    chromium = _program("CHROMIUM", "/usr/bin/chromium", "chromium", "chromium-browser")
    chromedriver = _program("CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver")
    if chromium is None or chromedriver is None:
        _unavailable(
            "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install -e '.[test]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,1600")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    browser.set_page_load_timeout(120)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    folder = os.environ.get("APCOMPLIANCE_ARTEFACTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("report-screenshots")
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nreport screenshots: {path}")
    return path


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """The demo's report of the bundled examples, and a benchmark cohort's (with a bad line)."""
    folder = tmp_path_factory.mktemp("reports")
    bundled = folder / "bundled.html"
    assert main(["demo", "--json", "--report", str(bundled)]) == 0
    cohort = folder / "benchmark.jsonl"
    write_jsonl(cohort, generate(BENCHMARK_CASES, seed=0))
    with cohort.open("a", encoding="utf-8") as handle:
        handle.write('{"case_id": "BROKEN"}\n')
    benchmark = folder / "benchmark.html"
    report = cohort_report(
        read_jsonl(cohort),
        as_of=DEFAULT_AS_OF,
        calendar=SchoolCalendar.example(),
        source=cohort.name,
    )
    write_report(benchmark, report.html())
    return {"bundled": bundled, "benchmark": benchmark}


@pytest.fixture(scope="module", params=["bundled", "benchmark"])
def page(request, driver, reports):
    """The report opened from disk; the console's messages until then."""
    driver.get(reports[request.param].as_uri())
    return request.param, driver, driver.get_log("browser")


def test_the_page_loads_from_disk_with_no_console_errors(page):
    name, driver, log = page
    assert driver.execute_script("return document.readyState") == "complete"
    assert driver.title.startswith(("Demo:", "Alternative provision"))
    errors = [entry for entry in log if entry["level"] in ("SEVERE", "ERROR")]
    assert errors == [], f"{name}: console errors: {errors}"
    # nothing was fetched: the only resource is the page itself
    fetched = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert fetched == []


def test_the_key_elements_are_present_and_readable(page):
    from selenium.webdriver.common.by import By

    name, driver, _ = page
    sections = driver.find_elements(By.CSS_SELECTOR, "table.section-rates tbody tr")
    assert len(sections) >= 5 and all(r.is_displayed() for r in sections)
    assert re.match(r"^[A-S]$", sections[0].find_element(By.TAG_NAME, "th").text)
    todo = driver.find_elements(By.CSS_SELECTOR, "#todo .holder")
    assert todo and driver.find_elements(By.CSS_SELECTOR, "table.todo-violations tbody tr")
    pupils = driver.find_elements(By.CSS_SELECTOR, "article.pupil")
    svgs = driver.find_elements(By.CSS_SELECTOR, "article.pupil svg.apc-timeline-svg")
    assert len(svgs) == len(pupils) == (2 if name == "bundled" else BENCHMARK_CASES)
    markers = driver.execute_script(
        "return Array.from(document.querySelectorAll('g.apc-marker')).map("
        "g => g.querySelector('title') ? g.querySelector('title').textContent : '')"
    )
    assert markers and all(re.match(r"^\S.*: [a-z ]+, due ", t) for t in markers)
    # readable: body text at least 12px, dark on light; the first timeline drawn wide enough
    size, colour = driver.execute_script(
        "const s = getComputedStyle(document.querySelector('table.section-rates td'));"
        "return [parseFloat(s.fontSize), s.color]"
    )
    assert size >= 12 and colour in ("rgb(27, 31, 36)", "rgba(27, 31, 36, 1)")
    width = driver.execute_script(
        "return document.querySelector('svg.apc-timeline-svg').getBoundingClientRect().width"
    )
    assert width >= 600
    # the words for screen readers are in the page, off screen
    hidden = driver.find_element(By.CSS_SELECTOR, "ul.apc-timeline-text")
    assert hidden.get_attribute("textContent").strip() and hidden.size["width"] <= 1
    if name == "benchmark":
        assert driver.find_element(By.CSS_SELECTOR, "ul.bad-lines").text == (
            f"line {BENCHMARK_CASES + 1}"
        )


def _variety(png: bytes) -> tuple[int, float]:
    """The number of distinct colours in a PNG, and the share of pixels that are not white."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    white = sum(n for n, rgb in colours if min(rgb) >= 250)
    return len(colours), 1 - white / (image.width * image.height)


def test_a_screenshot_is_not_blank(page, artefacts):
    from selenium.webdriver.common.by import By

    name, driver, _ = page
    driver.execute_script("window.scrollTo(0, 0)")
    top = driver.get_screenshot_as_png()
    (artefacts / f"report-{name}-top.png").write_bytes(top)
    colours, ink = _variety(top)
    assert colours > 50 and ink > 0.05, (colours, ink)
    first = driver.find_element(By.CSS_SELECTOR, "article.pupil")
    driver.execute_script("arguments[0].scrollIntoView()", first)
    timeline = driver.get_screenshot_as_png()
    (artefacts / f"report-{name}-timeline.png").write_bytes(timeline)
    colours, ink = _variety(timeline)
    assert colours > 20 and ink > 0.05, (colours, ink)


def test_the_print_layout_fits_an_a4_page(page, artefacts):
    name, driver, _ = page
    pdf = driver.execute_cdp_cmd(
        "Page.printToPDF",
        {
            "paperWidth": 210 / 25.4,
            "paperHeight": 297 / 25.4,
            "marginTop": MARGIN_IN,
            "marginBottom": MARGIN_IN,
            "marginLeft": MARGIN_IN,
            "marginRight": MARGIN_IN,
            "printBackground": True,
            "preferCSSPageSize": True,
        },
    )
    data = base64.b64decode(pdf["data"])
    (artefacts / f"report-{name}.pdf").write_bytes(data)
    assert data.startswith(b"%PDF")
    boxes = {
        tuple(float(v) for v in m)
        for m in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    }
    assert boxes and all(abs(w - A4_WIDTH_PT) < 2 for w, _ in boxes), boxes
    # laid out for print at the printable width, nothing sticks out to the right
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": int(PRINTABLE_CSS_PX),
                "height": 1000,
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )
        overflow = driver.execute_script(
            "const w = document.documentElement.clientWidth;"
            "const wide = Array.from(document.querySelectorAll('body *')).filter(e => {"
            "  const r = e.getBoundingClientRect();"
            "  return r.width > 1 && r.right > w + 1; });"
            "return [document.documentElement.scrollWidth, w,"
            "        wide.slice(0, 5).map(e => e.tagName + '.' + e.className)]"
        )
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    scroll_width, width, wide = overflow
    assert scroll_width <= width + 1 and wide == [], overflow
