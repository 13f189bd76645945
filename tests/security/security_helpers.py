"""Tools for the security suite: a listener that counts connections, hostile documents, and
time and memory measurement of real processes.

* :class:`Listener` — a TCP listener on 127.0.0.1; every document the suite feeds points at it
  (remote ``@context``, ``@import``, ``owl:imports``, XML external entities and DTDs, SERVICE,
  LOAD, FROM), and each test asserts it saw zero connections.
* :func:`outbound_documents` — those documents, one per vector, in every claim-file format.
* :func:`bombs` — the small files that expand or nest without bound, one per vector.
* :func:`run_measured` — runs a command and returns its wall time and the peak resident memory
  of *that* child (``os.wait4``), so a bomb's cost is measured on the process that parsed it.
* :func:`reset_peak` / :func:`peak_mb` — the same for a running server, through ``/proc``
  (``clear_refs`` resets the peak, ``VmHWM`` reads it).
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
#: The update token of the suite's write server.
TOKEN = "security-suite-token"
#: What every bomb must be refused within, and the most memory its refusal may cost.
MAX_SECONDS = 2.0
MAX_MB = 200.0


def auth() -> dict[str, str]:
    """The header that authorizes writes on the suite's server."""
    return {"Authorization": f"Bearer {TOKEN}"}


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection (and the first bytes sent).

    A connection is counted as soon as the kernel completes it, even before this listener's
    thread accepts it: :attr:`connections` adds any connection still waiting in the backlog. So
    a check right after a request returns is exact, with no sleeping: a reader that fetched
    while handling the request has connected by then. Accepted connections are closed at once,
    so a client that does connect fails fast instead of hanging.
    """

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((HOST, 0))
        self.port = int(self.sock.getsockname()[1])
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.requests: list[bytes] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def connections(self) -> int:
        with self._lock:
            waiting = bool(select.select([self.sock], [], [], 0)[0])
            return len(self.requests) + int(waiting)

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                try:
                    conn, _ = self.sock.accept()
                except OSError:
                    continue
                self.requests.append(b"(connected)")
                index = len(self.requests) - 1
            conn.settimeout(0.2)
            try:
                first = conn.recv(200)
            except OSError:
                first = b""
            if first and index < len(self.requests):
                self.requests[index] = first
            conn.close()

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()

    def assert_untouched(self, what: str) -> None:
        """Require that nothing has connected since the last :meth:`reset`."""
        assert self.connections == 0, f"{what} reached the listener: {self.requests}"

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Doc:
    """A claim document: file suffix, media type for ``POST /api/claims`` (None: not accepted
    there), content, and ``refusal``: text the refusal must contain (None: any outcome but a
    request is fine, e.g. ``owl:imports`` is just a triple)."""

    suffix: str
    media: str | None
    content: str
    refusal: str | None

    @property
    def limit(self) -> str | None:
        """The limit the refusal names (None when the document is read, or not a claim format)."""
        if self.refusal is None or self.refusal == "unsupported file type":
            return None
        return "DTD and entity limit" if self.refusal == "DOCTYPE" else "remote-context limit"


SHIPPED = "https://w3id.org/openness/context.jsonld"
CLAIM_ID = "https://w3id.org/openness/id/claim/security-suite"


def _json(doc: object) -> str:
    return json.dumps(doc, indent=1)


def outbound_documents(url: str) -> dict[str, Doc]:
    """Documents that name ``url`` where a careless reader would fetch it, one per vector."""
    ctx, onto, dtd = f"{url}/context.jsonld", f"{url}/ontology.ttl", f"{url}/entities.dtd"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    owl = "http://www.w3.org/2002/07/owl#"
    node = {"id": CLAIM_ID, "label": "security suite"}
    return {
        "jsonld-remote-context": Doc(
            ".jsonld", "application/ld+json", _json({"@context": ctx, **node}), "@context"
        ),
        "jsonld-context-in-a-list": Doc(
            ".jsonld", "application/ld+json", _json({"@context": [SHIPPED, ctx], **node}), "@context[1]"
        ),
        "jsonld-import": Doc(
            ".jsonld",
            "application/ld+json",
            _json({"@context": {"@import": ctx, "x": "urn:x"}, **node}),
            "@import",
        ),
        "jsonld-scoped-context": Doc(
            ".jsonld",
            "application/ld+json",
            _json({"@context": [SHIPPED, {"t": {"@id": "urn:t", "@context": ctx}}], **node}),
            "t.@context",
        ),
        "jsonld-context-in-a-node": Doc(
            ".jsonld",
            "application/ld+json",
            _json({"@context": SHIPPED, "@graph": [{"@context": ctx, **node}]}),
            "@graph[0].@context",
        ),
        "jsonld-file-context": Doc(
            ".jsonld", "application/ld+json", _json({"@context": "file:///etc/passwd", **node}), "@context"
        ),
        "jsonld-owl-imports": Doc(
            ".jsonld",
            "application/ld+json",
            _json(
                {
                    "@context": SHIPPED,
                    "@id": "urn:x:onto",
                    "@type": f"{owl}Ontology",
                    f"{owl}imports": {"@id": onto},
                }
            ),
            None,
        ),
        "json-remote-context": Doc(".json", "application/json", _json({"@context": ctx, **node}), "@context"),
        "yaml-remote-context": Doc(
            ".yaml", "application/yaml", f"'@context': {ctx}\nid: {CLAIM_ID}\nlabel: x\n", "@context"
        ),
        "yaml-import": Doc(
            ".yaml", "application/yaml", f"'@context':\n  '@import': {ctx}\nid: {CLAIM_ID}\n", "@import"
        ),
        "turtle-owl-imports": Doc(
            ".ttl", "text/turtle", f"<urn:x:onto> a <{owl}Ontology> ; <{owl}imports> <{onto}> .\n", None
        ),
        "ntriples-owl-imports": Doc(
            ".nt",
            None,
            f"<urn:x:onto> <{rdf}type> <{owl}Ontology> .\n<urn:x:onto> <{owl}imports> <{onto}> .\n",
            None,
        ),
        "rdfxml-owl-imports": Doc(
            ".rdf",
            None,
            f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{rdf}" xmlns:owl="{owl}">\n'
            f' <owl:Ontology rdf:about="urn:x:onto"><owl:imports rdf:resource="{onto}"/></owl:Ontology>\n'
            "</rdf:RDF>\n",
            None,
        ),
        "rdfxml-external-entity": Doc(
            ".rdf",
            None,
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ext SYSTEM "{url}/entity.txt"> ]>\n'
            f'<rdf:RDF xmlns:rdf="{rdf}">\n <rdf:Description rdf:about="urn:x:a"><rdf:value>&ext;</rdf:value>'
            "</rdf:Description>\n</rdf:RDF>\n",
            "DOCTYPE",
        ),
        "rdfxml-external-dtd": Doc(
            ".rdf",
            None,
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "{dtd}">\n<rdf:RDF xmlns:rdf="{rdf}"/>\n',
            "DOCTYPE",
        ),
        "rdfxml-parameter-entity": Doc(
            ".rdf",
            None,
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY % p SYSTEM "{dtd}"> %p; ]>\n'
            f'<rdf:RDF xmlns:rdf="{rdf}"/>\n',
            "DOCTYPE",
        ),
        "trig-owl-imports": Doc(
            ".trig",
            None,
            f"<urn:x:g> {{ <urn:x:onto> <{owl}imports> <{onto}> . }}\n",
            "unsupported file type",
        ),
        "nquads-owl-imports": Doc(
            ".nq", None, f"<urn:x:onto> <{owl}imports> <{onto}> <urn:x:g> .\n", "unsupported file type"
        ),
    }


# --------------------------------------------------------------------------- bombs


@dataclass(frozen=True)
class Bomb:
    """A small file that expands or nests without bound; ``limit`` is the name the refusal gives."""

    suffix: str
    media: str | None
    content: str
    limit: str


def yaml_alias_bomb(levels: int = 9) -> str:
    """Nine levels of nine aliases: 1 KB of YAML, 387 million items once expanded."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*l{i - 1}"] * 9)
        lines.append(f"l{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"


def billion_laughs(levels: int = 10) -> str:
    """RDF/XML whose one value expands to 10**levels copies of "lol" (3 GB for 9 levels)."""
    entities = ['<!ENTITY lol0 "lol">']
    for i in range(1, levels):
        entities.append(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">')
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n ' + "\n ".join(entities) + "\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f' <rdf:Description rdf:about="urn:x:a"><rdf:value>&lol{levels - 1};</rdf:value></rdf:Description>\n'
        "</rdf:RDF>\n"
    )


DEPTH = 100_000


def bombs() -> dict[str, Bomb]:
    """Every bomb of the suite, by vector."""
    alias, depth, dtd = "alias limit", "nesting-depth limit", "DTD and entity limit"
    return {
        "yaml-aliases": Bomb(".yaml", "application/yaml", yaml_alias_bomb(), alias),
        "yaml-deep": Bomb(".yaml", "application/yaml", "x: " + "[" * DEPTH + "]" * DEPTH + "\n", depth),
        "xml-billion-laughs": Bomb(".rdf", "application/rdf+xml", billion_laughs(), dtd),
        "xml-deep": Bomb(
            ".rdf",
            "application/rdf+xml",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            + "<rdf:Description><rdf:value>" * (DEPTH // 2)
            + "</rdf:value></rdf:Description>" * (DEPTH // 2)
            + "</rdf:RDF>",
            depth,
        ),
        "json-deep": Bomb(".json", "application/json", "[" * DEPTH + "]" * DEPTH, depth),
        "jsonld-deep": Bomb(
            ".jsonld",
            "application/ld+json",
            '{"@id": "urn:x:a", "urn:x:p": ' + '{"urn:x:p": ' * DEPTH + '"x"' + "}" * DEPTH + "}",
            depth,
        ),
        "turtle-deep-blank-nodes": Bomb(
            ".ttl",
            "text/turtle",
            "<urn:x:a> <urn:x:p> " + "[ <urn:x:p> " * DEPTH + "1" + " ]" * DEPTH + " .\n",
            depth,
        ),
        "trig-deep": Bomb(
            ".trig",
            "application/trig",
            "<urn:x:g> { <urn:x:a> <urn:x:p> " + "[ <urn:x:p> " * DEPTH + "1" + " ]" * DEPTH + " . }\n",
            depth,
        ),
        "turtle-deep-collections": Bomb(
            ".ttl", "text/turtle", "<urn:x:a> <urn:x:p> " + "( " * DEPTH + "1" + " )" * DEPTH + " .\n", depth
        ),
    }


# --------------------------------------------------------------------------- SPARQL

GRAPH = "https://w3id.org/openness/id/graph/security-suite"


def outbound_updates(url: str) -> dict[str, str]:
    """SPARQL Updates that name ``url`` where an engine could fetch it, one per vector."""
    graph = GRAPH  # short, for the f-strings
    return {
        "load": f"LOAD <{url}/data.ttl>",
        "load-silent-into": f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <{graph}>",
        "service-in-where": f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} "
        f"WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "service-silent": f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} "
        f"WHERE {{ SERVICE SILENT <{url}/> {{ ?s ?p ?o }} }}",
        "using": f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} USING <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "using-named": f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} USING NAMED <{url}/data.ttl> "
        "WHERE { GRAPH ?g { ?s ?p ?o } }",
        "owl-imports-data": f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:onto> "
        f"<http://www.w3.org/2002/07/owl#imports> <{url}/onto.ttl> }} }}",
    }


def outbound_queries(url: str) -> dict[str, tuple[str, dict[str, str]]]:
    """SPARQL queries (text, extra protocol parameters) that name ``url``, one per vector."""
    return {
        "service": (f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", {}),
        "service-silent": (f"SELECT * WHERE {{ SERVICE SILENT <{url}/> {{ ?s ?p ?o }} }}", {}),
        "from": (f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", {}),
        "from-named": (f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        "default-graph-uri": ("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": f"{url}/data.ttl"}),
        "named-graph-uri": (
            "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
            {"named-graph-uri": f"{url}/data.ttl"},
        ),
        "describe": (f"DESCRIBE <{url}/thing>", {}),
    }


def parens(depth: int) -> str:
    return "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"


def parens_after_less_than(depth: int) -> str:
    """``?a<(((...?b>0)))``: a lexer that reads ``<(((...?b>`` as an IRI sees no nesting, while
    the parser reads ``<`` as less-than and recurses into every parenthesis."""
    return "SELECT * WHERE { ?a ?p ?b FILTER(?a<" + "(" * depth + "?b>0" + ")" * depth + ") }"


def groups(depth: int) -> str:
    return "SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth


def nested_blank_nodes(depth: int) -> str:
    return (
        f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:x:a> <urn:x:p> "
        + "[ <urn:x:p> " * depth
        + "1"
        + " ]" * depth
        + " } }"
    )


def nested_where(depth: int) -> str:
    return f"INSERT {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth


def sparql_bombs() -> tuple[dict[str, str], dict[str, str]]:
    """(queries, updates) nested past any sane depth, by vector."""
    queries = {
        "parentheses-5000": parens(5_000),
        "parentheses-after-less-than-5000": parens_after_less_than(5_000),
        "parentheses-50000": parens(50_000),
        "groups-5000": groups(5_000),
        "groups-50000": groups(50_000),
    }
    updates = {
        "blank-nodes-10000": nested_blank_nodes(10_000),
        "groups-10000": nested_where(10_000),
        "parentheses-after-less-than-10000": f"INSERT {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o "
        "FILTER(?o<" + "(" * 10_000 + "?b>0" + ")" * 10_000 + ") }",
    }
    return queries, updates


# --------------------------------------------------------------------------- measuring

#: Size of the files that are over every size limit: 4 GB, made sparse (no disk, no time).
HUGE = 4_000_000_000


def sparse_file(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of ``size`` bytes: ``head``, then zeros that take no disk space or time to write."""
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


@dataclass
class Measured:
    """One finished process: exit status, output, wall seconds, peak resident memory in MB, and
    the CPU seconds (user + system) it used itself — what a bomb costs, whatever else the machine
    is doing (wall time on a shared 2-core machine can be several times the CPU time)."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0


def run_measured(args: list[str], *, env: dict[str, str], cwd: Path, timeout: float = 60) -> Measured:
    """Run ``args`` and measure it: wall time from start to exit, and the peak RSS and CPU time of
    that child alone (``ru_utime`` + ``ru_stime`` from ``os.wait4``).

    Peak RSS: Linux carries the parent's high-water RSS into a child's ``ru_maxrss`` across
    ``exec`` (the child starts as a vfork of this process, and exec records the old memory map's
    peak), so a test process grown to 300 MB would see every child "peak" at 300 MB. When
    ``ru_maxrss`` does not exceed this process's own peak at spawn time, the child's peak is the
    highest ``VmHWM`` (the high-water mark of the child's own memory map, fresh after exec) read
    from ``/proc/PID/status`` while it runs (polled every millisecond)."""
    import resource

    own_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out_path, err_path = cwd / "stdout.txt", cwd / "stderr.txt"
    polled_kb = 0
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.monotonic()
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env, cwd=cwd)
        deadline = started + timeout
        while True:
            polled_kb = max(polled_kb, _status_kb(proc.pid, "VmHWM"))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.001)
        seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait for it again
    peak_kb = usage.ru_maxrss if usage.ru_maxrss > own_peak_kb else polled_kb
    return Measured(
        proc.returncode,
        out_path.read_text(encoding="utf-8", errors="replace"),
        err_path.read_text(encoding="utf-8", errors="replace"),
        seconds,
        peak_kb / 1024,
        usage.ru_utime + usage.ru_stime,
    )


def family(pid: int) -> list[int]:
    """``pid`` and every live descendant (the service's query workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    todo.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return found


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak(pid: int) -> dict[int, float]:
    """Reset the peak RSS (VmHWM) of ``pid`` and its descendants; their current RSS in MB."""
    current = {}
    for member in family(pid):
        try:
            with open(f"/proc/{member}/clear_refs", "w", encoding="ascii") as handle:
                handle.write("5")
        except OSError:
            continue
        current[member] = _status_kb(member, "VmRSS") / 1024
    return current


def peak_growth_mb(pid: int, before: dict[int, float]) -> float:
    """The largest growth of peak RSS since :func:`reset_peak`, over ``pid`` and its descendants
    (a process started since counts from zero)."""
    return max(_status_kb(m, "VmHWM") / 1024 - before.get(m, 0.0) for m in family(pid))
