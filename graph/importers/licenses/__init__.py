"""Licenses: normalization of license strings, the reference lists, license nodes and their facts.

Split by job (issue 13):

* :mod:`.normalize` — raw license strings → SPDX ids, curated custom licenses, special values
  (``unlicensed``, ``undisclosed``), compound statements; the curated alias table;
* :mod:`.lists` — the vendored reference lists (SPDX, MOF, MOT's evaluator lists, the curators'
  open licenses);
* :mod:`.terms` — license nodes: labels, URLs, curated terms (ODRL, use restrictions);
* :mod:`.facts` — the license facts (OSI-approved, FSF-libre, MOF-accepted, curated open) as
  claims about the license node; nothing here decides whether a license is open
  (``queries/rules/license-terms.ru`` does, from the facts).

Each license is described once in the store, with its facts, in a graph of its own (the build
names it, ``openness.importers.base.license_graph_iri``); :func:`licenses_with_facts` gives that
description for the resolutions an import collected and :func:`describe_licenses` for license
IRIs alone.
"""

from __future__ import annotations

from .facts import (
    CURATORS_AGENT_NAME,
    MOF_AGENT_NAME,
    SPDX_AGENT_NAME,
    describe_licenses,
    license_fact_claims,
    licenses_in,
    licenses_with_facts,
)
from .lists import (
    curated_open_licenses,
    mof_list,
    mot_open_lists,
    spdx_list,
)
from .normalize import (
    COMPONENT_WORDS,
    KINDS,
    LicensePart,
    LicenseResolution,
    aliases,
    aliases_path,
    license_by_url,
    license_like,
    license_parts,
    mapped_share,
    match_key,
    normalize_license,
    resolve_all,
)
from .terms import license_graph, license_terms, resolution_for_iri

__all__ = [
    "COMPONENT_WORDS",
    "CURATORS_AGENT_NAME",
    "KINDS",
    "MOF_AGENT_NAME",
    "SPDX_AGENT_NAME",
    "LicensePart",
    "LicenseResolution",
    "aliases",
    "aliases_path",
    "curated_open_licenses",
    "describe_licenses",
    "license_by_url",
    "license_fact_claims",
    "license_graph",
    "license_like",
    "license_parts",
    "license_terms",
    "licenses_in",
    "licenses_with_facts",
    "mapped_share",
    "match_key",
    "mof_list",
    "mot_open_lists",
    "normalize_license",
    "resolution_for_iri",
    "resolve_all",
    "spdx_list",
]
