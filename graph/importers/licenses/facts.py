"""License facts: what the reference lists say about a license, as claims about the license node.

"Open license" is defined once, as data (docs/derived-layer.md, ``og:OpenTermsCriteria`` in
``ontology/schemes/core.ttl``): a license is open when a live license fact with status open exists
for OSI-approved, FSF-libre, MOF-accepted or curated open. This module writes those facts, each as
a claim with the list's publisher as claimant and the list as evidence; it never judges a license
itself (``queries/rules/license-terms.ru`` reads the facts and writes ``og:openTerms``):

* ``og:OSIApproved``, ``og:FSFLibre`` — the SPDX License List's flags (claimant: the SPDX list);
* ``og:MOFAcceptedLicense`` — open by the Model Openness Tool's evaluator beyond its OSI/FSF
  checks (claimant: MOT): the evaluator's ``OPEN_DATA_LICENSES`` and ``OPEN_LICENSES`` (OpenMDW-1.0),
  and the licenses of ``mof-licenses.json`` that MOT itself marks OSI-approved or FSF-libre. A
  license that is in ``mof-licenses.json`` only as type-appropriate (C-UDA-1.0, CC-PDDC, …) is *not*
  open to MOT's evaluator (``LicenseHandler::isOpenSourceLicense``), so its fact says no;
* ``og:CuratedOpenLicense`` — the curators' list ``data/curation/open-licenses.csv`` (claimant:
  the openness-graph curators), e.g. OpenMDW-1.1 before any list carries it.

Status open = yes, closed = no (license facts are reference facts, so they carry ``og:status``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rdflib import Graph, URIRef

from ... import mint
from ...claims import ClaimSpec, EvidenceSpec, add_claim
from ...namespaces import OG, bind_all
from .lists import (
    MOT_LIST_SPELLINGS,
    CuratedOpenLicense,
    curated_open_licenses,
    mof_list,
    mot_open_lists,
    spdx_list,
)
from .normalize import LicenseResolution, normalize_license
from .terms import license_graph, resolution_for_iri

#: Claimant names shared with the importers (the MOT importer uses the same MOT agent).
SPDX_AGENT_NAME = "SPDX License List"
MOF_AGENT_NAME = "LF AI & Data Model Openness Tool"
CURATORS_AGENT_NAME = "openness-graph curators"

MOT_COMMIT = "8b5d30e90a7c62d7d6ece48b91e69ff495920a4d"
MOF_LICENSES_URL = (
    f"https://github.com/lfai/model_openness_tool/blob/{MOT_COMMIT}/web/modules/mof/mof-licenses.json"
)


def _mof_verdict(spdx_id: str) -> tuple[bool, str, list[EvidenceSpec]]:
    """(accepted, raw value, evidence) of MOT's evaluator for one SPDX id."""
    lists, mof = mot_open_lists(), mof_list()
    released = mot_open_lists().released
    open_data = {MOT_LIST_SPELLINGS.get(x, x) for x in lists.open_data}
    evidence: list[EvidenceSpec] = []
    words: list[str] = []
    accepted = False
    if spdx_id in open_data:
        spelled = next((k for k, v in MOT_LIST_SPELLINGS.items() if v == spdx_id), spdx_id)
        accepted = True
        words.append("in OPEN_DATA_LICENSES" + (f" as {spelled!r}" if spelled != spdx_id else ""))
        evidence.append(EvidenceSpec(source=lists.source, retrieved=released, kind="secondary",
                                     quote=lists.comments["OPEN_DATA_LICENSES"],
                                     locator=f"LicenseHandler::OPEN_DATA_LICENSES, '{spelled}'"))
    if spdx_id in lists.open_licenses:
        accepted = True
        words.append("in OPEN_LICENSES")
        evidence.append(EvidenceSpec(source=lists.source, retrieved=released, kind="secondary",
                                     quote=lists.comments["OPEN_LICENSES"],
                                     locator=f"LicenseHandler::OPEN_LICENSES, '{spdx_id}'"))
    entry = mof.entries.get(spdx_id)
    if entry is not None:
        pairs = (("isOsiApproved", entry.osi_approved), ("isFsfLibre", entry.fsf_libre))
        flags = [f for f, on in pairs if on]
        if flags:
            accepted = True
            types = ", ".join(entry.content_types)
            words.append(f"in mof-licenses.json ({types}) with {' and '.join(flags)} true")
        elif not accepted:
            words.append(f"in mof-licenses.json ({', '.join(entry.content_types)}) as type-appropriate only: "
                         "neither OSI-approved nor FSF-libre there, nor in OPEN_DATA_LICENSES or "
                         "OPEN_LICENSES, so MOT's evaluator does not count it open")
        evidence.append(EvidenceSpec(source=MOF_LICENSES_URL, retrieved=mof.released, kind="secondary",
                                     locator=f"licenseId {spdx_id}"))
    if not words:
        words.append("not in mof-licenses.json, OPEN_DATA_LICENSES or OPEN_LICENSES")
        evidence = [EvidenceSpec(source=lists.source, retrieved=released, kind="secondary",
                                 locator="LicenseHandler::OPEN_DATA_LICENSES, OPEN_LICENSES"),
                    EvidenceSpec(source=MOF_LICENSES_URL, retrieved=mof.released, kind="secondary",
                                 locator="licenses[].licenseId")]
    return accepted, "; ".join(words), evidence


def license_fact_claims(resolutions: Iterable[LicenseResolution], graph: Graph | None = None) -> Graph:
    """Claims about each license used: OSI-approved and FSF-libre (the SPDX list), MOF-accepted
    (MOT's evaluator lists), curated open (``open-licenses.csv``). A custom license gets a fact
    only when the curators list it: no other list speaks for it."""
    graph = graph if graph is not None else Graph()
    bind_all(graph.namespace_manager)
    spdx = spdx_list()
    spdx_agent, mot_agent = mint.agent_iri(SPDX_AGENT_NAME), mint.agent_iri(MOF_AGENT_NAME)
    spdx_ds = mint.dataset_iri("spdx-license-list", spdx.version)
    mot_ds = mint.dataset_iri("mot-license-lists", MOT_COMMIT[:7])
    used = {r.iri: r for r in resolutions if r.names_license and r.iri is not None}
    if not used:
        return graph
    spdx_used = {r.spdx_id: iri for iri, r in used.items() if r.spdx_id}
    curated = _curated_for(used)
    if spdx_used:
        _describe_lists(graph)
    for spdx_id, iri in sorted(spdx_used.items()):
        entry = spdx.entries[spdx_id]
        page = f"https://spdx.org/licenses/{spdx_id}.html"
        for criterion, flag, word in (
            (OG.OSIApproved, entry.osi_approved, "isOsiApproved"),
            (OG.FSFLibre, entry.fsf_libre, "isFsfLibre"),
        ):
            add_claim(graph, ClaimSpec(
                about=iri, criterion=criterion, status="open" if flag else "closed", claimant=spdx_agent,
                asserted_on=spdx.retrieved, dataset=spdx_ds, raw_value=f"{word}: {str(flag).lower()}",
                evidence=[EvidenceSpec(source=page, retrieved=spdx.retrieved, kind="secondary",
                                       locator=f"SPDX License List {spdx.version}, {word}")],
            ))
        accepted, raw, evidence = _mof_verdict(spdx_id)
        add_claim(graph, ClaimSpec(
            about=iri, criterion=OG.MOFAcceptedLicense, status="open" if accepted else "closed",
            claimant=mot_agent, asserted_on=mot_open_lists().released, dataset=mot_ds, raw_value=raw,
            evidence=evidence,
        ))
    if curated:
        _describe_curation(graph)
    for iri, row in sorted(curated.items()):
        add_claim(graph, ClaimSpec(
            about=iri, criterion=OG.CuratedOpenLicense, status="open",
            claimant=mint.agent_iri(CURATORS_AGENT_NAME), asserted_on=row.asserted_on,
            dataset=mint.dataset_iri("openness-graph-curation", "open-licenses"),
            raw_value=f"listed in open-licenses.csv: {row.reason}",
            evidence=[EvidenceSpec(source=row.evidence, retrieved=row.asserted_on, kind="primary",
                                   quote=row.quote or None, locator=f"open-licenses.csv:{row.line}")],
        ))
    return graph


def _curated_for(used: dict[URIRef, LicenseResolution]) -> dict[URIRef, CuratedOpenLicense]:
    """The curated open-license rows that name one of the used licenses (by SPDX id or name)."""
    out: dict[URIRef, CuratedOpenLicense] = {}
    for row in curated_open_licenses():
        iri = normalize_license(row.license).iri
        if iri is not None and iri in used:
            out[iri] = row
    return out


def licenses_with_facts(resolutions: Iterable[LicenseResolution], graph: Graph) -> Graph:
    """Every license the resolutions name, described (:func:`.terms.license_graph`) together with
    the facts the rules read about it (:func:`license_fact_claims`), added to ``graph``."""
    used = [r for r in resolutions if r.names_license]
    graph += license_graph(used)
    license_fact_claims(used, graph)
    return graph


def describe_licenses(iris: Iterable[URIRef]) -> Graph:
    """The description and facts of licenses known from their IRIs alone (SPDX licenses, curated
    custom licenses, ``og:Unlicensed``); other IRIs are skipped. For a writer that finds license
    IRIs in a batch it did not import (an example file, a loaded claim file)."""
    graph = Graph()
    bind_all(graph.namespace_manager)
    found = [r for r in (resolution_for_iri(URIRef(i)) for i in iris) if r is not None]
    graph += license_graph(found)
    return license_fact_claims(found, graph)


def licenses_in(graph: Graph) -> set[URIRef]:
    """The license IRIs a graph names (objects of og:claimedLicense and og:license)."""
    return {o for p in (OG.claimedLicense, OG.license) for o in graph.objects(None, p)
            if isinstance(o, URIRef)}


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _describe_lists(graph: Graph) -> None:
    """The license lists as datasets with their publishers (claims cite them via dcterms:source)."""
    from ..base import SourceInfo, describe_dataset

    spdx, lists = spdx_list(), mot_open_lists()
    describe_dataset(graph, SourceInfo(
        name="spdx-license-list", version=spdx.version, title="SPDX License List",
        publisher=SPDX_AGENT_NAME, publisher_homepage="https://spdx.org/licenses/",
        license="http://spdx.org/licenses/CC0-1.0",
        citation=f"SPDX License List {spdx.version}, The Linux Foundation, https://spdx.org/licenses/",
        issued=_date(spdx.retrieved), landing_page="https://spdx.org/licenses/",
    ))
    describe_dataset(graph, SourceInfo(
        name="mot-license-lists", version=MOT_COMMIT[:7],
        title="Model Openness Tool license lists (mof-licenses.json, LicenseHandler open lists)",
        publisher=MOF_AGENT_NAME, publisher_homepage="https://mot.isitopen.ai/",
        license="http://spdx.org/licenses/MIT",
        citation=("LF AI & Data, Model Openness Tool, web/modules/mof/mof-licenses.json and "
                  "web/modules/mof/src/LicenseHandler.php (OPEN_DATA_LICENSES, OPEN_LICENSES)"),
        issued=_date(lists.released), landing_page=lists.source, commit=MOT_COMMIT,
        repository="https://github.com/lfai/model_openness_tool",
    ))


def _describe_curation(graph: Graph) -> None:
    from ..base import SourceInfo, describe_dataset

    describe_dataset(graph, SourceInfo(
        name="openness-graph-curation", version="open-licenses", title="openness-graph curated open licenses",
        publisher=CURATORS_AGENT_NAME, publisher_homepage=None,
        license="http://spdx.org/licenses/Apache-2.0",
        citation="openness-graph, data/curation/open-licenses.csv",
        issued=max(_date(r.asserted_on) for r in curated_open_licenses()),
        landing_page="https://w3id.org/openness/",
    ))


__all__ = [
    "CURATORS_AGENT_NAME",
    "MOF_AGENT_NAME",
    "SPDX_AGENT_NAME",
    "describe_licenses",
    "license_fact_claims",
    "licenses_in",
    "licenses_with_facts",
]
