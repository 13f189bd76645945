"""Dumps (/dumps) and the VoID/DCAT description (/.well-known/void) of a real server.

Every number is checked against the served store read directly (read-only) by the test.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json

import httpx
import pyoxigraph as ox
import pytest
from openness.store import OxigraphStore
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.namespace import RDF

pytestmark = pytest.mark.server

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")


@pytest.fixture(scope="module")
def facts(live_server_store, live_server) -> dict[str, object]:
    """The served store read directly: its named graphs' quads (the default graph is their merge,
    not dumped as quads) and the distinct triples of the service's default graph."""
    wrapper = OxigraphStore(live_server_store, read_only=True)
    store = wrapper.native
    quads = [q for q in store.quads_for_pattern(None, None, None, None)
             if not isinstance(q.graph_name, ox.DefaultGraph)]
    graphs = {g.value for g in store.named_graphs()}
    per_graph = {g: sum(1 for q in quads if q.graph_name.value == g) for g in graphs}
    triples = {(r["s"], r["p"], r["o"]) for r in store.query(
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", default_graph=wrapper.default_dataset())}
    del store, wrapper
    return {"quads": len(quads), "triples": len(triples), "per_graph": per_graph}


@pytest.fixture(scope="module")
def listing(live_server: str) -> dict[str, dict[str, object]]:
    resp = httpx.get(f"{live_server}/dumps", timeout=60)
    assert resp.status_code == 200
    return {f["name"]: f for f in resp.json()["files"]}


PLAIN = ["openness.nq", "openness.ttl", "openness.jsonld", "openness.csv", "openness-verdicts.csv"]


def test_listing_names_every_dump(listing) -> None:
    assert set(listing) == {*PLAIN, *(f"{n}.gz" for n in PLAIN), "SHA256SUMS"}
    assert all(listing[f"{n}.gz"]["compresses"] == n for n in PLAIN)


@pytest.mark.parametrize("name", [*PLAIN, *(f"{n}.gz" for n in PLAIN)])
def test_checksums_match_the_bytes(live_server: str, listing, name: str) -> None:
    resp = httpx.get(f"{live_server}/dumps/{name}", timeout=60)
    digest = hashlib.sha256(resp.content).hexdigest()
    assert resp.headers["x-checksum-sha256"] == digest == listing[name]["sha256"]
    assert resp.headers["etag"] == f'"{digest}"'
    sums = httpx.get(f"{live_server}/dumps/SHA256SUMS", timeout=60).text
    assert f"{digest}  {name}\n" in sums
    again = httpx.get(f"{live_server}/dumps/{name}", headers={"If-None-Match": f'"{digest}"'}, timeout=60)
    assert again.status_code == 304


def with_served_context(live_server: str, content: bytes) -> bytes:
    """A served JSON-LD document names the published context by its IRI: put the context this
    server serves at /context.jsonld in its place (rdflib would fetch the IRI from the network)."""
    doc = json.loads(content)
    assert doc["@context"] == "https://w3id.org/openness/context.jsonld"
    doc["@context"] = httpx.get(f"{live_server}/context.jsonld", timeout=30).json()["@context"]
    return json.dumps(doc).encode()


def test_nquads_and_jsonld_keep_every_graph(live_server: str, facts) -> None:
    for name, fmt in (("openness.nq", "nquads"), ("openness.jsonld", "json-ld")):
        ds = Dataset()
        content = httpx.get(f"{live_server}/dumps/{name}", timeout=60).content
        if fmt == "json-ld":
            content = with_served_context(live_server, content)
        ds.parse(data=content, format=fmt)
        sizes = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
        assert sizes == facts["per_graph"], name


def test_turtle_is_the_union(live_server: str, facts) -> None:
    g = Graph().parse(
        data=httpx.get(f"{live_server}/dumps/openness.ttl", timeout=60).content, format="turtle"
    )
    assert len(g) == facts["triples"]


def test_csv_has_one_row_per_quad(live_server: str, facts) -> None:
    text = httpx.get(f"{live_server}/dumps/openness.csv", timeout=60).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == facts["quads"]
    assert {r["object_kind"] for r in rows} <= {"iri", "bnode", "literal"}
    assert {r["graph"] for r in rows} == set(facts["per_graph"])


def test_unknown_dump_is_404(live_server: str) -> None:
    assert httpx.get(f"{live_server}/dumps/passwd", timeout=30).status_code == 404


def test_void_describes_the_dataset(live_server: str, facts, listing) -> None:
    resp = httpx.get(f"{live_server}/.well-known/void", headers={"Accept": "text/turtle"}, timeout=60)
    assert resp.status_code == 200
    g = Graph().parse(data=resp.content, format="turtle")
    datasets = [d for d in g.subjects(RDF.type, VOID.Dataset) if (d, VOID.subset, None) in g]
    assert len(datasets) == 1
    ds = datasets[0]
    assert (ds, RDF.type, DCAT.Dataset) in g
    assert int(g.value(ds, VOID.triples)) == facts["triples"]
    assert (ds, VOID.sparqlEndpoint, URIRef(f"{live_server}/sparql")) in g
    dumps = {str(o) for o in g.objects(ds, VOID.dataDump)}
    assert dumps == {f["url"] for n, f in listing.items() if n != "SHA256SUMS"}
    subsets = {str(s): int(g.value(s, VOID.triples)) for s in g.objects(ds, VOID.subset)}
    assert subsets == facts["per_graph"]
    classes = {g.value(p, VOID["class"]) for p in g.objects(ds, VOID.classPartition)}
    assert URIRef("https://w3id.org/openness/ns#ModelRelease") in classes
    checksums = {str(v) for v in g.objects(None, URIRef("http://spdx.org/rdf/terms#checksumValue"))}
    assert checksums == {f["sha256"] for n, f in listing.items() if n != "SHA256SUMS"}


def test_void_negotiation(live_server: str) -> None:
    resp = httpx.get(f"{live_server}/.well-known/void", headers={"Accept": "application/ld+json"}, timeout=60)
    assert resp.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=with_served_context(live_server, resp.content), format="json-ld")) > 10
    assert (
        httpx.get(f"{live_server}/.well-known/void", headers={"Accept": "image/png"}, timeout=30).status_code
        == 406
    )


@pytest.mark.parametrize("name", PLAIN)
def test_compressed_dump_is_the_file_gzipped(live_server: str, listing, name: str) -> None:
    packed = httpx.get(f"{live_server}/dumps/{name}.gz", timeout=60)
    assert packed.headers["content-type"].startswith("application/gzip")
    assert "content-encoding" not in packed.headers  # the checksum is of the bytes saved
    assert hashlib.sha256(packed.content).hexdigest() == listing[f"{name}.gz"]["sha256"]
    assert gzip.decompress(packed.content) == httpx.get(f"{live_server}/dumps/{name}", timeout=60).content


def test_verdict_table_has_one_row_per_release_and_framework(live_server: str, live_server_store) -> None:
    """The verdict CSV against the stored assessments read directly (openness.verdicts.read)."""
    from openness.verdicts import read

    wrapper = OxigraphStore(live_server_store, read_only=True)
    stored = {(str(v.release), v.framework): (v.label, v.reason) for v in read(wrapper)}
    del wrapper
    text = httpx.get(f"{live_server}/dumps/openness-verdicts.csv", timeout=60).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert stored and len(rows) == len(stored)
    assert {(r["release"], r["framework"]): (r["verdict"], r["reason"]) for r in rows} == stored
    assert all(r["release_label"] and r["reason"] for r in rows)


def test_dumps_page_is_a_styled_page_of_the_site(live_server: str) -> None:
    page = httpx.get(f"{live_server}/dumps", headers={"Accept": "text/html"}, timeout=60)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<link rel="stylesheet" href="/static/style.css">' in page.text
    assert '<a href="/dumps">Dumps</a>' in page.text  # the site's navigation
    for name in PLAIN:
        assert f'href="/dumps/{name}"' in page.text and f'href="/dumps/{name}.gz"' in page.text
    home = httpx.get(f"{live_server}/", timeout=60)
    assert '<a href="/dumps">Dumps</a>' in home.text
