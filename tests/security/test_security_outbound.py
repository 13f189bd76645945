"""No input makes the product reach out (docs/security.md, "No outbound requests").

Every vector points at a listener on 127.0.0.1 — remote ``@context``, ``@import``,
``owl:imports``, XML external entities and DTDs, SERVICE, LOAD, FROM, ``default-graph-uri`` —
and every reader and write route is fed it: ``openness load`` and ``openness validate`` in every
claim-file format, ``POST /api/claims``, the Graph Store, SPARQL Update and the query endpoint
(the importers: ``test_security_importers.py``). The listener must see zero connections; where
the document can only be read by fetching (a remote context, an external entity), the refusal
names the file, the key and the limit.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
from security_helpers import Doc, Listener, auth, outbound_documents, outbound_queries, outbound_updates
from server_fixtures import ServerProcess, build_store

pytestmark = [pytest.mark.server]

VECTORS = sorted(outbound_documents("http://127.0.0.1:9"))
MEDIA = {
    ".rdf": "application/rdf+xml",
    ".nt": "application/n-triples",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
}


def _write(tmp_path: Path, listener: Listener, vector: str) -> tuple[Path, Doc]:
    doc = outbound_documents(listener.url)[vector]
    path = tmp_path / f"{vector}{doc.suffix}"
    path.write_text(doc.content, encoding="utf-8")
    return path, doc


# --------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize("vector", VECTORS)
def test_load_makes_no_request(cli, listener: Listener, tmp_path: Path, vector: str) -> None:
    path, doc = _write(tmp_path, listener, vector)
    result = cli("load", str(path))
    listener.assert_untouched(f"openness load {path.name}")
    assert "Traceback" not in result.stderr, result.stderr
    if doc.refusal is not None:
        assert result.returncode == 1, result.stdout
        assert path.name in result.stderr and doc.refusal in result.stderr, result.stderr
        assert doc.limit is None or doc.limit in result.stderr, result.stderr
    else:
        assert result.returncode in (0, 1), result.stderr


#: Documents that are read (not refused) and so reach SHACL validation, which could follow
#: owl:imports; the refused ones stop in the same reader ``load`` uses, tested above.
READABLE = sorted(v for v, d in outbound_documents("http://127.0.0.1:9").items() if d.refusal is None)


@pytest.mark.parametrize("vector", READABLE)
def test_validate_makes_no_request(cli, listener: Listener, tmp_path: Path, vector: str) -> None:
    path, _doc = _write(tmp_path, listener, vector)
    result = cli("validate", str(path))
    listener.assert_untouched(f"openness validate {path.name}")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr


def test_validate_refuses_what_it_would_have_to_fetch(cli, listener: Listener, tmp_path: Path) -> None:
    path, doc = _write(tmp_path, listener, "jsonld-import")
    result = cli("validate", str(path))
    listener.assert_untouched(f"openness validate {path.name}")
    assert result.returncode == 1 and path.name in result.stderr and doc.refusal in result.stderr


def test_rdflib_never_loads_a_graph_named_by_from(listener: Listener) -> None:
    """Defence in depth: once openness is imported, rdflib's own SPARQL engine (pyshacl's SPARQL
    constraints run on it) no longer fetches the graph a FROM clause names."""
    code = textwrap.dedent(f"""
        import openness.ingest
        from rdflib import Graph
        rows = list(Graph().query("SELECT * FROM <{listener.url}/data.ttl> WHERE {{ ?s ?p ?o }}"))
        print(len(rows))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    listener.assert_untouched("rdflib FROM")
    assert done.returncode == 0 and done.stdout.strip() == "0", done.stderr


def test_readers_run_under_a_no_network_guard(listener: Listener) -> None:
    """Defence in depth: a request made while a file is read (by any library) is refused."""
    code = textwrap.dedent(f"""
        import urllib.request
        from openness.ingest.safe import NetworkRefused, no_network
        try:
            with no_network("hostile.jsonld"):
                urllib.request.urlopen("{listener.url}/context.jsonld", timeout=5)
        except NetworkRefused as err:
            print("refused:", err)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    listener.assert_untouched("a request inside no_network()")
    assert done.stdout.startswith("refused: hostile.jsonld: reading it tried to reach"), done.stderr


# --------------------------------------------------------------------------- the service's write routes


@pytest.mark.parametrize("vector", VECTORS)
def test_post_claims_makes_no_request(write_server: ServerProcess, listener: Listener, vector: str) -> None:
    doc = outbound_documents(listener.url)[vector]
    media = doc.media or MEDIA[doc.suffix]
    resp = httpx.post(
        f"{write_server.url}/api/claims",
        content=doc.content.encode(),
        headers={"Content-Type": media, **auth()},
        timeout=60,
    )
    listener.assert_untouched(f"POST /api/claims ({vector})")
    assert resp.status_code < 500, resp.text
    if doc.media is None:
        assert resp.status_code == 415  # the route reads JSON-LD, JSON, YAML and Turtle only
    elif doc.refusal is not None:
        assert resp.status_code == 400 and doc.refusal in resp.text and doc.limit in resp.text, resp.text


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_graph_store_writes_make_no_request(
    write_server: ServerProcess, listener: Listener, method: str
) -> None:
    """Every document, in its own media type, written by the Graph Store Protocol (to a graph; as a
    dataset for TriG and N-Quads). Nothing connects; what could only be read by fetching is
    refused (400), and YAML and plain JSON are not Graph Store media types (415)."""
    for vector, doc in outbound_documents(listener.url).items():
        media = MEDIA.get(doc.suffix) or doc.media or ""
        dataset = doc.suffix in (".trig", ".nq")
        resp = httpx.request(
            method,
            f"{write_server.url}/rdf-graph-store",
            params={} if dataset else {"graph": "https://w3id.org/openness/id/graph/security-suite"},
            content=doc.content.encode(),
            headers={"Content-Type": media, **auth()},
            timeout=60,
        )
        listener.assert_untouched(f"{method} /rdf-graph-store ({vector})")
        assert resp.status_code < 500, f"{vector}: {resp.status_code} {resp.text}"
        if doc.refusal is not None and not dataset:
            assert resp.status_code in (400, 415), f"{vector}: {resp.status_code} {resp.text}"


@pytest.mark.parametrize("vector", sorted(outbound_updates("http://127.0.0.1:9")))
def test_sparql_update_makes_no_request(write_server: ServerProcess, listener: Listener, vector: str) -> None:
    update = outbound_updates(listener.url)[vector]
    as_form = httpx.post(f"{write_server.url}/sparql", data={"update": update}, headers=auth(), timeout=60)
    direct = httpx.post(
        f"{write_server.url}/sparql",
        content=update.encode(),
        headers={"Content-Type": "application/sparql-update", **auth()},
        timeout=60,
    )
    listener.assert_untouched(f"SPARQL Update ({vector})")
    for resp in (as_form, direct):
        assert resp.status_code < 500, resp.text
        if vector.startswith(("load", "service")):
            assert 400 <= resp.status_code < 500, resp.text
    assert httpx.get(f"{write_server.url}/sparql", timeout=30).status_code == 200  # still up


@pytest.mark.parametrize("vector", sorted(outbound_queries("http://127.0.0.1:9")))
def test_sparql_query_makes_no_request(write_server: ServerProcess, listener: Listener, vector: str) -> None:
    query, extra = outbound_queries(listener.url)[vector]
    resp = httpx.post(f"{write_server.url}/sparql", data={"query": query, **extra}, timeout=60)
    listener.assert_untouched(f"SPARQL query ({vector})")
    assert resp.status_code < 500, resp.text
    if vector.startswith("service"):
        assert resp.status_code == 403, resp.text


def test_graph_store_read_of_a_web_graph_makes_no_request(
    write_server: ServerProcess, listener: Listener
) -> None:
    for route in ("/sparql", "/rdf-graph-store"):
        resp = httpx.get(
            f"{write_server.url}{route}", params={"graph": f"{listener.url}/data.ttl"}, timeout=30
        )
        assert resp.status_code == 404, resp.text
    listener.assert_untouched("Graph Store GET of a web graph")


def test_cli_query_dataset_clauses_make_no_request(cli, listener: Listener, tmp_path: Path) -> None:
    """FROM, FROM NAMED and DESCRIBE of a web IRI read the local store only. (SERVICE in a query
    you run yourself with ``openness query`` is a federated query you asked for: docs/security.md.)"""
    build_store(tmp_path / "store", files=[])  # the store the cli fixture points at
    for vector, (query, extra) in outbound_queries(listener.url).items():
        if extra or vector.startswith("service"):
            continue
        result = cli("query", query)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    listener.assert_untouched("openness query")
