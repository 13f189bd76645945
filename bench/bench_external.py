# ruff: noqa: E501  (report lines)
"""A synthetic corpus on an external Oxigraph server: load, assess, trace (issue 14).

Steps, each timed (wall; the server's own CPU time read from /proc; its peak memory, VmHWM):

1. **load** — Oxigraph's bulk loader (``oxigraph load``, the server stopped) on the corpus's
   N-Quads: the raw floor, and the only way in for corpora that large;
2. **mirror** — the product's ``Store.sync_default_graph()``: the default graph becomes the merge
   of the source graphs (one update request, run by the server);
3. **assess** — ``openness.gate.rederive`` on the server: the vocabulary written and every derive
   rule run, as one update request (one transaction), through the SPARQL protocol;
4. **trace** — ``openness.rules.trace.trace`` of random releases through the protocol, p50/p99,
   and trace.rq sent raw to the same server for the floor.

Usage: ``python bench/bench_external.py --models 10000 [--keep]``. The corpus comes from
bench/generate.py (its N-Quads are written once and reused); the server runs on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LoadSampler, header, run_step, work_dir


def server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100.0


def server_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    import bench_service as svc
    import httpx
    from openness import derive, gate
    from openness.resources import query_path
    from openness.rules.trace import trace
    from openness.store import SparqlStore
    from rdflib import URIRef

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--bundled", type=Path)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    folder = work_dir() / f"external-m{args.models}"
    folder.mkdir(parents=True, exist_ok=True)
    nq, db = folder / "corpus.nq", folder / "db"
    header(f"bench_external: {args.models:,} models on an Oxigraph server")
    oxigraph = str(Path(sys.executable).parent / "oxigraph") if (Path(sys.executable).parent / "oxigraph").exists() else "oxigraph"
    with LoadSampler() as load:
        if not nq.exists():
            kw = {"models": args.models, "seed": args.seed, **({"bundled": str(args.bundled)} if args.bundled else {})}
            gen = run_step(f"generate {args.models:,} models", "generate", out=str(nq), **kw)
            print(f"  {gen.get('quads', 0):,} quads, {gen.get('releases', 0):,} releases")
        shutil.rmtree(db, ignore_errors=True)
        t = time.perf_counter()
        loaded = subprocess.run([oxigraph, "load", "--location", str(db), "--file", str(nq)], capture_output=True, text=True)
        load_s = time.perf_counter() - t
        if loaded.returncode:
            print(loaded.stderr[-2000:])
            return 1
        print(f"load (oxigraph load, bulk)            {load_s:>9.1f} s   store {du_mb(db):,.0f} MB on disk")
        port = svc.free_port()
        proc = subprocess.Popen([oxigraph, "serve", "--location", str(db), "--bind", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            store = SparqlStore(f"{url}/query", f"{url}/update", timeout=24 * 3600)
            c0, t = server_cpu(proc.pid), time.perf_counter()
            store.sync_default_graph()
            print(f"mirror (sync_default_graph)           {time.perf_counter() - t:>9.1f} s   server cpu {server_cpu(proc.pid) - c0:,.1f} s")
            c0, t = server_cpu(proc.pid), time.perf_counter()
            try:
                gate.rederive(store)
                ok = True
            except Exception as err:
                ok = False
                print(f"assess FAILED after {time.perf_counter() - t:.1f} s: {type(err).__name__}: {str(err)[:300]}")
            assess_s = time.perf_counter() - t
            if ok:
                n = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{derive.CURRENT.graph('assessments')}> {{ ?a a <https://w3id.org/openness/ns#Assessment> }} }}")
                print(f"assess (gate.rederive on the server)  {assess_s:>9.1f} s   server cpu {server_cpu(proc.pid) - c0:,.1f} s   "
                      f"{int(n[0]['n']):,} assessments   server peak {server_peak_mb(proc.pid):,.0f} MB")
                rels = [str(r["r"]) for r in store.select(
                    f"SELECT DISTINCT ?r WHERE {{ GRAPH <{derive.CURRENT.graph('assessments')}> {{ ?a <https://w3id.org/openness/ns#assessedRelease> ?r }} }}")]
                rng = random.Random(args.seed)
                picks = [rng.choice(rels) for _ in range(args.samples)]
                body = query_path("trace.rq").read_text(encoding="utf-8")
                prologue = derive.prologue(derive.CURRENT)
                prod, raw = [], []
                for r in picks:
                    t = time.perf_counter()
                    trace(store, URIRef(r))
                    prod.append(time.perf_counter() - t)
                    q = prologue + derive._VALUES_MARK.sub(lambda m, r=r: m.group(1) + f"VALUES ?release {{ <{r}> }}", body)
                    t = time.perf_counter()
                    store.query_raw(q, "application/sparql-results+json")
                    raw.append(time.perf_counter() - t)

                def pct(v: list[float], p: float) -> float:
                    s = sorted(v)
                    return s[min(len(s) - 1, int(round(p * (len(s) - 1))))]

                print(f"trace through the protocol: p50 {1000 * pct(prod, .5):.0f} ms, p99 {1000 * pct(prod, .99):.0f} ms; "
                      f"raw trace.rq on the same server: p50 {1000 * pct(raw, .5):.0f} ms, p99 {1000 * pct(raw, .99):.0f} ms "
                      f"({len(picks)} releases, mean {1000 * statistics.fmean(prod):.0f} ms)")
            print(f"store on disk after assess: {du_mb(db):,.0f} MB")
            store.close()
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    print("\n" + load.summary())
    if not args.keep:
        shutil.rmtree(db, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
