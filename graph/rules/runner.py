"""Load a versioned rule file, parameterize it, and run it on any store.

A rule file is plain SPARQL in ``queries/``. Two conventions keep the files runnable as they are
and still parameterizable:

* ``#include other.rq`` on a line of its own is replaced by the other file's query (without its
  PREFIX lines) as a sub-query: the combining policy (``combine-1.0.rq``) is written once and
  shared by every framework rule.
* the literal ``"9999-12-31"`` is the as-of date ("everything known"); :func:`run_rule` replaces
  it with the ``--as-of`` date.

The content hash of a rule is taken over the expanded text, so a change to an included file is
a new rule version too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from .. import mint
from ..namespaces import OG
from ..resources import read_query, turtle_files
from ..store import Row, Store

AS_OF_PLACEHOLDER = '"9999-12-31"'
_INCLUDE = re.compile(r"^[ \t]*#include[ \t]+(\S+)[ \t]*$", re.MULTILINE)
_VALUES_MARK = re.compile(r"^([ \t]*)#values[ \t]*$", re.MULTILINE)
_PROLOGUE = re.compile(r"^[ \t]*(PREFIX|BASE)\b[^\n]*$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Framework:
    """One framework: its short name, the og:Framework individual and its rule file."""

    key: str
    iri: URIRef
    rule_file: str
    label: str


FRAMEWORKS: dict[str, Framework] = {
    "spectrum": Framework("spectrum", OG.SpectrumOTI2024, "spectrum-1.0.rq",
                          "Spectrum of openness (OTI 2024)"),
    "mof": Framework("mof", OG["MOF-1.0"], "mof-1.0.rq", "Model Openness Framework 1.0"),
    "osaid": Framework("osaid", OG["OSAID-1.0"], "osaid-1.0.rq", "Open Source AI Definition 1.0"),
    "osai": Framework("osai", OG.OSAIIndex, "osai-index-1.0.rq", "European Open Source AI Index"),
}


def framework(key: str) -> Framework:
    """The framework named ``key`` (spectrum, mof, osaid, osai), or a clear error."""
    try:
        return FRAMEWORKS[key]
    except KeyError:
        raise ValueError(f"unknown framework {key!r}: use one of {', '.join(FRAMEWORKS)}") from None


@dataclass(frozen=True)
class RuleText:
    """An expanded rule: file name, SPARQL text (as-of placeholder still in) and content hash."""

    file: str
    text: str

    @property
    def sha256(self) -> str:
        return "sha256:" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def iri(self) -> URIRef:
        """The og:Rule node: one per file *version*, named by its content hash."""
        return mint.iri("rule", mint.slug(self.file.removesuffix(".rq")), self.sha256.split(":")[1][:16])

    def with_as_of(self, as_of: dt.date | str | None) -> str:
        return self.text.replace(AS_OF_PLACEHOLDER, f'"{as_of_text(as_of)}"')

    def rdf(self, fw: Framework | None = None) -> Graph:
        """The og:Rule description written next to assessments."""
        g = Graph()
        g.add((self.iri, RDF.type, OG.Rule))
        g.add((self.iri, RDFS.label, Literal(f"{self.file} ({self.sha256[:19]})")))
        g.add((self.iri, OG.ruleFile, Literal(self.file)))
        g.add((self.iri, OG.contentHash, Literal(self.sha256)))
        if fw is not None:
            g.add((self.iri, OG.framework, fw.iri))
        return g


def as_of_text(as_of: dt.date | str | None) -> str:
    """Normalize an as-of date to ``YYYY-MM-DD`` (None = everything known), or raise a clear error."""
    if as_of is None:
        return "9999-12-31"
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if isinstance(as_of, dt.date):
        return as_of.isoformat()
    try:
        return dt.date.fromisoformat(str(as_of).strip()).isoformat()
    except ValueError:
        raise ValueError(f"--as-of {as_of!r} is not a date: write it as YYYY-MM-DD, e.g. 2024-11-19") \
            from None


def expand(text: str, _seen: tuple[str, ...] = ()) -> str:
    """Replace ``#include file.rq`` lines by the file's query as a sub-query (recursively)."""

    def include(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _seen:
            raise ValueError(f"#include cycle: {' -> '.join((*_seen, name))}")
        body = _PROLOGUE.sub("", expand(read_query(name), (*_seen, name)))
        body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("#"))
        return "{\n" + body.strip() + "\n}"

    return _INCLUDE.sub(include, text)


def load_rule(file: str) -> RuleText:
    """Read and expand a rule file from ``queries/``."""
    name = file if file.endswith(".rq") else f"{file}.rq"
    return RuleText(name, expand(read_query(name)))


def run_query(store: Store, file: str, *, as_of: dt.date | str | None = None,
              values: dict[str, list[URIRef | Literal]] | None = None) -> list[Row]:
    """Run any query of ``queries/`` with the as-of date and optional VALUES bindings.

    ``values`` adds ``VALUES ?var { ... }`` on every line that is just ``#values`` (so a query can
    restrict its sub-queries too: they are evaluated bottom-up and would not see an outer
    VALUES), else right after the first ``WHERE {``. This is how trace.rq is restricted to one
    release without string-building SPARQL around user input (terms are written with ``n3()``).
    """
    ensure_vocabulary(store)
    text = load_rule(file).with_as_of(as_of)
    if values:
        block = " ".join(
            f"VALUES ?{var} {{ {' '.join(t.n3() for t in terms)} }}" for var, terms in values.items()
        )
        if _VALUES_MARK.search(text):
            text = _VALUES_MARK.sub(lambda m: m.group(1) + block, text)
        else:
            text = re.sub(r"WHERE\s*\{", lambda m: m.group(0) + "\n  " + block + "\n", text, count=1)
    return store.select(text)


def run_rule(store: Store, key: str, *, as_of: dt.date | str | None = None) -> list[Row]:
    """Run one framework's rule and return its rows (one per release)."""
    return run_query(store, framework(key).rule_file, as_of=as_of)


# --------------------------------------------------------------------------- vocabulary

VOCABULARY_GRAPH = "vocabulary"


def vocabulary_graph_iri() -> URIRef:
    return mint.graph_iri(VOCABULARY_GRAPH)


def _vocabulary() -> tuple[Graph, str]:
    files = turtle_files("ontology")
    h = hashlib.sha256()
    g = Graph()
    for path in files:
        data = path.read_bytes()
        h.update(path.name.encode() + b"\0" + data)
        g.parse(data=data.decode("utf-8"), format="turtle", publicID=path.as_uri())
    return g, "sha256:" + h.hexdigest()


def ensure_vocabulary(store: Store) -> None:
    """Make sure the store holds the current ontology and schemes (og:informs, og:mofClass, ...).

    The rules read the schemes from the store; they live in their own named graph, replaced
    only when the ontology files changed (checked by their combined hash).
    """
    gi = vocabulary_graph_iri()
    files = turtle_files("ontology")
    h = hashlib.sha256()
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    digest = "sha256:" + h.hexdigest()
    if store.ask(f'ASK {{ GRAPH <{gi}> {{ <{gi}> <{OG.contentHash}> "{digest}" }} }}'):
        return
    graph, digest = _vocabulary()
    graph.add((gi, OG.contentHash, Literal(digest)))
    graph.add((gi, RDFS.label, Literal("openness-graph vocabulary (ontology and schemes)")))
    store.put_graph(str(gi), graph)
