"""Running the page queries (``queries/pages/*.rq``): declarative first, the same files run in the
query page. A query names its parameter as ``<urn:openness:param:NAME>``, which :func:`fill`
replaces with the IRIs asked for (checked by :func:`.iris.check_iri`); the file stays a valid query
on its own. Rows come back as rdflib terms (:func:`run_select`) or plain text (:func:`run_plain`)."""

from __future__ import annotations

import pyoxigraph as ox
from openness.namespaces import sparql_prefixes
from openness.resources import read_query
from openness.store import OxigraphStore, Row, Store, to_rdflib
from rdflib.term import Identifier

from .iris import check_iri

PARAM = "urn:openness:param:"


def run_select(store: Store, name: str, **params: str | list[str]) -> list[Row]:
    """Run ``queries/pages/<name>.rq`` with its ``<urn:openness:param:X>`` placeholders filled."""
    return select_sources(store, fill(name, **params))


def select_sources(store: Store, text: str) -> list[Row]:
    """Rows of a page query run with the store's own default graph (the merge of the source
    graphs) as its default graph; derived data is read through the query's explicit
    ``GRAPH derived:…`` patterns, which is the contract's portable form (docs/derived-layer.md).

    Why not ``Store.select``: on the embedded store it makes the default graph the union of the
    default graph and every derived graph, and Oxigraph then looks each pattern up in all of them:
    page queries ran 10 to 20 times slower (labels of a release page: 52 ms against 2.8 ms,
    measured on the built corpus)."""
    if not isinstance(store, OxigraphStore):
        return store.select(text)
    solutions = store.native.query(text, default_graph=[ox.DefaultGraph()])
    if not isinstance(solutions, ox.QuerySolutions):
        raise ValueError("a page query must be a SELECT query")
    names = [v.value for v in solutions.variables]
    rows: list[Row] = []
    for solution in solutions:
        row: Row = {}
        for name in names:
            term = to_rdflib(solution[name])
            if isinstance(term, Identifier):  # unbound variables are left out
                row[name] = term
        rows.append(row)
    return rows


def run_plain(store: Store, name: str, **params: str | list[str]) -> list[dict[str, str]]:
    """:func:`run_select` with every value as its plain text (IRI, literal's lexical form, ``_:id``
    for a blank node): for readers that only print or parse values. Making rdflib terms of the
    rows was a fifth of a release page's time on the corpus."""
    text = fill(name, **params)
    if not isinstance(store, OxigraphStore):
        return [{k: str(v) for k, v in row.items()} for row in store.select(text)]
    solutions = store.native.query(text, default_graph=[ox.DefaultGraph()])
    if not isinstance(solutions, ox.QuerySolutions):
        raise ValueError("a page query must be a SELECT query")
    names = [v.value for v in solutions.variables]
    rows: list[dict[str, str]] = []
    for solution in solutions:
        row: dict[str, str] = {}
        for key in names:
            value = solution[key]
            if value is not None:
                row[key] = f"_:{value.value}" if isinstance(value, ox.BlankNode) else value.value
        rows.append(row)
    return rows


def fill(name: str, **params: str | list[str]) -> str:
    """The page query ``name`` with its parameters written in and the project prefixes declared
    (``derived:`` among them)."""
    text = sparql_prefixes() + read_query(f"pages/{name}")
    for key, value in params.items():
        values = [value] if isinstance(value, str) else list(value)
        text = text.replace(f"<{PARAM}{key}>", " ".join(f"<{check_iri(v)}>" for v in values))
    return text
