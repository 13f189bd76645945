"""No input makes the product blow up (docs/security.md, "Limits").

Every bomb — YAML aliases, XML entities ("billion laughs"), deeply nested JSON, JSON-LD, YAML,
Turtle and RDF/XML — is a file of at most a few hundred KB that expands to gigabytes or nests
100,000 deep. Each is refused within 2 s using less than 200 MB, with a message naming the
limit: by ``openness load`` and ``openness validate`` (wall time and peak memory of the process),
by the importers, and by each write route of a running ``openness serve`` (round-trip time, and
the growth of the peak memory of the server and its workers).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from openness.ingest import SUPPORTED
from openness.ingest.limits import MAX_API_BATCH_BYTES
from security_helpers import (
    MAX_MB,
    MAX_SECONDS,
    Bomb,
    auth,
    bombs,
    peak_growth_mb,
    reset_peak,
)
from server_fixtures import ServerProcess

pytestmark = [pytest.mark.server]

BOMBS = bombs()
#: The bombs in a format claim files can have (the CLI does not read TriG at all).
FILE_BOMBS = sorted(v for v, b in BOMBS.items() if b.suffix in SUPPORTED)
CLAIM_MEDIA = ("application/ld+json", "application/json", "application/yaml", "text/turtle")


def _file(tmp_path: Path, vector: str) -> tuple[Path, Bomb]:
    bomb = BOMBS[vector]
    path = tmp_path / f"{vector}{bomb.suffix}"
    path.write_text(bomb.content, encoding="utf-8")
    return path, bomb


@pytest.mark.parametrize("vector", FILE_BOMBS)
def test_load_refuses_bomb_fast_and_small(cli, cli_startup: float, tmp_path: Path, vector: str) -> None:
    _refused_by(cli, cli_startup, tmp_path, "load", vector)


@pytest.mark.parametrize("vector", ["xml-billion-laughs", "yaml-aliases"])
def test_validate_refuses_bomb_fast_and_small(cli, cli_startup: float, tmp_path: Path, vector: str) -> None:
    """``validate`` reads files with the same reader as ``load``: two bombs show it is wired."""
    _refused_by(cli, cli_startup, tmp_path, "validate", vector)


def _refused_by(cli, startup: float, tmp_path: Path, command: str, vector: str) -> None:
    path, bomb = _file(tmp_path, vector)
    result = cli(command, str(path), timeout=30)
    print(
        f"openness {command} {path.name}: exit {result.returncode}, {result.seconds:.2f} s wall, "
        f"{result.cpu_seconds:.2f} s CPU "
        f"(start-up {startup:.2f} s), {result.peak_mb:.0f} MB: {result.stderr.strip()[-300:]}"
    )
    assert result.returncode == 1, result.stderr
    assert path.name in result.stderr and bomb.limit in result.stderr, result.stderr
    assert result.cpu_seconds - startup < MAX_SECONDS
    assert result.peak_mb < MAX_MB


# --------------------------------------------------------------------------- the service


def _post(
    server: ServerProcess, path: str, body: bytes, media: str, **params: str
) -> tuple[httpx.Response, float, float]:
    """POST and measure: response, seconds, growth of the server's peak memory in MB."""
    before = reset_peak(server.proc.pid)
    resp = httpx.post(
        f"{server.url}{path}",
        content=body,
        params=params,
        headers={"Content-Type": media, **auth()},
        timeout=60,
    )
    return resp, resp.elapsed.total_seconds(), peak_growth_mb(server.proc.pid, before)


@pytest.mark.parametrize("vector", sorted(BOMBS))
def test_post_claims_refuses_bomb_fast_and_small(write_server: ServerProcess, vector: str) -> None:
    bomb = BOMBS[vector]
    resp, seconds, grown = _post(write_server, "/api/claims", bomb.content.encode(), bomb.media or "")
    print(
        f"POST /api/claims {vector}: {resp.status_code} in {seconds:.2f} s, +{grown:.0f} MB: "
        f"{resp.text[:200]}"
    )
    if bomb.media not in CLAIM_MEDIA:
        assert resp.status_code == 415  # the route does not read RDF/XML or TriG at all
    else:
        assert resp.status_code == 400, resp.text
        assert bomb.limit in resp.json()["detail"]
    assert seconds < MAX_SECONDS and grown < MAX_MB
    assert httpx.get(f"{write_server.url}/sparql", timeout=30).status_code == 200


def test_post_claims_refuses_a_body_over_the_size_limit(write_server: ServerProcess) -> None:
    body = b"# " + b"x" * MAX_API_BATCH_BYTES + b"\n"
    resp, seconds, grown = _post(write_server, "/api/claims", body, "text/turtle")
    assert resp.status_code == 413 and "size limit" in resp.text, resp.text
    assert seconds < MAX_SECONDS and grown < MAX_MB


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_graph_store_writes_refuse_bombs(write_server: ServerProcess, method: str) -> None:
    """Each bomb written to a graph (a dataset for TriG) by the Graph Store Protocol: 400 naming
    the limit, or 415 for a media type the Graph Store does not read (YAML, plain JSON)."""
    for vector, bomb in BOMBS.items():
        params = (
            {} if bomb.suffix == ".trig" else {"graph": "https://w3id.org/openness/id/graph/security-suite"}
        )
        before = reset_peak(write_server.proc.pid)
        resp = httpx.request(
            method,
            f"{write_server.url}/rdf-graph-store",
            content=bomb.content.encode(),
            params=params,
            headers={"Content-Type": bomb.media or "", **auth()},
            timeout=60,
        )
        grown = peak_growth_mb(write_server.proc.pid, before)
        print(
            f"{method} /rdf-graph-store {vector}: {resp.status_code} "
            f"in {resp.elapsed.total_seconds():.2f} s, "
            f"+{grown:.0f} MB: {resp.text[:160]}"
        )
        assert resp.status_code in (400, 415), f"{vector}: {resp.status_code} {resp.text}"
        if resp.status_code == 400:
            assert bomb.limit in resp.text, f"{vector}: {resp.text}"
        else:
            assert bomb.media in ("application/yaml", "application/json"), f"{vector}: {resp.text}"
        assert resp.elapsed.total_seconds() < MAX_SECONDS and grown < MAX_MB, vector
