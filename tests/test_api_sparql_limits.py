"""Row cap and SPARQL Update against real servers: a cut result always says so; writing needs the
token and goes through the validated ingest (a refused update changes nothing)."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from server_fixtures import ServerProcess, build_store

pytestmark = pytest.mark.server

MAX_ROWS = 5
TOKEN = "s3cret-test-token"
ALL = "SELECT * WHERE { ?s ?p ?o }"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


@pytest.fixture(scope="module")
def server(server_factory, tmp_path_factory: pytest.TempPathFactory) -> ServerProcess:
    store = build_store(tmp_path_factory.mktemp("limits") / "store")
    return server_factory(store, max_rows=MAX_ROWS, update_token=TOKEN)


def query(server: ServerProcess, q: str, accept: str = "application/sparql-results+json") -> httpx.Response:
    return httpx.post(f"{server.url}/sparql", data={"query": q}, headers={"Accept": accept}, timeout=30)


# --------------------------------------------------------------------------- truncation


def test_json_result_is_cut_and_says_so(server: ServerProcess) -> None:
    resp = query(server, ALL)
    body = resp.json()
    assert resp.headers["x-openness-truncated"] == "true"
    assert resp.headers["x-openness-max-rows"] == str(MAX_ROWS)
    assert len(body["results"]["bindings"]) == MAX_ROWS
    assert body["truncated"] is True and body["maxRows"] == MAX_ROWS
    assert body["head"]["link"] == ["https://w3id.org/openness/ns#TruncatedResult"]


def test_exactly_max_rows_is_not_truncated(server: ServerProcess) -> None:
    resp = query(server, f"{ALL} LIMIT {MAX_ROWS}")
    assert resp.headers["x-openness-truncated"] == "false"
    assert len(resp.json()["results"]["bindings"]) == MAX_ROWS and "truncated" not in resp.json()


def test_xml_and_csv_truncation(server: ServerProcess) -> None:
    xml = query(server, ALL, "application/sparql-results+xml")
    assert b'<link href="https://w3id.org/openness/ns#TruncatedResult"/>' in xml.content
    assert xml.content.count(b"<result>") == MAX_ROWS
    table = query(server, ALL, "text/csv")
    assert table.headers["x-openness-truncated"] == "true"
    assert len(list(csv.reader(io.StringIO(table.text)))) == MAX_ROWS + 1  # header + rows, nothing else


def test_construct_truncation_is_a_comment(server: ServerProcess) -> None:
    resp = query(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/n-triples")
    assert resp.headers["x-openness-truncated"] == "true"
    lines = resp.text.strip().splitlines()
    assert lines[0].startswith("# truncated")
    assert len(lines) == MAX_ROWS + 1


def test_a_byte_cap_next_to_the_row_cap(server: ServerProcess, server_factory, tmp_path) -> None:
    """Few rows can still be huge (GROUP_CONCAT of every subject): the byte cap cuts, and says so."""
    capped = server_factory(build_store(tmp_path / "store"), max_result_bytes=4_000)
    resp = query(capped, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3")  # small: whole
    assert resp.headers["x-openness-truncated"] == "false"
    many = query(capped, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1000")
    body = many.json()
    assert many.headers["x-openness-truncated"] == "true"
    assert many.headers["x-openness-truncated-by"] == "bytes"
    assert many.headers["x-openness-max-bytes"] == "4000"
    assert body["truncatedBy"] == "bytes" and 0 < len(body["results"]["bindings"]) < 1000
    assert len(many.content) < 4_000 + 1_000  # the cap, plus the JSON around the rows
    everything = 'SELECT (GROUP_CONCAT(STR(?s); separator=" ") AS ?all) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }'
    huge = query(capped, everything)
    assert huge.headers["x-openness-truncated-by"] == "bytes"
    assert huge.json()["results"]["bindings"] == [] and len(huge.content) < 2_000
    rows = query(capped, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10")
    assert rows.headers["x-openness-truncated"] == "false"  # within both caps
    assert query(server, ALL).headers["x-openness-truncated-by"] == "rows"


# --------------------------------------------------------------------------- update


def graph_of_a_release(server: ServerProcess) -> tuple[str, str]:
    row = query(
        server, "SELECT ?g ?r WHERE { GRAPH ?g { ?r a <https://w3id.org/openness/ns#ModelRelease> } } LIMIT 1"
    )
    binding = row.json()["results"]["bindings"][0]
    return binding["g"]["value"], binding["r"]["value"]


def update(server: ServerProcess, text: str, token: str | None = TOKEN) -> httpx.Response:
    headers = {"Content-Type": "application/sparql-update"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(f"{server.url}/sparql", content=text.encode(), headers=headers, timeout=60)


def ask(server: ServerProcess, q: str) -> bool:
    return bool(query(server, q).json()["boolean"])


def test_update_needs_the_token(server: ServerProcess) -> None:
    graph, release = graph_of_a_release(server)
    text = f'INSERT DATA {{ GRAPH <{graph}> {{ <{release}> <{COMMENT}> "x" }} }}'
    missing = update(server, text, token=None)
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    assert update(server, text, token="wrong").status_code == 403
    assert not ask(server, f'ASK {{ <{release}> ?p "x" }}')


def test_valid_insert_data_is_written_and_visible(server: ServerProcess) -> None:
    graph, release = graph_of_a_release(server)
    comment = "added through the SPARQL endpoint"
    text = f'INSERT DATA {{ GRAPH <{graph}> {{ <{release}> <{COMMENT}> "{comment}" }} }}'
    resp = update(server, text)
    assert resp.status_code == 200, resp.text
    assert resp.json()["changed"] == [graph]
    assert ask(server, f'ASK {{ GRAPH <{graph}> {{ <{release}> ?p "{comment}" }} }}')
    removed = update(server, text.replace("INSERT DATA", "DELETE DATA"))
    assert removed.status_code == 200 and not ask(server, f'ASK {{ <{release}> ?p "{comment}" }}')


def test_invalid_update_is_refused_by_the_shapes_and_changes_nothing(server: ServerProcess) -> None:
    graph, _ = graph_of_a_release(server)
    before = query(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").json()
    text = (
        f"INSERT DATA {{ GRAPH <{graph}> {{ <https://w3id.org/openness/id/claim/bogus> a "
        "<https://w3id.org/openness/ns#Claim> } }"
    )
    resp = update(server, text)
    assert resp.status_code == 422, resp.text
    assert "violation" in resp.text
    after = query(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").json()
    assert before == after


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("DELETE WHERE { ?s ?p ?o }", 400),  # the default graph: maintained by the server
        ("CLEAR DEFAULT", 400),
        ("ADD <urn:g> TO DEFAULT", 400),
        ("INSERT DATA { GRAPH <https://w3id.org/openness/id/graph/derived/combined> "
         "{ <urn:a> <urn:b> <urn:c> } }", 403),
        ("LOAD <file:///etc/passwd>", 403),
        ('INSERT DATA { <urn:a> <urn:b> "default graph" }', 400),
        ("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> }", 400),
    ],
)
def test_other_updates_are_refused(server: ServerProcess, text: str, status: int) -> None:
    resp = update(server, text)
    assert resp.status_code == status, resp.text


def test_service_description_announces_update(server: ServerProcess) -> None:
    text = httpx.get(f"{server.url}/sparql", headers={"Accept": "text/turtle"}, timeout=30).text
    assert "SPARQL11Update" in text
