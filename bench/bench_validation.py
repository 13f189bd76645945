"""Whole-store validation: the compiled shapes (SPARQL on the store) against pySHACL, same run.

Why: pySHACL, the naive stack (read the store into rdflib, check one focus node at a time), was
the slowest part of every build; issue 14 asks for whole-store validation of 100k models (~10M
triples) within 60 s and 4 GB, with verdicts identical to pySHACL's. This prints, for one store:

* the raw engine floor: one full scan of the store's default graph by pyoxigraph;
* the compiled validator on the store in place (``openness validate``), and pySHACL
  (``openness validate --engine pyshacl``): seconds, peak RSS, results, the ratios;
* whether the two gave the same results (focus node, path, value, severity, component, shape,
  message; blank nodes compared as one), the differential check on the whole data;
* the build's way: all the source data as one rdflib batch, compiled engine on an in-memory copy
  (pySHACL's whole-store figure is that same path: it reads the store into rdflib);
* a one-claim batch validated with the store it joins (``openness load`` without writing), by
  both engines.

Each engine runs in its own process, so peak RSS is that engine's alone.

Usage::

    python bench/bench_validation.py                       # the bundled corpus (built once, cached)
    python bench/bench_validation.py --store PATH          # a built store (copied; never written)
    python bench/bench_validation.py --nquads corpus.nq    # a synthetic corpus (bench/generate.py)
    python bench/bench_validation.py --store PATH --no-pyshacl   # large stores: compiled only

Exit status 1 when the two engines disagree.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef


def cache_dir() -> Path:
    return Path(os.environ.get("OPENNESS_BENCH_CACHE", Path.home() / ".cache" / "openness-bench"))


def bundled_store() -> Path:
    """The bundled corpus, built once (``build(..., validate=False)``: several minutes)."""
    path = cache_dir() / "bundled-validation"
    if not (path / "done").exists():
        from openness.importers.build import build
        from openness.store import OxigraphStore

        shutil.rmtree(path, ignore_errors=True)
        print(f"building the bundled corpus into {path} (once) …", file=sys.stderr, flush=True)
        store = OxigraphStore(path / "store")
        build(store, validate=False)
        store.close()
        (path / "done").write_text("ok")
    return path / "store"


def prepare(source: Path | None, nquads: Path | None, work: Path) -> Path:
    """A private copy of the store with the current vocabulary graph (validation reads it)."""
    from openness.gate import _vocabulary_graph, vocabulary_current, vocabulary_digest, vocabulary_graph_iri
    from openness.store import OxigraphStore, write_operations

    target = work / "store"
    if nquads is not None:
        native = ox.Store(str(target))
        t0 = time.perf_counter()
        native.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        # the default graph is the merge of the source graphs (the store's convention), loaded the
        # same way rather than by one SPARQL update over every quad
        native.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                           for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))
        native.flush()
        del native
        print(f"loaded {nquads} in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
        store = OxigraphStore(target)
    else:
        shutil.copytree(source or bundled_store(), target)
        store = OxigraphStore(target)
    if not vocabulary_current(store):
        graphs = {str(vocabulary_graph_iri()): _vocabulary_graph(vocabulary_digest())}
        store.update(";\n".join(write_operations(graphs, existing=store.graph_names())))
    store.close()
    return target


# --------------------------------------------------------------------------- workers (one process each)


def _keys(report: Any) -> Counter[tuple[Any, ...]]:
    from rdflib import BNode

    def term(node: Any) -> Any:
        return "_:b" if isinstance(node, BNode) else None if node is None else str(node)

    out: Counter[tuple[Any, ...]] = Counter()
    for top in report.raw:
        for r in top.walk():
            out[(term(r.focus), term(r.path), term(r.value), str(r.severity), str(r.component), term(r.shape),
                 tuple(sorted(str(m) for m in r.messages)))] += 1
    return out


def worker(kind: str, store_path: str, out: str) -> None:
    """Run one measurement; write its figures (and results) to ``out``."""
    from openness.store import OxigraphStore

    store = OxigraphStore(store_path, read_only=True)
    figures: dict[str, Any] = {}
    t0 = time.perf_counter()
    if kind == "floor":
        rows = list(store.native.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        figures["triples"] = int(rows[0]["n"].value)
        keys: Counter[tuple[Any, ...]] = Counter()
    elif kind in ("compiled", "pyshacl"):
        from openness.validation import validate_store

        report = validate_store(store, engine=kind)
        figures.update(results=len(report.results), violations=len(report.violations), engine=report.engine)
        keys = _keys(report)
    elif kind == "build-compiled":  # the build's way: all source data as one rdflib batch, in memory
        from openness.namespaces import derived_graph_base
        from openness.validation import validate

        data = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
                               f'FILTER(!STRSTARTS(STR(?g), "{derived_graph_base()}")) }}')
        t0 = time.perf_counter()
        report = validate(data)
        figures.update(results=len(report.results), violations=len(report.violations), engine=report.engine)
        keys = _keys(report)
    else:  # "batch-compiled" / "batch-pyshacl": one claim loaded into the store, not written
        from openness.gate import ingest_batches
        from openness.ingest.batch import Batch
        from openness.validation import use_engine

        batch = Batch(URIRef("https://w3id.org/openness/id/graph/file/bench-claim-ttl"), one_claim(store),
                      "bench-claim.ttl")
        with use_engine(kind.split("-", 1)[1]):
            t0 = time.perf_counter()
            report = ingest_batches(store, [batch], dry_run=True).validation
        figures.update(results=len(report.results), engine=report.engine)
        keys = _keys(report)
    figures["seconds"] = time.perf_counter() - t0
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(out).write_bytes(pickle.dumps((figures, keys)))


def one_claim(store: Any) -> Any:
    """A claim (with its evidence) about a release the store holds, by a claimant it knows."""
    from openness.namespaces import OG, SPECTRUM
    from rdflib import XSD, Graph, Literal, URIRef
    from rdflib.namespace import RDF

    row = store.select(f"SELECT ?r ?a WHERE {{ ?c a <{OG.Claim}> ; <{OG.about}> ?r ; <{OG.claimant}> ?a }} "
                       "LIMIT 1")[0]
    g = Graph()
    claim = URIRef("https://w3id.org/openness/id/claim/bench-one")
    evidence = URIRef("https://w3id.org/openness/id/evidence/bench-one")
    day = Literal("2026-01-05", datatype=XSD.date)
    for t in ((claim, RDF.type, OG.Claim), (claim, OG.about, row["r"]),
              (claim, OG.criterion, SPECTRUM.Weights), (claim, OG.status, OG.Open),
              (claim, OG.claimant, row["a"]), (claim, OG.assertedOn, day), (claim, OG.evidence, evidence),
              (evidence, RDF.type, OG.Evidence), (evidence, OG.sourceIRI, URIRef("https://example.org/readme")),
              (evidence, OG.retrievedOn, day)):
        g.add(t)
    return g


def measure(kind: str, store: Path, timeout: float | None) -> tuple[dict[str, Any] | None, Counter[Any]]:
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as handle:
        out = handle.name
    try:
        subprocess.run([sys.executable, __file__, "--worker", kind, str(store), out], check=True,
                       timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, Counter()
    figures, keys = pickle.loads(Path(out).read_bytes())
    os.unlink(out)
    return figures, keys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a built store (copied, never written)")
    parser.add_argument("--nquads", type=Path, help="a corpus as N-Quads (bench/generate.py --out)")
    parser.add_argument("--no-pyshacl", action="store_true", help="skip the pySHACL baseline (large stores)")
    parser.add_argument("--pyshacl-timeout", type=float, default=3600.0, help="seconds (default %(default)s)")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-validation-") as tmp:
        store = prepare(args.store, args.nquads, Path(tmp))
        floor, _ = measure("floor", store, None)
        assert floor is not None
        print(f"store: {floor['triples']:,} triples in the default graph (source data with the vocabulary)")
        print(f"raw floor (one full scan, pyoxigraph)    {floor['seconds']:8.2f} s")
        results: dict[str, tuple[dict[str, Any] | None, Counter[Any]]] = {}
        kinds = ["compiled", "build-compiled", "batch-compiled"]
        kinds += [] if args.no_pyshacl else ["pyshacl", "batch-pyshacl"]
        for kind in kinds:
            results[kind] = measure(kind, store, args.pyshacl_timeout if "pyshacl" in kind else None)
            figures = results[kind][0]
            if figures is None:
                print(f"{kind:40} timed out after {args.pyshacl_timeout:.0f} s")
                continue
            print(f"{kind:40} {figures['seconds']:8.2f} s  peak RSS {figures['peak_rss_mb']:7.0f} MB  "
                  f"{figures['results']:6d} results ({figures['engine']})")
        same = True
        compiled, reference = results["compiled"][0], results.get("pyshacl", (None, None))[0]
        assert compiled is not None
        print(f"compiled / raw floor                     {compiled['seconds'] / floor['seconds']:8.1f} x")
        if reference is not None:
            ratio = reference["seconds"] / compiled["seconds"]
            print(f"pyshacl / compiled (whole store)         {ratio:8.1f} x   "
                  f"peak RSS {reference['peak_rss_mb'] / compiled['peak_rss_mb']:.1f} x")
            same = results["compiled"][1] == results["pyshacl"][1]
            print(f"same results as pySHACL (whole store):   {same}")
        b_compiled, b_reference = results["batch-compiled"][0], results.get("batch-pyshacl", (None, None))[0]
        if b_compiled is not None and b_reference is not None:
            ratio = b_reference["seconds"] / b_compiled["seconds"]
            print(f"pyshacl / compiled (one-claim batch)     {ratio:8.1f} x")
            batch_same = results["batch-compiled"][1] == results["batch-pyshacl"][1]
            print(f"same results as pySHACL (one-claim batch): {batch_same}")
            same = same and batch_same
        print(json.dumps({k: v[0] for k, v in results.items()}, default=str))
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
