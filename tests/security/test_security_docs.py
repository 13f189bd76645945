"""docs/security.md says what the code does and what this suite checks.

The page states each limit with its value: the values are read from ``graph/ingest/limits.py``
and the service's settings, so changing a limit without the page fails here. Every vector the
suite feeds is named on the page. The update token is compared in constant time by every write
route, and answers as the page says.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import openness.api
import pytest
from openness.api.settings import Settings
from openness.ingest import limits
from security_helpers import (
    TOKEN,
    bombs,
    outbound_documents,
    outbound_queries,
    outbound_updates,
    sparql_bombs,
)
from server_fixtures import ServerProcess

PAGE = Path(__file__).resolve().parents[2] / "docs" / "security.md"


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def _row(page: str, name: str) -> str:
    rows = [line for line in page.splitlines() if line.startswith("|") and f"`{name}`" in line]
    assert rows, f"docs/security.md has no table row for `{name}`"
    return rows[0]


@pytest.mark.parametrize("name", [n for n in limits.__all__ if n.startswith("MAX_")])
def test_every_input_limit_is_stated_with_its_value(page: str, name: str) -> None:
    value = getattr(limits, name)
    assert f"{value:,}" in _row(page, name)


SERVICE_LIMITS = {
    "query_timeout": "s",
    "max_rows": "rows",
    "max_result_bytes": "bytes",
    "max_query_bytes": "bytes",
    "max_update_bytes": "bytes",
    "max_depth": "levels",
    "max_concurrent_queries": "workers",
    "queue_wait": "s",
    "max_graph_triples": "",
}


@pytest.mark.parametrize("name", sorted(SERVICE_LIMITS))
def test_every_service_limit_is_stated_with_its_default(page: str, name: str) -> None:
    value = getattr(Settings(), name)
    text = f"{value:g}" if isinstance(value, float) else f"{value:,}"
    assert re.search(rf"(?<![\d,.]){re.escape(text)}(?![\d,])", _row(page, name)), (name, text)


def test_every_vector_of_the_suite_is_named(page: str) -> None:
    queries, updates = sparql_bombs()
    names = [
        *outbound_documents("http://127.0.0.1:9"),
        *outbound_updates("http://127.0.0.1:9"),
        *outbound_queries("http://127.0.0.1:9"),
        *bombs(),
        *queries,
        *updates,
    ]
    missing = [n for n in names if f"`{n}`" not in page]
    assert not missing, f"docs/security.md does not name: {missing}"


def test_the_token_is_compared_in_constant_time_wherever_it_is_checked() -> None:
    """Every module of the service that reads the Authorization header compares the token with
    hmac.compare_digest, and never with == or !=."""
    checked = []
    for module in sorted(Path(openness.api.__file__).parent.glob("*.py")):
        text = module.read_text(encoding="utf-8")
        if "update_token" not in text or "authorization" not in text.lower():
            continue
        checked.append(module.name)
        assert "hmac.compare_digest(" in text, module.name
        assert not re.search(r"\btoken\b[^\n]*?[!=]=|[!=]=\s*[\w.]*token\b", text), module.name
    assert checked, "no module of openness.api checks the update token"


def test_the_token_answers_as_the_page_says(write_server: ServerProcess) -> None:
    url = f"{write_server.url}/api/claims"
    body, media = b"<urn:x:a> <urn:x:p> 1 .", {"Content-Type": "text/turtle"}
    missing = httpx.post(url, content=body, headers=media, timeout=30)
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    wrong = httpx.post(
        url, content=body, headers={**media, "Authorization": f"Bearer {TOKEN[:-1]}x"}, timeout=30
    )
    assert wrong.status_code == 403
