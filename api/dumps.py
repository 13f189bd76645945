"""Dumps of the whole graph (``/dumps``) with SHA-256 checksums, and the VoID + DCAT description
(``/.well-known/void``).

Files, all of one store generation (:mod:`.snapshots`):

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

Each file answers with ``ETag`` and ``X-Checksum-SHA256`` (hex) and ``Repr-Digest`` (RFC 9530),
and ``X-Openness-Generation``; a ``.gz`` file is served as gzip data (not with
``Content-Encoding``), so its checksum is the checksum of the bytes a client saves. ``/dumps`` is a
page of the site for a browser (the site's template, linked from the navigation) and JSON otherwise.

**Prepared in the background** (:class:`Dumps`), never on a request and never holding the writer
lock: writing every file of the built corpus takes a minute or more, and neither a download page
nor a write may wait that long. Preparation starts when the service starts and again after every
commit (coalesced: at most one preparation runs and one waits; a burst of commits makes one more).
One preparation:

1. takes a RocksDB checkpoint of the store on the writer thread between two commits
   (:meth:`.Service.between_commits`, ~10 ms, hard links): an immutable copy of exactly one
   generation, whose number and time are recorded;
2. writes every file from that checkpoint, opened read-only, in a child process
   (``python -m openness.api.dumps CHECKPOINT FOLDER``, at lower CPU priority: its Python loops
   and gzip never hold the server's GIL), streaming to disk;
3. swaps the new set in; the previous set's folder is deleted a minute later (a download that
   began on it finishes: an open file outlives its name), so one set is kept on disk.

So every file and ``SHA256SUMS`` describe one state. Until the first set exists, ``/dumps`` and the
files answer **503** with ``Retry-After``; after that the newest prepared set is served while a
newer one is prepared, and the listing says which generation and time its files are of and whether
a newer one is on its way. ``/.well-known/void`` never waits: it lists the distributions of the
prepared set, if any.

**Where:** ``<user cache dir>/openness-graph/dumps/<store name>-<hash of its path>/openness-dumps-<pid>/``
(platformdirs; ``XDG_CACHE_HOME`` moves it), removed when the server stops (the app's lifespan,
run by uvicorn on SIGTERM); at start-up the ``openness-dumps-<pid>`` folders of servers no longer
running are removed (a killed server's child stops writing by itself: it checks its parent).
Dataset files hold the named graphs only: the default graph is their merge.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import csv
import datetime as dt
import functools
import gzip
import hashlib
import io
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

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
from .snapshots import Snapshots

log = logging.getLogger("openness.api.dumps")
router = APIRouter(tags=["Dumps"])

#: file name -> (what writes it, media type)
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
#: Seconds a client is told to wait (Retry-After) while the first set is prepared.
RETRY_AFTER = 10
#: Seconds before a failed preparation is tried again (a commit tries at once).
RETRY_FAILED = 60.0
#: How much lower the child's CPU priority is (os.nice): requests first, dumps with what is left.
NICE = 10
#: Seconds the previous set's files stay after a newer set is served.
GRACE = 60.0
#: Name of one server's folder; the pid tells a dead server's left-overs from a live one's.
FOLDER_PREFIX = "openness-dumps-"


@dataclass(frozen=True)
class DumpFile:
    name: str
    path: Path
    media_type: str
    sha256: str
    size: int
    compressed_of: str | None = None  # for a .gz file: the file it compresses


@dataclass(frozen=True)
class DumpSet:
    """The files of one store generation, all written from one checkpoint."""

    generation: int
    taken_at: dt.datetime  # when the checkpoint was taken (UTC): the state the files describe
    folder: Path
    files: dict[str, DumpFile]
    seconds: float  # how long preparing took


# --------------------------------------------------------------------------- background preparation


def cache_root() -> Path:
    """``<user cache dir>/openness-graph/dumps`` (platformdirs; honours ``XDG_CACHE_HOME``)."""
    from platformdirs import user_cache_path

    return user_cache_path("openness-graph", appauthor=False) / "dumps"


def store_folder(root: Path, store: Path) -> Path:
    """The per-store folder under ``root``: the store's name and a hash of its absolute path."""
    resolved = store.resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:12]
    return root / f"{resolved.name}-{digest}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def remove_dead(root: Path) -> list[Path]:
    """Delete the ``openness-dumps-<pid>`` folders under ``root`` (any store) whose server is no
    longer running (killed, or stopped before this cleanup existed); returns what it removed."""
    removed = []
    for folder in root.glob(f"*/{FOLDER_PREFIX}*"):
        pid = folder.name[len(FOLDER_PREFIX):]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
            with contextlib.suppress(OSError):
                folder.parent.rmdir()  # the store's folder, when nothing else is in it
    return removed


class Dumps:
    """Prepares the dump files in the background and keeps the newest prepared set (see the module
    docstring). One per server: :meth:`start` in the app's lifespan, :meth:`stop` at shutdown."""

    def __init__(self, service: Service, root: Path | None = None) -> None:
        self.service = service
        self.root = root or cache_root()
        assert service.store.path is not None
        self.folder = store_folder(self.root, service.store.path) / f"{FOLDER_PREFIX}{os.getpid()}"
        self.ready: DumpSet | None = None
        self.preparing = False
        self.error: str | None = None
        self.disabled = False  # no folder to write in: nothing is prepared until a restart
        self.preparations = 0
        #: The VoID description's counts and the generation they are of (kept by the VoID route).
        self.void_counts: tuple[int, tuple[Any, Any, Any]] | None = None
        #: Serialized VoID documents by (store generation, dump generation, media type, base URL),
        #: at most 8, all of the current generations.
        self.void_bodies: dict[tuple[Any, ...], bytes] = {}
        self._wanted = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._child: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Remove dead servers' folders, make this server's, and start preparing."""
        removed = await asyncio.to_thread(remove_dead, self.root)
        if removed:
            log.info("removed the dump folders of stopped servers: %s", ", ".join(map(str, removed)))
        try:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True)
        except OSError as err:  # the service runs on; /dumps says why there are none
            self.error = (f"cannot create the dump folder {self.folder} ({err}); set XDG_CACHE_HOME to a "
                          "writable folder and restart the server")
            log.error("%s", self.error)
            self.disabled = True
            return
        self.service.after_commit.append(lambda _generation: self.want())
        self._task = asyncio.create_task(self._run(), name="dumps")
        self.want()

    def want(self) -> None:
        """Ask for a set of the current generation (at once returns; coalesced)."""
        self._wanted.set()

    @property
    def newer_coming(self) -> bool:
        """Whether a set newer than the served one is being (or about to be) prepared."""
        return self.ready is None or self.ready.generation < self.service.generation

    async def stop(self) -> None:
        """Stop preparing (the child is killed) and delete this server's folder."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        child = self._child
        if child is not None and child.returncode is None:
            child.kill()
            await child.wait()
        await asyncio.to_thread(shutil.rmtree, self.folder, True)
        with contextlib.suppress(OSError):
            self.folder.parent.rmdir()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wanted.wait()
            self._wanted.clear()
            if self.ready is not None and self.ready.generation == self.service.generation:
                continue
            self.preparing = True
            try:
                await self._prepare()
                self.error = None
            except asyncio.CancelledError:
                raise
            except Exception as err:
                self.error = str(err)
                log.error("preparing the dumps failed (tried again in %g s or after the next write): %s",
                          RETRY_FAILED, err)
                loop.call_later(RETRY_FAILED, self.want)
            finally:
                self.preparing = False

    async def _prepare(self) -> None:
        started = time.monotonic()
        generation, (checkpoint, taken_at) = await self.service.between_commits(self._checkpoint)
        out = self.folder / f"gen-{generation}"
        try:
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "openness.api.dumps", str(checkpoint), str(out),
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            self._child = child
            try:
                stdout, stderr = await child.communicate()
            except asyncio.CancelledError:
                if child.returncode is None:
                    child.kill()
                    await child.wait()
                raise
        finally:
            self._child = None
            Snapshots.discard(checkpoint)  # hard links: a few files, milliseconds
        if child.returncode != 0:
            shutil.rmtree(out, ignore_errors=True)
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
            raise RuntimeError(f"the dump writer exited with {child.returncode}: " + " | ".join(tail))
        files = {d["name"]: DumpFile(**{**d, "path": out / d["name"]}) for d in json.loads(stdout)}
        previous = self.ready
        self.ready = DumpSet(generation, taken_at, out, files, time.monotonic() - started)
        self.preparations += 1
        # The previous set goes after a grace period: a download already open goes on reading an
        # unlinked file, and one whose listing named it still finds it for a minute.
        loop = asyncio.get_running_loop()
        for folder in self.folder.glob("gen-*"):
            if folder != out:
                loop.call_later(0 if previous is None or folder != previous.folder else GRACE,
                                functools.partial(loop.run_in_executor, None, shutil.rmtree, folder, True))
        log.info("dumps of generation %d ready in %.1f s", generation, self.ready.seconds)

    def _checkpoint(self) -> tuple[Path, dt.datetime]:
        """(on the writer thread) A checkpoint of the store as it is now, and the time."""
        return self.service.snapshots.scratch(), dt.datetime.now(dt.UTC).replace(microsecond=0)


# --------------------------------------------------------------------------- writing the files (child)


def named_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """Every quad of the named graphs (the default graph is their merge, rebuilt on load)."""
    return (q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))


def write_all(checkpoint: Path, folder: Path) -> list[DumpFile]:
    """Write every dump file of the store checkpoint at ``checkpoint`` (opened read-only: nothing
    changes under the writer, so all files describe one state) into ``folder``: each plain and
    gzipped, then ``SHA256SUMS``. Returns the files, in listing order."""
    from openness.store import OxigraphStore

    store = OxigraphStore(checkpoint, read_only=True)
    native = store.native
    folder.mkdir(parents=True, exist_ok=True)
    writers: dict[str, Callable[[IO[bytes]], object]] = {
        "nq": lambda out: ox.serialize(named_quads(native), output=out, format=ox.RdfFormat.N_QUADS),
        "ttl": lambda out: write_turtle(store, out),
        "jsonld": lambda out: write_jsonld(native, out),
        "csv": lambda out: csv_dump(native, out),
        "verdicts": lambda out: out.write(verdict_csv(store)),
    }
    files: list[DumpFile] = []
    parent = os.getppid()
    for name, (kind, media) in DUMPS.items():
        if os.getppid() != parent:  # the server was killed: nobody will serve these files
            raise SystemExit(f"the server (pid {parent}) is gone; stopped writing {folder}")
        path = folder / name
        with path.open("wb") as out:
            writers[kind](out)
        files.append(_described(path, media))
        packed = folder / f"{name}.gz"
        with path.open("rb") as src, packed.open("wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as gz:
            shutil.copyfileobj(src, gz, 1 << 20)
        files.append(_described(packed, GZIP, compressed_of=name))
    sums = folder / SUMS
    sums.write_text("".join(f"{f.sha256}  {f.name}\n" for f in files), encoding="ascii")
    files.append(_described(sums, formats.TEXT))
    return files


def _described(path: Path, media: str, compressed_of: str | None = None) -> DumpFile:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return DumpFile(path.name, path, media, digest.hexdigest(), path.stat().st_size, compressed_of)


def write_turtle(store: Any, out: IO[bytes]) -> None:
    """The union of the graphs as Turtle: the store's default dataset (the merge of the source
    graphs and the current derived graphs; :meth:`openness.store.OxigraphStore.default_dataset`)."""
    triples = store.native.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                 default_graph=store.default_dataset())
    assert isinstance(triples, ox.QueryTriples)
    triples.serialize(output=out, format=ox.RdfFormat.TURTLE)


def write_jsonld(store: ox.Store, out: IO[bytes]) -> None:
    """Oxigraph's JSON-LD serialization of the named graphs (an expanded array) under the published
    context: ``{"@context": <its IRI>, "@graph": [...]}``. The same graphs (absolute IRIs as keys and
    values are left as they are by any context); the document names the context every served
    JSON-LD document uses."""
    from .linked_data import CONTEXT_IRI

    out.write(b'{"@context": ' + json.dumps(CONTEXT_IRI).encode() + b', "@graph": ')
    start = out.tell()
    ox.serialize(named_quads(store), output=out, format=ox.RdfFormat.JSON_LD)
    if out.tell() == start:
        out.write(b"[]")
    out.write(b"}")


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


def csv_dump(store: ox.Store, out: IO[bytes]) -> None:
    """Every quad of the named graphs as a CSV row (see the module docstring for the columns)."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for quad in named_quads(store):
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
        graph = quad.graph_name
        writer.writerow([subj, quad.predicate.value, *row_obj,
                         "" if isinstance(graph, ox.DefaultGraph) else graph.value])
    text.flush()
    text.detach()  # leave ``out`` open for the caller


def main(argv: list[str] | None = None) -> None:
    """The child process: ``python -m openness.api.dumps CHECKPOINT FOLDER``; prints the files
    (JSON list of name, media_type, sha256, size, compressed_of) on stdout."""
    checkpoint, folder = argv if argv is not None else sys.argv[1:]
    with contextlib.suppress(OSError):
        os.nice(NICE)
    files = write_all(Path(checkpoint), Path(folder))
    rows = [{k: v for k, v in asdict(f).items() if k != "path"} for f in files]
    sys.stdout.write(json.dumps(rows))


# --------------------------------------------------------------------------- routes


def _dumps(request: Request) -> Dumps:
    return request.app.state.dumps


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _not_ready(request: Request, dumps: Dumps, *, html: bool) -> Response:
    """503 while no set has been prepared yet: why, and (unless nothing will be prepared before a
    restart) when to come back (``Retry-After``)."""
    retry: int | None = RETRY_AFTER
    if dumps.disabled:
        message, retry = f"no dump files: {dumps.error}", None
    elif dumps.error:
        message = (f"the dump files could not be written ({dumps.error}); the server tries again "
                   f"within {RETRY_FAILED:g} s or after the next write")
    else:
        message = (f"the dump files of the store (generation {dumps.service.generation}) are being "
                   "written in the background")
    headers = {"Cache-Control": "no-store", **({"Retry-After": str(retry)} if retry else {})}
    if html:
        from .pages import render

        page = render(request, "dumps.html", status_code=503, title="Dumps · openness-graph", rows=None,
                      waiting=message, retry_after=retry)
        page.headers.update(headers)
        return page
    text = f"{message}; retry in {retry} s" if retry else message
    if request.url.path.rstrip("/") == "/dumps":
        return JSONResponse({"status": "unavailable" if dumps.disabled else "preparing", "message": text,
                             "retryAfter": retry, "storeGeneration": dumps.service.generation,
                             "preparing": dumps.preparing},
                            status_code=503, headers=headers)
    return PlainTextResponse(f"{text}\n", status_code=503, headers=headers)


def _digest_headers(f: DumpFile, generation: int) -> dict[str, str]:
    b64 = base64.b64encode(bytes.fromhex(f.sha256)).decode("ascii")
    return {
        "ETag": f'"{f.sha256}"',
        "X-Checksum-SHA256": f.sha256,
        "Repr-Digest": f"sha-256=:{b64}:",
        "Content-Disposition": f'attachment; filename="{f.name}"',
        "X-Openness-Generation": str(generation),
    }


@router.get("/dumps", summary="List the dump files with their checksums", operation_id="dumps_list",
            responses={200: {"description": "the files of the newest prepared generation (JSON, or an HTML "
                                            "table for a browser)",
                             "content": {formats.JSON: {}, formats.HTML: {}}},
                       503: {"description": "no dump prepared yet (Retry-After)",
                             "content": {formats.JSON: {}, formats.HTML: {}}}})
async def dump_index(request: Request) -> Response:
    dumps = _dumps(request)
    html = neg.negotiate(request.headers.get("accept"), [formats.JSON, neg.HTML]) == neg.HTML
    ready = dumps.ready
    if ready is None:
        return _not_ready(request, dumps, html=html)
    files = ready.files
    state = {
        "generation": ready.generation,
        "takenAt": _iso(ready.taken_at),
        "storeGeneration": dumps.service.generation,
        "newerComing": dumps.newer_coming,
    }
    headers = {"X-Openness-Generation": str(ready.generation), "Vary": "Accept"}
    if html:
        from .pages import render

        rows = [
            {"name": name, "what": DESCRIPTIONS.get(name, ""), "plain": files[name],
             "gz": files.get(f"{name}.gz")}
            for name in DUMPS
        ]
        page = render(request, "dumps.html", title="Dumps · openness-graph", rows=rows, sums=files[SUMS],
                      state=state)
        page.headers.update(headers)
        return page
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
    return JSONResponse({**state, "files": listing, "void": str(request.url_for("void"))}, headers=headers)


_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the file, with ETag, X-Checksum-SHA256, Repr-Digest and X-Openness-Generation",
          "content": {m: {} for _, m in DUMPS.values()} | {formats.TEXT: {}, GZIP: {}}},
    304: {"description": "not modified (If-None-Match matched the ETag)"},
    404: {"description": "no such dump", "content": {formats.TEXT: {}}},
    503: {"description": "no dump prepared yet (Retry-After)", "content": {formats.TEXT: {}}},
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
    dumps = _dumps(request)
    ready = dumps.ready
    if ready is None:
        return _not_ready(request, dumps, html=False)
    f = ready.files[name]
    headers = _digest_headers(f, ready.generation)
    if request.headers.get("if-none-match") == f'"{f.sha256}"':
        return Response(status_code=304, headers=headers)
    return FileResponse(f.path, media_type=neg.with_charset(f.media_type), headers=headers)


# --------------------------------------------------------------------------- VoID + DCAT


async def void_counts(request: Request) -> tuple[Any, Any, Any]:
    """The counts of the VoID description (queries/void/*.rq on the store), once per store
    generation (seconds on the built corpus), in a page thread. Raises Busy or PageTimeout."""
    service: Service = request.app.state.service

    def counts() -> tuple[Any, Any, Any]:
        store = service.store
        return (store.select(read_query("void/totals"))[0], store.select(read_query("void/classes")),
                store.select(read_query("void/graphs")))

    dumps = _dumps(request)
    generation = service.generation
    cached = dumps.void_counts
    if cached is not None and cached[0] == generation:
        totals, classes, graphs = cached[1]
    else:  # seconds on the built corpus: once per generation, not once per request
        totals, classes, graphs = await service.read(request, counts)
        dumps.void_counts = (generation, (totals, classes, graphs))
    return totals, classes, graphs


def void_graph(request: Request, counts: tuple[Any, Any, Any], ready: DumpSet | None) -> Graph:
    """The VoID / DCAT description of the served dataset: ``counts`` (:func:`void_counts`), and the
    distributions of the prepared dumps ``ready`` (none until prepared). ~10k triples on the built
    corpus (a subset per named graph): call it from a thread."""
    totals, classes, graphs = counts
    files = ready.files if ready is not None else {}
    issued = Literal(_iso(ready.taken_at), datatype=XSD.dateTime) if ready is not None else None

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
        if issued is not None:
            g.add((dist, DCTERMS.issued, issued))  # the state the file describes
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
    dumps, service = _dumps(request), request.app.state.service
    ready = dumps.ready  # never waits for the dumps: the prepared set's distributions, if any
    key = (service.generation, ready.generation if ready else None, media, str(request.base_url))
    body = dumps.void_bodies.get(key)
    if body is None:
        try:
            counts = await void_counts(request)
        except (Busy, PageTimeout) as err:
            return failure(err, timeout=request.app.state.settings.query_timeout,
                           what="describing the dataset")
        from .linked_data import jsonld

        def serialize() -> bytes:
            g = void_graph(request, counts, ready)
            if media == formats.JSON_LD:
                return jsonld(g)
            return g.serialize(format=formats.RDF_BY_MEDIA[media].rdflib, encoding="utf-8")

        body = await asyncio.to_thread(serialize)  # ~0.5 s of rdflib on the corpus: off the event loop
        kept = {k: v for k, v in dumps.void_bodies.items() if k[:2] == key[:2]}
        dumps.void_bodies = dict(list(kept.items())[-7:]) | {key: body}
    return Response(body, headers={"Content-Type": neg.with_charset(media), "Vary": "Accept"})


if __name__ == "__main__":
    main()
