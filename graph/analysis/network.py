"""The graph as networkx: the whole store, or a part a SPARQL CONSTRUCT selects.

Why: researchers reach for networkx (centrality, components, paths) and for Gephi or yEd, which
read GEXF and GraphML. The facts stay in the store; this only changes their shape.

Shape of :func:`to_networkx` (a ``networkx.MultiDiGraph``):

* nodes: every IRI and blank node that is a subject or an IRI object; the node id is a plain
  string — the IRI itself, or ``_:<label>`` for a blank node (string-safe: GraphML and GEXF
  take any string as an id);
* edges: one per triple whose object is an IRI or blank node, from subject to object, keyed by
  the predicate as a prefixed name (``og:fineTunedFrom``; the full IRI when no project prefix
  fits), with the attribute ``predicate`` (the full IRI). RDF is a set, so a (subject, predicate,
  object) gives one edge;
* literals become node attributes named by the predicate's prefixed name. One value is kept
  typed (integer → int, decimal/double → float, boolean → bool, anything else → its lexical
  form as str); several values of one predicate on one node become a JSON array of strings.
  An attribute key holds one type across the graph (GraphML declares a type per key): if its
  values do not share one, every value of that key is written as text. Language tags and
  datatypes other than the ones above are not kept (the lexical form is).

Round trips: ``networkx.read_graphml(path, force_multigraph=True)`` and ``networkx.read_gexf``
give back the same nodes, edges, edge keys and attribute values (GEXF readers add a ``label`` to
each node and an ``id`` to each edge).

Errors: a query that is not a CONSTRUCT / DESCRIBE raises ``ValueError``; store errors propagate.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import BNode, Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from ..namespaces import curie
from ..store import Store

#: Formats :func:`write_graph` writes, by name.
GRAPH_FORMATS = ("graphml", "gexf")

_INT = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.negativeInteger,
    XSD.nonPositiveInteger,
    XSD.unsignedInt,
    XSD.unsignedLong,
}
_FLOAT = {XSD.decimal, XSD.double, XSD.float}


def node_id(term: Node) -> str:
    """The string id of an RDF term as a node: the IRI, or ``_:<label>`` for a blank node."""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _value(lit: Literal) -> Any:
    if lit.datatype in _INT:
        try:
            return int(str(lit))
        except ValueError:
            return str(lit)
    if lit.datatype in _FLOAT:
        try:
            return float(str(lit))
        except ValueError:
            return str(lit)
    if lit.datatype == XSD.boolean:
        return str(lit).strip().lower() in ("true", "1")
    return str(lit)


def graph_to_networkx(graph: Iterable[tuple[Node, Node, Node]]) -> nx.MultiDiGraph:
    """An rdflib graph (or any iterable of triples) as a MultiDiGraph (see the module docstring)."""
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    literals: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph:
        sid, key = node_id(s), curie(str(p))
        g.add_node(sid)
        if isinstance(o, Literal):
            literals[sid][key].append(_value(o))
        else:
            g.add_edge(sid, node_id(o), key=key, predicate=str(p))
    # one type per attribute key across the graph, else text everywhere
    kinds: dict[str, set[type]] = defaultdict(set)
    for attrs in literals.values():
        for key, values in attrs.items():
            kinds[key].add(str if len(values) > 1 else type(values[0]))
    for sid, attrs in literals.items():
        for key, values in attrs.items():
            if len(values) > 1:
                g.nodes[sid][key] = json.dumps(sorted(str(v) for v in values), ensure_ascii=False)
            elif len(kinds[key]) > 1:
                value = values[0]
                g.nodes[sid][key] = str(value).lower() if isinstance(value, bool) else str(value)
            else:
                g.nodes[sid][key] = values[0]
    return g


def to_networkx(store: Store, query: str | None = None) -> nx.MultiDiGraph:
    """The store's graph (default graph: every source graph and every derived graph), or the part
    ``query`` — a SPARQL CONSTRUCT or DESCRIBE, project prefixes predeclared — selects, as a
    networkx MultiDiGraph (shape: module docstring)."""
    if query is None:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    head = query.lstrip().upper()
    body = "\n".join(
        line for line in query.splitlines() if not line.lstrip().upper().startswith(("PREFIX", "BASE", "#"))
    )
    if "CONSTRUCT" not in body.upper() and "DESCRIBE" not in body.upper():
        raise ValueError(f"to_networkx needs a SPARQL CONSTRUCT or DESCRIBE query, got: {head[:60]!r}")
    from ..derive import prologue, CURRENT  # noqa: I001 - local import keeps module import light

    result: Graph = store.construct(prologue(CURRENT) + query)
    return graph_to_networkx(result)


def write_graph(g: nx.Graph, fmt: str, out: str | os.PathLike[str]) -> Path:
    """Write ``g`` as ``graphml`` or ``gexf`` to ``out``; a ValueError names the formats there are.
    (GEXF readers give back a simple graph when no two edges share their ends, losing the keys:
    each edge also carries its key as the attribute ``edge_key``, which :func:`read_graph` uses.)"""
    path = Path(out)
    if fmt == "graphml":
        nx.write_graphml(g, path)
    elif fmt == "gexf":
        copy = g.copy()
        if isinstance(copy, nx.MultiGraph):
            for _u, _v, key, data in copy.edges(keys=True, data=True):
                data["edge_key"] = str(key)
        nx.write_gexf(copy, path)
    else:
        raise ValueError(f"unknown graph format {fmt!r}: use one of {', '.join(GRAPH_FORMATS)}")
    return path


def read_graph(path: str | os.PathLike[str], fmt: str | None = None) -> nx.MultiDiGraph:
    """Read a file :func:`write_graph` wrote back as a MultiDiGraph with the same edge keys
    (format from the suffix by default)."""
    fmt = fmt or Path(path).suffix.lstrip(".")
    if fmt == "graphml":
        read = nx.read_graphml(path, force_multigraph=True)
        assert isinstance(read, nx.MultiDiGraph), f"{path}: not a directed graph"
        return read
    if fmt != "gexf":
        raise ValueError(f"unknown graph format {fmt!r}: use one of {', '.join(GRAPH_FORMATS)}")
    raw = nx.read_gexf(path)
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    g.add_nodes_from(raw.nodes(data=True))
    edges = (
        raw.edges(keys=True, data=True)
        if isinstance(raw, nx.MultiGraph)
        else ((u, v, None, d) for u, v, d in raw.edges(data=True))
    )
    for u, v, key, data in edges:
        data = dict(data)
        g.add_edge(u, v, key=data.pop("edge_key", key), **data)
    return g


__all__ = ["GRAPH_FORMATS", "graph_to_networkx", "node_id", "read_graph", "to_networkx", "write_graph"]
