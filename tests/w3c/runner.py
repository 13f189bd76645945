"""Read the W3C SPARQL 1.1 Protocol manifest (``tests/w3c/protocol/manifest.ttl``) and run its tests.

The manifest describes each test as data: graphs to load first (``ut:graphData``: a file and the
graph IRI it is loaded as, in ``rdfs:label``) and one or more HTTP requests (``ht:Request``:
method, absolute path under ``/sparql/``, headers, body text with its character encoding) each
with the expected response (``mf:expectedStatus``: a class such as ``hts:StatusCode2xx``;
``mf:expectedFormat``: ``"boolean"``, ``"tabular"`` or ``"RDF"``; ``mf:expectedBoolean``). The
runner sends exactly those requests, with the path prefix ``/sparql/`` replaced by the endpoint's
path (as the manifest asks) and the server's Bearer token added (updates need it; a token on a
query, or on an update sent by GET, must change nothing), and checks each expectation.

One runner, tests as data: nothing here knows a test by name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

HERE = Path(__file__).resolve().parent / "protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

RESULTS_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                 "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
             "application/trig", "application/n-quads"}


@dataclass
class HttpRequest:
    method: str
    path: str  # as in the manifest: /sparql/...
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]  # "2xx", "3xx", "4xx", "5xx"
    fmt: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    id: str
    name: str
    graph_data: list[tuple[Path, str]] = field(default_factory=list)  # (file, graph IRI)
    requests: list[HttpRequest] = field(default_factory=list)


def load_manifest(path: Path = HERE / "manifest.ttl") -> list[ProtocolTest]:
    """Every test of the manifest, in its order."""
    g = Graph()
    g.parse(path, format="turtle", publicID=path.as_uri())
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    entries = Collection(g, g.value(manifest, MF.entries))
    return [_test(g, entry) for entry in entries]


def _test(g: Graph, node: URIRef) -> ProtocolTest:
    test = ProtocolTest(id=str(node).rsplit("#", 1)[-1], name=str(g.value(node, MF.name)))
    for data in g.objects(node, UT.graphData):
        file = Path(str(g.value(data, UT.graph)).removeprefix("file://"))
        test.graph_data.append((file, str(g.value(data, RDFS.label))))
    action = g.value(node, MF.action)
    for req in Collection(g, g.value(action, HT.requests)):
        headers = {}
        if g.value(req, HT.headers) is not None:
            for h in Collection(g, g.value(req, HT.headers)):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        body = None
        content = g.value(req, HT.body)
        if content is not None:
            encoding = str(g.value(content, CNT.characterEncoding) or "UTF-8")
            body = str(g.value(content, CNT.chars)).encode(encoding.lower())
        resp = g.value(req, HT.resp)
        fmt = g.value(resp, MF.expectedFormat)
        boolean = g.value(resp, MF.expectedBoolean)
        test.requests.append(HttpRequest(
            method=str(g.value(req, HT.methodName)),
            path=str(g.value(req, HT.absolutePath)),
            headers=headers,
            body=body,
            statuses={str(s).removeprefix(HTS) for s in g.objects(resp, MF.expectedStatus)},
            fmt=str(fmt) if fmt is not None else None,
            boolean=bool(boolean.toPython()) if boolean is not None else None,
        ))
    return test


def load_graph_data(base: str, token: str, test: ProtocolTest) -> None:
    """Put each ``ut:graphData`` file into its graph (Graph Store PUT, N-Triples)."""
    for file, graph in test.graph_data:
        resp = httpx.put(f"{base}/rdf-graph-store", params={"graph": graph}, content=file.read_bytes(),
                         headers={"Content-Type": "application/n-triples",
                                  "Authorization": f"Bearer {token}"}, timeout=60)
        if resp.status_code not in (201, 204):
            raise AssertionError(f"loading {file.name} into <{graph}>: {resp.status_code} {resp.text}")


def check(req: HttpRequest, resp: httpx.Response) -> list[str]:
    """What is wrong with ``resp`` for ``req`` (empty: it passes)."""
    problems = []
    klass = f"{resp.status_code // 100}xx"
    if klass not in req.statuses:
        wanted = "/".join(sorted(req.statuses))
        problems.append(f"status {resp.status_code}, expected {wanted}: {resp.text[:300]}")
        return problems
    media = resp.headers.get("content-type", "").split(";")[0].strip()
    if req.fmt == "boolean" or req.boolean is not None:
        value = _boolean(resp, media)
        if value is None:
            problems.append(f"expected a boolean result, got {media}: {resp.text[:200]}")
        elif req.boolean is not None and value != req.boolean:
            problems.append(f"expected {req.boolean}, got {value}")
    elif req.fmt == "tabular" and media not in RESULTS_TYPES:
        problems.append(f"expected a results table, got {media}")
    elif req.fmt == "RDF" and media not in RDF_TYPES:
        problems.append(f"expected RDF, got {media}")
    return problems


def _boolean(resp: httpx.Response, media: str) -> bool | None:
    if media == "application/sparql-results+json":
        value = json.loads(resp.content).get("boolean")
        return value if isinstance(value, bool) else None
    if media == "application/sparql-results+xml":
        text = resp.text
        if "<boolean>true</boolean>" in text:
            return True
        if "<boolean>false</boolean>" in text:
            return False
    return None


def run(base: str, token: str, test: ProtocolTest, endpoint_path: str = "/sparql") -> list[str]:
    """Run one test against the server at ``base``; the list of problems (empty: passed)."""
    load_graph_data(base, token, test)
    problems = []
    for i, req in enumerate(test.requests, 1):
        if not req.path.startswith("/sparql/"):
            raise AssertionError(f"the manifest's path {req.path!r} does not start with /sparql/")
        path = endpoint_path + req.path[len("/sparql/"):]  # "/sparql/?q" -> "/sparql?q"
        headers = {**req.headers, "Authorization": f"Bearer {token}"}
        resp = httpx.request(req.method, base + path, headers=headers, content=req.body, timeout=60)
        problems += [f"request {i} ({req.method} {req.path[:60]}): {p}" for p in check(req, resp)]
    return problems
