"""Linked data against the real server: every IRI dereferences to HTML and to RDF with its triples.

The IRIs come from the served graph itself (through ``/sparql``), sampled deterministically
across kinds (release, claim, evidence, agent, ...), so the test follows the data, not a list.
"""

from __future__ import annotations

import json
from collections import defaultdict
from urllib.parse import quote

import httpx
import pytest
from openness.namespaces import data_base
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic

pytestmark = pytest.mark.server
BASE = data_base()
CONTEXT = "https://w3id.org/openness/context.jsonld"  # the published context's IRI


def parse_served(client: httpx.Client, content: bytes, parser: str) -> Graph:
    """Parse a served document; JSON-LD must name the published context, which is read from this
    server's /context.jsonld (where its w3id IRI redirects) instead of the network."""
    if parser != "json-ld":
        return Graph().parse(data=content, format=parser)
    doc = json.loads(content)
    assert doc["@context"] == CONTEXT, doc.get("@context")
    doc["@context"] = client.get("/context.jsonld").json()["@context"]
    return Graph().parse(data=json.dumps(doc), format="json-ld")


def sparql_select(url: str, query: str) -> list[dict[str, str]]:
    r = httpx.post(
        f"{url}/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def subject_triples(url: str, iri: str) -> Graph:
    """What the store holds with ``iri`` as subject, read through the SPARQL endpoint."""
    r = httpx.post(
        f"{url}/sparql",
        data={"query": f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"},
        headers={"Accept": "application/n-triples"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return Graph().parse(data=r.text, format="nt")


def sample_iris(url: str, n: int = 100) -> list[str]:
    """Up to ``n`` data IRIs, round-robin over kinds (the path segment after the base), sorted."""
    rows = sparql_select(
        url,
        f"""
        SELECT DISTINCT ?x WHERE {{
          {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }}
          FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{BASE}"))
        }}""",
    )
    by_kind: dict[str, list[str]] = defaultdict(list)
    for iri in sorted(r["x"] for r in rows):
        rest = iri[len(BASE) :]
        kind = "component" if "/component/" in rest else rest.split("/", 1)[0]
        by_kind[kind].append(iri)
    assert {"release", "model", "agent", "claim", "evidence"} <= set(by_kind), sorted(by_kind)
    picked: list[str] = []
    while len(picked) < n and any(by_kind.values()):
        for kind in sorted(by_kind):
            if by_kind[kind] and len(picked) < n:
                # spread over the sorted list: take from the middle outwards, deterministically
                items = by_kind[kind]
                picked.append(items.pop(len(items) // 2))
    return picked


@pytest.fixture(scope="module")
def sample(live_server: str) -> list[str]:
    iris = sample_iris(live_server)
    assert len(iris) >= min(100, 40), f"only {len(iris)} IRIs in the example graph"
    return iris


def test_every_sampled_iri_dereferences_to_html_and_turtle(live_server: str, sample: list[str]) -> None:
    with httpx.Client(base_url=live_server, timeout=30) as client:
        for iri in sample:
            path = "/id/" + iri[len(BASE) :]
            html = client.get(path, headers={"Accept": "text/html"})
            assert html.status_code == 303 and "Accept" in html.headers["vary"], (iri, html.status_code)
            page = client.get(html.headers["location"])
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), iri
            assert f"<code>{iri}</code>" in page.text, f"the page of {iri} does not name its IRI"

            ttl = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=True)
            assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle"), iri
            served = Graph().parse(data=ttl.text, format="turtle")
            expected = subject_triples(live_server, iri)
            node = URIRef(iri)
            for s, p, o in expected:
                if isinstance(o, BNode):
                    assert any(isinstance(x, BNode) for x in served.objects(node, p)), (iri, p)
                else:
                    assert (s, p, o) in served, f"{iri}: Turtle lacks {p} {o}"
            if len(expected) == 0:  # only ever an object: the document shows the incoming links
                assert any(True for _ in served.subject_predicates(node)), iri


def test_format_override_and_every_rdf_syntax(live_server: str, sample: list[str]) -> None:
    iri = next(i for i in sample if "/release/" in i)
    rest = iri[len(BASE) :]
    expected = subject_triples(live_server, iri)
    parsers = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}
    with httpx.Client(base_url=live_server, timeout=30) as client:
        for fmt, parser in parsers.items():
            # ?format= wins over an Accept header that asks for HTML
            r = client.get(f"/id/{rest}?format={fmt}", headers={"Accept": "text/html"})
            assert r.status_code == 303 and r.headers["location"] == f"/data/{rest}.{fmt}"
            doc = client.get(r.headers["location"])
            assert doc.status_code == 200
            graph = parse_served(client, doc.content, parser)
            assert all(t in graph for t in expected if not isinstance(t[2], BNode)), fmt
        html = client.get(f"/id/{rest}?format=html", headers={"Accept": "text/turtle"})
        assert html.headers["location"] == f"/page/{rest}"
        # /data/<rest> negotiates directly and says where the fixed-format document is
        neg = client.get(f"/data/{rest}", headers={"Accept": "application/ld+json;q=0.9, text/turtle;q=0.5"})
        assert neg.status_code == 200 and neg.headers["content-type"].startswith("application/ld+json")
        assert "Accept" in neg.headers["vary"] and neg.headers["content-location"] == f"/data/{rest}.jsonld"


def test_unknown_iri_is_404_and_unacceptable_is_406(live_server: str) -> None:
    with httpx.Client(base_url=live_server, timeout=30) as client:
        assert client.get("/id/release/no-such-release-anywhere").status_code == 404
        assert client.get("/page/release/no-such-release-anywhere").status_code == 404
        assert client.get("/data/release/no-such-release-anywhere.ttl").status_code == 404
        some = sparql_select(
            live_server,
            "PREFIX og: <https://w3id.org/openness/ns#> SELECT ?r WHERE { ?r a og:ModelRelease } LIMIT 1",
        )[0]["r"]
        rest = some[len(BASE) :]
        assert client.get(f"/id/{rest}", headers={"Accept": "image/png"}).status_code == 406
        assert client.get(f"/id/{rest}?format=nonsense").status_code == 400
        # an IRI that tries to break out of the query is refused, not run
        assert client.get("/id/release/x>%20%3Fp%20%3Fo").status_code == 404


def test_ontology_terms_and_external_iris(live_server: str) -> None:
    with httpx.Client(base_url=live_server, timeout=30) as client:
        html = client.get("/ns", headers={"Accept": "text/html"})
        assert html.status_code == 200 and "Accept" in html.headers["vary"]
        assert 'id="ModelRelease"' in html.text and 'id="Open"' in html.text
        ttl = client.get("/ns", headers={"Accept": "text/turtle"})
        assert ttl.headers["content-location"] == "/ns?format=ttl"
        graph = Graph().parse(data=ttl.text, format="turtle")
        assert (URIRef("https://w3id.org/openness/ns#ModelRelease"), None, None) in graph
        spectrum = client.get("/spectrum?format=ttl")
        assert "https://w3id.org/openness/spectrum#Code" in Graph().parse(
            data=spectrum.text, format="turtle"
        ).serialize(format="nt")
        # an IRI that is not ours (an SPDX license, a report URL): described here, linked out
        ext = sparql_select(
            live_server,
            "PREFIX og: <https://w3id.org/openness/ns#> SELECT DISTINCT ?l WHERE "
            "{ ?l ?p ?o FILTER(isIRI(?l) && STRSTARTS(STR(?l), 'http')"
            " && !STRSTARTS(STR(?l), 'https://w3id.org/openness/')) } ORDER BY ?l LIMIT 1",
        )
        assert ext, "the examples describe no external IRI"
        spdx = ext[0]["l"]
        page = client.get(f"/resource?iri={quote(spdx, safe='')}", headers={"Accept": "text/html"})
        assert page.status_code == 200 and f'href="{spdx}"' in page.text
        data = client.get(f"/resource?iri={quote(spdx, safe='')}&format=nt")
        assert f"<{spdx}>" in data.text
        assert (
            client.get("/resource?iri=" + quote("https://example.org/never-mentioned", safe="")).status_code
            == 404
        )


def test_jsonld_uses_the_published_context(live_server: str, sample: list[str]) -> None:
    """Served JSON-LD names the published context by its IRI and is compacted with it (terms, not
    full IRIs); the context is served at a stable address; Turtle and JSON-LD say the same."""
    with httpx.Client(base_url=live_server, timeout=30) as client:
        ctx = client.get("/context.jsonld")
        assert ctx.status_code == 200 and ctx.headers["content-type"].startswith("application/ld+json")
        assert client.get("/context").content == ctx.content
        terms = ctx.json()["@context"]
        for iri in [i for i in sample if "/release/" in i or "/claim/" in i][:4]:
            rest = iri[len(BASE) :]
            doc = client.get(f"/data/{rest}.jsonld")
            body = json.loads(doc.content)
            assert body["@context"] == CONTEXT
            used = set(body) - {"@context"} | {k for node in body.get("@graph", []) for k in node}
            assert used & set(terms), used  # compacted with the context's terms
            turtle = Graph().parse(data=client.get(f"/data/{rest}.ttl").content, format="turtle")
            assert isomorphic(parse_served(client, doc.content, "json-ld"), turtle), iri
