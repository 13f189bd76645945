# ruff: noqa: E501  (report lines)
"""Issue 8's targets on the bundled corpus, each with its ratio to the raw engine measured in the same run.

* ``openness build`` (import, validation, derivation) ≤ 3× the raw pyoxigraph bulk load of the
  built store's own N-Quads export;
* reading any framework's verdicts, the disagreements and the open-washing cases ≤ 1 s each;
* a one-claim ``openness load`` into the built store (validation and re-derivation included) ≤ 2 s.

(The fourth target, full reassessment of 10k synthetic releases, is ``bench_scale.py reassess``
at ~330 and ~3,300 models.) Every step runs in its own process (bench/common.py): CPU seconds
are that process's own, wall seconds suffer the machine's other users: targets are judged on CPU
seconds, and the wall verdict is printed next to it.

Usage: ``python bench/bench_targets.py [--store BUILT] [--keep]`` (without ``--store`` the corpus
is built here, which is itself the first measurement).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LoadSampler, header, ratio, run_step, work_dir

ONE_CLAIM = """@prefix og:       <https://w3id.org/openness/ns#> .
@prefix spectrum: <https://w3id.org/openness/spectrum#> .
@prefix prov:     <http://www.w3.org/ns/prov#> .
@prefix xsd:      <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/openness/id/claim/bench-one-claim> a og:Claim ;
    og:about <https://w3id.org/openness/id/release/grok-1> ;
    og:criterion spectrum:Weights ;
    og:status og:Open ;
    og:claimedLicense <http://spdx.org/licenses/Apache-2.0> ;
    og:claimant <https://w3id.org/openness/id/agent/openness-graph-curators> ;
    prov:wasAttributedTo <https://w3id.org/openness/id/agent/openness-graph-curators> ;
    og:assertedOn "2024-11-19"^^xsd:date ;
    og:standing og:Asserted ;
    og:evidence <https://w3id.org/openness/id/evidence/bench-one-claim> .

<https://w3id.org/openness/id/evidence/bench-one-claim> a og:Evidence ;
    og:sourceIRI <https://github.com/xai-org/grok-1> ;
    og:retrievedOn "2024-11-19"^^xsd:date ;
    og:evidenceKind og:PrimaryEvidence ;
    og:quote "The code and associated Grok-1 weights in this release are licensed under the Apache 2.0 license." .
"""


def mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a store openness build made (default: build one here)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    work = work_dir() / "targets"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    header("bench_targets: issue 8's targets on the bundled corpus")
    with LoadSampler() as load:
        store = args.store
        build = None
        if store is None:
            store = work / "store"
            build = run_step("product: openness build", "product_cli", args=["build", "--store", str(store), "--report-dir", str(work / "report")])
        export = work / "export.nq"
        run_step("product: openness export --format nq", "product_cli", args=["export", "--store", str(store), "--format", "nq", "--out", str(export)])
        raw = run_step("raw: pyoxigraph bulk load of that export", "raw_load", nq=str(export), store=str(work / "raw"))
        reads = run_step("product: reads on the built store", "product_reads", store=str(store))
        claim = work / "one-claim.ttl"
        claim.write_text(ONE_CLAIM)
        copies = []
        for name in ("cli", "gate"):
            copies.append(work / f"copy-{name}")
            run_step(f"  (copy of the store: {name})", "backup", quiet=True, store=str(store), to=str(copies[-1]))
        cli = run_step("product: openness load one-claim.ttl (whole command)", "product_cli", args=["load", str(claim), "--store", str(copies[0])])
        gate = run_step("product: the same load, the gate's own time", "product_load_one", store=str(copies[1]), file=str(claim))

        print("\n## issue 8 targets (bundled corpus)")
        if build is not None:
            print(f"  openness build: wall {build.wall:.1f} s, cpu {build.cpu:.1f} s, peak {build.rss_mb:.0f} MB; raw bulk load of its "
                  f"export ({raw.get('quads', 0):,} quads): wall {raw.wall:.1f} s, cpu {raw.cpu:.1f} s")
            print(f"  build / raw load: {ratio(build.wall, raw.wall)} wall, {ratio(build.cpu, raw.cpu)} cpu   (target <= 3x: "
                  f"{mark(build.cpu <= 3 * raw.cpu)} by cpu, {mark(build.wall <= 3 * raw.wall)} by wall)")
        for name, figures in reads.data.items():
            if "error" in figures:
                print(f"  read {name:<28} FAILED: {figures['error']}")
                continue
            print(f"  read {name:<28} {figures['cpu']:>7.3f} s cpu {figures['seconds']:>7.3f} s wall  {figures['rows']:>6} rows   "
                  f"(target <= 1 s: {mark(figures['cpu'] <= 1.0)} by cpu, {mark(figures['seconds'] <= 1.0)} by wall)")
        g = gate.data
        print(f"  one-claim load, gate: {g.get('cpu', 0):.2f} s cpu, {g.get('seconds', 0):.2f} s wall "
              f"(wall: {', '.join(f'{k} {v:.2f} s' for k, v in (g.get('phases') or {}).items())})   "
              f"(target <= 2 s: {mark(g.get('cpu', 99) <= 2.0)} by cpu, {mark(g.get('seconds', 99) <= 2.0)} by wall)")
        print(f"  one-claim load, whole command (Python start and imports included): {cli.cpu:.2f} s cpu, {cli.wall:.2f} s wall, "
              f"exit {cli.get('exit')}   (target <= 2 s: {mark(cli.cpu <= 2.0)} by cpu)")
    print("\n" + load.summary())
    if not args.keep:
        for p in (*copies, work / "raw", export):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
