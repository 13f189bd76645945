"""schemathesis against the served OpenAPI schema: no request it generates gets a server error (5xx).

Runs the schemathesis CLI in a subprocess (its own process, a bounded number of examples and a
time budget) against real servers: the read-only ``live_server`` for the whole schema, and a
writable server (Bearer token set) for ``POST /api/claims``, whose fuzzed bodies must be refused
with 4xx, never crash the ingest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
        "not_a_server_error",
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


def test_no_server_error_when_fuzzing_claim_submission(server_factory, tmp_path_factory) -> None:  # noqa: ANN001
    store = build_store(tmp_path_factory.mktemp("fuzz") / "store")
    server = server_factory(store, update_token=TOKEN)
    result = schemathesis(
        server.url, "--include-path-regex", "^/api/", "-H", f"Authorization: Bearer {TOKEN}", budget=20
    )
    assert "ST101" not in result.stdout and result.returncode == 0, (
        result.stdout[-6000:] + result.stderr[-2000:]
    )
