"""Every write route, then an immediate read through ``/sparql`` on every query worker.

Each route commits through the write gate and publishes a new snapshot generation before it
answers; the test reads the claim back right after the write returns, with concurrent queries until
every worker of the pool has answered, and each must see it (no stale worker, no restart needed).
Routes: SPARQL Update (INSERT DATA), Graph Store PUT of one graph, Graph Store PUT of a dataset (what
``SparqlStore.put_graphs`` — ``openness load`` through a running server — sends), ``POST
/api/claims``. Then a refused write (shapes) changes nothing on any worker, and a DELETE WHERE
removes the claim everywhere.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from openness import mint
from openness.claims import ClaimSpec, EvidenceSpec, add_claim
from openness.namespaces import OG, SPECTRUM
from openness.store import SparqlStore
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from server_fixtures import ServerProcess, build_store

pytestmark = pytest.mark.server
TOKEN = "write-routes-token"
WORKERS = 4
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def server(server_factory, tmp_path_factory: pytest.TempPathFactory) -> ServerProcess:
    store = build_store(tmp_path_factory.mktemp("writes") / "store")
    return server_factory(store, update_token=TOKEN, max_concurrent=WORKERS)


def claim(name: str) -> tuple[URIRef, Graph]:
    """A valid claim (with its claimant and evidence) about a release of the examples."""
    g = Graph()
    agent = mint.agent_iri(f"write route reviewer {name}")
    g.add((agent, RDF.type, OG.Organization))
    g.add((agent, RDFS.label, Literal(f"write route reviewer {name}")))
    node = add_claim(
        g,
        ClaimSpec(
            about=mint.iri("release", "llama-2"),
            criterion=SPECTRUM.Standards,
            status="partial",
            claimant=agent,
            asserted_on="2025-02-01",
            evidence=[EvidenceSpec(source=f"https://example.org/review/{name}", retrieved="2025-02-01",
                                   quote=f"checked through the {name} route")],
        ),
    )
    return node, g


def ask_everywhere(server: ServerProcess, query: str) -> dict[int, bool]:
    """Ask concurrently until every worker answered; worker index -> its answer."""
    answers: dict[int, bool] = {}

    def one(_: int) -> tuple[int, bool]:
        resp = httpx.post(f"{server.url}/sparql", data={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
        assert resp.status_code == 200, resp.text
        return int(resp.headers["x-openness-worker"]), bool(resp.json()["boolean"])

    for _ in range(30):
        with ThreadPoolExecutor(2 * WORKERS) as pool:
            for worker, answer in pool.map(one, range(2 * WORKERS)):
                answers.setdefault(worker, answer)
                assert answers[worker] == answer
        if len(answers) >= WORKERS:
            return answers
    raise AssertionError(f"only workers {sorted(answers)} answered")


def visible(claim_iri: URIRef) -> str:
    return f"ASK {{ <{claim_iri}> <{OG.status}> <{OG.Partial}> ; <{OG.evidence}> ?e }}"


def assert_everywhere(server: ServerProcess, query: str, expected: bool) -> None:
    answers = ask_everywhere(server, query)
    assert set(answers.values()) == {expected}, answers
    assert len(answers) == WORKERS


def test_sparql_update(server: ServerProcess) -> None:
    node, g = claim("sparql-update")
    assert_everywhere(server, visible(node), False)
    graph = mint.graph_iri("test", "sparql-update")
    body = g.serialize(format="nt")
    resp = httpx.post(f"{server.url}/sparql", content=f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}",
                      headers={**AUTH, "Content-Type": "application/sparql-update"}, timeout=120)
    assert resp.status_code == 200, resp.text
    assert resp.json()["changed"] == [str(graph)]
    assert_everywhere(server, visible(node), True)
    # the request is recorded as a provenance activity, in the same commit
    activities = mint.graph_iri("service", "activities")
    assert_everywhere(server, f"""PREFIX prov: <http://www.w3.org/ns/prov#>
        ASK {{ GRAPH <{activities}> {{ ?a a prov:Activity ; prov:generated <{graph}> ;
               prov:wasAssociatedWith ?who ; <{RDFS.label}> ?label
               FILTER(CONTAINS(?label, "InsertData")) }} }}""",
                      True)


def test_graph_store_put(server: ServerProcess) -> None:
    node, g = claim("graph-store")
    graph = mint.graph_iri("test", "graph-store")
    resp = httpx.put(f"{server.url}/rdf-graph-store", params={"graph": str(graph)},
                     content=g.serialize(format="turtle"),
                     headers={**AUTH, "Content-Type": "text/turtle"}, timeout=120)
    assert resp.status_code == 201, resp.text
    assert_everywhere(server, visible(node), True)
    again = httpx.put(f"{server.url}/rdf-graph-store", params={"graph": str(graph)},
                      content=g.serialize(format="turtle"),
                      headers={**AUTH, "Content-Type": "text/turtle"}, timeout=120)
    assert again.status_code == 204  # replaced, not created


def test_dataset_put_as_a_remote_store_writes(server: ServerProcess) -> None:
    node, g = claim("remote-store")
    graph = str(mint.graph_iri("test", "remote-store"))
    remote = SparqlStore(f"{server.url}/sparql", graph_store_url=f"{server.url}/rdf-graph-store", token=TOKEN)
    try:
        remote.put_graphs({graph: g})
        assert_everywhere(server, visible(node), True)
        assert graph in remote.graph_names()
        remote.drop_graphs([graph])
        assert_everywhere(server, visible(node), False)
    finally:
        remote.close()


def test_post_api_claims(server: ServerProcess) -> None:
    node, g = claim("api-claims")
    release = f"{server.url}/api/releases/llama-2"
    before = httpx.get(release, timeout=60).json()["claim_count"]
    assert httpx.get(release, timeout=60).json()["claim_count"] == before  # answered again (kept)
    resp = httpx.post(f"{server.url}/api/claims", content=g.serialize(format="turtle"),
                      headers={**AUTH, "Content-Type": "text/turtle"}, timeout=120)
    assert resp.status_code == 201, resp.text
    assert str(node) in resp.json()["claims"]
    assert_everywhere(server, visible(node), True)
    # pages and the JSON API answer from the new state at once (kept answers end with the commit)
    assert httpx.get(release, timeout=60).json()["claim_count"] == before + 1


def test_a_refused_write_changes_nothing_anywhere(server: ServerProcess) -> None:
    bogus = URIRef("https://w3id.org/openness/id/claim/incomplete")
    graph = mint.graph_iri("test", "refused")
    resp = httpx.post(f"{server.url}/sparql",
                      content=f"INSERT DATA {{ GRAPH <{graph}> {{ <{bogus}> a <{OG.Claim}> }} }}",
                      headers={**AUTH, "Content-Type": "application/sparql-update"}, timeout=120)
    assert resp.status_code == 422, resp.text
    assert_everywhere(server, f"ASK {{ <{bogus}> ?p ?o }}", False)


def test_delete_where_removes_a_claim_everywhere(server: ServerProcess) -> None:
    node, g = claim("delete-where")
    graph = mint.graph_iri("test", "delete-where")
    put = httpx.put(f"{server.url}/rdf-graph-store", params={"graph": str(graph)},
                    content=g.serialize(format="turtle"), headers={**AUTH, "Content-Type": "text/turtle"},
                    timeout=120)
    assert put.status_code == 201, put.text
    assert_everywhere(server, visible(node), True)
    resp = httpx.post(f"{server.url}/sparql",
                      content=f"DELETE WHERE {{ GRAPH ?g {{ <{node}> ?p ?o }} }}",
                      headers={**AUTH, "Content-Type": "application/sparql-update"}, timeout=120)
    assert resp.status_code == 200, resp.text
    assert str(graph) in resp.json()["changed"]
    assert_everywhere(server, f"ASK {{ <{node}> ?p ?o }}", False)
