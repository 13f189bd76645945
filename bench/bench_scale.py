# ruff: noqa: E501  (long SPARQL, Turtle and report lines)
"""Scale benchmarks (issue 14): the product against the naive stack and the raw engine, per size.

One command per benchmark (or ``all``), each printing absolute figures and the ratios measured in
the same run against

* **raw** — the engine floor: pyoxigraph with no product code (a bulk load of the same N-Quads;
  the rule files themselves as SPARQL Update; trace.rq as a query; the update text the gate sent,
  replayed; the compiled shape queries; a dump; an Oxigraph server answering trace.rq);
* **naive** — rdflib's in-memory dataset and SPARQL engine running the same rule files and
  queries, pySHACL over the whole graph. The naive stack is run at the sizes it finishes within
  ``--naive-budget`` seconds per step; for bigger sizes its figure is extrapolated linearly per
  model from the largest size it finished, and printed with ``~`` (said so, every time).

Usage::

    python bench/bench_scale.py build --models 1000 10000
    python bench/bench_scale.py all --models 1000
    python bench/bench_scale.py incremental trace --models 10000 --reuse

Corpora come from bench/generate.py (seed 14, about 3 releases per model); stores and corpora go
to ``$OPENNESS_BENCH_WORK`` (default /tmp/openness-bench) and are reused with ``--reuse``. Every
step runs in its own process: ``cpu`` is that process's CPU time, ``peak`` its peak memory (see
bench/common.py). The machine is shared: read CPU seconds where wall seconds look noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LoadSampler, Result, header, ratio, run_step, work_dir

BENCHMARKS = ("build", "reassess", "incremental", "trace", "endpoint", "validate", "export")
NAIVE_SIZES = (10, 30)


class Size:
    """Paths and cached results of one corpus size."""

    def __init__(self, models: int, args: argparse.Namespace) -> None:
        self.models = models
        self.args = args
        self.dir = work_dir() / f"m{models}-s{args.seed}-r{args.rpm:g}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.nq = self.dir / "corpus.nq"
        self.store = self.dir / "store"
        self.info_file = self.dir / "info.json"

    @property
    def info(self) -> dict[str, Any]:
        return json.loads(self.info_file.read_text()) if self.info_file.exists() else {}

    def save(self, **kw: Any) -> None:
        self.info_file.write_text(json.dumps({**self.info, **kw}, indent=1))

    def common(self) -> dict[str, Any]:
        out = {"models": self.models, "seed": self.args.seed, "rpm": self.args.rpm}
        if self.args.bundled:
            out["bundled"] = str(self.args.bundled)
        return out

    def copy(self, name: str) -> Path:
        target = self.dir / f"copy-{name}"
        shutil.rmtree(target, ignore_errors=True)
        run_step(f"  (copy of the store: {name})", "backup", quiet=True, store=str(self.store), to=str(target))
        return target

    def drop(self, path: Path) -> None:
        if not self.args.keep:
            shutil.rmtree(path, ignore_errors=True)


def ensure_corpus(size: Size) -> None:
    if size.nq.exists() and size.args.reuse and size.info.get("quads"):
        return
    r = run_step(f"generate {size.models} models", "generate", out=str(size.nq), **size.common())
    size.save(**r.data)


_BUILT_HERE: set[Path] = set()


def ensure_store(size: Size) -> Result | None:
    """The built store of this size: built once per run (or reused from an earlier run with --reuse)."""
    if size.store.exists() and size.info.get("built") and (size.args.reuse or size.store in _BUILT_HERE):
        return None
    shutil.rmtree(size.store, ignore_errors=True)
    chunk = size.args.chunk if size.args.chunk is not None else (0 if size.models <= 1000 else 1000)
    r = run_step(f"product: build through the gate ({'one commit' if not chunk else f'{chunk} models/commit'})",
                 "product_build", store=str(size.store), chunk=chunk, timeout=size.args.budget, **size.common())
    if r.ok:
        size.save(built=True, build=r.data, build_wall=r.wall, build_cpu=r.cpu, build_rss=r.rss_mb)
        _BUILT_HERE.add(size.store)
    return r


# --------------------------------------------------------------------------- the naive stack


def naive_cache() -> Path:
    return work_dir() / "naive.json"


def naive_figures(args: argparse.Namespace) -> dict[str, Any]:
    """The naive stack's build and export at small sizes (cached): what it finishes in budget."""
    cache_file = naive_cache()
    cache = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    for n in NAIVE_SIZES:
        key = str(n)
        if key in cache:
            continue
        size = Size(n, args)
        ensure_corpus(size)
        r = run_step(f"naive: build {n} models (rdflib + pySHACL + rdflib SPARQL)", "naive_build",
                     nq=str(size.nq), timeout=args.naive_budget)
        cache[key] = {"ok": r.ok, "wall": r.wall, "cpu": r.cpu, "rss": r.rss_mb, **r.data}
        cache_file.write_text(json.dumps(cache, indent=1))
        if not r.ok:
            break
    return cache


def naive_at(cache: dict[str, Any], models: int, part: str) -> tuple[float | None, str]:
    """A naive figure for ``models``: measured when that size finished, else extrapolated per
    model from the largest size that finished (marked ``~``)."""
    done = [(int(k), v) for k, v in cache.items() if v.get(part) is not None and not isinstance(v.get(part), str)]
    if not done:
        return None, "naive did not finish any size"
    exact = [v for k, v in done if k == models and v.get("ok")]
    if exact:
        return float(exact[0][part]), ""
    k, v = max(done, key=lambda kv: kv[0])
    return float(v[part]) * models / k, f"~ extrapolated linearly from {k} models"


def naive_rules_total(entry: dict[str, Any]) -> float | None:
    rules = entry.get("rules") or {}
    if not rules or any(isinstance(x, str) for x in rules.values()):
        return None
    return sum(rules.values())


# --------------------------------------------------------------------------- benchmarks


def line(label: str, value: float | None, unit: str = "s", **bases: float | None) -> None:
    text = f"  {label:<58} {value:>10.3f} {unit}" if value is not None else f"  {label:<58} {'n/a':>10}"
    for name, base in bases.items():
        if base is None:
            continue
        if name.startswith("naive"):  # how many times faster than the naive stack
            text += f"   {ratio(base, value):>7} faster than {name.replace('_', ' ')}"
        else:  # how many times the raw engine's time
            text += f"   {ratio(value, base):>7} {name.replace('_', ' ')}"
    print(text, flush=True)


def bench_build(size: Size, naive: dict[str, Any]) -> None:
    print(f"\n## build — {size.models} models")
    ensure_corpus(size)
    raw_dir = size.dir / "raw-load"
    shutil.rmtree(raw_dir, ignore_errors=True)
    raw = run_step("raw: pyoxigraph bulk load of the same N-Quads", "raw_load", nq=str(size.nq), store=str(raw_dir))
    size.drop(raw_dir)
    built = ensure_store(size)
    info = size.info
    wall = built.wall if built else info.get("build_wall")
    cpu = built.cpu if built else info.get("build_cpu")
    print(f"  corpus: {info.get('quads', 0):,} quads, {info.get('releases', 0):,} releases; built store: "
          f"{info.get('build', {}).get('quads', 0):,} quads in named graphs; peak memory {info.get('build_rss', 0):.0f} MB")
    phases = info.get("build", {}).get("phases", {})
    for k, v in phases.items():
        print(f"    {k:<56} {v:>8.1f} s")
    nv, how = naive_at(naive, size.models, "wall")
    line("product build, wall (parse + validate + write + derive)", wall, raw=raw.wall, naive=nv)
    line("product build, cpu", cpu, raw=raw.cpu)
    line("raw bulk load, wall / cpu", raw.wall)
    if nv is not None:
        line(f"naive build, wall {how}", nv)
    size.save(raw_load_wall=raw.wall, raw_load_cpu=raw.cpu)


def bench_reassess(size: Size, naive: dict[str, Any]) -> None:
    print(f"\n## full reassessment (openness assess) — {size.models} models")
    ensure_store(size)
    copy = size.copy("reassess")
    prod = run_step("product: gate.rederive on the built store", "product_rederive", store=str(copy))
    size.drop(copy)
    raw = run_step("raw: every rule file as SPARQL Update on pyoxigraph (memory)", "raw_rules", nq=str(size.nq))
    rules_raw = raw.get("seconds")
    entry = naive.get(str(size.models))
    nv = naive_rules_total(entry) if entry else None
    how = ""
    if nv is None:
        done = [(int(k), naive_rules_total(v)) for k, v in naive.items() if naive_rules_total(v)]
        if done:
            k, t = max(done)
            nv, how = t * size.models / k, f"~ from {k} models"
    releases = raw.get("releases") or size.info.get("releases")
    line("product full reassessment, wall", prod.get("seconds"), raw_rules=rules_raw, naive=nv)
    line("product full reassessment, cpu", prod.get("cpu"), raw_rules=raw.get("cpu"))
    line("raw rules, sum of the rule files (wall)", rules_raw)
    line("raw grouping query over the same claims (issue 8 floor)", raw.get("grouping"))
    line("product reassessment / raw grouping query", (prod.get("seconds") or 0) / max(1e-9, raw.get("grouping") or 1e-9), "x")
    if releases:
        line("product per release (wall)", 1000 * (prod.get("seconds") or 0) / releases, "ms")
        line("product per release (cpu)", 1000 * (prod.get("cpu") or 0) / releases, "ms")
    if nv is not None:
        line(f"naive rules (rdflib SPARQL) {how}", nv)
    for rule, t in (raw.get("rules") or {}).items():
        print(f"    raw {rule:<52} {t:>8.3f} s")
    size.save(reassess=prod.data, raw_rules=raw.data)


def bench_incremental(size: Size, naive: dict[str, Any]) -> None:
    print(f"\n## incremental batch of 1,000 claims through the gate — {size.models} models")
    ensure_store(size)
    cap = size.dir / "incremental-update.json"
    fresh = run_step("  (derived layer brought to today's rules, if a rule changed)", "refresh", quiet=True, store=str(size.store))
    if fresh.get("stale"):
        print(f"  a rule file changed since the store was built: re-derived it first ({fresh.get('seconds', 0):.0f} s, not counted)")
    a, b, c, d = (size.copy(n) for n in ("incr-product", "incr-replay", "incr-insert", "incr-steps"))
    kw = {**size.common(), "claims": 1000}
    prod = run_step("product: gate.commit of the batch (validate + write + derive)", "product_incremental",
                    store=str(a), capture=str(cap), **kw)
    replay = run_step("raw: the gate's update text replayed on pyoxigraph", "raw_replay", store=str(b), capture=str(cap))
    insert = run_step("raw: bulk load of the batch's quads only", "raw_insert", store=str(c), **kw)
    steps = run_step("diagnostic: each derive step alone, same focus", "product_incremental_steps", store=str(d), **kw)
    for p in (a, b, c, d):
        size.drop(p)
    cap.unlink(missing_ok=True)
    print(f"  batch: {prod.get('claims')} claims in {prod.get('graphs')} graphs about {prod.get('releases')} releases")
    nv, how = naive_at(naive, size.models, "wall")
    line("product incremental batch, wall", prod.get("seconds"), raw_replay=replay.get("seconds"),
         raw_insert=insert.get("seconds"), naive_rebuild=nv)
    line("product incremental batch, cpu", prod.get("cpu"), raw_replay=replay.get("cpu"), raw_insert=insert.get("cpu"))
    for k, v in (prod.get("phases") or {}).items():
        print(f"    {k:<56} {v:>8.3f} s")
    if nv is not None:
        print(f"    (naive: no incremental path, the whole build again {how})")
    print(f"    write alone: {steps.get('write', 0):.3f} s; derive steps (wall/cpu):")
    for rule, t in (steps.get("rules") or {}).items():
        print(f"      {rule:<52} {t:>8.3f} s  {steps['rules_cpu'][rule]:>8.3f} s cpu")
    size.save(incremental=prod.data, incremental_replay=replay.data, incremental_insert=insert.data,
              incremental_steps=steps.data)


def bench_trace(size: Size, naive: dict[str, Any]) -> Result:
    print(f"\n## trace latency over random releases — {size.models} models")
    ensure_store(size)
    r = run_step("product trace() and raw trace.rq, alternating", "trace", store=str(size.store),
                 samples=size.args.samples)
    p, raw = r.get("product") or {}, r.get("raw") or {}
    nv = None
    if size.models <= size.args.naive_trace_max:
        n = run_step("naive: trace.rq with rdflib's SPARQL engine", "naive_trace", store=str(size.store),
                     picks=(r.get("picks") or [])[:5], timeout=size.args.naive_budget, budget=size.args.naive_budget / 2)
        nv = n.get("p50") or (n.get("trace") if n.get("partial") else None)
        size.save(naive_trace=n.data)
    else:
        nv = (size.info.get("naive_trace") or {}).get("p50")
    print(f"  {r.get('samples')} samples over {r.get('releases')} assessed releases, {r.get('rows_mean', 0):.0f} rows each on average")
    line("product trace p50 (wall)", 1000 * p.get("p50", 0), "ms", raw=1000 * raw.get("p50", 0),
         naive=1000 * nv if nv else None)
    line("product trace p99 (wall)", 1000 * p.get("p99", 0), "ms", raw=1000 * raw.get("p99", 0))
    line("product trace p50 (cpu)", 1000 * p.get("cpu_p50", 0), "ms", raw=1000 * raw.get("cpu_p50", 0))
    line("product trace p99 (cpu)", 1000 * p.get("cpu_p99", 0), "ms", raw=1000 * raw.get("cpu_p99", 0))
    if nv:
        line(f"naive trace p50 (rdflib){' at this size' if size.models <= size.args.naive_trace_max else ' (smallest size)'}",
             1000 * nv, "ms")
    size.save(trace=r.data)
    return r


def _oxigraph_bin() -> str:
    found = Path(sys.executable).parent / "oxigraph"
    return str(found) if found.exists() else (shutil.which("oxigraph") or "oxigraph")


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Any:
    import bench_service as svc

    port = svc.free_port()
    proc = subprocess.Popen([_oxigraph_bin(), "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    import httpx

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def bench_endpoint(size: Size, naive: dict[str, Any]) -> None:
    import random

    import bench_service as svc
    from openness import derive
    from openness.resources import query_path

    print(f"\n## endpoint throughput, {size.args.clients} clients, trace / release page / classification mix — {size.models} models")
    ensure_store(size)
    duration = size.args.duration
    rng = random.Random(size.args.seed)
    results: dict[str, Any] = {}
    # the service keeps answers until the next commit (api/cache.py): with 60 releases asked again
    # and again the cached run measures the cache; the uncached one (OPENNESS_RESPONSE_CACHE=0)
    # computes every answer, which is what random releases of a big store mostly cost
    for cache, env in (("cached", {}), ("uncached", {"OPENNESS_RESPONSE_CACHE": "0"})):
        try:
            with svc.start_server(size.store, "--max-concurrent", str(size.args.workers), env=env) as url:
                ids = svc.release_ids(url, 200)
                rng.shuffle(ids)
                mix = []
                for i in ids[:60]:
                    mix += [svc.Request("GET", f"/api/releases/{i}/trace"), svc.Request("GET", f"/page/release/{i}"),
                            svc.Request("GET", f"/api/releases/{i}/assessments")]
                for name, reqs in (("trace", [r for r in mix if r.path.endswith("/trace")]), ("mix", mix)):
                    samples = svc.run_clients(url, [(size.args.clients, reqs)], duration)[0]
                    st = svc.summarize(f"{name} {cache}", size.args.clients, samples, duration)
                    print("  product " + st.line(), flush=True)
                    results[name if cache == "cached" else f"{name} uncached"] = st.__dict__
        except Exception as err:
            print(f"  product endpoint ({cache}): could not run ({type(err).__name__}: {err})")
    # raw: the Oxigraph server answering trace.rq for the same releases
    body = query_path("trace.rq").read_text(encoding="utf-8")
    prologue = derive.prologue(derive.CURRENT)
    picks = ((size.info.get("trace") or {}).get("picks") or [])[:60]
    if picks:
        queries = [prologue + derive._VALUES_MARK.sub(lambda m, r=r: m.group(1) + f"VALUES ?release {{ <{r}> }}", body)
                   for r in picks]
        reqs = [svc.Request("POST", "/query", q.encode(), {"Content-Type": "application/sparql-query",
                                                           "Accept": "application/sparql-results+json"}) for q in queries]
        with oxigraph_server(size.store) as url:
            samples = svc.run_clients(url, [(size.args.clients, reqs)], duration)[0]
            st = svc.summarize("raw trace.rq", size.args.clients, samples, duration)
            print("  raw     " + st.line(), flush=True)
            results["raw"] = st.__dict__
    nv = (size.info.get("naive_trace") or {}).get("p50")
    if results.get("trace") and results.get("raw"):
        line("product trace req/s (response cache on)", results["trace"]["rps"], "req/s", raw=results["raw"]["rps"])
    if results.get("trace uncached") and results.get("raw"):
        line("product trace req/s (response cache off)", results["trace uncached"]["rps"], "req/s", raw=results["raw"]["rps"])
    if nv:
        print(f"  naive: rdflib answers one trace in {nv:.1f} s (p50); its GIL serializes clients: <= {1 / nv:.3f} req/s")
    size.save(endpoint=results)


def bench_validate(size: Size, naive: dict[str, Any]) -> None:
    print(f"\n## whole-store validation — {size.models} models")
    ensure_store(size)
    prod = run_step("product: openness validate --store (compiled)", "product_validate", store=str(size.store))
    raw = run_step("raw: queries/shapes-compiled/*.rq on pyoxigraph", "raw_validate", store=str(size.store))
    kc, kp = size.dir / "keys-compiled.json", size.dir / "keys-pyshacl.json"
    comp = run_step("compiled engine (keys for the differential)", "validate_keys", store=str(size.store),
                    engine="compiled", out=str(kc))
    naive_ok = size.models <= size.args.pyshacl_max
    ref = None
    if naive_ok:
        ref = run_step("naive: pySHACL over the whole graph", "validate_keys", store=str(size.store),
                       engine="pyshacl", out=str(kp), timeout=size.args.naive_budget)
    line("product validate, wall", prod.wall, raw=raw.wall, naive=ref.wall if ref and ref.ok else None)
    line("product validate, cpu", prod.cpu, raw=raw.cpu, naive=ref.cpu if ref and ref.ok else None)
    line("product validate, peak memory", prod.rss_mb, "MB", naive=ref.rss_mb if ref and ref.ok else None)
    print(f"  results: compiled {comp.get('results')} ({comp.get('violations')} violations)"
          + (f", pySHACL {ref.get('results')}" if ref and ref.ok else ""))
    if ref and ref.ok:
        same = json.loads(kc.read_text()) == json.loads(kp.read_text())
        print(f"  differential compiled vs pySHACL: {'IDENTICAL' if same else 'DIFFERENT'} results")
        size.save(differential=same)
    elif ref:
        print(f"  pySHACL did not finish ({ref.note}): no differential at this size")
        size.save(differential=f"pySHACL stopped: {ref.note}")
    else:
        print(f"  pySHACL not run above {size.args.pyshacl_max} models (--pyshacl-max): no differential at this size")
    size.save(validate={"wall": prod.wall, "cpu": prod.cpu, "rss": prod.rss_mb, "exit": prod.get("exit")},
              raw_validate={"wall": raw.wall, "cpu": raw.cpu, **raw.data},
              pyshacl=({"wall": ref.wall, "cpu": ref.cpu, "rss": ref.rss_mb, "ok": ref.ok} if ref else None))


def bench_export(size: Size, naive: dict[str, Any]) -> None:
    print(f"\n## export (N-Quads) — {size.models} models")
    ensure_store(size)
    out1, out2, out3 = size.dir / "export-product.nq", size.dir / "export-raw.nq", size.dir / "export-naive.nq"
    prod = run_step("product: openness export --format nq", "product_export", store=str(size.store), out=str(out1))
    raw = run_step("raw: pyoxigraph serialize of the named graphs", "raw_export", store=str(size.store), out=str(out2))
    nv = None
    if size.models <= size.args.naive_export_max:
        n = run_step("naive: rdflib Dataset.serialize(nquads)", "naive_export", nq=str(out1), out=str(out3),
                     timeout=size.args.naive_budget)
        nv = n.get("seconds") if n.ok else None
        size.save(naive_export=n.data)
    line("product export, wall", prod.get("seconds"), raw=raw.get("seconds"), naive=nv)
    line("product export, process cpu (incl. start)", prod.cpu, raw=raw.cpu)
    print(f"  {prod.get('bytes', 0) / 1e6:.0f} MB written")
    for p in (out1, out2, out3):
        if not size.args.keep:
            p.unlink(missing_ok=True)
    size.save(export={"wall": prod.get("seconds"), "cpu": prod.cpu}, raw_export=raw.data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("benchmarks", nargs="+", choices=[*BENCHMARKS, "all"])
    parser.add_argument("--models", type=int, nargs="+", default=[1000])
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--rpm", type=float, default=3.0, help="mean releases per model (generate.py)")
    parser.add_argument("--bundled", type=Path, help="a store built from the bundled corpus (default: cached build)")
    parser.add_argument("--chunk", type=int, help="models per commit in the build (default: one commit up to 1,000 models, else 1,000)")
    parser.add_argument("--budget", type=float, default=4 * 3600, help="seconds before a product step is stopped")
    parser.add_argument("--naive-budget", type=float, default=900, help="seconds before a naive step is stopped")
    parser.add_argument("--naive-trace-max", type=int, default=100, help="largest size the naive trace runs at")
    parser.add_argument("--naive-export-max", type=int, default=1000)
    parser.add_argument("--pyshacl-max", type=int, default=10000, help="largest size pySHACL runs at (differential)")
    parser.add_argument("--samples", type=int, default=300, help="trace samples")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=5, help="openness serve --max-concurrent")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per endpoint measurement")
    parser.add_argument("--reuse", action="store_true", help="reuse corpora and built stores of earlier runs")
    parser.add_argument("--keep", action="store_true", help="keep store copies and exports")
    args = parser.parse_args(argv)
    chosen = BENCHMARKS if "all" in args.benchmarks else tuple(b for b in BENCHMARKS if b in args.benchmarks)
    header(f"bench_scale: {', '.join(chosen)} at {', '.join(f'{m:,}' for m in args.models)} models")
    with LoadSampler() as load:
        naive = naive_figures(args) if {"build", "reassess", "incremental"} & set(chosen) else {}
        if naive:
            print("\nnaive stack at small sizes (rdflib + pySHACL + rdflib SPARQL; budget "
                  f"{args.naive_budget:.0f} s per size):")
            for k, v in sorted(naive.items(), key=lambda kv: int(kv[0])):
                rules = naive_rules_total(v)
                print(f"  {int(k):>5} models: load {v.get('load', float('nan')):.1f} s, pySHACL "
                      f"{v.get('validate', float('nan')) if v.get('validate') is not None else float('nan'):.1f} s, rules "
                      f"{rules if rules is not None else float('nan'):.1f} s, total wall {v.get('wall', 0):.1f} s"
                      f"{'' if v.get('ok') else ' (stopped: ' + str(args.naive_budget) + ' s budget)'}")
        for models in args.models:
            size = Size(models, args)
            for name in chosen:
                globals()[f"bench_{name}"](size, naive)
    print("\n" + load.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
