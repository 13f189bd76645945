"""SPDX 3.0.1 JSON-LD with the AI and Dataset profiles: one ``ai_AIPackage`` per release.

Mapping (SPDX 3.0.1, https://spdx.github.io/spdx-spec/v3.0.1/):

================================  ============================================================
openness-graph                    SPDX 3.0.1
================================  ============================================================
release                           ``ai_AIPackage`` (spdxId = the release IRI), name, version,
                                  ``releaseTime`` (full dates only), download location (the
                                  Hugging Face repository, else the code repository),
                                  ``software_primaryPurpose`` model, ``suppliedBy`` /
                                  ``originatedBy`` (the developers, ``Organization``),
                                  ``comment`` (the current verdicts of the four frameworks)
declared licenses                 ``simplelicensing_LicenseExpression`` (an SPDX id, or
                                  ``LicenseRef-<name>`` with ``customIdToUri`` to our license
                                  IRI) and a ``hasDeclaredLicense`` relationship
training / evaluation data        ``dataset_DatasetPackage`` per MOF datasets / evaluation-data
(MOF components)                  component, ``trainedOn`` / ``testedOn`` relationships, its
                                  own ``hasDeclaredLicense``
derivations (fine-tune, merge …)  ``descendantOf`` from the derivative to each base, the kind of
                                  derivation in the relationship's ``comment``
the export                        ``SpdxDocument`` (every package a root element) and one
                                  ``CreationInfo`` created by the ``SoftwareAgent``
                                  openness-graph
================================  ============================================================

The document validates against the published SPDX 3.0.1 JSON schema (tests/test_export_bom.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .. import __version__, derive
from ..namespaces import OG, data_base
from .facts import EVALUATION_DATA, TRAINING_DATA, Facts, LicenseFact, license_of

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
SPEC_VERSION = "3.0.1"
_CREATION = "_:creationinfo"
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _element(kind: str, spdx_id: str, **props: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "spdxId": spdx_id,
        "creationInfo": _CREATION,
        **{k: v for k, v in props.items() if v not in (None, "", [])},
    }


def _license_expression(lic: LicenseFact) -> tuple[str, list[dict[str, str]]]:
    if lic.spdx_id:
        return lic.spdx_id, []
    ref = f"LicenseRef-{lic.slug}" if lic.iri != str(OG.Unlicensed) else "LicenseRef-unlicensed"
    return ref, [{"type": "DictionaryEntry", "key": ref, "value": lic.iri}]


def _verdicts_comment(verdicts: dict[str, str]) -> str:
    if not verdicts:
        return ""
    known = derive.frameworks()
    parts = [f"{known[k].label if k in known else k}: {v}" for k, v in sorted(verdicts.items())]
    return "openness-graph verdicts (derived from claims with evidence): " + "; ".join(parts)


def spdx3_document(facts: Facts, *, created: dt.datetime | None = None) -> dict[str, Any]:
    """The SPDX 3.0.1 JSON-LD document (a dict ready for ``json.dumps``) of ``facts``."""
    created = (created or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    base = data_base()
    tool = f"{base}agent/openness-graph"
    graph: list[dict[str, Any]] = [
        {
            "type": "CreationInfo",
            "@id": _CREATION,
            "specVersion": SPEC_VERSION,
            "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "createdBy": [tool],
        },
        _element("SoftwareAgent", tool, name=f"openness-graph {__version__}"),
    ]
    agents: dict[str, str] = {}
    licenses: dict[str, dict[str, Any]] = {}
    relationships: list[dict[str, Any]] = []
    datasets: dict[str, dict[str, Any]] = {}
    packages: list[dict[str, Any]] = []

    def license_element(iri: str) -> str:
        if iri not in licenses:
            lic = license_of(facts, iri)
            expression, mapping = _license_expression(lic)
            licenses[iri] = _element(
                "simplelicensing_LicenseExpression",
                f"{base}spdx/license/{lic.slug}",
                name=lic.label,
                simplelicensing_licenseExpression=expression,
                simplelicensing_customIdToUri=mapping,
            )
        return str(licenses[iri]["spdxId"])

    def relate(source: str, kind: str, targets: list[str], comment: str = "") -> None:
        if targets:
            key = re.sub(r"[^A-Za-z0-9]+", "-", f"{kind}-{'-'.join(sorted(targets))}")[:80]
            relationships.append(
                _element(
                    "Relationship",
                    f"{source}#spdx-{key}-{len(relationships)}",
                    relationshipType=kind,
                    **{"from": source},
                    to=sorted(targets),
                    comment=comment,
                )
            )

    for rel in facts.releases.values():
        for dev, label in rel.developers:
            agents.setdefault(dev, label)
        download = rel.huggingface or rel.repository
        package = _element(
            "ai_AIPackage",
            rel.iri,
            name=rel.label,
            software_packageVersion=rel.version,
            releaseTime=f"{rel.date}T00:00:00Z" if _FULL_DATE.match(rel.date) else None,
            software_downloadLocation=download,
            software_homePage=rel.homepage,
            software_primaryPurpose="model",
            suppliedBy=rel.developers[0][0] if rel.developers else None,
            originatedBy=[d for d, _ in rel.developers],
            comment=_verdicts_comment(rel.verdicts),
            externalIdentifier=[
                {"type": "ExternalIdentifier", "externalIdentifierType": "urlScheme", "identifier": rel.iri}
            ],
        )
        packages.append(package)
        relate(rel.iri, "hasDeclaredLicense", [license_element(lic) for lic in rel.licenses])
        for kind, relation in ((TRAINING_DATA, "trainedOn"), (EVALUATION_DATA, "testedOn")):
            targets = []
            for comp in rel.datasets(kind):
                if comp.iri not in datasets:
                    datasets[comp.iri] = _element(
                        "dataset_DatasetPackage",
                        comp.iri,
                        name=comp.label,
                        software_primaryPurpose="data",
                        software_downloadLocation=comp.access,
                        dataset_datasetType=["noAssertion"],
                        originatedBy=[d for d, _ in rel.developers],
                    )
                    relate(comp.iri, "hasDeclaredLicense", [license_element(lic) for lic in comp.licenses])
                targets.append(comp.iri)
            relate(rel.iri, relation, targets)
        for relation, parent in rel.parents:
            if parent in facts.releases:
                relate(rel.iri, "descendantOf", [parent], comment=f"og:{relation}")
    graph += [_element("Organization", iri, name=label) for iri, label in sorted(agents.items())]
    graph += packages + list(datasets.values()) + list(licenses.values()) + relationships
    document = _element(
        "SpdxDocument",
        f"{base}spdx/document",
        name="openness-graph: AI model releases",
        profileConformance=["core", "software", "ai", "dataset", "simpleLicensing"],
        rootElement=[p["spdxId"] for p in packages] or None,
        element=[e["spdxId"] for e in graph if "spdxId" in e],
        comment="Exported by openness-graph from claims with evidence; the verdicts in each package comment "
        "are derived by versioned SPARQL rules.",
    )
    return {"@context": CONTEXT, "@graph": [*graph, document]}


__all__ = ["CONTEXT", "SPEC_VERSION", "spdx3_document"]
