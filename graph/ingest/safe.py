"""Safe loaders: bounded parsing and no network for every input format the product reads.

Why: a claim file, a catalogue record or a request body is data from outside. Reading it must
never send a request (a remote JSON-LD ``@context``, an XML external entity), and never stall or
exhaust memory (YAML alias and XML entity bombs, deep nesting that overflows a recursive parser).
Every function here checks the limits of :mod:`.limits` *before* the real parser sees the text,
and raises :class:`~.limits.LimitError` (a ``ValueError``) naming the file and the limit.

What each format gets:

* all: a size limit, checked on the file's size before it is read (:func:`read_bounded`);
* Turtle, TriG, N-Triples, N-Quads: bracket nesting (``[ ( {``) outside strings, IRIs and
  comments is counted up to :data:`~.limits.MAX_DEPTH` (:func:`check_rdf_text`);
* RDF/XML: parsed once with defusedxml, which refuses any ``<!DOCTYPE`` (so no entity is ever
  defined, expanded or fetched), while element depth is counted (:func:`check_rdf_text`);
* JSON and JSON-LD: bracket nesting outside strings is counted before ``json.loads``
  (:func:`load_json`);
* YAML: a SafeLoader that refuses aliases and counts collection depth while composing
  (:class:`BoundedSafeLoader`, :func:`load_yaml`);
* JSON-LD contexts: every ``@context`` and ``@import`` reference is replaced by the local file
  the allow-list :data:`LOCAL_CONTEXTS` maps it to, or refused (:func:`localize_contexts`), so
  rdflib's JSON-LD processor is never handed a reference it would fetch;
* CSV: the size limit (:func:`check_file_size`); rows are flat, and a single field is held to
  the csv module's own field limit (131,072 characters);
* JSON Schema files shipped with a catalogue: bounded like JSON, and a ``$ref`` outside the
  schema is refused (:func:`load_json_schema`; jsonschema would fetch it).

Defence in depth: :func:`no_network` runs a parser with a Python audit hook that refuses any
socket connection, name lookup or ``urllib`` request made while it runs, and rdflib's SPARQL engine
is told never to load graphs named in FROM (``SPARQL_LOAD_GRAPHS = False``).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException, handler, xmlreader

import defusedxml
import rdflib.plugins.sparql
import yaml
from defusedxml.expatreader import DefusedExpatParser

from .. import formats
from ..resources import ontology_dir
from .limits import (
    MAX_CATALOGUE_FILE_BYTES,
    MAX_DEPTH,
    LimitError,
    depth_error,
    size_error,
)

# rdflib would fetch the graph named by FROM <iri> from the web when it runs a query itself.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


# --------------------------------------------------------------------------- size


def check_file_size(
    path: Path, limit: int = MAX_CATALOGUE_FILE_BYTES, what: str = "a catalogue file"
) -> None:
    """Refuse ``path`` when it is bigger than ``limit`` bytes (before anything reads it)."""
    size = Path(path).stat().st_size
    if size > limit:
        raise size_error(path, size, limit, what)


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, refused with :class:`LimitError` when over ``limit``.

    The size is checked before reading, and the read stops one byte past the limit, so a file
    that grows meanwhile (or a device that never ends) cannot make us hold more than that.
    """
    path = Path(path)
    check_file_size(path, limit, what)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise size_error(path, len(data), limit, what)
    return data


def read_text(path: Path, limit: int = MAX_CATALOGUE_FILE_BYTES, what: str = "a catalogue file") -> str:
    """:func:`read_bounded` decoded as UTF-8 (``UnicodeDecodeError`` on other encodings)."""
    return read_bounded(path, limit, what).decode("utf-8")


# --------------------------------------------------------------------------- bracket nesting

#: Turtle-family tokens that can hold brackets without nesting anything (long and short strings,
#: IRIs, comments, escapes in prefixed names), then opening and closing brackets.
_TURTLE_TOKENS = re.compile(
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"""'
    r"|'''(?:[^'\\]++|\\.|'(?!''))*+'''"
    r'|"(?:[^"\\\n\r]++|\\.)*+"'
    r"|'(?:[^'\\\n\r]++|\\.)*+'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*+>"
    r"|\#[^\n\r]*+"
    r"|\\."
    r"|([\[({])|([\])}])",
    re.DOTALL,
)
_JSON_TOKENS = re.compile(r'"(?:[^"\\]++|\\.)*+"|([\[{])|([\]}])', re.DOTALL)


def _check_brackets(text: str, tokens: re.Pattern[str], where: object) -> None:
    """Refuse ``text`` when its brackets (outside what ``tokens`` skips) nest past MAX_DEPTH."""
    depth = 0
    for match in tokens.finditer(text):
        group = match.lastindex
        if group == 1:
            depth += 1
            if depth > MAX_DEPTH:
                raise depth_error(where, text.count("\n", 0, match.start()) + 1)
        elif group == 2:
            depth -= 1


# --------------------------------------------------------------------------- RDF syntaxes


class _XmlDepth(handler.ContentHandler):
    """Counts element depth while defusedxml reads the document."""

    def __init__(self, where: object) -> None:
        super().__init__()
        self.where = where
        self.depth = 0
        self.locator: xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xmlreader.Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: Any) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise depth_error(self.where, self.locator.getLineNumber() if self.locator else None)

    def endElement(self, name: str) -> None:
        self.depth -= 1


def check_xml(data: bytes, where: object) -> None:
    """Refuse XML with a document type declaration (hence entities) or nested past MAX_DEPTH.

    Raises :class:`LimitError`, or ``ValueError`` with the parser's message for malformed XML.
    """
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(_XmlDepth(where))
    source = xmlreader.InputSource()
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except defusedxml.DTDForbidden:
        raise LimitError(
            f"{where}:{parser.getLineNumber()}: a document type declaration (<!DOCTYPE ...>) is not "
            "accepted: the DTD and entity limit is zero, because entities can expand a small file into "
            "gigabytes or read other files; remove the DOCTYPE and write the values out",
            limit="DTD and entity limit",
        ) from None
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        raise LimitError(
            f"{where}:{parser.getLineNumber()}: XML entities are not accepted (the DTD and entity "
            "limit is zero); write the values out",
            limit="DTD and entity limit",
        ) from None
    except SAXParseException as err:
        raise ValueError(f"{where}:{err.getLineNumber()}: not well-formed XML: {err.getMessage()}") from None


def check_rdf_text(text: str, fmt: str, where: object) -> None:
    """Refuse RDF text in rdflib format ``fmt`` that nests past MAX_DEPTH or uses a DTD.

    ``fmt`` is an rdflib parser name: ``turtle``, ``nt``, ``trig``, ``nquads``, ``xml`` (RDF/XML)
    or ``json-ld`` (checked by :func:`load_json` and :func:`localize_contexts` instead).
    """
    if fmt in ("turtle", "ttl", "nt", "ntriples", "trig", "nquads", "nq", "n3"):
        _check_brackets(text, _TURTLE_TOKENS, where)
    elif fmt in ("xml", "rdfxml", formats.RDF_XML):
        check_xml(text.encode("utf-8"), where)
    elif fmt in ("json-ld", "jsonld"):
        _check_brackets(text, _JSON_TOKENS, where)
    else:
        raise ValueError(f"{where}: no bounded reader for format {fmt!r}")


# --------------------------------------------------------------------------- JSON


def load_json(text: str, where: object) -> Any:
    """``json.loads`` after refusing nesting past MAX_DEPTH (``json.JSONDecodeError`` on bad JSON)."""
    _check_brackets(text, _JSON_TOKENS, where)
    return json.loads(text)


def _schema_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("$ref", "$dynamicRef", "$recursiveRef") and isinstance(value, str):
                yield value
            else:
                yield from _schema_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _schema_refs(item)


def load_json_schema(path: Path, limit: int = MAX_CATALOGUE_FILE_BYTES) -> Any:
    """A JSON Schema file that comes with a catalogue, read bounded, with every ``$ref`` inside it.

    jsonschema fetches a ``$ref`` to a web address when it meets one (with a deprecation warning,
    as of 4.26): a schema shipped in a catalogue folder is data, so a reference that does not
    start with ``#`` is refused (:class:`LimitError`) before any validator sees the schema.
    Validators built from it should also get :func:`offline_registry` (defence in depth).
    """
    schema = load_json(read_text(path, limit), path)
    outside = next((ref for ref in _schema_refs(schema) if not ref.startswith("#")), None)
    if outside is not None:
        raise LimitError(
            f"{path}: $ref {outside!r} points outside the schema: the remote-reference limit is "
            "zero, openness never fetches a schema (that would make it send requests); put the "
            "definition under $defs and refer to it with '#/$defs/…'",
            limit="remote-reference limit",
        )
    return schema


@cache
def offline_registry() -> Any:
    """An empty ``referencing.Registry``: given to a jsonschema validator, it makes every ``$ref``
    that is not inside the schema unresolvable instead of fetched."""
    import referencing

    return referencing.Registry()


# --------------------------------------------------------------------------- YAML


class YamlLimitError(LimitError, yaml.MarkedYAMLError):
    """A YAML document refused by a limit; also a ``yaml.YAMLError`` (with ``problem`` and
    ``problem_mark``), so code that reports YAML errors per record reports this one too."""

    def __init__(self, message: str, *, limit: str, problem: str, mark: yaml.Mark | None) -> None:
        LimitError.__init__(self, message, limit=limit)
        self.context = self.context_mark = self.note = None
        self.problem = problem
        self.problem_mark = mark

    def __str__(self) -> str:
        return str(self.args[0])


class BoundedSafeLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader that refuses aliases and collections nested past MAX_DEPTH.

    Aliases are refused rather than capped: an alias re-uses a node, so nine levels of them turn
    a 1 KB file into hundreds of millions of items when the document is copied or serialized,
    and no claim file or catalogue record needs one. ``where`` names the file in messages.
    """

    where: object = "<YAML>"

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        # The scanner reads ahead of the composer, and its work per token grows with the flow
        # level (quadratic in ``[[[[…``): stop it at the limit too, not only the composer.
        if self.flow_level >= MAX_DEPTH:
            mark = self.get_mark()
            err = depth_error(self.where, mark.line + 1)
            raise YamlLimitError(str(err), limit=err.limit, problem=str(err).split(": ", 1)[1], mark=mark)
        super().fetch_flow_collection_start(TokenClass)

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            line = event.start_mark.line + 1
            problem = (
                f"aliases (*{event.anchor}) are not accepted: the alias limit is zero, because "
                "aliases can expand a small file into billions of items; write the value out in full"
            )
            message = f"{self.where}:{line}: YAML {problem}"
            raise YamlLimitError(message, limit="alias limit", problem=problem, mark=event.start_mark)
        nests = self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent)
        if nests:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                event = self.peek_event()
                err = depth_error(self.where, event.start_mark.line + 1)
                problem = str(err).split(": ", 1)[1]
                raise YamlLimitError(str(err), limit=err.limit, problem=problem, mark=event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            if nests:
                self._depth -= 1


def compose_yaml(
    text: str, where: object, loader: type[BoundedSafeLoader] = BoundedSafeLoader
) -> tuple[Any, yaml.Node | None]:
    """(data, node tree) of one YAML document, bounded (see :class:`BoundedSafeLoader`).

    The node tree gives the line of every mapping (for error reports). Raises
    :class:`YamlLimitError` or ``yaml.YAMLError``.
    """
    reader = loader(text)
    reader.where = where
    try:
        node = reader.get_single_node()
        data = reader.construct_document(node) if node is not None else None
    finally:
        reader.dispose()
    return data, node


def load_yaml(text: str, where: object, loader: type[BoundedSafeLoader] = BoundedSafeLoader) -> Any:
    """``yaml.safe_load`` bounded: no aliases, nesting up to MAX_DEPTH (see :func:`compose_yaml`)."""
    return compose_yaml(text, where, loader)[0]


# --------------------------------------------------------------------------- JSON-LD contexts

#: The allow-list of JSON-LD contexts: IRI → local file. Nothing else is ever resolved: a context
#: or ``@import`` naming any other IRI (web address, ``file:`` IRI, relative path) is refused.
LOCAL_CONTEXTS: dict[str, str] = {
    "https://w3id.org/openness/context.jsonld": "context.jsonld",
    "https://w3id.org/openness/context": "context.jsonld",
}


@cache
def _local_context_document(name: str) -> dict[str, Any]:
    path = ontology_dir() / name
    if not path.is_file():
        raise ValueError(f"{path} is missing: reinstall openness-graph (the JSON-LD context ships with it)")
    return json.loads(path.read_text(encoding="utf-8"))


def shipped_context() -> dict[str, Any]:
    """The ``@context`` object of ``ontology/context.jsonld`` (cached: do not change it)."""
    doc = _local_context_document(LOCAL_CONTEXTS["https://w3id.org/openness/context.jsonld"])
    return doc.get("@context", doc)


def _local_context(reference: Any, where: object, key_path: str) -> dict[str, Any]:
    """The content of an allow-listed context reference, or a :class:`LimitError`."""
    name = LOCAL_CONTEXTS.get(reference.rstrip("#")) if isinstance(reference, str) else None
    if name is None:
        raise LimitError(
            f"{where}: {key_path} is {reference!r}, which is not a local JSON-LD context: the "
            "remote-context limit is zero, openness never fetches a context (that would make it send "
            "requests); it resolves only "
            f"{', '.join(sorted(LOCAL_CONTEXTS))} (the shipped ontology/context.jsonld). Remove the "
            "reference, or write the context inline",
            limit="remote-context limit",
        )
    doc = json.loads(json.dumps(_local_context_document(name)))
    return doc.get("@context", doc)


def _path(key_path: str, key: object) -> str:
    return f"{key_path}[{key}]" if isinstance(key, int) else (f"{key_path}.{key}" if key_path else str(key))


def localize_contexts(doc: Any, where: object) -> Any:
    """A copy of a JSON-LD document in which every context reference is resolved locally.

    Walks the whole document: every ``@context`` value (at the top, in node objects, scoped
    contexts in term definitions) and every ``@import`` in a context. A string (or a string in a
    list) that :data:`LOCAL_CONTEXTS` allows is replaced by that file's context; ``@import``
    is merged as JSON-LD 1.1 says (the importing context's own definitions win). Any other
    reference raises :class:`LimitError` naming the file and the key path, e.g.
    ``@graph[0].@context``. After this, the document holds no reference a JSON-LD processor
    could fetch. Depth is bounded by the caller (documents are checked by :func:`load_json` or
    :func:`load_yaml` first).
    """

    def context_value(value: Any, key_path: str) -> Any:
        if isinstance(value, str):
            return _local_context(value, where, key_path)
        if isinstance(value, list):
            return [context_value(v, _path(key_path, i)) for i, v in enumerate(value)]
        if isinstance(value, dict):
            return walk(value, key_path, in_context=True)
        return value  # null resets the context; anything else rdflib refuses itself

    def walk(node: Any, key_path: str, *, in_context: bool = False) -> Any:
        if isinstance(node, list):
            return [walk(v, _path(key_path, i), in_context=in_context) for i, v in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        if in_context and "@import" in node:
            out.update(_local_context(node["@import"], where, _path(key_path, "@import")))
        for key, value in node.items():
            if key == "@import" and in_context:
                continue
            if key == "@context":
                out[key] = context_value(value, _path(key_path, key))
            else:
                out[key] = walk(value, _path(key_path, key), in_context=in_context)
        return out

    return walk(doc, "")


# --------------------------------------------------------------------------- no network

_GUARDED: ContextVar[object | None] = ContextVar("openness_no_network", default=None)
#: Audit events (https://docs.python.org/3/library/audit_events.html) that reach the network.
_NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.sendto",
        "socket.sendmsg",
        "urllib.Request",
        "http.client.connect",
    }
)
_hook_installed = False


class NetworkRefused(ValueError):
    """Reading a file tried to reach the network (a path the input checks did not foresee)."""


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event in _NETWORK_EVENTS:
        where = _GUARDED.get()
        if where is not None:
            target = args[1] if event.startswith("socket.") and len(args) > 1 else (args[0] if args else "")
            raise NetworkRefused(
                f"{where}: reading it tried to reach {target!r} ({event}); openness never dereferences "
                "what data names, so the file is refused"
            )


@contextlib.contextmanager
def no_network(where: object) -> Iterator[None]:
    """Within this block (in this thread or task), any network access raises :class:`NetworkRefused`.

    A Python audit hook, installed once per process, watches socket connections, name lookups
    and ``urllib`` requests; it acts only while a block is active in the current context, so
    other threads (the service's own clients) are unaffected.
    """
    global _hook_installed
    if not _hook_installed:
        sys.addaudithook(_audit)
        _hook_installed = True
    token = _GUARDED.set(where)
    try:
        yield
    finally:
        _GUARDED.reset(token)


__all__ = [
    "LOCAL_CONTEXTS",
    "BoundedSafeLoader",
    "NetworkRefused",
    "YamlLimitError",
    "check_file_size",
    "check_rdf_text",
    "check_xml",
    "compose_yaml",
    "load_json",
    "load_json_schema",
    "load_yaml",
    "localize_contexts",
    "no_network",
    "offline_registry",
    "read_bounded",
    "read_text",
    "shipped_context",
]
