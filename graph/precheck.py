"""What must be known about a SPARQL text before any parser sees it: its size, its nesting depth,
and whether it asks the engine to reach outside the store (``SERVICE``, ``LOAD``).

Why a lexer and not a parser: both real parsers at hand are recursive. Oxigraph's (Rust) overflows
the native stack on a few thousand nested ``(`` or ``[`` and takes the whole process down;
rdflib's (pyparsing) hits Python's recursion limit far earlier and is slow on big texts. So the
depth limit has to be checked *before* either parser runs, by a single linear pass over the
tokens. Classifying what a request does is left to the real parsers: Oxigraph decides the query
form (the endpoint answers by the type of the result it gets), rdflib's parser lists an update's
operations and graphs (:mod:`openness.api.update_plan`). Both the service and the CLI (`openness query`)
run these checks.

The pass knows the SPARQL 1.1 terminals that can hide brackets or keywords — strings (all four
quotings), IRIs, comments, variables, blank-node labels and prefixed names — so ``"("``,
``# SERVICE`` or ``?service`` never count. Brackets inside what looks like an IRI do count: ``<``
is also less-than, and ``?a<(((…?b>`` is an expression to the parser (found by the security
suite); a real IRI with parentheses costs at most a level or two of the limit. ``SERVICE`` and
``LOAD`` are reserved words in the grammar: found as a bare word, they can only be the keyword,
so refusing on them is exact for valid SPARQL and errs on the side of refusing for invalid text
(which no engine would run).

It also reads what the endpoint needs to serve the text: the prologue's prefixes (CONSTRUCT
output keeps them), whether the query brings its own dataset (``FROM`` / ``FROM NAMED``), and for
updates where the protocol's ``using-graph-uri`` must be applied (:func:`with_using`).

Limits and messages: :class:`Refused` carries the HTTP status (400 for size and depth, 403 for
SERVICE and LOAD) and a message naming the limit and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

#: Nesting levels of ``( [ {`` a query or update may have. Real queries stay far below it (the
#: deepest shipped rule nests 12 levels); Oxigraph's parser overflows its stack at a few thousand.
MAX_DEPTH = 128

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7-\uffff]+)
  | (?P<bnode>_:[\w.\-\u00b7-\uffff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7-\uffff]*)?:(?:[\w.:%\-\u00b7-\uffff]|\\.)*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<semi>;)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)


class Refused(Exception):
    """The text may not reach the engine; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


@dataclass
class TextFacts:
    """What one pass over a SPARQL text found (see the module docstring)."""

    depth: int = 0
    first_word: str | None = None  # the first keyword after the prologue: SELECT, INSERT, CLEAR, ...
    prefixes: dict[str, str] = field(default_factory=dict)  # declared in the text (PREFIX p: <iri>)
    service: bool = False
    load: bool = False
    dataset_clause: bool = False  # FROM / FROM NAMED
    using_or_with: bool = False  # USING / USING NAMED / WITH
    #: Where ``USING`` clauses go for the protocol's using-graph-uri: offsets of the WHERE keyword
    #: of each DELETE/INSERT ... WHERE operation.
    where_offsets: list[int] = field(default_factory=list)
    #: ``DELETE WHERE { P }`` operations, which take no USING: (start of DELETE, start of WHERE,
    #: offset of "{", offset after "}") so that they can be written as DELETE { P } USING … WHERE { P }.
    delete_where_spans: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return self.first_word in UPDATE_WORDS


def depth_refusal(limit: int) -> Refused:
    return Refused(
        400,
        f"the request nests brackets ( [ {{ more than {limit} levels deep, over the nesting-depth "
        f"limit of {limit}; nothing was run. Flatten it (e.g. VALUES instead of nested UNIONs, "
        "several smaller INSERT DATA blocks instead of deeply nested blank nodes).",
    )


def size_refusal(size: int, limit: int, what: str) -> Refused:
    return Refused(
        413,
        f"the {what} is {size:,} bytes, over the size limit of {limit:,} bytes; nothing was run. "
        "Split it, or load big data with the Graph Store protocol or `openness load`.",
    )


def scan(text: str, *, max_depth: int = MAX_DEPTH) -> TextFacts:
    """One pass over ``text``: depth (refused past ``max_depth``), keywords, prologue, USING spots."""
    facts = TextFacts()
    depth = 0
    base = ""
    expect: str | None = None  # what the previous word announces: "prefix-name", "prefix-iri", "base"
    pending_prefix = ""
    # Update operations, followed at depth 0: "with", "delete" / "insert" (the keyword was just
    # read), "modify" (a template was opened: the next top-level WHERE is this operation's).
    state: str | None = None
    delete_start = 0
    open_dw: list[int] | None = None  # a DELETE WHERE being read: [DELETE, WHERE, "{"]
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            if depth == 0:
                if state in ("delete", "insert"):
                    state = "modify"
                if open_dw is not None and len(open_dw) == 2:
                    open_dw.append(match.start())
            depth += 1
            if depth > facts.depth:
                facts.depth = depth
                if depth > max_depth:
                    raise depth_refusal(max_depth)
            continue
        if kind == "close":
            depth -= 1
            if depth == 0 and open_dw is not None and len(open_dw) == 3:
                facts.delete_where_spans.append((open_dw[0], open_dw[1], open_dw[2], match.end()))
                open_dw = None
            continue
        if kind == "semi":
            if depth == 0:
                state = None
            continue
        if kind in ("comment", "string", "var", "bnode"):
            expect = None
            continue
        value = match.group()
        if kind == "pname":
            if expect == "prefix-name":
                pending_prefix = value[:-1] if value.endswith(":") else value.split(":", 1)[0]
                expect = "prefix-iri"
            else:
                expect = None
            continue
        if kind == "iri":
            # "<" may also be less-than: Oxigraph's parser reads ?a<((( … ?b> as an expression and
            # recurses into every "(", so brackets inside what looks like an IRI count too.
            inner = match.group()
            if "(" in inner or "[" in inner:
                for char in inner:
                    if char in "([":
                        depth += 1
                        if depth > facts.depth:
                            facts.depth = depth
                            if depth > max_depth:
                                raise depth_refusal(max_depth)
                    elif char in ")]":
                        depth -= 1
            if expect == "prefix-iri":
                facts.prefixes[pending_prefix] = urljoin(base, value[1:-1]) if base else value[1:-1]
            elif expect == "base":
                base = urljoin(base, value[1:-1]) if base else value[1:-1]
            expect = None
            continue
        expect = None
        word = value.upper()
        if word == "PREFIX":
            expect = "prefix-name"
            continue
        if word == "BASE":
            expect = "base"
            continue
        if facts.first_word is None and (word in QUERY_FORMS or word in UPDATE_WORDS):
            facts.first_word = word
        if word == "SERVICE":
            facts.service = True
        elif word == "LOAD":
            facts.load = True
        elif word == "FROM":
            facts.dataset_clause = True
        elif word in ("USING", "WITH"):
            facts.using_or_with = True
        if depth != 0:
            continue
        if word == "WITH":
            state = "with"
        elif word == "DELETE" and state in (None, "with"):
            state, delete_start = "delete", match.start()
        elif word == "INSERT" and state in (None, "with"):
            state = "insert"
        elif word == "DATA":
            state = None
        elif word == "WHERE":
            if state == "delete":  # DELETE WHERE { ... }, the shorthand form
                open_dw = [delete_start, match.start()]
            elif state == "modify":
                facts.where_offsets.append(match.start())
            state = None
    return facts


def check_query_text(text: str, *, max_depth: int = MAX_DEPTH) -> TextFacts:
    """Facts about a query, or :class:`Refused` (depth, SERVICE, an update sent as a query)."""
    facts = scan(text, max_depth=max_depth)
    if facts.load:
        raise Refused(403, "LOAD is never allowed on this endpoint: a request may not make the server "
                           "read files or the network.")
    if facts.service:
        raise Refused(
            403,
            "SERVICE (federated query) is disabled on this endpoint: a query may not make the "
            "server contact other services. Run the federated query from your own client instead.",
        )
    if facts.is_update:
        raise Refused(
            400,
            f"this is a SPARQL Update ({facts.first_word}), not a query: the query endpoint is "
            "read-only. Send updates by POST as update= (or as a direct update body) with the "
            "server's update token.",
        )
    return facts


def check_update_text(text: str, *, max_depth: int = MAX_DEPTH) -> TextFacts:
    """Facts about an update, or :class:`Refused` (depth, LOAD, SERVICE)."""
    facts = scan(text, max_depth=max_depth)
    if facts.load:
        raise Refused(403, "LOAD is never allowed: an update may not make the server read files or "
                           "the network. Send the data itself (INSERT DATA, the Graph Store protocol).")
    if facts.service:
        raise Refused(403, "SERVICE is never allowed: an update may not make the server contact "
                           "other services.")
    if facts.first_word in QUERY_FORMS:
        raise Refused(400, f"this is a query ({facts.first_word}), not an update; send it as query=")
    return facts


def with_using(text: str, facts: TextFacts, default: list[str], named: list[str]) -> str:
    """The update with the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` written in as
    ``USING`` / ``USING NAMED`` clauses of each operation that has a WHERE clause (SPARQL 1.1
    Protocol §2.2.3: they set the dataset of those WHERE clauses)."""
    clause = " ".join([*(f"USING <{g}>" for g in default), *(f"USING NAMED <{g}>" for g in named)]) + " "
    edits: list[tuple[int, int, str]] = [(pos, pos, clause) for pos in facts.where_offsets]
    for start, where, brace, end in facts.delete_where_spans:
        pattern = text[brace:end]
        edits.append((start, end, f"DELETE {pattern} {clause}WHERE {pattern}"))
        del where
    out = text
    for start, end, insert in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[:start] + insert + out[end:]
    return out


__all__ = [
    "MAX_DEPTH",
    "QUERY_FORMS",
    "Refused",
    "TextFacts",
    "check_query_text",
    "check_update_text",
    "depth_refusal",
    "scan",
    "size_refusal",
    "with_using",
]
