"""``openness trace``: the chain behind a verdict, from the stored assessments (queries/trace.rq).

The release is an IRI: find it from a name people type with :func:`openness.find.find_release`
(labels, aliases, slugs, Hugging Face ids, loosely). The chain is rendered as text, JSON or Turtle.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS

from .. import derive
from ..namespaces import OG, bind_all, curie
from ..store import Row, Store


def trace_rows(store: Store, release: URIRef, fw: str | None = None) -> list[Row]:
    """The rows of queries/trace.rq for one release (and framework)."""
    values: dict[str, list[Any]] = {"release": [release]}
    if fw:
        values["framework"] = [derive.framework(fw).iri]
    return derive.run_query(store, "trace.rq", values=values)


def trace(store: Store, release: URIRef, fw: str | None = None) -> list[dict[str, Any]]:
    """The chain, grouped: one dict per assessment with its claims and their evidence.

    A claim without evidence (an og:Unknown claim) has an empty ``evidence`` list; an assessment
    that used no claim has an empty ``claims`` list (trace.rq keeps both, with empty fields).
    """
    rows = trace_rows(store, release, fw)
    names = {str(f.iri): k for k, f in derive.frameworks().items()}
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        a = out.setdefault(str(r["assessment"]), {
            "release": str(r["release"]), "framework": names.get(str(r["framework"]), str(r["framework"])),
            "assessment": str(r["assessment"]), "verdict": str(r["label"]),
            "reason": str(r.get("reason", "")),
            "missing": str(r.get("missing", "")).split(),
            "assessedOn": str(r["assessedOn"]),
            "rule": {"iri": str(r["rule"]), "file": str(r["ruleFile"]), "hash": str(r["ruleHash"])},
            "run": str(r["run"]), "claims": {},
        })
        if not str(r.get("claim", "")):
            continue
        c = a["claims"].setdefault(str(r["claim"]), {"claim": str(r["claim"]), "evidence": []})
        if not str(r.get("evidence", "")):  # the claim's own row (trace.rq): its facts
            c.update({
                "claimant": str(r.get("claimant", "")), "criterion": str(r.get("criterion", "")),
                "status": str(r.get("status", "")).rsplit("#", 1)[-1], "value": str(r.get("value", "")),
                "assertedOn": str(r.get("assertedOn", "")),
                "dataset": str(r.get("dataset", "")), "graph": str(r.get("graph", "")),
                "activity": str(r.get("activity", "")),
            })
        else:
            c["evidence"].append({"iri": str(r["evidence"]), "url": str(r.get("url", "")),
                                  "quote": str(r.get("quote", "")), "retrieved": str(r.get("retrieved", "")),
                                  "kind": str(r.get("kind", "")).rsplit("#", 1)[-1]})
    result = list(out.values())
    for a in result:
        a["claims"] = list(a["claims"].values())
    return result


def render_text(chain: list[dict[str, Any]]) -> str:
    """The chain as indented text; vocabulary IRIs as prefixed names (spectrum:Weights)."""
    lines: list[str] = []
    for a in chain:
        missing = f"  until {', '.join(curie(m) for m in a['missing'])} known" if a.get("missing") else ""
        lines.append(f"{a['framework']}: {a['verdict']}{missing}  ({a['release']})")
        if a.get("reason"):
            lines.append(f"  why: {a['reason']}")
        lines.append(f"  rule {a['rule']['file']} {a['rule']['hash']}")
        lines.append(f"  assessed {a['assessedOn']}  run {a['run']}")
        if not a["claims"]:
            lines.append("  no claims used: nothing is known about this release under this framework")
        for c in a["claims"]:
            said = f" (the source says {c['value']!r})" if c.get("value") else ""
            lines.append(f"  claim {c['claim']}: {curie(c['criterion'])} = {c['status']}{said}")
            lines.append(f"    by {c['claimant'] or '(no claimant)'} on {c['assertedOn'] or '?'}")
            if not c["evidence"]:
                lines.append("    evidence: none (a claim of status Unknown needs none)")
            for e in c["evidence"]:
                quote = f' "{e["quote"][:120]}"' if e["quote"] else ""
                lines.append(f"    evidence {e['url']} (retrieved {e['retrieved']}, {e['kind']}){quote}")
            lines.append(f"    source {c['dataset'] or '-'} <- batch {c['graph']} <- import {c['activity']}")
    return "\n".join(lines)


def render_json(chain: list[dict[str, Any]]) -> str:
    return json.dumps(chain, indent=2, ensure_ascii=False)


def render_turtle(chain: list[dict[str, Any]]) -> str:
    g = Graph()
    bind_all(g.namespace_manager)
    for a in chain:
        node = URIRef(a["assessment"])
        g.add((node, OG.verdictLabel, Literal(a["verdict"])))
        if a.get("reason"):
            g.add((node, OG.reason, Literal(a["reason"])))
        for m in a.get("missing", []):
            g.add((node, OG.missingCriterion, URIRef(m)))
        g.add((node, OG.rule, URIRef(a["rule"]["iri"])))
        g.add((URIRef(a["rule"]["iri"]), OG.ruleFile, Literal(a["rule"]["file"])))
        g.add((URIRef(a["rule"]["iri"]), OG.contentHash, Literal(a["rule"]["hash"])))
        for c in a["claims"]:
            claim = URIRef(c["claim"])
            g.add((node, OG.usedClaim, claim))
            if c["graph"]:
                if c["activity"]:
                    g.add((URIRef(c["graph"]), PROV.wasGeneratedBy, URIRef(c["activity"])))
                g.add((claim, RDFS.seeAlso, URIRef(c["graph"])))
            for e in c["evidence"]:
                g.add((claim, OG.evidence, URIRef(e["iri"])))
                g.add((URIRef(e["iri"]), OG.sourceIRI, URIRef(e["url"])))
                g.add((URIRef(e["iri"]), OG.retrievedOn, Literal(e["retrieved"])))
    return g.serialize(format="turtle")
