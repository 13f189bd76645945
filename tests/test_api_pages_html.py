"""The HTML pages on the real server: model timeline, organization page, home search, query page,
static files. Expectations come from the JSON API and ``/sparql`` of the same server."""

from __future__ import annotations

import re

import httpx
import pytest

pytestmark = pytest.mark.server
OG = "https://w3id.org/openness/ns#"


@pytest.fixture(scope="module")
def web(live_server: str):
    with httpx.Client(base_url=live_server, timeout=60) as client:
        yield client


def test_model_page_lists_its_releases_oldest_first(web: httpx.Client) -> None:
    releases = web.get("/api/releases", params={"limit": 500}).json()["items"]
    rel = next(r for r in releases if r["model"])
    model_path = "/page/" + rel["model"]["iri"].split("/id/", 1)[1]
    page = web.get(model_path)
    assert page.status_code == 200 and "oldest first" in page.text
    siblings = [r for r in releases if r["model"] and r["model"]["iri"] == rel["model"]["iri"]]
    for r in siblings:
        assert f'href="{r["page"]}"' in page.text
    dates = re.findall(r"<time>([^<]+)</time>", page.text)
    known = [d for d in dates if d[0].isdigit()]
    assert known == sorted(known)


def test_organization_page(web: httpx.Client) -> None:
    releases = web.get("/api/releases", params={"limit": 500}).json()["items"]
    dev = next(d for r in releases for d in r["developers"])
    page = web.get("/page/" + dev["iri"].split("/id/", 1)[1])
    assert page.status_code == 200 and dev["label"] in page.text and "Developed" in page.text
    developed = [r for r in releases if any(d["iri"] == dev["iri"] for d in r["developers"])]
    assert any(f'href="{r["page"]}"' in page.text for r in developed)


def test_home_search_and_not_assessed_wording(web: httpx.Client) -> None:
    releases = web.get("/api/releases", params={"limit": 500}).json()["items"]
    target = releases[-1]
    page = web.get("/", params={"q": target["label"]})
    assert page.status_code == 200 and f'href="{target["page"]}"' in page.text
    others = [r for r in releases if target["label"].lower() not in r["label"].lower()]
    assert all(f'href="{r["page"]}"' not in page.text for r in others)
    assert "No release matches" in web.get("/", params={"q": "zz-nothing-matches-zz"}).text


def test_query_page_carries_the_example_queries_and_local_yasgui(web: httpx.Client) -> None:
    page = web.get("/query")
    assert page.status_code == 200
    assert "/static/vendor/yasgui/yasgui.min.js" in page.text and "cdn" not in page.text.lower()
    assert "Releases per spectrum tier" in page.text  # the title line of the first example
    assert '<option value="0">Releases per spectrum tier' in page.text  # preselected
    assert "/static/vendor/vega/vega-embed.min.js" in page.text and "/static/query-chart.js" in page.text
    assert "<code>og:</code>" in page.text and "<code>derived:</code>" in page.text  # predeclared
    js = web.get("/static/vendor/yasgui/yasgui.min.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert web.get("/static/vendor/yasgui/LICENSE").status_code == 200
    assert web.get("/static/../views.py").status_code == 404
    assert web.get("/static/%2e%2e/views.py").status_code == 404


def test_api_docs_work_offline(web: httpx.Client) -> None:
    """/docs is Swagger UI with every asset from this server (issue 11: blank offline before)."""
    page = web.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/static/vendor/swagger-ui/") for a in assets), assets
    for asset in assets:
        assert web.get(asset).status_code == 200, asset
    assert "Apache License" in web.get("/static/vendor/swagger-ui/LICENSE").text
    assert web.get("/redoc").status_code == 404  # ReDoc would load from a CDN: not offered
    assert web.get("/openapi.json").json()["info"]["title"] == "openness-graph"
