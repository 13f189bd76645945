"""Dumps of the whole graph (``/dumps``) with SHA-256 checksums, and the VoID + DCAT description
(``/.well-known/void``).

Files, all of the current store:

* ``openness.nq`` — N-Quads, every named graph (batches and their provenance) kept;
* ``openness.ttl`` — Turtle, the union of all graphs;
* ``openness.jsonld`` — JSON-LD, named graphs kept;
* ``openness.csv`` — one row per quad: ``subject,predicate,object,object_kind,datatype,language,graph``
  (``object_kind`` is ``iri``, ``bnode`` or ``literal``; blank nodes as ``_:label``), for
  spreadsheets and pandas;
* ``openness-verdicts.csv`` — the verdict table: one row per release and framework
  (``release,release_label,framework,framework_label,verdict,verdict_concept,reason,assessment``),
  the current verdicts (``queries/pages/verdict-table.rq``);
* ``<file>.gz`` — each of those gzip-compressed (deterministic: no name or time in the header);
* ``SHA256SUMS`` — ``sha256sum -c`` compatible checksums of all of them.

Each file answers with ``ETag`` and ``X-Checksum-SHA256`` (hex) and ``Repr-Digest`` (RFC 9530); a
``.gz`` file is served as gzip data (not with ``Content-Encoding``), so its checksum is the
checksum of the bytes a client saves. ``/dumps`` is a page of the site for a browser (the site's
template, linked from the navigation) and JSON otherwise.
Files are written once per store generation (:mod:`.snapshots`) into a cache folder, off the event
loop, holding the writer lock so that no commit lands half-way through; they are rewritten after
the next commit. Dataset files hold the named graphs only: the default graph is their merge.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import gzip
import hashlib
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from openness import formats
from openness.namespaces import VOID
from openness.resources import read_query
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from . import negotiation as neg
from .protocol import failure
from .scheduler import Busy
from .service import PageTimeout, Service

router = APIRouter(tags=["Dumps"])

#: file name -> (store dump format or "csv", media type)
DUMPS: dict[str, tuple[str, str]] = {
    "openness.nq": ("nq", formats.N_QUADS),
    "openness.ttl": ("ttl", formats.TURTLE),
    "openness.jsonld": ("jsonld", formats.JSON_LD),
    "openness.csv": ("csv", formats.CSV),
    "openness-verdicts.csv": ("verdicts", formats.CSV),
}
#: What each file holds, for the dumps page.
DESCRIPTIONS = {
    "openness.nq": "every named graph (claim batches, their provenance, derived graphs), N-Quads",
    "openness.ttl": "the union of all graphs, Turtle",
    "openness.jsonld": "every named graph, JSON-LD",
    "openness.csv": "one row per quad, for spreadsheets and pandas",
    "openness-verdicts.csv": "the verdict table: one row per release and framework, with the verdict's label "
                             "and reason",
}
GZIP = formats.GZIP
SUMS = "SHA256SUMS"
CSV_HEADER = ["subject", "predicate", "object", "object_kind", "datatype", "language", "graph"]
VERDICT_COLUMNS = ["release", "release_label", "framework", "framework_label", "verdict", "verdict_concept",
                   "reason", "assessment"]


@dataclass
class DumpFile:
    name: str
    path: Path
    media_type: str
    sha256: str
    size: int
    compressed_of: str | None = None  # for a .gz file: the file it compresses


class DumpCache:
    """The dump files of one store state, written on first request and after each update."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="openness-dumps-"))
        self.generation = -1
        self.files: dict[str, DumpFile] = {}
        self.lock = asyncio.Lock()

    async def current(self, service: Service) -> dict[str, DumpFile]:
        async with self.lock:
            if self.generation != service.generation:
                # Hold the writer lock so no commit lands half-way through a dump.
                async with service.writer:
                    self.files = await asyncio.to_thread(self._write_all, service)
                    self.generation = service.generation
            return self.files

    def _write_all(self, service: Service) -> dict[str, DumpFile]:
        files = {}
        for name, (fmt, media) in DUMPS.items():
            if fmt == "csv":
                data = csv_dump(service.store.native)
            elif fmt == "verdicts":
                data = verdict_csv(service.store)
            elif fmt == "jsonld":
                data = with_context(service.store.dump(fmt))
            else:
                data = service.store.dump(fmt)
            files[name] = self._write(name, data, media)
            packed = gzip.compress(data, compresslevel=6, mtime=0)
            files[f"{name}.gz"] = self._write(f"{name}.gz", packed, GZIP, compressed_of=name)
        sums = "".join(f"{f.sha256}  {f.name}\n" for f in files.values()).encode("ascii")
        (self.folder / SUMS).write_bytes(sums)
        files[SUMS] = DumpFile(
            SUMS, self.folder / SUMS, formats.TEXT, hashlib.sha256(sums).hexdigest(), len(sums)
        )
        return files


    def _write(self, name: str, data: bytes, media: str, compressed_of: str | None = None) -> DumpFile:
        path = self.folder / name
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        return DumpFile(name, path, media, hashlib.sha256(data).hexdigest(), len(data), compressed_of)


def with_context(expanded: bytes) -> bytes:
    """Oxigraph's JSON-LD dump (an expanded array of named graphs) under the published context:
    ``{"@context": <its IRI>, "@graph": [...]}``. The same graphs (absolute IRIs as keys and values
    are left as they are by any context); the document names the context every served JSON-LD
    document uses."""
    from .linked_data import CONTEXT_IRI

    head = b'{"@context": ' + json.dumps(CONTEXT_IRI).encode() + b', "@graph": '
    return head + (expanded.strip() or b"[]") + b"}"


def verdict_csv(store: Any) -> bytes:
    """The verdict table (see the module docstring) as CSV: the current verdicts, read from
    derived:assessments by ``queries/pages/verdict-table.rq``."""
    from . import views

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(VERDICT_COLUMNS)
    for row in views.select_sources(store, views.fill("verdict-table")):
        writer.writerow([str(row[c]) if c in row else "" for c in VERDICT_COLUMNS])
    return out.getvalue().encode("utf-8")


def csv_dump(store: ox.Store) -> bytes:
    """Every quad as a CSV row (see the module docstring for the columns)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for quad in store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            continue  # the default graph is the merge of the named graphs
        obj = quad.object
        if isinstance(obj, ox.Literal):
            lang = obj.language or ""
            row_obj = [obj.value, "literal", "" if lang else obj.datatype.value, lang]
        elif isinstance(obj, ox.BlankNode):
            row_obj = [f"_:{obj.value}", "bnode", "", ""]
        else:
            row_obj = [getattr(obj, "value", str(obj)), "iri", "", ""]
        subject = quad.subject
        subj = (
            f"_:{subject.value}"
            if isinstance(subject, ox.BlankNode)
            else getattr(subject, "value", str(subject))
        )
        graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        writer.writerow([subj, quad.predicate.value, *row_obj, graph])
    return out.getvalue().encode("utf-8")


def _cache(request: Request) -> DumpCache:
    state = request.app.state
    if getattr(state, "dumps", None) is None:
        state.dumps = DumpCache()
    return state.dumps


def _digest_headers(f: DumpFile) -> dict[str, str]:
    b64 = base64.b64encode(bytes.fromhex(f.sha256)).decode("ascii")
    return {
        "ETag": f'"{f.sha256}"',
        "X-Checksum-SHA256": f.sha256,
        "Repr-Digest": f"sha-256=:{b64}:",
        "Content-Disposition": f'attachment; filename="{f.name}"',
    }


@router.get("/dumps", summary="List the dump files with their checksums", operation_id="dumps_list",
            responses={200: {"description": "the files (JSON, or an HTML table for a browser)",
                             "content": {formats.JSON: {}, formats.HTML: {}}},
                       429: {"description": "busy (Retry-After)"}})
async def dump_index(request: Request) -> Response:
    files = await _cache(request).current(request.app.state.service)
    base = str(request.url_for("dump_index")).rstrip("/")
    listing = [
        {
            "name": f.name,
            "url": f"{base}/{f.name}",
            "mediaType": f.media_type,
            "bytes": f.size,
            "sha256": f.sha256,
            **({"compresses": f.compressed_of} if f.compressed_of else {}),
        }
        for f in files.values()
    ]
    if neg.negotiate(request.headers.get("accept"), [formats.JSON, neg.HTML]) == neg.HTML:
        from .pages import render

        rows = [
            {"name": name, "what": DESCRIPTIONS.get(name, ""), "plain": files[name],
             "gz": files.get(f"{name}.gz")}
            for name in DUMPS
        ]
        return render(request, "dumps.html", title="Dumps · openness-graph", rows=rows, sums=files[SUMS])
    return JSONResponse({"files": listing, "void": str(request.url_for("void"))})


_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the file, with ETag, X-Checksum-SHA256 and Repr-Digest",
          "content": {m: {} for _, m in DUMPS.values()} | {formats.TEXT: {}, GZIP: {}}},
    304: {"description": "not modified (If-None-Match matched the ETag)"},
    404: {"description": "no such dump", "content": {formats.TEXT: {}}},
}


@router.get("/dumps/{name}", summary="Download one dump file", operation_id="dumps_get",
            responses=_FILE_RESPONSES)
async def dump_file_get(request: Request, name: str) -> Response:
    return await dump_file(request, name)


@router.head("/dumps/{name}", summary="Headers of one dump file", operation_id="dumps_head",
             responses=_FILE_RESPONSES)
async def dump_file_head(request: Request, name: str) -> Response:
    return await dump_file(request, name)


async def dump_file(request: Request, name: str) -> Response:
    known = [*DUMPS, *(f"{n}.gz" for n in DUMPS), SUMS]
    if name not in known:
        return PlainTextResponse(f"no dump {name!r}; files: {', '.join(known)}\n", status_code=404)
    files = await _cache(request).current(request.app.state.service)
    f = files[name]
    if request.headers.get("if-none-match") == f'"{f.sha256}"':
        return Response(status_code=304, headers=_digest_headers(f))
    return FileResponse(f.path, media_type=neg.with_charset(f.media_type), headers=_digest_headers(f))


# --------------------------------------------------------------------------- VoID + DCAT


async def void_graph(request: Request) -> Graph:
    """The VoID / DCAT description of the served dataset (counts from the store, via queries/void)."""
    service: Service = request.app.state.service
    files = await _cache(request).current(service)

    def counts() -> tuple[Any, Any, Any]:
        store = service.store
        return (store.select(read_query("void/totals"))[0], store.select(read_query("void/classes")),
                store.select(read_query("void/graphs")))

    totals, classes, graphs = await service.read(request, counts)

    me = URIRef(str(request.url_for("void")))
    dataset = URIRef(f"{me}#dataset")
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add(
        (
            dataset,
            DCTERMS.title,
            Literal("openness-graph: AI openness claims, evidence and assessments", lang="en"),
        )
    )
    g.add((dataset, VOID.sparqlEndpoint, URIRef(str(request.url_for("sparql")))))
    g.add((dataset, VOID.uriSpace, Literal(_base_iri(request))))
    for key in ("triples", "properties"):
        g.add((dataset, VOID[key], Literal(int(totals[key]), datatype=XSD.integer)))
    g.add((dataset, VOID.distinctSubjects, Literal(int(totals["subjects"]), datatype=XSD.integer)))
    g.add((dataset, VOID.distinctObjects, Literal(int(totals["objects"]), datatype=XSD.integer)))
    base = str(request.url_for("dump_index")).rstrip("/")
    for f in files.values():
        if f.name == SUMS:
            continue
        url = URIRef(f"{base}/{f.name}")
        g.add((dataset, VOID.dataDump, url))
        dist = URIRef(f"{me}#dump-{f.name}")
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        if f.compressed_of:
            inner = files[f.compressed_of].media_type
            g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{inner}")))
            g.add((dist, DCAT.compressFormat, URIRef(f"https://www.iana.org/assignments/media-types/{GZIP}")))
        else:
            g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{f.media_type}")))
        g.add((dist, DCAT.byteSize, Literal(f.size, datatype=XSD.nonNegativeInteger)))
        checksum = BNode()
        g.add((dist, URIRef("http://spdx.org/rdf/terms#checksum"), checksum))
        g.add(
            (
                checksum,
                URIRef("http://spdx.org/rdf/terms#algorithm"),
                URIRef("http://spdx.org/rdf/terms#checksumAlgorithm_sha256"),
            )
        )
        g.add(
            (
                checksum,
                URIRef("http://spdx.org/rdf/terms#checksumValue"),
                Literal(f.sha256, datatype=XSD.hexBinary),
            )
        )
    for row in classes:
        part = BNode()
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], row["class"]))
        g.add((part, VOID.entities, Literal(int(row["entities"]), datatype=XSD.integer)))
    for row in graphs:
        sub = URIRef(str(row["graph"]))
        g.add((dataset, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, RDF.type, DCAT.Dataset))
        g.add((sub, VOID.triples, Literal(int(row["triples"]), datatype=XSD.integer)))
        g.add((sub, VOID.sparqlEndpoint, URIRef(str(request.url_for("sparql")))))
    return g


def _base_iri(request: Request) -> str:
    from openness.namespaces import data_base

    base = request.app.state.settings.base_iri or data_base()
    return base if base.endswith(("/", "#")) else base + "/"


@router.get("/.well-known/void", name="void", summary="VoID and DCAT description of the dataset",
            operation_id="void",
            responses={200: {"description": "the description",
                             "content": {m: {} for m in neg.RDF_MEDIA_TYPES}},
                       400: {"description": "unknown ?format=", "content": {formats.TEXT: {}}},
                       406: {"description": "no acceptable RDF format", "content": {formats.TEXT: {}}},
                       429: {"description": "busy (Retry-After)"},
                       504: {"description": "stopped at the timeout"}})
async def void(request: Request, format: str | None = None) -> Response:
    offered = list(neg.RDF_MEDIA_TYPES)
    try:
        media = (
            neg.format_override(format, offered)
            if format
            else neg.negotiate(request.headers.get("accept"), offered)
        )
    except ValueError as err:
        return PlainTextResponse(f"{err}\n", status_code=400)
    except neg.NotAcceptable as err:
        return PlainTextResponse(f"{err}\n", status_code=406)
    if media is None:
        if neg.HTML in request.headers.get("accept", ""):
            media = formats.TURTLE  # a browser: readable Turtle rather than 406
        else:
            return PlainTextResponse(
                f"{neg.NotAcceptable(request.headers.get('accept'), offered)}\n", status_code=406
            )
    try:
        g = await void_graph(request)
    except (Busy, PageTimeout) as err:
        return failure(err, timeout=request.app.state.settings.query_timeout, what="describing the dataset")
    from .linked_data import jsonld

    if media == formats.JSON_LD:
        body = jsonld(g)
    else:
        body = g.serialize(format=formats.RDF_BY_MEDIA[media].rdflib, encoding="utf-8")
    return Response(body, headers={"Content-Type": neg.with_charset(media), "Vary": "Accept"})
