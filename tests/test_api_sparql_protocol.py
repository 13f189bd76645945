"""The SPARQL 1.1 Protocol against a real ``openness serve`` process (the ``live_server`` fixture).

Expectations come from the store itself, opened read-only by the test, never from hard-coded
counts: each test would fail if the endpoint dropped, duplicated or mis-serialized results.
"""

from __future__ import annotations

import csv
import io
import json

import httpx
import pyoxigraph as ox
import pytest
from openness.namespaces import project_prefixes
from openness.store import OxigraphStore
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

pytestmark = pytest.mark.server

ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
CONSTRUCT_ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture(scope="module")
def expected(live_server_store, live_server) -> dict[str, object]:
    """Facts about the served store, read directly (read-only) from its files, with the same
    default graph the service uses (``OxigraphStore.default_dataset``: the merge of the source
    graphs plus the current derived graphs)."""
    wrapper = OxigraphStore(live_server_store, read_only=True)
    store = wrapper.native
    graphs = sorted(g.value for g in store.named_graphs())
    per_graph = {
        g: sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(g))) for g in graphs
    }
    dataset = wrapper.default_dataset()
    rows = len(list(store.query(ALL, default_graph=dataset)))
    union = len({(r["s"], r["p"], r["o"]) for r in store.query(ALL, default_graph=dataset)})
    del store, wrapper
    return {"graphs": graphs, "per_graph": per_graph, "union": union, "rows": rows}


def get(base: str, **params: object) -> httpx.Response:
    headers = params.pop("headers", None)
    return httpx.get(f"{base}/sparql", params=params, headers=headers, timeout=30)  # type: ignore[arg-type]


def rows_of(resp: httpx.Response, fmt: ox.QueryResultsFormat) -> int:
    if fmt == ox.QueryResultsFormat.CSV:  # lossy: Oxigraph does not parse it back; the csv module does
        return len(list(csv.reader(io.StringIO(resp.text)))) - 1
    return len(list(ox.parse_query_results(resp.content, format=fmt)))


def test_store_has_data(expected) -> None:
    assert expected["union"] > 50 and len(expected["graphs"]) >= 2


# --------------------------------------------------------------------------- the three ways to ask


def test_get_post_form_and_post_direct_give_the_same_rows(live_server: str, expected) -> None:
    by_get = get(live_server, query=ALL)
    by_form = httpx.post(f"{live_server}/sparql", data={"query": ALL}, timeout=30)
    by_direct = httpx.post(
        f"{live_server}/sparql",
        content=ALL.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    bodies = []
    for resp in (by_get, by_form, by_direct):
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"].startswith("application/sparql-results+json")
        assert resp.headers["x-openness-truncated"] == "false"
        document = resp.json()
        assert document["head"]["vars"] == ["s", "p", "o"]
        bodies.append(sorted(json.dumps(b, sort_keys=True) for b in document["results"]["bindings"]))
    assert bodies[0] == bodies[1] == bodies[2]
    assert len(bodies[0]) == expected["rows"]


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/csv", "text/csv", ox.QueryResultsFormat.CSV),
        ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
        (
            "text/csv;q=0.5, application/sparql-results+xml;q=0.9",
            "application/sparql-results+xml",
            ox.QueryResultsFormat.XML,
        ),
        ("text/csv;q=0, */*;q=0.1", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("text/*", "text/csv", ox.QueryResultsFormat.CSV),
        ("application/json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ],
)
def test_select_negotiation(live_server: str, expected, accept: str, media: str, fmt) -> None:
    resp = get(live_server, query=ALL, headers={"Accept": accept})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].split(";")[0] == media
    assert "Accept" in resp.headers["vary"]
    assert rows_of(resp, fmt) == expected["rows"]


def test_format_parameter_overrides_accept(live_server: str, expected) -> None:
    resp = get(live_server, query=ALL, format="tsv", headers={"Accept": "application/sparql-results+json"})
    assert resp.headers["content-type"].startswith("text/tab-separated-values")
    assert rows_of(resp, ox.QueryResultsFormat.TSV) == expected["rows"]


def test_ask(live_server: str) -> None:
    yes = get(live_server, query="ASK { ?s a ?c }")
    no = get(
        live_server, query="ASK { <urn:nothing> ?p ?o }", headers={"Accept": "application/sparql-results+xml"}
    )
    assert yes.json() == {"head": {}, "boolean": True}
    assert no.status_code == 200 and b"<boolean>false</boolean>" in no.content


@pytest.mark.parametrize(
    ("accept", "rdflib_format", "dataset"),
    [
        ("text/turtle", "turtle", False),
        ("application/n-triples", "nt", False),
        ("application/ld+json", "json-ld", False),
        ("application/rdf+xml", "xml", False),
        ("application/trig", "trig", True),
        ("application/n-quads", "nquads", True),
    ],
)
def test_construct_negotiation(
    live_server: str, expected, accept: str, rdflib_format: str, dataset: bool
) -> None:
    resp = get(live_server, query=CONSTRUCT_ALL, headers={"Accept": accept})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].split(";")[0] == accept
    if dataset:
        ds = Dataset()
        ds.parse(data=resp.content, format=rdflib_format)
        graph_sizes = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
        assert list(graph_sizes.values()) == [expected["union"]], graph_sizes  # all in the default graph
    else:
        g = Graph()
        g.parse(data=resp.content, format=rdflib_format)
        assert len(g) == expected["union"]


def test_describe(live_server: str) -> None:
    some = get(live_server, query="SELECT ?s WHERE { ?s a ?c } LIMIT 1").json()["results"]["bindings"][0][
        "s"
    ]["value"]
    resp = get(live_server, query=f"DESCRIBE <{some}>", headers={"Accept": "application/n-triples"})
    g = Graph().parse(data=resp.text, format="nt")
    assert len(g) > 0 and set(g.subjects()) >= {URIRef(some)}


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("query", "accept"),
    [(ALL, "image/png"), (ALL, "text/turtle"), (CONSTRUCT_ALL, "application/sparql-results+json")],
)
def test_406_when_nothing_acceptable(live_server: str, query: str, accept: str) -> None:
    resp = get(live_server, query=query, headers={"Accept": accept})
    assert resp.status_code == 406
    assert "ask for one of" in resp.text


def test_malformed_query_gets_the_parser_message(live_server: str) -> None:
    resp = get(live_server, query="SELECT * WHERE { ?s ?p }")
    assert resp.status_code == 400
    assert "syntax error" in resp.text and "1:" in resp.text  # Oxigraph's position, e.g. "error at 1:24"


def test_wrong_content_type_is_415(live_server: str) -> None:
    resp = httpx.post(
        f"{live_server}/sparql", content=ALL.encode(), headers={"Content-Type": "text/plain"}, timeout=30
    )
    assert resp.status_code == 415 and "Content-Type" in resp.text
    missing = httpx.post(f"{live_server}/sparql", content=ALL.encode(), timeout=30)
    assert missing.status_code == 400 and "Content-Type" in missing.text


def test_two_queries_is_400(live_server: str) -> None:
    resp = httpx.get(f"{live_server}/sparql", params=[("query", ALL), ("query", "ASK {}")], timeout=30)
    assert resp.status_code == 400 and "2 'query' parameters" in resp.text
    direct = httpx.post(
        f"{live_server}/sparql",
        params={"query": ALL},
        content=ALL.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert direct.status_code == 400


def test_non_utf8_body_is_400(live_server: str) -> None:
    body = 'SELECT * WHERE { ?s ?p "caf\xe9" }'.encode("latin-1")
    resp = httpx.post(
        f"{live_server}/sparql",
        content=body,
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert resp.status_code == 400 and "UTF-8" in resp.text


@pytest.mark.parametrize(
    ("how", "request_args"),
    [
        ("URL escape", {"method": "GET", "url": "/sparql?query=ASK%20%7B%7D%FF"}),
        ("form escape", {"method": "POST", "url": "/sparql", "content": b"query=ASK%20%7B%7D%FF",
                         "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        ("form bytes", {"method": "POST", "url": "/sparql", "content": b"query=ASK \xff{}",
                        "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        ("direct bytes", {"method": "POST", "url": "/sparql", "content": b"ASK \xff{}",
                          "headers": {"Content-Type": "application/sparql-query"}}),
        ("UTF-16", {"method": "POST", "url": "/sparql", "content": "ASK {}".encode("utf-16"),
                    "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}}),
        ("update escape", {"method": "POST", "url": "/sparql", "content": b"update=CLEAR%20ALL%FF",
                           "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
    ],
)
def test_invalid_utf8_is_refused_in_every_form(live_server: str, how: str, request_args: dict) -> None:
    args = dict(request_args)
    resp = httpx.request(args.pop("method"), live_server + args.pop("url"), timeout=30, **args)
    assert resp.status_code in (400, 415), f"{how}: {resp.status_code} {resp.text}"
    assert "UTF-8" in resp.text, how


def test_a_query_over_the_size_limit_is_413(live_server: str) -> None:
    big = "ASK { " + "# padding\n" * 120_000 + "}"  # 1.2 MB of comments
    resp = httpx.post(f"{live_server}/sparql", content=big.encode(),
                      headers={"Content-Type": "application/sparql-query"}, timeout=60)
    assert resp.status_code == 413 and "size limit" in resp.text
    assert get(live_server, query="ASK {}").status_code == 200


def test_construct_keeps_the_query_prefixes_and_the_project_ones(live_server: str) -> None:
    """Case 11: CONSTRUCT output uses the prefixes the query declared, and the service's own."""
    some = get(live_server, query="SELECT ?r WHERE { ?r a og:ModelRelease ; rdfs:label ?l } LIMIT 1")
    release = some.json()["results"]["bindings"][0]["r"]["value"]
    slug = release.rsplit("/", 1)[1]
    query = (
        "PREFIX og: <https://w3id.org/openness/ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX rel: <https://w3id.org/openness/id/release/>\n"
        "CONSTRUCT { ?r rdfs:label ?l ; a og:ModelRelease } "
        f"WHERE {{ BIND(rel:{slug} AS ?r) ?r rdfs:label ?l }}"
    )
    for accept in ("application/sparql-results+json,text/turtle", "text/turtle"):
        resp = get(live_server, query=query, headers={"Accept": accept})
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/turtle")
        text = resp.text
        assert "@prefix rel: <https://w3id.org/openness/id/release/>" in text
        assert "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in text
        assert f"rel:{slug}" in text and "rdfs:label" in text and "og:ModelRelease" in text
        assert "@prefix spectrum:" not in text  # only the prefixes the result uses
        assert len(Graph().parse(data=text, format="turtle")) >= 2
    refused = get(live_server, query=query, headers={"Accept": "application/sparql-results+json"})
    assert refused.status_code == 406 and "text/turtle" in refused.text


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+xml, application/n-triples, application/x-turtle; q=0.9, "
         "application/turtle; q=0.9, text/turtle, application/sparql-results+json, application/rdf+xml, "
         "text/rdf+xml; q=0.8, */*; q=0.1",
         ("application/sparql-results+json", "application/sparql-results+xml")),
        ("text/csv;q=0.8,application/sparql-results+json,text/tab-separated-values;q=0.8",
         ("application/sparql-results+json",)),
        ("application/json; q=1.0, application/sparql-results+json; q=0.8, text/csv; q=0.1, */*; q=0.1",
         ("application/sparql-results+json",)),
        ("text/tab-separated-values;q=0.9, text/csv;q=0.5", ("text/tab-separated-values",)),
    ],
)
def test_select_with_composite_accept_headers(live_server: str, accept: str, expected: tuple) -> None:
    """Case 10 (keep passing): composite Accept headers with q-values pick a results format."""
    query = "PREFIX og: <https://w3id.org/openness/ns#> SELECT ?r WHERE { ?r a og:ModelRelease } LIMIT 2"
    resp = get(live_server, query=query, headers={"Accept": accept})
    assert resp.status_code == 200
    assert resp.headers["content-type"].split(";")[0] in expected


def test_query_and_update_together_is_400(live_server: str) -> None:
    resp = httpx.post(f"{live_server}/sparql", data={"query": ALL, "update": "CLEAR ALL"}, timeout=30)
    assert resp.status_code == 400


def test_update_in_query_parameter_is_refused(live_server: str) -> None:
    resp = get(live_server, query="INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert resp.status_code == 400 and "read-only" in resp.text


# --------------------------------------------------------------------------- dataset selection


def test_default_graph_uri_restricts_the_default_graph(live_server: str, expected) -> None:
    graph = expected["graphs"][0]
    resp = get(
        live_server, query="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"default-graph-uri": graph}
    )
    assert int(resp.json()["results"]["bindings"][0]["n"]["value"]) == expected["per_graph"][graph]


def test_named_graph_uri_restricts_the_named_graphs(live_server: str, expected) -> None:
    graph = expected["graphs"][-1]
    resp = get(
        live_server, query="SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": graph}
    )
    assert [b["g"]["value"] for b in resp.json()["results"]["bindings"]] == [graph]


def test_from_clause_in_the_query(live_server: str, expected) -> None:
    graph = expected["graphs"][0]
    resp = get(live_server, query=f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}")
    assert int(resp.json()["results"]["bindings"][0]["n"]["value"]) == expected["per_graph"][graph]


@pytest.mark.parametrize(
    ("query", "params"),
    [
        (ALL, {"default-graph-uri": "http://example.org/not-here"}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": "http://example.org/not-here"}),
        ("SELECT * FROM <http://example.org/not-here> WHERE { ?s ?p ?o }", {}),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", {}),
    ],
)
def test_a_graph_the_store_lacks_is_an_empty_graph(live_server: str, query: str, params: dict) -> None:
    """SPARQL 1.1 Protocol: the dataset names graphs; one the store does not hold is empty (and is
    never fetched: the security tests check that nothing connects)."""
    resp = get(live_server, query=query, **params)
    assert resp.status_code == 200, resp.text
    assert resp.json()["results"]["bindings"] == []


def test_protocol_dataset_wins_over_from(live_server: str, expected) -> None:
    graph = expected["graphs"][0]
    resp = get(live_server, query="SELECT (COUNT(*) AS ?n) FROM <http://example.org/none> WHERE { ?s ?p ?o }",
               **{"default-graph-uri": graph})
    assert int(resp.json()["results"]["bindings"][0]["n"]["value"]) == expected["per_graph"][graph]


def test_endpoint_url_is_the_base_iri_and_project_prefixes_are_predeclared(live_server: str) -> None:
    resp = get(live_server, query="SELECT ?rel ?og WHERE { BIND(<some/thing> AS ?rel) BIND(og:Open AS ?og) }")
    row = resp.json()["results"]["bindings"][0]
    assert row["rel"]["value"] == f"{live_server}/some/thing"
    assert row["og"]["value"] == project_prefixes()["og"] + "Open"


# --------------------------------------------------------------------------- graph store, description, CORS


@pytest.mark.parametrize("path", ["/sparql", "/rdf-graph-store"])
def test_graph_store_read(live_server: str, expected, path: str) -> None:
    graph = expected["graphs"][0]
    resp = httpx.get(
        f"{live_server}{path}",
        params={"graph": graph},
        headers={"Accept": "application/n-triples"},
        timeout=30,
    )
    assert resp.status_code == 200
    assert len(Graph().parse(data=resp.text, format="nt")) == expected["per_graph"][graph]
    default = httpx.get(f"{live_server}{path}?default", headers={"Accept": "text/turtle"}, timeout=30)
    assert len(Graph().parse(data=default.text, format="turtle")) == expected["union"]
    missing = httpx.get(f"{live_server}{path}", params={"graph": "http://example.org/none"}, timeout=30)
    assert missing.status_code == 404


def test_graph_store_head(live_server: str, expected) -> None:
    resp = httpx.head(f"{live_server}/rdf-graph-store", params={"graph": expected["graphs"][0]}, timeout=30)
    assert resp.status_code == 200 and resp.content == b""


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")],
)
def test_service_description(live_server: str, expected, accept: str, fmt: str) -> None:
    resp = httpx.get(f"{live_server}/sparql", headers={"Accept": accept}, timeout=30)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith(accept)
    g = Graph().parse(data=resp.content, format=fmt)
    services = list(g.subjects(RDF.type, URIRef(SD + "Service")))
    assert len(services) == 1
    me = services[0]
    assert (me, URIRef(SD + "endpoint"), URIRef(f"{live_server}/sparql")) in g
    assert (me, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in g
    assert (me, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Update")) not in g
    named = {str(o) for o in g.objects(None, URIRef(SD + "name"))}
    assert named == set(expected["graphs"])
    declared = {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace)) for d in g.objects(me, SH.declare)}
    assert declared == project_prefixes()


def test_browser_opening_the_endpoint_is_sent_to_the_query_page(live_server: str) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    resp = httpx.get(f"{live_server}/sparql", headers={"Accept": browser}, timeout=30)
    assert resp.status_code == 303 and resp.headers["location"] == "/query"
    plain = httpx.get(f"{live_server}/sparql", timeout=30)  # no Accept: a client, not a person
    assert plain.status_code == 200 and plain.headers["content-type"].startswith("text/turtle")


def test_cors(live_server: str) -> None:
    preflight = httpx.options(
        f"{live_server}/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", "https://example.org")
    simple = get(live_server, query="ASK {}", headers={"Origin": "https://example.org"})
    assert simple.headers["access-control-allow-origin"] in ("*", "https://example.org")
    assert "x-openness-truncated" in simple.headers["access-control-expose-headers"].lower()
