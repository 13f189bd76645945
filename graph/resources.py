"""Locate the declarative sources of truth (ontology, shapes, queries, bundled data).

They live at the top of the repository and are copied into the wheel under
``openness/_resources/``; this module is the one place that knows both layouts, so every
other module asks here instead of building paths itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """Return the directory of a shipped resource kind: ontology, shapes, queries or data."""
    for candidate in (_PACKAGE / "_resources" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"resource folder {name!r} not found next to the openness package; "
        "reinstall openness-graph (pip install .) so that ontology/, shapes/, queries/ and data/ ship with it"
    )


def ontology_dir() -> Path:
    return resource_dir("ontology")


def shapes_dir() -> Path:
    return resource_dir("shapes")


def queries_dir() -> Path:
    return resource_dir("queries")


def data_dir() -> Path:
    return resource_dir("data")


def query_path(name: str) -> Path:
    """Path of a shipped SPARQL file; ``name`` may omit the ``.rq`` suffix."""
    path = queries_dir() / (name if name.endswith((".rq", ".ru")) else f"{name}.rq")
    if not path.is_file():
        raise FileNotFoundError(f"no query {path.name} in {queries_dir()}")
    return path


def read_query(name: str) -> str:
    return query_path(name).read_text(encoding="utf-8")


def turtle_files(kind: str) -> list[Path]:
    """Every Turtle file of a resource kind, recursively, in a stable order."""
    return sorted(resource_dir(kind).rglob("*.ttl"))
