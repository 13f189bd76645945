"""Each piece of knowledge is written in one module of the Python (graph/ and api/).

The project's namespace IRIs are written only in openness.namespaces, media types only in
openness.formats (built from pyoxigraph's format metadata), and the Index's name
(``osai-index``) only in its importer: every other module derives them from there. The test
reads the source text, comments and docstrings included, so a copy in any form is found.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openness import formats
from openness.namespaces import PREFIXES

REPO = Path(__file__).resolve().parents[1]
PYTHON = sorted(p for d in ("graph", "api") for p in (REPO / d).rglob("*.py"))

#: Any media type (``type/subtype``) of the kinds the product speaks.
MEDIA_TYPE = re.compile(r"\b(?:text|application|image|multipart|audio|video|font)/[a-z0-9][a-z0-9.+-]*")


def _holders(needle: str) -> list[str]:
    return [str(p.relative_to(REPO)) for p in PYTHON if needle in p.read_text(encoding="utf-8")]


def test_the_tree_is_read() -> None:
    assert len(PYTHON) > 50 and REPO / "graph" / "namespaces.py" in PYTHON


@pytest.mark.parametrize("prefix", [p for p, iri in PREFIXES.items() if iri.startswith("https://w3id.org/openness/")])
def test_project_namespaces_are_written_only_in_namespaces(prefix: str) -> None:
    assert _holders(PREFIXES[prefix]) == ["graph/namespaces.py"], (
        f"{PREFIXES[prefix]} is written outside graph/namespaces.py: use openness.namespaces")


def test_the_index_name_is_written_only_in_its_importer() -> None:
    assert _holders("osai-index") == ["graph/importers/osai.py"], (
        "'osai-index' is written outside the Index's importer: use openness.importers.osai.INDEX_NAME, "
        "or the framework key from openness.derive.frameworks()")


def test_media_types_are_written_only_in_formats() -> None:
    found = {str(p.relative_to(REPO)): sorted(set(MEDIA_TYPE.findall(p.read_text(encoding="utf-8"))))
             for p in PYTHON if p.name != "formats.py" or p.parent.name != "graph"}
    found = {path: types for path, types in found.items() if types}
    assert not found, f"media types written outside graph/formats.py (use openness.formats): {found}"


def test_the_format_table_holds_the_media_types_the_product_serves() -> None:
    table = (REPO / "graph" / "formats.py").read_text(encoding="utf-8")
    # the table takes the RDF and results types from pyoxigraph, and writes the others itself
    served = {f.media_type for f in formats.RDF}
    assert served >= {"text/turtle", "application/ld+json", "application/n-triples"}
    assert formats.SPARQL_JSON == "application/sparql-results+json"
    assert "text/turtle" not in table and "application/sparql-results+json" not in table
    assert set(MEDIA_TYPE.findall(table)) >= {formats.HTML, formats.JSON, formats.SPARQL_QUERY}
