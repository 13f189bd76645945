# ruff: noqa: E501  (long SPARQL / Turtle lines)
"""Benchmark: the spectrum and MOF rules on N synthetic releases, as ratios to a baseline.

Run: ``/work/venv/bin/python bench/bench_rules.py [N ...]`` (default 250 500 1000 2000).
Baseline: a plain COUNT over the same claims in the same store. Printed: seconds, the ratio
rule / baseline, and the growth factor per doubling of N (linear rules give ~2; a per-row
FILTER EXISTS / OPTIONAL would give ~4).
"""

from __future__ import annotations

import sys
import time

import pyoxigraph as ox
from openness.rules.runner import ensure_vocabulary, run_rule
from openness.store import open_store

OG = "https://w3id.org/openness/ns#"
SPECTRUM = ["Code", "Weights", "Access", "InputTransparency", "DownstreamTransparency", "License"]
MOF = ["ModelArchitecture", "ModelParametersFinal", "ModelCard", "DataCard", "TechnicalReport",
       "EvaluationResults", "TrainingCode", "InferenceCode"]
STATUSES = ["Open", "Partial", "Closed", "Unknown"]


def synthetic(n: int) -> str:
    """N releases, each with spectrum and MOF claims from two claimants (some disagreeing)."""
    lines = []
    for i in range(n):
        rel = f"<https://w3id.org/openness/id/release/bench-{i}>"
        lines.append(f"{rel} a <{OG}ModelRelease> .")
        crits = [("https://w3id.org/openness/spectrum#" + c) for c in SPECTRUM] + \
                [("https://w3id.org/openness/mof#" + c) for c in MOF]
        for j, crit in enumerate(crits):
            for who in (0, 1):
                c = f"<https://w3id.org/openness/id/claim/bench-{i}-{j}-{who}>"
                e = f"<https://w3id.org/openness/id/evidence/bench-{i}-{j}-{who}>"
                st = STATUSES[(i + j + who * (i % 3)) % 4]
                lines += [f"{c} a <{OG}Claim> ; <{OG}about> {rel} ; <{OG}criterion> <{crit}> ; <{OG}status> <{OG}{st}> ;",
                          f"  <{OG}claimant> <https://w3id.org/openness/id/agent/bench-{who}> ; <{OG}standing> <{OG}Asserted> ;",
                          f"  <{OG}assertedOn> \"2024-0{1 + who}-01\" ; <{OG}evidence> {e} .",
                          f"{e} <{OG}sourceIRI> <https://example.org/{i}> ; <{OG}evidenceKind> <{OG}{'Primary' if who else 'Secondary'}Evidence> ."]
    return "\n".join(lines)


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main(sizes: list[int]) -> None:
    prev: dict[str, float] = {}
    print(f"{'N':>6} {'claims':>7} {'baseline s':>10} {'spectrum s':>10} {'ratio':>7} {'x/doubling':>10} "
          f"{'mof s':>7} {'ratio':>7} {'x/doubling':>10}")
    for n in sizes:
        store = open_store(":memory:")
        store.native.load(synthetic(n).encode(), ox.RdfFormat.TURTLE,  # type: ignore[attr-defined]
                          to_graph=ox.NamedNode("urn:bench"))
        ensure_vocabulary(store)
        base = timed(lambda store=store: store.select(f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c <{OG}about> ?r ; <{OG}status> ?s }}"))
        spec = timed(lambda store=store: run_rule(store, "spectrum"))
        mof = timed(lambda store=store: run_rule(store, "mof"))
        g_s = spec / prev["spectrum"] if prev else float("nan")
        g_m = mof / prev["mof"] if prev else float("nan")
        print(f"{n:>6} {n * 28:>7} {base:>10.3f} {spec:>10.2f} {spec / base:>7.0f} {g_s:>10.2f} "
              f"{mof:>7.2f} {mof / base:>7.0f} {g_m:>10.2f}")
        prev = {"spectrum": spec, "mof": mof}


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [250, 500, 1000, 2000])
