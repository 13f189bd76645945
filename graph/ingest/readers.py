"""Reading claim files into rdflib graphs, remembering where each node is written.

Formats: Turtle (``.ttl``), N-Triples (``.nt``), RDF/XML (``.rdf``, ``.owl``), JSON-LD
(``.jsonld``) and plain YAML/JSON documents (``.yaml``, ``.yml``, ``.json``) that use the shipped
JSON-LD context (``ontology/context.jsonld``): a document is one claim object, a list of them, or
``{"@graph": [...]}``; the context is injected when absent, so people write plain keys.

Every reader returns a :class:`ParsedFile` whose ``locate(node)`` says where the node is written
(``file.ttl:12``; ``file.yaml record 2 (evidence[0]), line 14``), so validation reports point at
the line to fix.

Reading is bounded and offline (:mod:`.safe`, limits in :mod:`.limits`): a file over the size
limit, nested past the depth limit, with YAML aliases, an XML DOCTYPE, or a JSON-LD context that
is not the shipped one is refused with a :class:`ReadError` naming the file and the limit, before
any parser could expand it or fetch anything; parsers run under :func:`.safe.no_network`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .. import mint
from .limits import MAX_CLAIM_FILE_BYTES, LimitError
from .safe import (
    BoundedSafeLoader,
    check_rdf_text,
    compose_yaml,
    load_json,
    localize_contexts,
    no_network,
    read_bounded,
    shipped_context,
)

#: File suffix → rdflib parser name, for the RDF formats read as they are.
RDF_SUFFIXES = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".rdf": "xml",
    ".owl": "xml",
    ".jsonld": "json-ld",
}
DOCUMENT_SUFFIXES = {".yaml", ".yml", ".json"}
SUPPORTED = sorted([*RDF_SUFFIXES, *DOCUMENT_SUFFIXES])



class ReadError(ValueError):
    """A file cannot be read or parsed, or is refused by a limit; the message names the file (and
    line when known) and, for a limit, the limit (``limit`` is its name, else None)."""

    def __init__(self, message: str, *, limit: str | None = None) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass
class ParsedFile:
    """One file read into a graph, with its checksum and a way to find each node in the text."""

    path: Path
    graph: Graph
    sha256: str
    fmt: str
    positions: dict[Node, str] = field(default_factory=dict)  # node → "line 12" / "record 2 (…)"
    #: (node, property IRI) → where that property of that node is written, when it is
    property_positions: dict[tuple[Node, str], str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def locate(self, node: Node, path: str | None = None) -> str | None:
        """Where ``node`` is written — the line of its property ``path`` (an IRI) when known, so
        a report points at the value to fix, else the node's own line."""
        where = self.property_positions.get((node, path)) if path else None
        where = where or self.positions.get(node)
        if where is None:
            return self.name if node in self._subjects else None
        return f"{self.name}:{where}" if where[0].isdigit() else f"{self.name} {where}"

    @property
    def _subjects(self) -> set[Node]:
        if not hasattr(self, "_subject_cache"):
            self._subject_cache = set(self.graph.subjects())
        return self._subject_cache


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_file(path: Path) -> ParsedFile:
    """Read one claim file; raise :class:`ReadError` naming the file and line on bad input.

    Bounded and offline: see the module docstring; a refusal by a limit is a :class:`ReadError`
    whose ``limit`` names it.
    """
    path = Path(path)
    try:
        with no_network(path):
            parsed = _read_file(path)
    except LimitError as err:
        raise ReadError(str(err), limit=err.limit) from err
    _check_iris(parsed)
    return parsed


def _check_iris(parsed: ParsedFile) -> None:
    """Refuse IRIs no store can hold (JSON-LD turns any unknown key into a term IRI, with
    spaces or control characters in it): better a clear error now than a failed write later."""
    from rdflib.term import _is_valid_uri

    for triple in parsed.graph:
        for term in triple:
            if isinstance(term, URIRef) and not _is_valid_uri(str(term)):
                raise ReadError(
                    f"{parsed.path}: {str(term)!r} is not a valid IRI (a misspelt key or a value with "
                    "spaces or control characters?): use the keys of ontology/context.jsonld, or full IRIs"
                )
            if isinstance(term, (URIRef, Literal)):
                try:
                    str(term).encode("utf-8")
                except UnicodeEncodeError as err:
                    raise ReadError(f"{parsed.path}: text that is not valid Unicode ({err.reason})") from err


def _read_file(path: Path) -> ParsedFile:
    if not path.is_file():
        raise ReadError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES and suffix not in RDF_SUFFIXES:
        raise ReadError(
            f"{path}: unsupported file type {suffix or '(none)'}; use one of {', '.join(SUPPORTED)}"
        )
    data = read_bounded(path, MAX_CLAIM_FILE_BYTES, "a claim file")
    digest = sha256_of(data)
    if suffix in DOCUMENT_SUFFIXES:
        return _read_document(path, data, digest)
    fmt = RDF_SUFFIXES[suffix]
    text = data.decode("utf-8", errors="replace")
    if fmt == "json-ld":
        return _read_jsonld_text(path, text, digest)
    try:
        check_rdf_text(text, fmt, path)
    except LimitError:
        raise
    except ValueError as err:  # malformed XML, found while looking for a DOCTYPE
        raise ReadError(str(err)) from err
    graph = Graph()
    try:
        graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except RecursionError as err:  # the nesting check counts brackets; this is the parser's own stop
        raise ReadError(f"{path}: nested too deeply for the {fmt} parser (nesting-depth limit)",
                        limit="nesting-depth limit") from err
    except Exception as err:  # rdflib raises parser-specific exception types
        where, reason = _parse_error(err, text)
        if fmt == "nt" and not where:
            where = _bad_ntriples_line(text)
        raise ReadError(f"{path}{where}: cannot parse as {fmt}: {reason}") from err
    positions = turtle_positions(text, graph) if fmt in ("turtle", "nt") else {}
    props = turtle_property_positions(text, graph, positions) if fmt in ("turtle", "nt") else {}
    return ParsedFile(path, graph, digest, fmt, positions, props)


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _bad_ntriples_line(text: str) -> str:
    """``":LINE"`` of the first line rdflib's N-Triples parser refuses (its error names none)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            Graph().parse(data=line + "\n", format="nt")
        except Exception:
            return f":{number}"
    return ""


def _parse_error(err: Exception, text: str) -> tuple[str, str]:
    """``(":LINE:COLUMN", reason)`` of a parser's exception, the reason kept whole.

    rdflib's Turtle parser (``BadSyntax``) puts its reason on the line after "at line N of <>:"
    and knows the offset; other parsers' messages are kept as they are, on one line.
    """
    why, offset = getattr(err, "_why", None), getattr(err, "_i", None)
    raw = getattr(err, "_str", None)
    if isinstance(why, str) and isinstance(offset, int) and isinstance(raw, bytes):
        source = raw.decode("utf-8", errors="replace")
        if source != text:  # the parser's buffer is not the whole file: its line count is
            line = int(getattr(err, "lines", 0)) + 1
            return f":{line}", f"bad syntax ({why})"
        before = source[:offset]
        line = before.count("\n") + 1
        column = offset - (before.rfind("\n") + 1) + 1
        near = source[offset:offset + 30].split("\n", 1)[0]
        return f":{line}:{column}", f"bad syntax ({why})" + (f" at {near!r}" if near.strip() else "")
    message = " ".join(str(err).split())
    return "", message or type(err).__name__


# --------------------------------------------------------------------------- Turtle positions

_PREFIX_RE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_SUBJECT_RE = re.compile(
    r"^\s*(<[^>\s]*>|[A-Za-z][\w.-]*:[^\s;,.()\[\]]*(?:\.[^\s;,()\[\]]+)*|:[^\s;,()\[\]]*)"
)


def turtle_positions(text: str, graph: Graph) -> dict[Node, str]:
    """Line of each subject: the first line that starts with its IRI or prefixed name.

    A statement's subject opens its line in Turtle as people write it; when a node never opens a
    line (a one-line file, odd layout), the first line that mentions it at all is used.
    """
    prefixes: dict[str, str] = {}
    first_subject: dict[str, int] = {}
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        m = _PREFIX_RE.match(line)
        if m:
            prefixes[m.group(1) or ""] = m.group(2)
            continue
        m = _SUBJECT_RE.match(line)
        if not m:
            continue
        token = m.group(1)
        if token.startswith("<"):
            iri = token[1:-1]
        else:
            prefix, _, local = token.partition(":")
            if prefix not in prefixes:
                continue
            iri = prefixes[prefix] + local.replace("\\", "")
        first_subject.setdefault(iri, number)
    positions: dict[Node, str] = {}
    missing = []
    for subject in set(graph.subjects()):
        if isinstance(subject, URIRef):
            line_no = first_subject.get(str(subject))
            if line_no is not None:
                positions[subject] = str(line_no)
            else:
                missing.append(subject)
    for subject in missing:  # fall back to the first mention anywhere
        needle = str(subject)
        short = [p + ":" + needle[len(ns) :] for p, ns in prefixes.items() if needle.startswith(ns)]
        for number, line in enumerate(lines, start=1):
            if needle in line or any(s in line for s in short):
                positions[subject] = str(number)
                break
    return positions


def turtle_property_positions(
    text: str, graph: Graph, subjects: dict[Node, str]
) -> dict[tuple[Node, str], str]:
    """Line of each (subject, property): the first line from the subject's line on, before the
    next subject's, that names the property (prefixed name or full IRI)."""
    prefixes = {m.group(1) or "": m.group(2) for m in map(_PREFIX_RE.match, text.splitlines()) if m}
    lines = text.splitlines()
    starts = sorted({int(v) for v in subjects.values()})
    out: dict[tuple[Node, str], str] = {}
    for subject, where in subjects.items():
        first = int(where)
        later = [n for n in starts if n > first]
        last = later[0] - 1 if later else len(lines)
        for prop in set(graph.predicates(subject)):
            iri = str(prop)
            names = [f"<{iri}>"] + [f"{p}:{iri[len(ns):]}" for p, ns in prefixes.items()
                                    if iri.startswith(ns) and len(iri) > len(ns)]
            if iri == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
                continue
            pattern = re.compile("|".join(rf"(?<![\w:<]){re.escape(n)}(?![\w.-]*[\w-])" for n in names))
            for number in range(first, last + 1):
                if pattern.search(lines[number - 1]):
                    out[(subject, iri)] = str(number)
                    break
    return out


# --------------------------------------------------------------------------- JSON-LD and YAML/JSON


def _read_jsonld_text(path: Path, text: str, digest: str) -> ParsedFile:
    try:
        doc = load_json(text, path)
    except json.JSONDecodeError as err:
        raise ReadError(f"{path}:{err.lineno}:{err.colno}: not valid JSON: {err.msg}") from err
    return _graph_from_document(path, doc, digest, "json-ld", lines={})


class _StringDateLoader(BoundedSafeLoader):
    """YAML loader that keeps dates as the strings people wrote (JSON-LD wants strings)."""


_StringDateLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in BoundedSafeLoader.yaml_implicit_resolvers.items()
}


def _read_document(path: Path, data: bytes, digest: str) -> ParsedFile:
    text = data.decode("utf-8", errors="replace")
    lines: dict[tuple[Any, ...], int] = {}
    if path.suffix.lower() == ".json":
        try:
            doc = load_json(text, path)
        except json.JSONDecodeError as err:
            raise ReadError(f"{path}:{err.lineno}:{err.colno}: not valid JSON: {err.msg}") from err
    else:
        try:
            doc, node = compose_yaml(text, path, _StringDateLoader)
            _yaml_lines(node, (), lines)
        except LimitError:
            raise
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
            problem = getattr(err, "problem", None) or _first_line(err)
            context = getattr(err, "context", None)
            reason = f"{problem} ({context})" if context else problem
            raise ReadError(f"{path}{where}: not valid YAML: {reason}") from err
    return _graph_from_document(
        path, doc, digest, "yaml" if path.suffix.lower() != ".json" else "json", lines
    )


#: In the YAML line table, a key path ending with this marker is the line of that key itself.
_KEY = "@line-of-key"


def _yaml_lines(node: yaml.Node | None, key_path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    """Line (1-based) of every mapping in a composed YAML tree, by key path, and of every key
    (``(*key_path, key, _KEY)``)."""
    if node is None:
        return
    if isinstance(node, yaml.MappingNode):
        out[key_path] = node.start_mark.line + 1
        for key_node, value_node in node.value:
            out[(*key_path, key_node.value, _KEY)] = key_node.start_mark.line + 1
            _yaml_lines(value_node, (*key_path, key_node.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _yaml_lines(item, (*key_path, index), out)


def _records(doc: Any) -> tuple[list[Any], tuple[Any, ...], Any]:
    """The list of records, the key path prefix to them, and the document's own context."""
    if isinstance(doc, list):
        return doc, (), None
    if isinstance(doc, dict):
        context = doc.get("@context")
        if "@graph" in doc:
            graph = doc["@graph"]
            return (graph if isinstance(graph, list) else [graph]), ("@graph",), context
        return [doc], None, context  # type: ignore[return-value]
    raise ValueError("a claim document is an object, a list of objects, or {'@graph': [...]}")


def _graph_from_document(
    path: Path, doc: Any, digest: str, fmt: str, lines: dict[tuple[Any, ...], int]
) -> ParsedFile:
    # A copy with every context reference resolved from local files (or refused): the JSON-LD
    # processor is never handed a reference it would fetch.
    doc = localize_contexts(doc, path)
    try:
        records, prefix, context = _records(doc)
    except ValueError as err:
        raise ReadError(f"{path}: {err}") from err
    if context is None:
        context = shipped_context()
    positions: dict[Node, str] = {}
    props: dict[tuple[Node, str], str] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise ReadError(
                f"{path} record {index + 1}: expected an object with keys, got {type(record).__name__}"
            )
        key_path = (*prefix, index) if prefix is not None else ()
        _name_nodes(record, key_path, index, lines, positions, props=props)
    wrapped = {"@context": context, "@graph": records}
    graph = Graph()
    try:
        graph.parse(data=json.dumps(wrapped), format="json-ld", base=path.resolve().as_uri())
    except RecursionError as err:
        raise ReadError(f"{path}: nested too deeply for the JSON-LD processor (nesting-depth limit)",
                        limit="nesting-depth limit") from err
    except Exception as err:  # rdflib's JSON-LD parser raises various types
        raise ReadError(
            f"{path}: cannot read as JSON-LD with the openness context: {_first_line(err)}"
        ) from err
    return ParsedFile(path, graph, digest, fmt, positions, props)


_ID_KEYS = ("@id", "id")
_TYPE_KEYS = ("@type", "type")


def _name_nodes(
    obj: Any,
    key_path: tuple[Any, ...],
    record: int,
    lines: dict[tuple[Any, ...], int],
    positions: dict[Node, str],
    inner: str = "",
    props: dict[tuple[Node, str], str] | None = None,
) -> None:
    """Give claims and evidence without an id a stable IRI, and note where each node is written.

    Without an id a claim would become a blank node that no report can name; the minted IRI is a
    hash of the object's content, so re-reading the same file gives the same IRI.
    """
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            _name_nodes(item, (*key_path, i), record, lines, positions, f"{inner}[{i}]", props)
        return
    if not isinstance(obj, dict):
        return
    node_id = next((obj[k] for k in _ID_KEYS if isinstance(obj.get(k), str)), None)
    if node_id is None:
        types = next((obj[k] for k in _TYPE_KEYS if k in obj), None)
        type_names = " ".join(types) if isinstance(types, list) else str(types or "")
        content = json.dumps(obj, sort_keys=True, default=str)
        if type_names.endswith("Claim") or "Claim" in type_names.split():
            node_id = str(mint.claim_iri("document", content))
            obj["@id"] = node_id
        elif "Evidence" in type_names:
            node_id = str(mint.evidence_iri("document", content))
            obj["@id"] = node_id
    for key, value in obj.items():
        if isinstance(value, dict | list) and key not in ("@context",):
            child_inner = f"{inner}.{key}" if inner else key
            _name_nodes(value, (*key_path, key), record, lines, positions, child_inner, props)
    if node_id is not None:
        node = _expand_id(node_id)
        where = f"record {record + 1}" + (f" ({inner})" if inner else "")
        line = lines.get(key_path)
        if line is not None:
            positions.setdefault(node, f"{where}, line {line}")
        else:
            positions.setdefault(node, where)
        for key in obj if props is not None else ():
            key_line = lines.get((*key_path, key, _KEY))
            prop = _expand_key(key) if isinstance(key, str) else None
            if key_line is not None and prop is not None and props is not None:
                props.setdefault((node, prop), f"{where}, line {key_line}")


def _expand_key(key: str) -> str | None:
    """The property IRI a document key stands for under the shipped context (None for ``@`` keys
    and keys it does not define)."""
    if key.startswith("@"):
        return None
    ctx = shipped_context()
    term = ctx.get(key, key if ":" in key else None)
    if isinstance(term, dict):
        term = term.get("@id")
    if not isinstance(term, str):
        return None
    return str(_expand_id(term))


def _expand_id(node_id: str) -> Node:
    """An id as written (full IRI or ``id:``-style compact IRI) to the IRI JSON-LD will produce."""
    if ":" in node_id and not node_id.startswith(("http://", "https://", "urn:")):
        prefix, _, local = node_id.partition(":")
        ctx = shipped_context()
        base = ctx.get(prefix)
        if isinstance(base, dict):
            base = base.get("@id")
        if isinstance(base, str):
            return URIRef(base + local)
    return URIRef(node_id)
