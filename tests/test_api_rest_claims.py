"""``POST /api/claims`` on real servers: 403 when writing is off, 401 without the token, 201 for a
valid batch (then visible in the API), 422 with the SHACL report for an invalid one (nothing written)."""

from __future__ import annotations

import httpx
import pytest
from openness import mint
from openness.claims import ClaimSpec, EvidenceSpec, add_claim
from openness.namespaces import OG, SPECTRUM
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS
from server_fixtures import build_store

pytestmark = pytest.mark.server
TOKEN = "test-token-5b"


def claim_batch(release: str, criterion=SPECTRUM.Standards) -> Graph:
    g = Graph()
    agent = mint.agent_iri("API test reviewer")
    g.add((agent, RDF.type, OG.Organization))
    g.add((agent, RDFS.label, Literal("API test reviewer")))
    add_claim(
        g,
        ClaimSpec(
            about=mint.iri("release", release),
            criterion=criterion,
            status="partial",
            claimant=agent,
            asserted_on="2025-01-15",
            evidence=[
                EvidenceSpec(
                    source="https://example.org/review",
                    retrieved="2025-01-15",
                    quote="exports to an open format, but the API is proprietary",
                )
            ],
        ),
    )
    return g


def quad_count(url: str) -> str:
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    return httpx.post(f"{url}/sparql", data={"query": query}, headers={"Accept": "text/csv"}).text


@pytest.fixture(scope="module")
def writable(server_factory, tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("claims") / "store")
    return server_factory(store, update_token=TOKEN).url


def test_writing_disabled_is_403(live_server: str) -> None:
    r = httpx.post(
        f"{live_server}/api/claims",
        content=b"x",
        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 403 and "disabled" in r.json()["detail"]


def test_token_media_type_and_body_errors(writable: str) -> None:
    ttl = claim_batch("llama-2").serialize(format="turtle").encode()
    r = httpx.post(f"{writable}/api/claims", content=ttl, headers={"Content-Type": "text/turtle"})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = httpx.post(
        f"{writable}/api/claims",
        content=ttl,
        headers={"Content-Type": "text/turtle", "Authorization": "Bearer wrong"},
    )
    assert r.status_code == 403  # the service's one check: a wrong token is forbidden, as on /sparql
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert (
        httpx.post(
            f"{writable}/api/claims", content=ttl, headers={**auth, "Content-Type": "image/png"}
        ).status_code
        == 415
    )
    bad = httpx.post(
        f"{writable}/api/claims", content=b"@prefix broken", headers={**auth, "Content-Type": "text/turtle"}
    )
    assert bad.status_code == 400 and "api-claims-" in bad.json()["detail"]


def test_valid_batch_is_201_and_visible(writable: str) -> None:
    with httpx.Client(base_url=writable, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        release = client.get("/api/releases", params={"limit": 1}).json()["items"][0]
        before = client.get(f"/api/releases/{release['id']}").json()
        batch = claim_batch(release["id"])
        r = client.post(
            "/api/claims",
            content=batch.serialize(format="turtle").encode(),
            headers={"Content-Type": "text/turtle"},
        )
        assert r.status_code == 201, r.text
        added = r.json()
        claims = {str(c) for c in batch.subjects(RDF.type, OG.Claim)}
        assert set(added["claims"]) == claims and added["triples"] == len(batch) and added["graphs"]
        after = client.get(f"/api/releases/{release['id']}").json()
        assert after["claim_count"] == before["claim_count"] + 1
        assert str(SPECTRUM.Standards) in {c["criterion"]["iri"] for c in after["criteria"]}
        page = client.get(f"/page/release/{release['id']}")
        assert "exports to an open format, but the API is proprietary" in page.text


def test_invalid_batch_is_422_with_report_and_writes_nothing(writable: str) -> None:
    with httpx.Client(base_url=writable, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        release = client.get("/api/releases", params={"limit": 1}).json()["items"][0]
        batch = claim_batch(release["id"], SPECTRUM.InputTransparency)  # a claim nobody made yet
        claim = next(batch.subjects(RDF.type, OG.Claim))
        batch.remove((claim, OG.status, None))  # a claim must have exactly one status
        before = quad_count(writable)
        r = client.post(
            "/api/claims",
            content=batch.serialize(format="turtle").encode(),
            headers={"Content-Type": "text/turtle"},
        )
        assert r.status_code == 422, r.text
        report = r.json()
        assert report["conforms"] is False and report["violations"] >= 1
        assert any(res["focus_node"] == str(claim) for res in report["results"])
        assert quad_count(writable) == before
