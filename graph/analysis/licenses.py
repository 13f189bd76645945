"""License inheritance: derivatives whose declared license drops terms of their base's license.

The rule is SPARQL (``queries/analysis/license-conflicts.rq``; its header says it in words): a
term of the base's license (``og:hasUseRestriction``: acceptable-use policy, commercial-use ban,
user threshold, research only, naming or attribution duty, field-of-use restriction) that no
license the derivative is declared under carries. The derivation properties are bound from the
ontology (:func:`.lineage.derivation_properties`). This module only reads the rows.

Shape of :func:`license_conflicts`: a DataFrame, one row per derivative × base × base license:
``derivative``, ``derivative_label``, ``relation``, ``base``, ``base_label``, ``base_license``,
``base_license_label``, ``derivative_licenses`` (space-separated IRIs),
``derivative_license_labels`` (" | "-separated), ``derivative_open`` (bool: a declared license has
open terms), ``missing`` (labels of the dropped terms, comma-separated), ``missing_terms`` (IRIs),
``base_odrl`` (the base license's ODRL rules in words), and the evidence for each side:
``derivative_claims``, ``derivative_evidence`` (source URLs), ``derivative_quote``,
``base_claims``, ``base_evidence``, ``base_quote``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from .. import derive
from ..store import Store
from ..verdicts import view_store
from .lineage import derivation_properties, relation_name

COLUMNS = [
    "derivative",
    "derivative_label",
    "relation",
    "base",
    "base_label",
    "base_license",
    "base_license_label",
    "derivative_licenses",
    "derivative_license_labels",
    "derivative_open",
    "missing",
    "missing_terms",
    "base_odrl",
    "derivative_claims",
    "derivative_evidence",
    "derivative_quote",
    "base_claims",
    "base_evidence",
    "base_quote",
]

_FIELDS = {
    "derivative": "derivative",
    "derivative_label": "derivativeLabel",
    "relation": "relation",
    "base": "base",
    "base_label": "baseLabel",
    "base_license": "baseLicense",
    "base_license_label": "baseLicenseLabel",
    "derivative_licenses": "derivativeLicenses",
    "derivative_license_labels": "derivativeLicenseLabels",
    "derivative_open": "derivativeOpen",
    "missing": "missing",
    "missing_terms": "missingTerms",
    "base_odrl": "baseOdrl",
    "derivative_claims": "derivativeClaims",
    "derivative_evidence": "derivativeEvidence",
    "derivative_quote": "derivativeQuote",
    "base_claims": "baseClaims",
    "base_evidence": "baseEvidence",
    "base_quote": "baseQuote",
}


def license_conflicts(store: Store, *, as_of: dt.date | str | None = None) -> pd.DataFrame:
    """Every license-inheritance conflict of the current view (or the view ``as_of``), with the
    evidence for both licenses (module docstring)."""
    db, view = view_store(store, as_of)
    rows = derive.run_query(
        db, "analysis/license-conflicts.rq", view=view, values={"relation": list(derivation_properties())}
    )
    out = []
    for r in rows:
        rec: dict[str, Any] = {col: str(r.get(var) or "") for col, var in _FIELDS.items()}
        rec["relation"] = relation_name(rec["relation"])
        rec["derivative_open"] = rec["derivative_open"] == "true"
        for side in ("derivative", "base"):
            if not rec[f"{side}_label"]:
                rec[f"{side}_label"] = rec[side].rsplit("/", 1)[-1]
        if not rec["base_license_label"]:
            rec["base_license_label"] = rec["base_license"].rsplit("/", 1)[-1]
        out.append(rec)
    return pd.DataFrame(out, columns=COLUMNS)


__all__ = ["COLUMNS", "license_conflicts"]
