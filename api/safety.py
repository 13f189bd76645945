"""Inspect a SPARQL request before running it: what form it is, and whether it may run here.

The endpoint is read-only and closed to the outside world. Before a query reaches a worker this
module tells the endpoint:

* the query form (SELECT / ASK / CONSTRUCT / DESCRIBE), so content negotiation can answer 406
  before any work is done;
* whether it is really an update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY);
* whether it uses ``SERVICE`` (federation: Oxigraph would make HTTP requests from the server);
* which graphs its ``FROM`` / ``FROM NAMED`` clauses name (resolved against PREFIX and BASE), so
  anything that is not a graph in the store (``<file:///etc/passwd>``, a web address) is refused
  with a message instead of silently answering from an empty graph.

Why a tokenizer and not a parser: Oxigraph parses the query for real (and its message is what a
malformed query gets back); this module only has to find keywords, and a keyword can only be a
keyword outside strings, IRIs and comments. Classifying tokens by the SPARQL 1.1 grammar's
terminals (strings, IRIREF, prefixed names, variables, comments) is enough to make that reliable,
and works for SPARQL the rdflib parser would not read (RDF 1.2 triple terms, Oxigraph extensions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7-\uffff]+)
  | (?P<bnode>_:[\w.\-\u00b7-\uffff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7-\uffff]*)?:(?:[\w.:%\-\u00b7-\uffff]|\\.)*)
  | (?P<word>[A-Za-z_][\w]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Refused(Exception):
    """The request may not run here; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


@dataclass
class Inspection:
    """What :func:`inspect_sparql` found in a query or update text."""

    form: str | None = None  # SELECT, ASK, CONSTRUCT, DESCRIBE (None: not a query, or unreadable)
    update_operations: list[str] = field(default_factory=list)  # INSERT, LOAD, ...
    service: bool = False
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # prefixed names with an undeclared prefix
    graph_refs: list[str] = field(default_factory=list)  # IRIs after GRAPH (updates: the graphs touched)
    data_only: bool = True  # every INSERT / DELETE is followed by DATA

    @property
    def is_update(self) -> bool:
        return bool(self.update_operations)


def tokens(text: str) -> list[tuple[str, str]]:
    """The significant tokens of a SPARQL text as (kind, text); whitespace and comments dropped."""
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append((kind, match.group()))
    return out


def inspect_sparql(text: str) -> Inspection:
    """Find the form, update operations, SERVICE and dataset clauses of a SPARQL text."""
    found = Inspection()
    toks = tokens(text)
    prefixes: dict[str, str] = {}
    base = ""
    i = 0
    while i < len(toks):
        kind, value = toks[i]
        upper = value.upper() if kind == "word" else ""
        if upper == "PREFIX" and i + 2 < len(toks) and toks[i + 1][0] == "pname" and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1][:-1]] = urljoin(base, toks[i + 2][1][1:-1])
            i += 3
            continue
        if upper == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            base = urljoin(base, toks[i + 1][1][1:-1])
            i += 2
            continue
        if upper in QUERY_FORMS and found.form is None and not found.update_operations:
            found.form = upper
        elif upper in UPDATE_KEYWORDS and found.form is None:
            found.update_operations.append(upper)
            following = toks[i + 1] if i + 1 < len(toks) else ("", "")
            if upper in ("INSERT", "DELETE") and not (
                following[0] == "word" and following[1].upper() == "DATA"
            ):
                found.data_only = False
        elif upper == "GRAPH" and i + 1 < len(toks):
            iri = _resolve(toks[i + 1], prefixes, base, found) if toks[i + 1][0] in ("iri", "pname") else None
            if iri is not None:
                found.graph_refs.append(iri)
        elif upper == "SERVICE":
            found.service = True
        elif upper == "FROM":
            named = i + 1 < len(toks) and toks[i + 1][0] == "word" and toks[i + 1][1].upper() == "NAMED"
            j = i + 2 if named else i + 1
            if j < len(toks):
                iri = _resolve(toks[j], prefixes, base, found)
                if iri is not None:
                    (found.from_named_graphs if named else found.from_graphs).append(iri)
            i = j + 1
            continue
        i += 1
    return found


def _resolve(token: tuple[str, str], prefixes: dict[str, str], base: str, found: Inspection) -> str | None:
    kind, value = token
    if kind == "iri":
        return urljoin(base, value[1:-1]) if base else value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix not in prefixes:
            found.unresolved.append(value)
            return None
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def check_query(found: Inspection, graphs: set[str], extra_graphs: list[str] = ()) -> None:
    """Raise :class:`Refused` unless the query may run read-only on this store.

    ``graphs`` are the named graphs in the store; ``extra_graphs`` are the protocol's
    ``default-graph-uri`` / ``named-graph-uri`` values, held to the same rule as FROM.
    """
    if found.is_update:
        ops = ", ".join(dict.fromkeys(found.update_operations))
        raise Refused(
            400 if "LOAD" not in found.update_operations else 403,
            f"this is a SPARQL Update ({ops}), not a query: the query endpoint is read-only. "
            "Updates go to POST /sparql as update= (or application/sparql-update) with the "
            "server's update token; LOAD is never allowed.",
        )
    if found.service:
        raise Refused(
            403,
            "SERVICE (federated query) is disabled on this endpoint: a query may not make the "
            "server contact other services. Run the federated query from your own client instead.",
        )
    if found.unresolved:
        return  # the parser will name the undeclared prefix
    _check_graphs([*found.from_graphs, *found.from_named_graphs], graphs, "FROM / FROM NAMED")
    _check_graphs(list(extra_graphs), graphs, "default-graph-uri / named-graph-uri")


def _check_graphs(named: list[str], graphs: set[str], where: str) -> None:
    missing = [g for g in named if g not in graphs]
    if missing:
        raise Refused(
            400,
            f"{where} names {', '.join(f'<{g}>' for g in missing)}, which is not a graph in this "
            "store; this endpoint never reads files or the network. List the store's graphs with "
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } or see /.well-known/void.",
        )


def check_update(found: Inspection) -> None:
    """Raise :class:`Refused` unless an update is only INSERT DATA / DELETE DATA."""
    if not found.is_update:
        raise Refused(400, "this is not a SPARQL Update; send queries as query=")
    if found.service or "LOAD" in found.update_operations:
        raise Refused(403, "LOAD and SERVICE are never allowed: an update may not read files or the network")
    allowed = {"INSERT", "DELETE"}
    others = [op for op in found.update_operations if op not in allowed]
    if others or not found.data_only:
        raise Refused(
            403,
            "only INSERT DATA and DELETE DATA are accepted "
            f"(found {', '.join(dict.fromkeys(others)) or 'a WHERE form'}); "
            "to replace a batch, load its claim file with `openness load`",
        )


__all__ = ["QUERY_FORMS", "Inspection", "Refused", "check_query", "check_update", "inspect_sparql", "tokens"]
