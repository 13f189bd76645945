"""The CLI against the product's own endpoint: ``openness --store http://…/sparql`` works like the
embedded store (the SPARQL client asks for JSON through Accept, whatever the server defaults to)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from openness.store import SparqlStore
from server_fixtures import build_store

pytestmark = pytest.mark.server


def table(text: str) -> list[tuple[str, ...]]:
    """The rows of the stats tables as cells, without the row naming the store (the only one that
    must differ) and without the borders (their width follows the store's name)."""
    rows = []
    for line in text.splitlines():
        cells = tuple(c.strip() for c in line.strip().strip("│").split("│"))
        if len(cells) >= 2 and cells[0] != "store" and any(re.search(r"\d", c) for c in cells):
            rows.append(cells)
    return rows


def test_stats_through_the_endpoint_equal_the_embedded_store(run_cli, server_factory, tmp_path: Path) -> None:
    store = build_store(tmp_path / "store")
    embedded = run_cli("--store", str(store), "stats")
    assert embedded.returncode == 0, embedded.stderr
    server = server_factory(store)
    remote = run_cli("--store", f"{server.url}/sparql", "stats")
    assert remote.returncode == 0, remote.stderr
    assert table(remote.stdout) == table(embedded.stdout)
    assert len(table(remote.stdout)) >= 5  # triples, graphs, releases, claims, ... were compared


def test_the_client_gets_json_even_where_the_server_would_default_to_another_format(live_server: str) -> None:
    """SPARQLWrapper used to add format=xml, which the server honours; the client now only says
    what it wants in Accept."""
    store = SparqlStore(f"{live_server}/sparql")
    try:
        rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert int(rows[0]["n"]) > 0
        assert store.ask("ASK { ?s ?p ?o }")
        assert len(store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3")) == 3
        query = "# a header that says: this drops nothing\nSELECT (1 AS ?one) {}"
        assert int(store.select(query)[0]["one"]) == 1
    finally:
        store.close()
    # and the server does honour ?format=, which is why the client must not send it
    xml = httpx.get(f"{live_server}/sparql", params={"query": "ASK {}", "format": "xml"}, timeout=30)
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
