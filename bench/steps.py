# ruff: noqa: E501  (SPARQL lines)
"""Measured steps: each runs in its own process (``python bench/steps.py STEP JSON-ARGS``).

The parent (:func:`common.run_step`) reads the process's CPU time and peak memory; the step
prints what it measured as one JSON object on its last stdout line. A step may record partial
figures with :func:`partial` (kept when the step is stopped at its time budget).

Three kinds of step, named by prefix:

* ``product_*`` — the product's own code path (the gate, ``openness validate``, trace, export);
* ``raw_*`` — the engine floor: pyoxigraph with no product code in the timed part (a bulk load of
  the same N-Quads, the rule files themselves as SPARQL Update, trace.rq as a query, the compiled
  shape queries of queries/shapes-compiled/);
* ``naive_*`` — the naive stack: an rdflib in-memory dataset, rdflib's SPARQL engine running the
  same rule files and queries, pySHACL over the whole graph.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyoxigraph as ox

OG = "https://w3id.org/openness/ns#"
ID = "https://w3id.org/openness/id/"
DERIVED = ID + "graph/derived/"


def partial(key: str, value: Any) -> None:
    path = os.environ.get("BENCH_PARTIAL")
    if path:
        with open(path, "a") as fh:
            fh.write(json.dumps({key: value}) + "\n")


def _timed(fn: Any) -> tuple[float, float, Any]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w, time.process_time() - c, out


def _pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))] if v else 0.0


def _open_nq(path: str) -> Any:
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def _corpus(a: dict[str, Any]) -> tuple[Any, Any]:
    import generate as gen

    return gen.corpus(a["models"], a.get("seed", 14), a.get("rpm", 3.0), Path(a["bundled"]) if a.get("bundled") else None)


def _vocabulary_nt() -> bytes:
    """The ontology files as N-Triples (what the gate writes into the vocabulary graph)."""
    from openness.resources import turtle_files

    store = ox.Store()
    for path in turtle_files("ontology"):
        store.bulk_load(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


# --------------------------------------------------------------------------- generating, loading


def generate(a: dict[str, Any]) -> dict[str, Any]:
    import generate as gen

    templates, plan = _corpus(a)
    n = gen.write_nquads(templates, plan, Path(a["out"]))
    return {"quads": n, "models": plan.models, "releases": plan.releases, "copies": len(plan.copies)}


def raw_load(a: dict[str, Any]) -> dict[str, Any]:
    """Raw floor of a build: Oxigraph's bulk loader on the same N-Quads, into an empty store."""
    store = ox.Store(a["store"])
    w, c, _ = _timed(lambda: store.bulk_load(path=a["nq"], format=ox.RdfFormat.N_QUADS))
    store.flush()
    return {"seconds": w, "cpu": c, "quads": len(store)}


def backup(a: dict[str, Any]) -> dict[str, Any]:
    """A cheap copy of a built store (RocksDB checkpoint, hard links), for steps that write."""
    ox.Store(a["store"]).backup(a["to"])
    return {}


# --------------------------------------------------------------------------- the product's build


def product_build(a: dict[str, Any]) -> dict[str, Any]:
    """The corpus through the one write path, :func:`openness.gate.commit`, into an empty on-disk
    store: ``chunk`` models per commit (0 = everything in one commit, as ``openness build``)."""
    import generate as gen
    from openness import gate
    from openness.store import OxigraphStore

    templates, plan = _corpus(a)
    store = OxigraphStore(a["store"])
    per_model: dict[int, list[int]] = {}
    for i, (_, _, g) in enumerate(plan.copies):
        per_model.setdefault(g, []).append(i)
    chunk = a.get("chunk") or plan.models
    totals: Counter[str] = Counter()
    commits = 0
    t_all = time.perf_counter()
    for start_model in range(0, plan.models, chunk):
        idx = [i for g in range(start_model, min(plan.models, start_model + chunk)) for i in per_model[g]]
        t0 = time.perf_counter()
        batches = list(gen.batches(templates, plan, start=idx[0], stop=idx[-1] + 1))
        if start_model == 0:
            batches = gen.shared_batches(templates) + batches
        totals["parse (rdflib graphs of the batches)"] += time.perf_counter() - t0
        t1 = time.perf_counter()
        report = gate.commit(store, gate.Change(batches=batches, label=f"synthetic {start_model}"))
        totals["commit"] += time.perf_counter() - t1
        for k, v in report.seconds.items():
            totals["commit: " + k] += v
        commits += 1
        partial("commits", commits)
        partial("seconds", time.perf_counter() - t_all)
    store.flush()
    quads = store.count()
    store.close()
    return {"seconds": time.perf_counter() - t_all, "phases": dict(totals), "commits": commits, "quads": quads}


def product_rederive(a: dict[str, Any]) -> dict[str, Any]:
    """``openness assess``: re-derive the whole derived layer (gate.rederive), on a copy."""
    from openness import gate
    from openness.store import OxigraphStore

    store = OxigraphStore(a["store"])
    w, c, report = _timed(lambda: gate.rederive(store))
    store.close()
    return {"seconds": w, "cpu": c, "phases": report.seconds}


def refresh(a: dict[str, Any]) -> dict[str, Any]:
    """Bring a built store's derived layer to today's rule files (gate.rederive) when a rule or
    the vocabulary changed since it was built, so that a measured commit is an incremental one."""
    from openness import gate
    from openness.store import OxigraphStore

    store = OxigraphStore(a["store"])
    stale = not (gate.vocabulary_current(store) and gate.rules_current(store))
    w = 0.0
    if stale:
        w, _, _ = _timed(lambda: gate.rederive(store))
    store.close()
    return {"stale": stale, "seconds": w}


def raw_rules(a: dict[str, Any]) -> dict[str, Any]:
    """The rule files themselves, one SPARQL Update each, on pyoxigraph in memory: the source
    data of ``store`` (or of ``nq``) mirrored into the default graph with the vocabulary, as the
    gate keeps it. Only the ``update`` calls are timed; the rule text is filled in before."""
    from openness import derive
    from rdflib import URIRef

    store = ox.Store()
    if a.get("nq"):
        with _open_nq(a["nq"]) as fh:
            store.bulk_load(fh.read(), format=ox.RdfFormat.N_QUADS)
    else:
        src = ox.Store.read_only(a["store"])
        data = src.dump(format=ox.RdfFormat.N_QUADS)
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        store.update(f'DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{DERIVED}")) }}')
    vocab = _vocabulary_nt()
    store.bulk_load(vocab, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(ID + "graph/vocabulary"))
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    claims = int(next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?c a <{OG}Claim> }}")))["n"].value)
    run = URIRef(ID + "activity/bench-raw")
    view = derive.CURRENT
    per_rule: dict[str, float] = {}
    cpu_rule: dict[str, float] = {}
    # group: the raw grouping query over the same claims (issue 8's floor for a reassessment)
    group_q = f"SELECT ?r ?k (COUNT(?c) AS ?n) WHERE {{ ?c <{OG}about> ?r ; <{OG}criterion> ?k }} GROUP BY ?r ?k"
    w, c, rows = _timed(lambda: sum(1 for _ in store.query(group_q)))
    out: dict[str, Any] = {"grouping": w, "grouping_cpu": c, "groups": rows, "claims": claims}
    for step in derive.steps():
        text = derive.prologue(view) + derive.expand(step, view=view, run=run, focus=None)
        w, c, _ = _timed(lambda text=text: store.update(text))
        per_rule[step.file] = w
        cpu_rule[step.file] = c
        partial(step.file, w)
    out.update({"rules": per_rule, "rules_cpu": cpu_rule, "seconds": sum(per_rule.values()),
                "cpu": sum(cpu_rule.values()),
                "releases": int(next(iter(store.query(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ GRAPH <{DERIVED}assessments> {{ ?a <{OG}assessedRelease> ?r }} }}")))["n"].value)})
    return out


def raw_grouping(a: dict[str, Any]) -> dict[str, Any]:
    """Issue 8's floor: grouping every claim by release x criterion, on the built store."""
    store = ox.Store.read_only(a["store"])
    q = f"SELECT ?r ?k (COUNT(?c) AS ?n) WHERE {{ ?c <{OG}about> ?r ; <{OG}criterion> ?k }} GROUP BY ?r ?k"
    best = None
    for _ in range(3):
        w, c, rows = _timed(lambda: sum(1 for _ in store.query(q, default_graph=[ox.DefaultGraph()])))
        best = (w, c, rows) if best is None or c < best[1] else best
    assert best is not None
    return {"seconds": best[0], "cpu": best[1], "groups": best[2]}


# --------------------------------------------------------------------------- incremental batch


def _extra_batches(a: dict[str, Any]) -> tuple[list[Any], int]:
    """Fresh copies after the corpus (a later seed's plan), enough for ``claims`` claims."""
    import generate as gen
    from rdflib import URIRef

    templates, plan = _corpus(a)
    extra = gen.plan(templates, max(50, a["claims"] // 5), seed=a.get("seed", 14) + 1000, releases_per_model=a.get("rpm", 3.0))
    offset = len(plan.copies) + 10  # copy numbers after the corpus's own
    claim = URIRef(OG + "Claim")
    out, n = [], 0
    for k, u, g in extra.copies:
        for b in gen.batches(templates, gen.Plan([(k + offset, u, g + plan.models + 10)], 1, 0)):
            out.append(b)
            n += sum(1 for _ in b.data.subjects(None, claim))
        if n >= a["claims"]:
            break
    return out, n


def product_incremental(a: dict[str, Any]) -> dict[str, Any]:
    """A batch of about ``claims`` claims (new releases of a later catalogue run) through the
    gate into a built store (a copy). The update the gate sends is saved to ``capture``."""
    from openness import gate
    from openness.store import OxigraphStore

    batches, claims = _extra_batches(a)
    store = OxigraphStore(a["store"])
    sent: list[str] = []
    original = OxigraphStore.update

    def recording(self: OxigraphStore, text: str) -> None:
        sent.append(text)
        original(self, text)

    if not (gate.vocabulary_current(store) and gate.rules_current(store)):
        raise RuntimeError("the store's derived layer is stale (a rule changed): run the refresh step first")
    OxigraphStore.update = recording  # type: ignore[method-assign]
    w, c, report = _timed(lambda: gate.commit(store, gate.Change(batches=batches, label="bench batch")))
    OxigraphStore.update = original  # type: ignore[method-assign]
    store.close()
    Path(a["capture"]).write_text(json.dumps(sent))
    return {"seconds": w, "cpu": c, "claims": claims, "graphs": len(batches), "phases": report.seconds,
            "releases": report.releases, "updates": len(sent)}


def product_incremental_steps(a: dict[str, Any]) -> dict[str, Any]:
    """Diagnostic: the same batch, its writes first, then each derive step as its own update
    restricted to the batch's focus, timed one by one (which rule costs what incrementally)."""
    from openness import derive, gate
    from openness.ingest.batch import prepare
    from openness.store import OxigraphStore, write_operations
    from rdflib import URIRef

    batches, claims = _extra_batches(a)
    store = OxigraphStore(a["store"])
    written = prepare(batches)
    change = gate.Change(batches=batches)
    focus = gate.focus_of(store, written, change)
    w, c, _ = _timed(lambda: store.update(" ;\n".join(write_operations(written, existing=store.graph_names()))))
    out: dict[str, Any] = {"claims": claims, "releases": len(focus.releases or ()), "write": w, "write_cpu": c, "rules": {}, "rules_cpu": {}}
    run = URIRef(ID + "activity/bench-steps")
    for step in derive.steps():
        terms = focus.subjects if step.focus == URIRef(OG + "SubjectFocus") else focus.releases if step.focus == URIRef(OG + "ReleaseFocus") else None
        text = derive.prologue(derive.CURRENT) + derive.expand(step, view=derive.CURRENT, run=run, focus=terms)
        w, c, _ = _timed(lambda text=text: store.update(text))
        out["rules"][step.file] = w
        out["rules_cpu"][step.file] = c
    store.close()
    return out


def raw_replay(a: dict[str, Any]) -> dict[str, Any]:
    """The floor of the incremental batch: the very update text(s) the gate sent, run directly on
    pyoxigraph against a copy of the same built store."""
    texts = json.loads(Path(a["capture"]).read_text())
    store = ox.Store(a["store"])
    w, c, _ = _timed(lambda: [store.update(t) for t in texts])
    return {"seconds": w, "cpu": c}


def raw_insert(a: dict[str, Any]) -> dict[str, Any]:
    """Only writing the batch's triples (bulk load of its N-Quads) into a copy of the store."""
    batches, claims = _extra_batches(a)
    buf = io.StringIO()
    for b in batches:
        for line in b.data.serialize(format="nt").splitlines():
            if line.strip():
                buf.write(line[:-1] + f"<{b.graph_iri}> .\n")
    data = buf.getvalue().encode()
    store = ox.Store(a["store"])
    w, c, _ = _timed(lambda: store.load(data, format=ox.RdfFormat.N_QUADS))
    return {"seconds": w, "cpu": c, "claims": claims}


# --------------------------------------------------------------------------- trace


def trace(a: dict[str, Any]) -> dict[str, Any]:
    """``trace`` of random releases (those with a stored assessment): the product's function
    against trace.rq run directly on pyoxigraph, alternating, on the same read-only store."""
    from openness import derive
    from openness.rules.trace import trace as product_trace
    from openness.store import OxigraphStore
    from rdflib import URIRef

    store = OxigraphStore(a["store"], read_only=True)
    releases = sorted(str(r["r"]) for r in store.select(
        f"SELECT DISTINCT ?r WHERE {{ GRAPH <{DERIVED}assessments> {{ ?a <{OG}assessedRelease> ?r }} }}"))
    rng = random.Random(a.get("seed", 14))
    picks = [rng.choice(releases) for _ in range(a.get("samples", 300))]
    from openness.resources import query_path

    body = query_path("trace.rq").read_text(encoding="utf-8")
    prologue = derive.prologue(derive.CURRENT)
    dataset = store.default_dataset()
    native = store.native
    prod_w, prod_c, raw_w, raw_c, rows = [], [], [], [], []
    for r in picks[:5]:  # warm both
        product_trace(store, URIRef(r))
    for r in picks:
        q = prologue + derive._VALUES_MARK.sub(lambda m, r=r: m.group(1) + f"VALUES ?release {{ <{r}> }}", body)
        w, c, _ = _timed(lambda r=r: product_trace(store, URIRef(r)))
        prod_w.append(w)
        prod_c.append(c)
        w, c, n = _timed(lambda q=q: sum(1 for _ in native.query(q, default_graph=dataset)))
        raw_w.append(w)
        raw_c.append(c)
        rows.append(n)
    return {"samples": len(picks), "releases": len(releases), "rows_mean": statistics.fmean(rows),
            "product": {"p50": _pct(prod_w, 0.5), "p99": _pct(prod_w, 0.99), "cpu_p50": _pct(prod_c, 0.5), "cpu_p99": _pct(prod_c, 0.99)},
            "raw": {"p50": _pct(raw_w, 0.5), "p99": _pct(raw_w, 0.99), "cpu_p50": _pct(raw_c, 0.5), "cpu_p99": _pct(raw_c, 0.99)},
            "picks": picks[:20]}


# --------------------------------------------------------------------------- validation


def _cli(main: Any, args: list[str]) -> None:
    """Run the ``openness`` command in this process, as ``openness ARGS`` would."""
    saved = sys.argv
    sys.argv = ["openness", *args]
    try:
        main()
    finally:
        sys.argv = saved


def _keys(report: Any) -> list[list[Any]]:
    """Every result (sh:detail included) as text, blank nodes as one placeholder: what the
    differential compares (tests/test_validation_differential.py compares the same fields)."""
    from rdflib import BNode

    def t(n: Any) -> str:
        return "_:b" if isinstance(n, BNode) else ("" if n is None else n.n3())

    keys: Counter[str] = Counter()
    for top in report.raw:
        for r in top.walk():
            keys["|".join([t(r.focus), t(r.path), t(r.value), t(r.severity), t(r.component),
                           t(r.shape) if not isinstance(r.shape, BNode) else "_:shape",
                           ";".join(sorted(str(m) for m in r.messages))])] += 1
    return sorted([k, n] for k, n in keys.items())


def product_validate(a: dict[str, Any]) -> dict[str, Any]:
    """``openness validate --store S`` (the command itself, report rendered and dropped)."""
    from openness.cli import main

    code = 0
    w = time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        try:
            _cli(main, ["validate", "--store", a["store"], "--format", "json", *(["--engine", a["engine"]] if a.get("engine") else [])])
        except SystemExit as stop:
            code = int(stop.code or 0)
    return {"seconds": time.perf_counter() - w, "exit": code}


def validate_keys(a: dict[str, Any]) -> dict[str, Any]:
    """Whole-store validation with one engine; the results' keys saved for the differential."""
    from openness.store import OxigraphStore
    from openness.validation import validate_store

    store = OxigraphStore(a["store"], read_only=True)
    w, c, report = _timed(lambda: validate_store(store, engine=a["engine"]))
    keys = _keys(report)
    Path(a["out"]).write_text(json.dumps(keys))
    return {"seconds": w, "cpu": c, "engine": report.engine if hasattr(report, "engine") else a["engine"],
            "results": sum(n for _, n in keys), "violations": len(report.violations), "conforms": report.conforms}


def raw_validate(a: dict[str, Any]) -> dict[str, Any]:
    """The compiled shape queries (queries/shapes-compiled/*.rq) run directly on pyoxigraph over
    the store's default graph, rows consumed: the floor of the compiled validator."""
    from openness.resources import queries_dir

    folder = queries_dir() / "shapes-compiled"
    store = ox.Store.read_only(a["store"])
    per: dict[str, float] = {}
    rows = 0
    w0, c0 = time.perf_counter(), time.process_time()
    for path in sorted(folder.glob("*.rq")):
        t = time.perf_counter()
        rows += sum(1 for _ in store.query(path.read_text(encoding="utf-8"), default_graph=[ox.DefaultGraph()]))
        per[path.name] = time.perf_counter() - t
    return {"seconds": time.perf_counter() - w0, "cpu": time.process_time() - c0, "rows": rows, "queries": len(per),
            "slowest": sorted(per.items(), key=lambda kv: -kv[1])[:3]}


# --------------------------------------------------------------------------- export


def product_export(a: dict[str, Any]) -> dict[str, Any]:
    """``openness export --format nq --out FILE``, the command itself."""
    from openness.cli import main

    w = time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        try:
            _cli(main, ["export", "--store", a["store"], "--format", "nq", "--out", a["out"]])
        except SystemExit as stop:
            if stop.code:
                raise
    return {"seconds": time.perf_counter() - w, "bytes": os.path.getsize(a["out"])}


def raw_export(a: dict[str, Any]) -> dict[str, Any]:
    """pyoxigraph's own dump of the named graphs as N-Quads, to a file."""
    store = ox.Store.read_only(a["store"])

    def run() -> int:
        quads = (q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
        ox.serialize(quads, a["out"], format=ox.RdfFormat.N_QUADS)
        return os.path.getsize(a["out"])

    w, c, size = _timed(run)
    return {"seconds": w, "cpu": c, "bytes": size}


# --------------------------------------------------------------------------- the naive stack


def _naive_dataset(nq: str) -> Any:
    from rdflib import Dataset

    ds = Dataset()
    with _open_nq(nq) as fh:
        ds.parse(data=fh.read().decode("utf-8"), format="nquads")
    return ds


def naive_build(a: dict[str, Any]) -> dict[str, Any]:
    """The naive stack on the same N-Quads: rdflib parses them into an in-memory dataset (named
    graphs mirrored into the default graph, vocabulary added), pySHACL validates the whole graph,
    rdflib's SPARQL engine runs the rule files. Partial figures are kept when stopped."""
    import pyshacl
    from openness import derive
    from openness.validation import shapes_graph
    from rdflib import Dataset, Graph, URIRef

    out: dict[str, Any] = {}
    t = time.perf_counter()
    ds = Dataset()
    with _open_nq(a["nq"]) as fh:
        ds.parse(data=fh.read().decode("utf-8"), format="nquads")
    default = ds.default_graph
    for s, p, o, _g in ds.quads((None, None, None, None)):
        default.add((s, p, o))
    vocab = Graph().parse(data=_vocabulary_nt().decode(), format="nt")
    vg = ds.graph(URIRef(ID + "graph/vocabulary"))
    for triple in vocab:
        vg.add(triple)
        default.add(triple)
    out["load"] = time.perf_counter() - t
    partial("load", out["load"])
    t = time.perf_counter()
    data = Graph()
    for triple in default:
        data.add(triple)
    conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True)
    out["validate"] = time.perf_counter() - t
    partial("validate", out["validate"])
    run = URIRef(ID + "activity/bench-naive")
    out["rules"] = {}
    for step in derive.steps():
        text = derive.prologue(derive.CURRENT) + derive.expand(step, view=derive.CURRENT, run=run, focus=None)
        t = time.perf_counter()
        try:
            ds.update(text)
        except Exception as err:
            out["rules"][step.file] = f"error: {type(err).__name__}: {str(err)[:120]}"
            partial(step.file, out["rules"][step.file])
            continue
        out["rules"][step.file] = time.perf_counter() - t
        partial(step.file, out["rules"][step.file])
    out["seconds"] = out["load"] + out["validate"] + sum(v for v in out["rules"].values() if isinstance(v, float))
    return out


def naive_trace(a: dict[str, Any]) -> dict[str, Any]:
    """trace.rq through rdflib's SPARQL engine on an rdflib dataset of the built store."""
    from openness import derive
    from openness.resources import query_path
    from rdflib import Dataset

    src = ox.Store.read_only(a["store"])
    ds = Dataset(default_union=True)
    ds.parse(data=src.dump(format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    body = query_path("trace.rq").read_text(encoding="utf-8")
    prologue = derive.prologue(derive.CURRENT)
    times = []
    deadline = time.perf_counter() + a.get("budget", 120)
    for r in a["picks"]:
        q = prologue + derive._VALUES_MARK.sub(lambda m, r=r: m.group(1) + f"VALUES ?release {{ <{r}> }}", body)
        t = time.perf_counter()
        n = len(list(ds.query(q)))
        times.append(time.perf_counter() - t)
        partial("trace", times[-1])
        if time.perf_counter() > deadline:
            break
    return {"p50": _pct(times, 0.5), "p99": _pct(times, 0.99), "samples": len(times), "rows_last": n}


def naive_export(a: dict[str, Any]) -> dict[str, Any]:
    ds = _naive_dataset(a["nq"])
    w, c, _ = _timed(lambda: ds.serialize(destination=a["out"], format="nquads"))
    return {"seconds": w, "cpu": c}


def naive_incremental(a: dict[str, Any]) -> dict[str, Any]:
    """The naive stack's incremental batch: add the batch to the rdflib dataset, pySHACL over the
    whole graph again, the rule files again (rdflib has no focus): timed per part."""
    return naive_build(a)


# --------------------------------------------------------------------------- issue 8's targets (bundled corpus)


def product_cli(a: dict[str, Any]) -> dict[str, Any]:
    """``openness ARGS`` run in this process (its wall time includes importing the package)."""
    from openness.cli import main

    code = 0
    w = time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        try:
            _cli(main, a["args"])
        except SystemExit as stop:
            code = int(stop.code or 0)
    return {"seconds": time.perf_counter() - w, "exit": code}


def product_reads(a: dict[str, Any]) -> dict[str, Any]:
    """Reading each framework's verdicts (as a list, and with every part of each assessment), the
    disagreements and the open-washing cases from the built store, as the CLI does
    (openness.verdicts.read, rules.disagreements, rules.openwashing);
    best of ``repeat`` runs, after one warm-up (a running service is warm)."""
    from openness import derive
    from openness.store import OxigraphStore
    from openness.verdicts import read

    store = OxigraphStore(a["store"], read_only=True)
    out: dict[str, Any] = {}
    # a verdict list (label, verdict, reason: what ``openness classify`` prints) and the same with
    # every part of each assessment (attribute verdicts, progress, group scores: csv/json output)
    jobs: dict[str, Any] = {}
    for k in derive.frameworks():
        jobs[f"verdicts {k}"] = lambda k=k: read(store, framework=k, parts=False)
        jobs[f"verdicts {k} with parts"] = lambda k=k: read(store, framework=k)

    def disagreements() -> Any:
        from openness.rules.disagreements import disagreements as run

        return run(store)

    def openwashing() -> Any:
        from openness.rules.openwashing import openwashing as run

        return run(store)

    jobs["disagreements"] = disagreements
    jobs["openwashing"] = openwashing
    for name, job in jobs.items():
        best_w = best_c = float("inf")
        rows: Any = None
        for i in range(a.get("repeat", 3) + 1):
            try:
                w, c, rows = _timed(job)
            except Exception as err:
                out[name] = {"error": f"{type(err).__name__}: {err}"}
                break
            if i:  # the first run warms caches
                best_w, best_c = min(best_w, w), min(best_c, c)
        else:
            out[name] = {"seconds": best_w, "cpu": best_c, "rows": len(rows)}
    return out


def product_load_one(a: dict[str, Any]) -> dict[str, Any]:
    """``openness load`` of a file with one claim into a copy of the built store: the gate's
    own figures (validation with the neighbourhood, write, re-derivation of what it touched)."""
    from openness.gate import ingest_files
    from openness.store import OxigraphStore

    store = OxigraphStore(a["store"])
    w, c, report = _timed(lambda: ingest_files(store, [a["file"]]))
    store.close()
    return {"seconds": w, "cpu": c, "phases": report.seconds}


STEPS = {name: fn for name, fn in globals().items() if callable(fn) and name.split("_")[0] in
         ("generate", "raw", "backup", "product", "trace", "validate", "naive", "refresh")}


if __name__ == "__main__":
    name, args = sys.argv[1], json.loads(sys.argv[2])
    result = STEPS[name](args)
    sys.stdout.write("\n" + json.dumps(result, default=str) + "\n")
