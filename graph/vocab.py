"""Loading the declarative vocabulary: the ontology with its SKOS schemes, and the SHACL shapes.

The Turtle files under ``ontology/`` and ``shapes/`` are the source of truth; this module only
merges them, once per process, so that validation, rules and the server read the same graphs.
The returned graphs are shared (cached): treat them as read-only, or copy them first
(``g2 = Graph(); g2 += load_shapes()``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

from .namespaces import bind_all
from .resources import resource_dir, turtle_files


def _merge(paths: list[Path]) -> Graph:
    graph = Graph()
    bind_all(graph.namespace_manager)
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser types; name the file either way
            raise ValueError(f"{path}: not valid Turtle ({exc}); fix the file and retry") from exc
    return graph


def ontology_files() -> list[Path]:
    """Every Turtle file of the ontology: ``ontology/**/*.ttl`` (core, schemes, alignments)."""
    return turtle_files("ontology")


def shapes_files() -> list[Path]:
    """The SHACL shapes data is validated against: ``shapes/**/*.ttl`` except ``shapes/meta/``.

    ``shapes/meta/`` holds shapes about the vocabulary itself (labels, definitions), which are run
    over the ontology by the tests, not over data.
    """
    meta = resource_dir("shapes") / "meta"
    return [p for p in turtle_files("shapes") if meta not in p.parents]


@cache
def load_ontology() -> Graph:
    """All ontology files merged into one graph (cached; do not mutate)."""
    return _merge(ontology_files())


@cache
def load_shapes() -> Graph:
    """All data shapes merged into one graph (cached; do not mutate)."""
    return _merge(shapes_files())


def load_meta_shapes() -> Graph:
    """The shapes that check the vocabulary itself (``shapes/meta/*.ttl``)."""
    return _merge(sorted((resource_dir("shapes") / "meta").rglob("*.ttl")))
