"""A real headless browser (Debian's chromium + chromedriver, driven by selenium) on the real server.

The server reads a small store built like ``scripts/screenshots.py`` builds it (its
:func:`build_store`): the bundled examples plus a few real catalogue records — the Model Openness
Tool and both European Open Source AI Index editions on Llama 3 70B Instruct and OLMo — so a
release has MOF progress, the Index's dimensions and claimants who disagree, in seconds rather
than the minutes of ``openness build``. Expectations come from the store itself (opened
read-only: stored assessments, derived graphs, the vocabulary) or from ``/sparql`` of the same
server, never from the page under test.

* the query page runs its preselected example, shows the result as a chart, and a share link
  (YASGUI's, and ``/query?query=``) restores the query;
* a release page shows every verdict's reason, MOF class progress and the Index's twelve
  dimensions in one table, with each claim's notes and links, and "not listed" as such;
* the home page shows the four distributions as charts; a model page groups its releases.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from openness import derive
from openness.namespaces import OG, sparql_prefixes
from openness.resources import ontology_dir, queries_dir
from openness.store import OxigraphStore
from openness.verdicts import read
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.server, pytest.mark.browser]
SHOTS = Path(tempfile.gettempdir())
ROOT = Path(__file__).resolve().parents[1]
READY = "return !!(window.opennessYasgui && window.opennessYasgui.getTab())"
LLAMA = "meta-llama-3-70b-instruct"
OLMO = "olmo-7b"


def _screenshots_module():
    spec = importlib.util.spec_from_file_location("openness_screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


shots = _screenshots_module()


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per module; ``OPENNESS_TEST_BROWSER_STORE=PATH`` uses a copy of a store already
    built by ``build_store`` with the current code (for a developer re-running these tests)."""
    target = tmp_path_factory.mktemp("browser") / "store"
    given = os.environ.get("OPENNESS_TEST_BROWSER_STORE")
    if given:
        shutil.copytree(given, target)
        return target
    return shots.build_store(target)


@pytest.fixture(scope="module")
def server(server_factory, small_store: Path) -> str:
    return server_factory(small_store, timeout=30.0).url


@pytest.fixture(scope="module")
def store(small_store: Path, server: str) -> Iterator[OxigraphStore]:
    """The served store, opened read-only next to the server (for expectations)."""
    opened = OxigraphStore(small_store, read_only=True)
    yield opened
    del opened


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = shots.chromium(tmp_path_factory.mktemp("chromium-profile"), (1280, 1800))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in sorted(ontology_dir().rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def sparql_rows(server: str, query: str) -> list[dict]:
    resp = httpx.post(f"{server}/sparql", data={"query": query},
                      headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]["bindings"]


def first_example() -> str:
    """The query page's preselected example: the first of queries/examples by its '# order:' line."""
    def order(path: Path) -> tuple[int, str]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# order:"):
                return (int(line.split(":", 1)[1]), path.name)
        return (1_000, path.name)

    return min(queries_dir().joinpath("examples").glob("*.rq"), key=order).read_text(encoding="utf-8")


def until(browser: webdriver.Chrome, condition, what: str, timeout: float = 90):
    """Wait for ``condition``; on a timeout, keep a screenshot and the console and say what failed."""
    try:
        return WebDriverWait(browser, timeout).until(condition)
    except TimeoutException:
        shot = SHOTS / f"openness-browser-failed-{what.replace(' ', '-')}.png"
        browser.save_screenshot(str(shot))
        logs = browser.get_log("browser")
        raise AssertionError(f"timed out waiting for {what} at {browser.current_url} (screenshot {shot}; "
                             f"console {logs[-5:]})") from None


def wait_ready(browser: webdriver.Chrome, url: str) -> None:
    browser.get(url)
    until(browser, lambda d: d.execute_script(READY), "the query page")


def run_and_wait_rows(browser: webdriver.Chrome) -> list:
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    return until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr tbody tr"), "result rows")


def chart_bars(browser: webdriver.Chrome) -> list:
    drawn = ".openness-chart[data-rendered] svg"
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, drawn), "the chart")
    return browser.find_elements(By.CSS_SELECTOR, ".openness-chart svg g.mark-rect path")


# --------------------------------------------------------------------------- query page


def test_query_page_first_example_chart_and_share_link(browser: webdriver.Chrome, server: str) -> None:
    wait_ready(browser, f"{server}/query")
    sources = browser.execute_script(
        "return [...document.querySelectorAll('script[src],link[href]')].map(e => e.src || e.href)"
        ".filter(u => !u.startsWith('data:'))")
    assert sources and all(s.startswith(server) for s in sources), sources  # nothing from a CDN
    example = first_example()
    assert browser.execute_script("return window.opennessYasgui.getTab().getQuery()") == example
    expected = sparql_rows(server, example)
    assert expected, "the first example has rows on the small store"
    rows = run_and_wait_rows(browser)
    assert len(rows) == len(expected)

    browser.find_element(By.CSS_SELECTOR, ".yasr .select_chart").click()
    bars = chart_bars(browser)
    assert len(bars) == len(expected)  # one bar per result row
    chart_text = browser.find_element(By.CSS_SELECTOR, ".openness-chart svg").get_attribute("textContent")
    first_column = next(iter(expected[0]))
    assert all(row[first_column]["value"] in chart_text for row in expected)
    browser.save_screenshot(str(SHOTS / "openness-query-chart.png"))

    assert browser.find_elements(By.CSS_SELECTOR, ".yasqe_share")  # YASGUI's share button
    link = browser.execute_script("return window.opennessYasgui.getTab().getShareableLink()")
    assert link.startswith(f"{server}/query")
    wait_ready(browser, link)
    assert browser.execute_script("return window.opennessYasgui.getTab().getQuery()") == example
    assert browser.execute_script("return window.opennessYasgui.getTab().getYasr().selectedPlugin") == "chart"
    assert len(chart_bars(browser)) == len(expected)  # a shared query runs as it opens


def test_query_link_restores_a_query_without_prefix_lines(browser: webdriver.Chrome, server: str) -> None:
    """/query?query=… opens with that query; og: needs no PREFIX line (the endpoint and the editor
    know the project prefixes), so it runs as it is."""
    query = "SELECT ?release ?label WHERE { ?release a og:ModelRelease ; rdfs:label ?label } ORDER BY ?label"
    wait_ready(browser, f"{server}/query?query={quote(query)}")
    assert browser.execute_script("return window.opennessYasgui.getTab().getQuery()") == query
    assert browser.execute_script("return window.opennessYasgui.getTab().getYasqe().queryValid") is True
    rows = until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr tbody tr"), "result rows")
    assert len(rows) == len(sparql_rows(server, query))


# --------------------------------------------------------------------------- release page


def combined_statuses(store: OxigraphStore, release: str) -> dict[str, str]:
    rows = store.select_plain(sparql_prefixes() + f"""SELECT ?k ?st WHERE {{
        GRAPH derived:combined {{ ?cs og:statusOf <{release}> ; og:criterion ?k ; og:status ?st }} }}""")
    return {r["k"]: r["st"] for r in rows}


def release_iri(server: str, slug: str) -> str:
    return httpx.get(f"{server}/api/releases/{slug}", timeout=60).json()["iri"]


def test_release_page_reasons_mof_progress_and_index_table(browser: webdriver.Chrome, server: str,
                                                            store: OxigraphStore, ontology: Graph) -> None:
    iri = release_iri(server, LLAMA)
    stored = {v.framework: v for v in read(store, releases=[iri])}
    assert {"spectrum", "mof", "osaid", "osai-index"} <= set(stored)
    browser.get(f"{server}/page/release/{LLAMA}")
    verdicts = WebDriverWait(browser, 60).until(ec.visibility_of_element_located((By.ID, "verdicts"))).text
    for v in stored.values():
        assert v.reason and v.reason in verdicts.replace("\n", " "), v.reason

    # MOF class progress: one bar per class, its value the stored og:progress node's
    progress = {int(p["mofClass"]): float(p["score"]) for p in stored["mof"].values["progress"]}
    bars = browser.find_elements(By.CSS_SELECTOR, "#mof-progress [role=progressbar]")
    assert len(bars) == 3
    for cls, score in progress.items():
        bar = browser.find_element(
            By.CSS_SELECTOR, f"#mof-progress .mof-class[data-class='{cls}'] [role=progressbar]")
        assert int(bar.get_attribute("aria-valuenow")) == round(100 * score)
    # absent from MOT's listing is "not listed", never closed
    listed = store.select_plain(sparql_prefixes() + f"""SELECT ?k WHERE {{ GRAPH derived:mof-components {{
        ?n og:statusOf <{iri}> ; og:criterion ?k ; og:possibleStatus og:NotListed }} }}""")
    assert listed, "MOT's Llama 3 record leaves components out"
    mof_text = browser.find_element(By.ID, "mof-progress").get_attribute("textContent")
    badges = browser.find_elements(By.CSS_SELECTOR, "#mof-progress .status-notlisted")
    assert len(badges) >= len(listed) and "not listed" in mof_text
    assert all(b.get_attribute("textContent").strip() == "not listed" for b in badges)

    # the Index's twelve dimensions in one table, each with the combined status the score uses
    twelve = {str(d).rsplit("#", 1)[1] for d in ontology.subjects(OG.indexGroup, None)}
    assert len(twelve) == 12
    tables = browser.find_elements(By.CSS_SELECTOR, "#index-table table")
    assert len(tables) == 1
    rows = {r.get_attribute("data-dimension"): r
            for r in tables[0].find_elements(By.CSS_SELECTOR, "tr.dimension")}
    assert twelve <= set(rows)
    combined = combined_statuses(store, iri)
    for dim in twelve:
        status = combined.get(f"https://w3id.org/openness/osai#{dim}")
        if status:
            label = str(ontology.value(OG[status.rsplit("#", 1)[1]], SKOS.prefLabel))
            assert label in rows[dim].find_element(By.CSS_SELECTOR, "td.status").text, dim
    # each claim's notes (the Index's own words) and link (its evidence source)
    notes = store.select_plain(sparql_prefixes() + f"""SELECT ?quote ?source WHERE {{
        GRAPH derived:positions {{ ?p og:statusOf <{iri}> ; og:criterion osai:licenses ; og:usedClaim ?c }}
        ?c og:evidence ?e . ?e og:quote ?quote ; og:sourceIRI ?source }}""")
    assert notes
    licenses = rows["licenses"]
    assert notes[0]["quote"] in licenses.text.replace("\n", " ")
    links = [a.get_attribute("href") for a in licenses.find_elements(By.CSS_SELECTOR, "a.source")]
    assert notes[0]["source"] in links
    # claimants side by side where they disagree
    assert browser.find_elements(By.CSS_SELECTOR, "#positions table.positions tbody tr")
    browser.save_screenshot(str(SHOTS / "openness-release-page.png"))


def test_release_page_full_progress(browser: webdriver.Chrome, server: str, store: OxigraphStore) -> None:
    """OLMo 7B reaches Class I in MOT's record: every bar full, as the stored progress says."""
    stored = read(store, framework="mof", releases=[release_iri(server, OLMO)])
    assert len(stored) == 1
    browser.get(f"{server}/page/release/{OLMO}")
    bars = WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#mof-progress [role=progressbar]"))
    values = sorted(int(b.get_attribute("aria-valuenow")) for b in bars)
    assert values == sorted(round(100 * float(p["score"])) for p in stored[0].values["progress"])
    assert stored[0].label in browser.find_element(By.ID, "verdicts").text


def test_release_page_other_criteria_keep_their_evidence(browser: webdriver.Chrome, server: str) -> None:
    releases = httpx.get(f"{server}/api/releases", params={"limit": 500}, timeout=60).json()["items"]
    release = next(r for r in releases if r["spectrum_tier"])
    browser.get(f"{server}{release['page']}")
    tier = WebDriverWait(browser, 30).until(ec.visibility_of_element_located((By.ID, "spectrum-tier")))
    assert f"tier {release['spectrum_tier']}" in tier.text.lower(), tier.text
    criteria = browser.find_elements(By.CSS_SELECTOR, "article.criterion")
    with_evidence = [c for c in criteria if c.find_elements(By.CSS_SELECTOR, ".evidence blockquote")]
    assert with_evidence, "no criterion shows a quoted passage"
    first = with_evidence[0]
    link = first.find_element(By.CSS_SELECTOR, ".evidence .cite a[rel=external]").get_attribute("href")
    quote_text = first.find_element(By.CSS_SELECTOR, ".evidence blockquote").text
    assert quote_text.strip() and link.startswith("http")


# --------------------------------------------------------------------------- home and model pages


def test_home_page_charts(browser: webdriver.Chrome, server: str, store: OxigraphStore) -> None:
    browser.get(f"{server}/")
    figures = WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#distributions figure img"))
    # one chart per framework of the ontology, named by its key, in display order
    assert [f.get_attribute("src").rsplit("/", 1)[1] for f in figures] == [
        f"{key}.svg" for key in derive.frameworks()]
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")  # load the lazy images
    loaded = "return arguments[0].complete && arguments[0].naturalWidth > 0"
    until(browser, lambda d: all(d.execute_script(loaded, f) for f in figures), "the chart images")
    svg = httpx.get(f"{server}/charts/mof.svg", timeout=60)
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    # the numbers next to the MOF chart are the stored verdicts'
    counts: dict[str, int] = {}
    for v in read(store, framework="mof"):
        counts[v.label] = counts.get(v.label, 0) + 1
    table = browser.find_element(By.CSS_SELECTOR, "#chart-mof table.counts")
    shown = {r.find_element(By.TAG_NAME, "th").get_attribute("textContent"):
             int(r.find_element(By.TAG_NAME, "td").get_attribute("textContent"))
             for r in table.find_elements(By.TAG_NAME, "tr")}
    assert shown == counts
    assert httpx.get(f"{server}/charts/nothing.svg", timeout=30).status_code == 404
    browser.save_screenshot(str(SHOTS / "openness-home-page.png"))


def test_model_page_groups_its_releases(server: str, store: OxigraphStore) -> None:
    detail = httpx.get(f"{server}/api/releases/{OLMO}", timeout=60).json()
    model = detail["model"]["iri"]
    page = httpx.get(f"{server}/page/{model.split('/id/', 1)[1]}", timeout=60).text
    siblings = store.select_plain(sparql_prefixes() + f"""SELECT DISTINCT ?r WHERE {{
        {{ <{model}> og:hasRelease ?r }} UNION {{ ?r og:releaseOf <{model}> }} }}""")
    assert page.count('class="release-card"') == len(siblings) >= 1
    for v in read(store, releases=[r["r"] for r in siblings]):
        assert v.reason in page.replace("&#39;", "'").replace("&amp;", "&"), v.reason


def test_api_verdicts_carry_the_reason(server: str, store: OxigraphStore) -> None:
    detail = httpx.get(f"{server}/api/releases/{LLAMA}", timeout=60).json()
    stored = {str(v.framework): v.reason for v in read(store, releases=[detail["iri"]])}
    reasons = {v["framework"]: v["reason"] for v in detail["verdicts"]}
    assert sorted(reasons.values()) == sorted(stored.values())
    assert json.dumps(detail)  # well-formed


def test_api_disagreement_is_the_stored_contested_flag(server: str, store: OxigraphStore) -> None:
    """A criterion is a disagreement exactly when combine.ru marked its combined status
    og:contested — read from derived:combined, not decided again in Python (an older edition of
    the same claimant, which its newer one replaces, is no disagreement)."""
    contested = {(r["r"], r["k"]) for r in store.select_plain(sparql_prefixes() + """SELECT ?r ?k WHERE {
        GRAPH derived:combined { ?cs og:statusOf ?r ; og:criterion ?k ; og:contested true } }""")}
    assert contested, "MOT and the Index disagree somewhere in the small store"
    releases = httpx.get(f"{server}/api/releases", params={"limit": 500}, timeout=60).json()["items"]
    checked = 0
    for release in releases:
        detail = httpx.get(f"{server}/api/releases/{release['id']}", timeout=60).json()
        for c in detail["criteria"]:
            assert c["disagreement"] == ((detail["iri"], c["criterion"]["iri"]) in contested), c
            checked += 1
    assert checked


def test_api_docs_render_offline(browser: webdriver.Chrome, server: str) -> None:
    """/docs draws the API's operations with Swagger UI served from this server (no CDN)."""
    browser.get(f"{server}/docs")
    operations = until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock"),
                       "operations")
    paths = set(httpx.get(f"{server}/openapi.json", timeout=60).json()["paths"])
    shown = {e.get_attribute("data-path")
             for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    assert operations and shown and shown <= paths
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(u.startswith(server) for u in loaded), loaded


def test_query_page_links_the_service_description_of_the_prefixes(server: str) -> None:
    page = httpx.get(f"{server}/query", timeout=60).text
    assert 'href="/sparql?format=ttl"' in page
    description = httpx.get(f"{server}/sparql?format=ttl", timeout=60).content
    described = Graph().parse(data=description, format="turtle")
    declared = {str(o) for o in described.objects(None, URIRef("http://www.w3.org/ns/shacl#prefix"))}
    assert {"og", "derived", "spectrum", "mof", "osai"} <= declared
    assert all(f"<code>{p}:</code>" in page for p in declared)
