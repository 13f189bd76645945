"""The W3C SPARQL 1.1 Protocol tests (``tests/w3c/protocol``) against a real ``openness serve`` with
updates enabled: every entry of the manifest, run by one runner (:mod:`runner`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from runner import ProtocolTest, load_manifest, run
from server_fixtures import ServerProcess, build_store

pytestmark = pytest.mark.server
TOKEN = "w3c-protocol-token"
TESTS = load_manifest()


def test_the_manifest_has_every_test() -> None:
    assert len(TESTS) == 34
    assert all(t.requests for t in TESTS)


@pytest.fixture(scope="module")
def server(server_factory, tmp_path_factory: pytest.TempPathFactory) -> ServerProcess:
    store = build_store(tmp_path_factory.mktemp("w3c") / "store", files=[])
    return server_factory(store, update_token=TOKEN)


@pytest.mark.parametrize("test", TESTS, ids=[t.id for t in TESTS])
def test_protocol(server: ServerProcess, test: ProtocolTest) -> None:
    problems = run(server.url, TOKEN, test)
    assert not problems, f"{test.name}:\n" + "\n".join(problems)
