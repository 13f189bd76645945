"""schemathesis against the served OpenAPI schema: no request it generates gets a server error
(5xx), and every answer's status code and media type are the ones the schema declares.

Runs the schemathesis CLI in a subprocess (its own process, a bounded number of examples and a
time budget) against real servers: the read-only ``live_server`` for the whole schema, and a
writable server (Bearer token set) for every write route (SPARQL Update, Graph Store writes,
``POST /api/claims``), whose fuzzed bodies must be refused with a declared 4xx, never crash.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from server_fixtures import build_store

pytestmark = [pytest.mark.server, pytest.mark.slow]
TOKEN = "schemathesis-token"


def schemathesis(url: str, *extra: str, budget: int) -> subprocess.CompletedProcess[str]:
    st = Path(sys.executable).parent / "st"
    args = [
        str(st),
        "run",
        f"{url}/openapi.json",
        "--checks",
        "not_a_server_error,status_code_conformance,content_type_conformance",
        "--suppress-health-check",
        "filter_too_much",  # POST /sparql's form body is mostly filtered; it is still exercised
        "--max-examples",
        "15",
        "--seed",
        "20241119",
        "--phases",
        "examples,fuzzing",
        "--max-time",
        str(budget),
        "--request-timeout",
        "30",
        *extra,
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=budget + 60)


def test_no_server_error_anywhere_in_the_schema(live_server: str) -> None:
    result = schemathesis(live_server, budget=35)
    assert "ST101" not in result.stdout and result.returncode == 0, (
        result.stdout[-6000:] + result.stderr[-2000:]
    )


def test_operation_ids_are_unique_and_writes_name_the_token(live_server: str) -> None:
    schema = httpx.get(f"{live_server}/openapi.json", timeout=30).json()
    operations = [(m, p, op) for p, ops in schema["paths"].items() for m, op in ops.items()]
    ids = [op["operationId"] for _, _, op in operations]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert schema["components"]["securitySchemes"]["updateToken"]["scheme"] == "bearer"
    writes = [(m, p) for m, p, op in operations if m in ("put", "delete") or p == "/api/claims"]
    assert writes and all(
        {"updateToken": []} in schema["paths"][p][m].get("security", []) for m, p in writes
    )


def test_no_server_error_when_fuzzing_writes(server_factory, tmp_path_factory) -> None:
    store = build_store(tmp_path_factory.mktemp("fuzz") / "store")
    server = server_factory(store, update_token=TOKEN)
    result = schemathesis(
        server.url, "--include-method-regex", "^(POST|PUT|DELETE)$", "-H", f"Authorization: Bearer {TOKEN}",
        budget=30,
    )
    assert "ST101" not in result.stdout and result.returncode == 0, (
        result.stdout[-6000:] + result.stderr[-2000:]
    )
