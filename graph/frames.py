"""pandas DataFrames of the graph for notebooks: releases, verdicts per framework, claims with evidence.

Why: the questions people ask in a notebook ("which releases does OSAID call open source, and what
tier does the spectrum give them?") are a filter and a join on three tables. Each frame is read
from the store with a few plain SELECTs (JSON results, so it runs the same on a remote SPARQL
store) and labelled: every IRI column comes with a ``*_label`` column (``rdfs:label``,
``skos:prefLabel`` or ``foaf:name``, else the IRI's last segment), vocabulary IRIs are prefixed
names (``spectrum:Weights``, ``og:Open``). Verdicts are the stored assessments
(``derived:assessments``, docs/derived-layer.md): nothing here runs a rule.

Shapes (one row per …, columns):

* :func:`releases` — release: ``release, label, slug, model, model_label, developer_label,
  release_date, hugging_face, claims, sources``;
* :func:`verdicts` — release × framework: ``release, release_label, framework, verdict,
  verdict_concept, reason, assessment`` (``wide=True``: one row per judged release, one column
  per framework key — every framework, empty where it gives no verdict — holding the verdict
  label; ``details=True`` adds every field of :func:`openness.verdicts.read`);
* :func:`claims` — claim × evidence: ``claim, subject, subject_label, criterion, status, value,
  claimant, claimant_label, asserted_on, source, source_label, evidence_url, quote,
  retrieved_on`` (a claim without evidence has one row with empty evidence columns).

Speed, on the built corpus (about 1,650 releases, 2,450 verdicts, 13,500 claims): each frame takes
well under 2 s of CPU (claims, the largest, about 1.4 s; verdicts about 0.3 s).
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from . import derive
from .formats import SPARQL_JSON
from .namespaces import curie, sparql_prefixes
from .store import Store

_LABELS = """SELECT ?x (MIN(STR(?l)) AS ?label) WHERE {
  ?x rdfs:label|skos:prefLabel|foaf:name ?l } GROUP BY ?x"""

_RELEASES = """SELECT ?release ?model ?date ?hf WHERE {
  ?release a og:ModelRelease .
  OPTIONAL { ?release og:releaseOf ?model }
  OPTIONAL { ?release og:releaseDate ?date }
  OPTIONAL { ?release og:huggingFaceRepo ?hf } }"""

_DEVELOPERS = "SELECT ?release ?developer WHERE { ?release a og:ModelRelease ; og:developer ?developer }"

# claims live in source graphs: GRAPH ?g keeps each claim's patterns in its own graph (fast)
_CLAIMS = """SELECT ?claim ?subject ?criterion ?claimant ?asserted ?source ?value WHERE {
  GRAPH ?g { ?claim a og:Claim ; og:about ?subject ; og:criterion ?criterion .
    OPTIONAL { ?claim og:claimant ?claimant }
    OPTIONAL { ?claim og:assertedOn ?asserted }
    OPTIONAL { ?claim dcterms:source ?source }
    OPTIONAL { ?claim og:rawValue ?value } } }"""

# a claim's status: its own og:status, or the one derived from its source value
_STATUSES = """SELECT ?claim ?status WHERE {
  { GRAPH ?g { ?claim a og:Claim ; og:status ?status } }
  UNION { GRAPH <%s> { ?claim og:status ?status } } }"""

_EVIDENCE = """SELECT ?claim ?url ?quote ?retrieved WHERE {
  GRAPH ?g { ?claim og:evidence ?e . ?e og:sourceIRI ?url .
    OPTIONAL { ?e og:quote ?quote } OPTIONAL { ?e og:retrievedOn ?retrieved } } }"""

_VERDICTS = """SELECT ?assessment ?release ?framework ?verdict ?concept ?reason WHERE {
  GRAPH <%s> { ?assessment og:assessedRelease ?release ; og:framework ?framework ; og:verdictLabel ?verdict .
    OPTIONAL { ?assessment og:verdict ?concept } OPTIONAL { ?assessment og:reason ?reason } } }"""

_CLAIM_COUNTS = """
SELECT ?release (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?source) AS ?sources) WHERE {
  GRAPH ?g { ?claim a og:Claim ; og:about ?release . OPTIONAL { ?claim dcterms:source ?source } } }
GROUP BY ?release"""


def _select(store: Store, query: str, columns: list[str]) -> pd.DataFrame:
    """A SELECT as a DataFrame of strings (unbound = missing), through SPARQL JSON results."""
    raw = store.query_raw(sparql_prefixes() + query, SPARQL_JSON)
    bindings = json.loads(raw)["results"]["bindings"]
    return pd.DataFrame([{c: b[c]["value"] for c in columns if c in b} for b in bindings], columns=columns)


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def labels(store: Store) -> dict[str, str]:
    """IRI → its label (``rdfs:label``, ``skos:prefLabel`` or ``foaf:name``; the first in order)."""
    df = _select(store, _LABELS, ["x", "label"])
    return dict(zip(df["x"], df["label"], strict=True))


def _label(series: pd.Series, names: dict[str, str]) -> pd.Series:
    found = {iri: names.get(iri, _slug(iri)) for iri in series.dropna().unique()}
    return series.map(found)


def _curie(series: pd.Series) -> pd.Series:
    found = {iri: curie(iri) for iri in series.dropna().unique()}
    return series.map(found)


def releases(store: Store, *, names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per release, labelled, with its model, developers, date, Hugging Face repository
    and how many claims (and catalogues) speak about it. See the module docstring for columns."""
    names = labels(store) if names is None else names
    base = _select(store, _RELEASES, ["release", "model", "date", "hf"])
    first = base.groupby("release", sort=True).agg(
        model=("model", "min"), release_date=("date", "min"), hugging_face=("hf", "min")).reset_index()
    devs = _select(store, _DEVELOPERS, ["release", "developer"])
    devs["developer_label"] = _label(devs["developer"], names)
    by_dev = devs.groupby("release")["developer_label"].agg(lambda s: ", ".join(sorted(set(s))))
    counts = _select(store, _CLAIM_COUNTS, ["release", "claims", "sources"])
    counts[["claims", "sources"]] = counts[["claims", "sources"]].astype(int)
    df = first.merge(by_dev.rename("developer_label").reset_index(), on="release", how="left")
    df = df.merge(counts, on="release", how="left")
    df[["claims", "sources"]] = df[["claims", "sources"]].fillna(0).astype(int)
    df.insert(1, "label", _label(df["release"], names))
    df.insert(2, "slug", df["release"].map(_slug))
    df.insert(4, "model_label", _label(df["model"], names))
    return df[["release", "label", "slug", "model", "model_label", "developer_label", "release_date",
               "hugging_face", "claims", "sources"]]


def verdicts(store: Store, *, framework: str | None = None, as_of: dt.date | str | None = None,
             wide: bool = False, details: bool = False,
             names: dict[str, str] | None = None) -> pd.DataFrame:
    """The stored verdicts: one row per release × framework (``framework``: one key only), or
    with ``wide`` one row per release and one column per framework key (the verdict label).

    ``as_of``: the view as of that date (kept by ``openness assess --as-of``, else derived in
    memory: :func:`openness.verdicts.view_store`). ``details``: every field the framework's rule
    writes (score, tier range, progress, …; :func:`openness.verdicts.read`), slower.
    Errors: ``ValueError`` for an unknown framework key or a bad date.
    """
    from .verdicts import read, view_store

    db, view = view_store(store, as_of)
    names = labels(store) if names is None else names
    df = _select(db, _VERDICTS % view.graph("assessments"),
                 ["assessment", "release", "framework", "verdict", "concept", "reason"])
    keys = {str(f.iri): k for k, f in derive.frameworks().items()}
    df["framework"] = df["framework"].map(lambda iri: keys.get(iri, iri))
    if framework is not None:
        df = df[df["framework"] == derive.framework(framework).key]
    df["verdict_concept"] = _curie(df["concept"])
    df["release_label"] = _label(df["release"], names)
    df = df[["release", "release_label", "framework", "verdict", "verdict_concept", "reason", "assessment"]]
    df = df.sort_values(["framework", "release_label"], key=lambda s: s.str.casefold()).reset_index(drop=True)
    if details:
        extra = pd.DataFrame([v.flat() | {"assessment": str(v.assessment)}
                              for v in read(db, framework=framework, view=view)])
        if not extra.empty:
            shared = [c for c in ("release", "framework", "verdict", "reason") if c in extra]
            extra = extra.drop(columns=shared)
            df = df.merge(extra, on="assessment", how="left")
    if wide:
        order = [derive.framework(framework).key] if framework is not None else list(derive.frameworks())
        table = df.pivot_table(index=["release", "release_label"], columns="framework", values="verdict",
                               aggfunc="first")
        return table.reindex(columns=order).reset_index().rename_axis(columns=None)
    return df


def claims(store: Store, *, names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per claim and piece of evidence, labelled (see the module docstring for columns).

    ``status`` is the claim's own status or the one its source value maps to (derived); ``value``
    is the source's own word (``og:rawValue``) when an importer recorded one.
    """
    names = labels(store) if names is None else names
    df = _select(store, _CLAIMS, ["claim", "subject", "criterion", "claimant", "asserted", "source", "value"])
    df = df.drop_duplicates("claim")
    statuses = _select(store, _STATUSES % derive.CURRENT.graph("claim-status"), ["claim", "status"])
    statuses = statuses.drop_duplicates("claim")
    evidence = _select(store, _EVIDENCE, ["claim", "url", "quote", "retrieved"])
    df = df.merge(statuses, on="claim", how="left").merge(evidence, on="claim", how="left")
    out = pd.DataFrame({
        "claim": df["claim"],
        "subject": df["subject"],
        "subject_label": _label(df["subject"], names),
        "criterion": _curie(df["criterion"]),
        "status": _curie(df["status"]),
        "value": df["value"],
        "claimant": df["claimant"],
        "claimant_label": _label(df["claimant"], names),
        "asserted_on": df["asserted"],
        "source": df["source"],
        "source_label": _label(df["source"], names),
        "evidence_url": df["url"],
        "quote": df["quote"],
        "retrieved_on": df["retrieved"],
    })
    return out.sort_values(["subject_label", "criterion", "claim"]).reset_index(drop=True)


__all__ = ["claims", "labels", "releases", "verdicts"]
