"""A real headless browser (Debian's chromium + chromedriver, driven by selenium) on the real server.

It opens a release page and finds the spectrum tier and the evidence behind a criterion, then runs
a query on the query page (YASGUI, served from this server only) and finds result rows. Screenshots
go to /tmp so a person can look at how the pages read.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.server, pytest.mark.browser]
SHOTS = Path(tempfile.gettempdir())
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1800",
]


def executable(*names: str) -> str:
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    raise RuntimeError(f"none of {names} is installed: apt-get install -y chromium chromium-driver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.binary_location = executable("chromium", "chromium-browser")
    driver = webdriver.Chrome(options=options, service=Service(executable("chromedriver")))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def test_release_page_shows_tier_and_evidence(browser: webdriver.Chrome, live_server: str) -> None:
    releases = httpx.get(f"{live_server}/api/releases", params={"limit": 500}, timeout=60).json()["items"]
    release = next(r for r in releases if r["spectrum_tier"])  # computed live or from a stored assessment
    browser.get(f"{live_server}{release['page']}")
    tier = WebDriverWait(browser, 30).until(ec.visibility_of_element_located((By.ID, "spectrum-tier")))
    assert f"tier {release['spectrum_tier']}" in tier.text.lower(), tier.text
    criteria = browser.find_elements(By.CSS_SELECTOR, "article.criterion")
    assert criteria, "no criterion section on the release page"
    with_evidence = [c for c in criteria if c.find_elements(By.CSS_SELECTOR, ".evidence blockquote")]
    assert with_evidence, "no criterion shows a quoted passage"
    first = with_evidence[0]
    quote = first.find_element(By.CSS_SELECTOR, ".evidence blockquote").text
    link = first.find_element(By.CSS_SELECTOR, ".evidence .cite a[rel=external]").get_attribute("href")
    assert quote.strip() and link.startswith("http")
    assert "retrieved" in first.find_element(By.CSS_SELECTOR, ".evidence .cite").text
    browser.save_screenshot(str(SHOTS / "openness-release-page.png"))


def test_query_page_runs_a_query(browser: webdriver.Chrome, live_server: str) -> None:
    browser.get(f"{live_server}/query")
    wait = WebDriverWait(browser, 60)
    wait.until(
        lambda d: d.execute_script("return !!(window.opennessYasgui && window.opennessYasgui.getTab())")
    )
    # no request may leave this server: every script and stylesheet is local
    sources = browser.execute_script(
        "return [...document.querySelectorAll('script[src],link[href]')].map(e => e.src || e.href)"
    )
    assert sources and all(s.startswith(live_server) for s in sources), sources
    options = browser.find_elements(By.CSS_SELECTOR, "#example option")
    assert len(options) >= 3
    browser.execute_script(
        "window.opennessYasgui.getTab().setQuery("
        "'PREFIX og: <https://w3id.org/openness/ns#>\\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n"
        "SELECT ?release ?label WHERE { ?release a og:ModelRelease ; rdfs:label ?label }"
        " ORDER BY ?label')"
    )
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    rows = wait.until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, ".yasr table.dataTable tbody tr")
            or d.find_elements(By.CSS_SELECTOR, ".yasr tbody tr")
        )
    )
    expected = httpx.get(f"{live_server}/api/releases", params={"limit": 500}, timeout=60).json()["total"]
    assert len(rows) == expected, f"{len(rows)} result rows, {expected} releases"
    text = browser.find_element(By.CSS_SELECTOR, ".yasr").text
    first_label = sorted(
        r["label"] for r in httpx.get(f"{live_server}/api/releases", params={"limit": 500}).json()["items"]
    )[0]
    assert first_label in text
    browser.save_screenshot(str(SHOTS / "openness-query-page.png"))


def test_home_page_chart(browser: webdriver.Chrome, live_server: str) -> None:
    browser.get(f"{live_server}/")
    chart = WebDriverWait(browser, 30).until(ec.visibility_of_element_located((By.CSS_SELECTOR, "svg.chart")))
    bars = chart.find_elements(By.CSS_SELECTOR, "rect.bar.computed")
    assert len(bars) == 5
    releases = httpx.get(f"{live_server}/api/releases", params={"limit": 500}, timeout=60).json()["items"]
    for tier in range(1, 6):
        n = sum(1 for r in releases if r["spectrum_tier"] == tier)
        label = bars[tier - 1].find_element(By.TAG_NAME, "title").get_attribute("textContent")
        assert label.startswith(f"Tier {tier}: {n} "), label
    browser.save_screenshot(str(SHOTS / "openness-home-page.png"))
