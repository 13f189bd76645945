"""The read model of the release and model pages: stored verdicts and derived data, shaped for the
templates and the JSON API. No rule runs here (docs/derived-layer.md: derive once, read many times).

What a release page shows, and where each part comes from (``queries/pages/``):

* every current verdict with its reason sentence (``release-verdicts.rq``: derived:assessments);
* MOF class progress bars as the Model Openness Tool draws them: per class the share of required
  components included under open licenses, from the og:progress nodes of the MOF assessment
  (``release-verdict-parts.rq``), and each component's state (``release-mof-components.rq``:
  derived:mof-components);
* the European Open Source AI Index's twelve dimensions as one table (the dimensions and their
  groups are vocabulary: og:indexGroup in ``ontology/rules.ttl``): per dimension the combined
  status the score uses, and what each claimant says with the notes (rdfs:comment, og:rawValue,
  og:quote) and link (evidence og:sourceIRI) of the claims its position rests on
  (``release-positions.rq``: derived:positions and derived:combined; ``release-claims.rq``);
* the claimants' positions side by side on every criterion where they disagree.

A status is shown as what it is: og:NotListed ("not listed": absent from a source's listing) and
og:Unknown are never drawn as closed.

Shapes: plain dicts and lists (see each function), ready for Jinja and pydantic.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from openness.namespaces import MOF as MOF_NS
from openness.namespaces import OG
from openness.namespaces import OSAI as OSAI_NS
from openness.resources import ontology_dir
from openness.store import Store
from rdflib import URIRef
from rdflib.namespace import SKOS

from . import views

MOF = str(MOF_NS)
OSAI = str(OSAI_NS)
_PART_LINKS = {str(OG.progress): "progress", str(OG.groupScore): "groups",
               str(OG.attributeVerdict): "attributes"}
_SCORES = (("score", "score"), ("score_min", "scoreMin"), ("score_max", "scoreMax"))


def _text(row: dict[str, Any], key: str) -> str | None:
    return str(row[key]) if key in row else None


def _number(row: dict[str, Any], key: str) -> float | None:
    return float(row[key]) if key in row else None


def _truth(row: dict[str, Any], key: str) -> bool | None:
    return str(row[key]).lower() in ("true", "1") if key in row else None


# --------------------------------------------------------------------------- verdicts


def release_verdicts(store: Store, release: str) -> dict[str, dict[str, Any]]:
    """framework IRI → the release's current verdict: ``assessment``, ``framework``, ``verdict``,
    ``verdict_label``, ``reason``, ``assessed_on``, ``as_of``, ``tier_min``/``tier_max``,
    ``score``/``score_min``/``score_max``, ``rule``, ``rule_file``, ``missing`` and ``contested``
    (criterion IRIs), and its parts: ``progress`` (MOF: ``[{"mof_class": 3, "score": 0.83}]``),
    ``groups`` (Index: ``[{"group": IRI, "score"|"score_min"|"score_max": float}]``),
    ``attributes`` (spectrum: ``[(attribute IRI, status IRI)]``)."""
    out: dict[str, dict[str, Any]] = {}
    for r in views.run_plain(store, "release-verdicts", release=release):
        tier_min, tier_max = _number(r, "tierMin"), _number(r, "tierMax")
        out[str(r["framework"])] = {
            "assessment": str(r["assessment"]),
            "framework": str(r["framework"]),
            "verdict": _text(r, "verdict"),
            "verdict_label": _text(r, "verdictLabel"),
            "reason": _text(r, "reason") or "",
            "assessed_on": _text(r, "assessedOn") or "",
            "as_of": _text(r, "asOf"),
            "tier_min": int(tier_min) if tier_min is not None else None,
            "tier_max": int(tier_max) if tier_max is not None else None,
            "score": _number(r, "score"),
            "score_min": _number(r, "scoreMin"),
            "score_max": _number(r, "scoreMax"),
            "rule": _text(r, "rule"),
            "rule_file": _text(r, "ruleFile"),
            "missing": (_text(r, "missingCriteria") or "").split(),
            "contested": (_text(r, "contestedCriteria") or "").split(),
            "progress": [],
            "groups": [],
            "attributes": [],
        }
    if not out:
        return out
    by_assessment = {v["assessment"]: v for v in out.values()}
    parts: dict[tuple[str, str, str], dict[str, Any]] = defaultdict(dict)
    for r in views.run_plain(store, "release-verdict-parts", release=release):
        key = (str(r["assessment"]), _PART_LINKS[str(r["link"])], str(r["part"]))
        parts[key][views.local_name(str(r["p"]))] = r["o"]
    for (assessment, kind, _part), props in sorted(parts.items()):
        verdict = by_assessment.get(assessment)
        if verdict is None:
            continue
        if kind == "progress" and "mofClass" in props:
            verdict["progress"].append({"mof_class": int(props["mofClass"]),
                                        "score": float(props.get("score", 0))})
        elif kind == "groups" and "group" in props:
            scores = {k: float(props[p]) for k, p in _SCORES if p in props}
            verdict["groups"].append({"group": str(props["group"]), **scores})
        elif kind == "attributes" and "attribute" in props:
            verdict["attributes"].append((str(props["attribute"]), str(props.get("status", OG.Unknown))))
    for v in out.values():
        v["progress"].sort(key=lambda p: -p["mof_class"])  # Class III (the first to reach) first
        v["attributes"].sort()
    return out


# --------------------------------------------------------------------------- vocabulary


@cache
def mof_components() -> dict[str, dict[str, Any]]:
    """MOF component IRI → ``id`` (MOT's component id), ``mof_class``, ``required`` (the
    vocabulary, ontology/schemes/mof.ttl)."""
    onto = views.ontology_graph()
    out = {}
    for comp in onto.subjects(OG.mofClass, None):
        if not str(comp).startswith(MOF):
            continue
        cid = onto.value(comp, OG.mofComponentId)
        out[str(comp)] = {
            "id": int(str(cid)) if cid is not None else 99,
            "mof_class": int(str(onto.value(comp, OG.mofClass))),
            "required": str(onto.value(comp, OG.mofRequired) or "false").lower() == "true",
        }
    return out


@cache
def index_dimensions() -> list[tuple[str, str]]:
    """The Index's twelve scored dimensions as (dimension IRI, group IRI), in the order
    ``ontology/rules.ttl`` lists them (the Index's own order: availability, documentation,
    access)."""
    onto = views.ontology_graph()
    dims = [(str(d), str(g)) for d, g in onto.subject_objects(OG.indexGroup)]
    try:
        text = (ontology_dir() / "rules.ttl").read_text(encoding="utf-8")
    except OSError:
        text = ""

    def position(dim: str) -> tuple[int, str]:
        at = text.find(f"osai:{views.local_name(dim)} og:indexGroup")
        return (at if at >= 0 else len(text), dim)

    return sorted(dims, key=lambda d: position(d[0]))


@cache
def mof_classes() -> dict[int, str]:
    """MOF class number → its verdict concept (og:MOFClassI … III, ontology/schemes/core.ttl)."""
    onto = views.ontology_graph()
    return {int(n): str(c) for c, n in onto.subject_objects(OG.mofClass)  # type: ignore[call-overload]
            if (c, SKOS.inScheme, OG.MOFClassScheme) in onto}


def definition(iri: str) -> str:
    """A vocabulary term's skos:definition (empty when it has none)."""
    return str(views.ontology_graph().value(URIRef(iri), SKOS.definition) or "")


# --------------------------------------------------------------------------- MOF


def mof_view(verdict: dict[str, Any] | None, store: Store, release: str) -> dict[str, Any] | None:
    """MOT-style progress: ``classes`` — per class (III, II, I) ``mof_class``, ``concept`` (the
    class's verdict concept), ``percent`` (0–100,
    from the og:progress node: required components included under open licenses ÷ required,
    cumulative and gated as MOT does) and ``components`` (the required components of that class:
    ``criterion``, ``id``, ``required``, ``included``, ``open``, ``licenses``, ``statuses``,
    ``contested``, ``counts``); None when the release has no MOF assessment."""
    if verdict is None:
        return None
    vocab = mof_components()
    found = views.run_plain(store, "release-mof-components", release=release)
    rows = {str(r["component"]): r for r in found}
    by_class: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for comp, info in vocab.items():
        r = rows.get(comp, {})
        included, open_ = _truth(r, "included"), _truth(r, "openlyLicensed")
        by_class[info["mof_class"]].append({
            "criterion": comp,
            "id": info["id"],
            "required": info["required"],
            "included": bool(included),
            "open": bool(open_),
            "counts": bool(included and open_),
            "contested": bool(_truth(r, "contested")),
            "licenses": (_text(r, "licenses") or "").split(),
            "statuses": (_text(r, "possibleStatuses") or str(OG.Unknown)).split(),
        })
    progress = {p["mof_class"]: p["score"] for p in verdict["progress"]}
    classes = []
    for cls in (3, 2, 1):
        score = progress.get(cls, 0.0)
        classes.append({
            "mof_class": cls,
            "concept": mof_classes().get(cls, ""),
            "percent": round(100 * score),
            "components": sorted(by_class.get(cls, []), key=lambda c: (not c["required"], c["id"])),
        })
    return {"classes": classes, "verdict": verdict}


# --------------------------------------------------------------------------- positions, Index


def positions(store: Store, release: str) -> dict[str, dict[str, Any]]:
    """criterion IRI → ``claimants`` (claimant IRI → ``{"status": IRI, "claims": [claim IRIs]}``),
    ``combined`` (the combined status, or None when contested or unknown), ``possible`` (every
    status the combined status allows), ``contested`` (claimants disagree, combine.ru)."""
    out: dict[str, dict[str, Any]] = {}

    def criterion(iri: str) -> dict[str, Any]:
        return out.setdefault(iri, {"claimants": {}, "combined": None, "contested": False, "possible": []})

    for r in views.run_plain(store, "release-positions", release=release):
        crit = criterion(str(r["criterion"]))
        pos = crit["claimants"].setdefault(str(r["claimant"]), {"status": str(r["status"]), "claims": []})
        if "claim" in r and str(r["claim"]) not in pos["claims"]:
            pos["claims"].append(str(r["claim"]))
    for r in views.run_plain(store, "release-combined", release=release):
        crit = criterion(str(r["criterion"]))
        crit["combined"] = _text(r, "combined") or crit["combined"]
        crit["contested"] = crit["contested"] or bool(_truth(r, "contested"))
        if "possible" in r and str(r["possible"]) not in crit["possible"]:
            crit["possible"].append(str(r["possible"]))
    for crit in out.values():
        crit["possible"].sort()
    return out


def disagreements(found: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The criteria on which claimants give different statuses, each with every claimant's
    position: ``criterion``, ``positions`` (claimant → status IRI), ``contested``, ``possible``."""
    rows = []
    for criterion, crit in sorted(found.items()):
        statuses = {p["status"] for p in crit["claimants"].values()}
        if len(crit["claimants"]) > 1 and len(statuses) > 1:
            rows.append({"criterion": criterion,
                         "positions": {w: p["status"] for w, p in sorted(crit["claimants"].items())},
                         "contested": crit["contested"], "possible": crit["possible"]})
    return rows


def _notes(claim: dict[str, Any]) -> dict[str, Any]:
    """The notes and links of one claim: its comment, the source's own value, quotes, sources."""
    quotes = [e["quote"] for e in claim["evidence"] if e.get("quote")]
    links = [e["source"] for e in claim["evidence"] if e.get("source")]
    return {"claim": claim["iri"], "href": claim["href"], "status": claim["status"],
            "raw_value": claim.get("raw_value"), "comment": claim.get("comment"),
            "quotes": list(dict.fromkeys(quotes)), "links": list(dict.fromkeys(links)),
            "asserted_on": claim.get("asserted_on"), "dataset": claim.get("dataset")}


def index_table(found: dict[str, dict[str, Any]], claims: dict[str, dict[str, Any]],
                verdict: dict[str, Any] | None) -> dict[str, Any] | None:
    """The Index's dimensions as one table: ``rows`` — per dimension ``criterion``, ``group``,
    ``status`` (combined; None when contested or unknown), ``possible``, ``contested``,
    ``positions`` (claimant, status and the notes and links of the claims it rests on) — the
    twelve scored ones first, then the other Index dimensions recorded (``scored`` False);
    ``groups`` — group IRI → score text; None when no claimant speaks to any dimension."""
    scored = index_dimensions()
    scored_iris = {d for d, _ in scored}
    extra = sorted(c for c in found if c.startswith(OSAI) and c not in scored_iris)
    if not any(d in found for d in scored_iris) and not extra:
        return None
    rows = []
    for dim, group in [*scored, *((d, "") for d in extra)]:
        crit = found.get(dim, {"claimants": {}, "combined": None, "contested": False, "possible": []})
        rows.append({
            "criterion": dim,
            "group": group,
            "scored": dim in scored_iris,
            "status": crit["combined"],
            "possible": crit["possible"] or [str(OG.Unknown)],
            "contested": crit["contested"],
            "positions": [
                {"claimant": w, "status": p["status"],
                 "claims": [_notes(claims[c]) for c in p["claims"] if c in claims]}
                for w, p in sorted(crit["claimants"].items())
            ],
        })
    groups = {}
    for g in (verdict or {}).get("groups", []):
        if "score" in g:
            groups[g["group"]] = f"{g['score']:.2f}"
        elif "score_min" in g:
            groups[g["group"]] = f"{g['score_min']:.2f}–{g.get('score_max', 1.0):.2f}"
    return {"rows": rows, "groups": groups, "verdict": verdict}


# --------------------------------------------------------------------------- model page


def model_releases(store: Store, model: str) -> list[dict[str, Any]]:
    """The releases of one model, oldest first, each with its current verdicts and reason
    sentences (framework IRI → verdict dict of :func:`views.assessment_row`)."""
    rows = views.run_plain(store, "model-releases", model=model)
    iris = [str(r["release"]) for r in rows]
    verdicts: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    if iris:
        for r in views.run_plain(store, "releases-verdicts", release=iris):
            verdicts[str(r["release"])][str(r["framework"])] = views.assessment_row(r)
    return [
        {"iri": str(r["release"]),
         "label": str(r.get("label") or views.local_name(str(r["release"]))),
         "version": _text(r, "version"), "date": _text(r, "date"),
         "verdicts": verdicts.get(str(r["release"]), {})}
        for r in rows
    ]


__all__ = ["disagreements", "index_table", "mof_view", "model_releases", "positions", "release_verdicts"]
