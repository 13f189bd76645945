"""Dumps (/dumps) and the VoID/DCAT description (/.well-known/void) of a real server.

Every number is checked against the served store read directly (read-only) by the test. The
background preparation (api/dumps.py) on a server of its own, with a store big enough that a
preparation takes seconds: 503 + Retry-After until the first set exists, a write is not held up by
a preparation, every file of a set is of one generation and matches SHA256SUMS, a write leads to a
newer set, the folder is gone after SIGTERM and a dead server's left-over is removed at start-up.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import signal
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from openness.store import OxigraphStore
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.namespace import RDF
from server_fixtures import ServerProcess, build_store
from test_api_write_routes import claim

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


def ready_listing(url: str, *, generation: int = 1, limit: float = 120.0) -> dict[str, object]:
    """The /dumps JSON once a set of at least ``generation`` is served (503 until the first)."""
    deadline = time.monotonic() + limit
    while True:
        resp = httpx.get(f"{url}/dumps", timeout=60)
        if resp.status_code == 200 and resp.json()["generation"] >= generation:
            return resp.json()
        assert resp.status_code in (200, 503), resp.text
        assert time.monotonic() < deadline, f"no dumps of generation {generation} within {limit:g} s"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def listing(live_server: str) -> dict[str, dict[str, object]]:
    return {f["name"]: f for f in ready_listing(live_server)["files"]}


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


# --------------------------------------------------------------------------- background preparation

TOKEN = "dumps-token"
SYNTHETIC = 40_000  # triples: a preparation takes seconds, longer than a claim's commit
DEAD_PID = 4_194_305  # above Linux's largest pid (2**22): never a running server


@pytest.fixture(scope="module")
def busy(server_factory, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A writable server on the examples plus synthetic triples, its dump cache in a folder of the
    test's, and what was observed from its start: the answers before the first set existed, and
    a claim posted while that set was being prepared."""
    root = tmp_path_factory.mktemp("dumps-busy")
    synthetic = root / "synthetic.ttl"
    with synthetic.open("w", encoding="utf-8") as out:
        for i in range(SYNTHETIC):
            out.write(f'<https://example.org/synthetic/s{i // 10}> <https://example.org/synthetic/p{i % 10}> '
                      f'"synthetic value {i}" .\n')
    store = build_store(root / "store", raw=[synthetic])
    cache = root / "cache"
    dead = cache / "openness-graph" / "dumps" / "gone-000000000000" / f"openness-dumps-{DEAD_PID}"
    dead.mkdir(parents=True)
    (dead / "openness.nq").write_text("left over by a killed server\n")
    server: ServerProcess = server_factory(store, update_token=TOKEN, env={"XDG_CACHE_HOME": str(cache)})
    seen: dict[str, object] = {"server": server, "cache": cache, "dead": dead, "started": time.monotonic()}
    seen["first"] = httpx.get(f"{server.url}/dumps", timeout=30)
    seen["first_html"] = httpx.get(f"{server.url}/dumps", headers={"Accept": "text/html"}, timeout=30)
    seen["first_file"] = httpx.get(f"{server.url}/dumps/openness.nq", timeout=30)
    seen["first_void"] = httpx.get(f"{server.url}/.well-known/void", headers={"Accept": "text/turtle"},
                                   timeout=30)
    node, g = claim("dumps")
    began = time.monotonic()
    seen["write"] = httpx.post(f"{server.url}/api/claims", content=g.serialize(format="turtle"),
                               headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"},
                               timeout=120)
    seen["write_done"] = time.monotonic()
    seen["write_seconds"] = seen["write_done"] - began
    seen["after_write"] = httpx.get(f"{server.url}/dumps", timeout=30)
    seen["node"] = str(node)
    first = ready_listing(server.url)
    seen["first_ready"] = time.monotonic()
    seen["first_set"] = first
    return seen


def test_no_dumps_yet_is_503_with_retry_after(busy) -> None:
    for key in ("first", "first_html", "first_file", "after_write"):
        resp = busy[key]
        assert resp.status_code == 503, (key, resp.text)
        assert int(resp.headers["retry-after"]) > 0
    assert busy["first"].json()["status"] == "preparing"
    assert "being written" in busy["first"].json()["message"]
    page = busy["first_html"]
    assert page.headers["content-type"].startswith("text/html") and "Reload this page" in page.text


def test_void_does_not_wait_for_the_dumps(busy) -> None:
    resp = busy["first_void"]
    assert resp.status_code == 200
    g = Graph().parse(data=resp.content, format="turtle")
    dataset = next(g.subjects(RDF.type, VOID.Dataset))
    assert int(g.value(dataset, VOID.triples)) > SYNTHETIC  # described: counts from the store
    assert not list(g.objects(None, VOID.dataDump))  # no distribution before one is prepared


def test_a_write_is_not_held_up_by_a_preparation(busy) -> None:
    """The claim was posted while the first set was being prepared (503 before and after it) and
    committed before that set was ready: no writer lock is held while dumping."""
    assert busy["write"].status_code == 201, busy["write"].text
    assert busy["write_done"] < busy["first_ready"], (
        f"the write took {busy['write_seconds']:.1f} s and ended after the dumps were ready"
    )
    first = busy["first_set"]
    assert first["generation"] == 1  # the state at start-up: the write landed during its preparation
    assert first["storeGeneration"] > first["generation"] and first["newerComing"] is True


def test_a_later_set_is_of_the_new_generation_and_consistent(busy) -> None:
    server: ServerProcess = busy["server"]
    newest = ready_listing(server.url, generation=busy["first_set"]["storeGeneration"])
    assert newest["generation"] == newest["storeGeneration"] and newest["newerComing"] is False
    assert newest["takenAt"] >= busy["first_set"]["takenAt"]
    files = {f["name"]: f for f in newest["files"]}
    sums = httpx.get(f"{server.url}/dumps/SHA256SUMS", timeout=60)
    assert hashlib.sha256(sums.content).hexdigest() == files["SHA256SUMS"]["sha256"]
    listed = dict(reversed(line.split("  ")) for line in sums.text.splitlines())
    assert set(listed) == set(files) - {"SHA256SUMS"}
    contents = {}
    for name, f in files.items():
        resp = httpx.get(f"{server.url}/dumps/{name}", timeout=60)
        assert resp.headers["x-openness-generation"] == str(newest["generation"]), name
        digest = hashlib.sha256(resp.content).hexdigest()
        assert digest == f["sha256"] == resp.headers["x-checksum-sha256"], name
        if name != "SHA256SUMS":
            assert listed[name] == digest, name
        contents[name] = resp.content
    # one state in every file: the posted claim is in each dataset file, as are the synthetic triples
    for name in ("openness.nq", "openness.ttl", "openness.jsonld", "openness.csv"):
        text = contents[name].decode("utf-8")
        assert busy["node"] in text, name
        assert f"synthetic value {SYNTHETIC - 1}" in text, name
        assert gzip.decompress(contents[f"{name}.gz"]) == contents[name]
    page = httpx.get(f"{server.url}/dumps", headers={"Accept": "text/html"}, timeout=60)
    assert page.status_code == 200 and f"store generation {newest['generation']}" in page.text
    void = Graph().parse(data=httpx.get(f"{server.url}/.well-known/void", headers={"Accept": "text/turtle"},
                                        timeout=60).content, format="turtle")
    checksums = {str(v) for v in void.objects(None, URIRef("http://spdx.org/rdf/terms#checksumValue"))}
    assert checksums == {f["sha256"] for n, f in files.items() if n != "SHA256SUMS"}
    before = Graph().parse(data=busy["first_void"].content, format="turtle")
    triples = [int(next(g.objects(d, VOID.triples))) for g in (before, void)
               for d in g.subjects(RDF.type, VOID.Dataset) if (d, VOID.subset, None) in g]
    assert triples[1] > triples[0]  # the counts are of the new generation (the claim's triples)


def test_dead_servers_folders_are_removed_and_ours_on_sigterm(busy) -> None:
    server: ServerProcess = busy["server"]
    cache: Path = busy["cache"]
    assert not busy["dead"].exists()  # removed at start-up
    ours = list(cache.glob(f"openness-graph/dumps/*/openness-dumps-{server.proc.pid}"))
    assert len(ours) == 1 and any(ours[0].rglob("openness.nq"))
    server.stop()  # SIGTERM, then waits for the process to exit
    log = server.log_path.read_text(encoding="utf-8", errors="replace")
    # uvicorn shuts down gracefully (the lifespan ran), then ends by the signal it caught, or with 0
    assert server.proc.returncode in (0, -signal.SIGTERM) and "Traceback" not in log, log
    assert not ours[0].exists() and not ours[0].parent.exists()
