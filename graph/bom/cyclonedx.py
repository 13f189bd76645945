"""CycloneDX 1.6 ML-BOM (JSON): one ``machine-learning-model`` component per release.

Mapping (CycloneDX 1.6, https://cyclonedx.org/docs/1.6/json/):

================================  ============================================================
openness-graph                    CycloneDX 1.6
================================  ============================================================
release                           component ``machine-learning-model`` (``bom-ref`` = the
                                  release IRI), name, version, ``supplier`` (first developer),
                                  ``authors`` (every developer), external references (Hugging
                                  Face as distribution, repository as vcs, homepage as website)
declared licenses                 ``licenses``: ``{"license": {"id"}}`` for an SPDX id, else
                                  ``{"license": {"name", "url"}}``; ``acknowledgement:
                                  declared``
model card                        ``modelCard``: ``modelParameters.datasets`` (references to the
                                  ``data`` components of the MOF datasets component),
                                  ``modelParameters.architectureFamily`` unset (unknown),
                                  ``properties``: the current verdicts (``openness:<key>`` per
                                  framework key: ``openness:spectrum``, ``openness:mof``, ...),
                                  parameter count, modality
training data                     component ``data`` per MOF datasets component (its licenses)
derivations (fine-tune, merge …)  ``pedigree.ancestors``: each base as a component (name,
                                  version, the base's IRI as an external reference), the kind of
                                  derivation as ``openness:derivation`` property; also a
                                  ``dependencies`` entry from the derivative to its bases
================================  ============================================================

Validated in the tests with the official library (cyclonedx-python-lib's JSON validator, strict
schema 1.6).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from .. import __version__
from .facts import TRAINING_DATA, Facts, LicenseFact, ReleaseFact, license_of

SPEC_VERSION = "1.6"


def _license(lic: LicenseFact) -> dict[str, Any]:
    body: dict[str, Any] = {"id": lic.spdx_id} if lic.spdx_id else {"name": lic.label}
    if not lic.spdx_id and lic.url:
        body["url"] = lic.url
    body["acknowledgement"] = "declared"
    return {"license": body}


def _refs(rel: ReleaseFact) -> list[dict[str, str]]:
    refs = []
    if rel.huggingface:
        refs.append({"type": "distribution", "url": rel.huggingface})
    if rel.repository:
        refs.append({"type": "vcs", "url": rel.repository})
    if rel.homepage:
        refs.append({"type": "website", "url": rel.homepage})
    refs.append(
        {"type": "other", "url": rel.iri, "comment": "openness-graph release (claims, evidence, verdicts)"}
    )
    return refs


def _props(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs if v]


def cyclonedx_bom(facts: Facts, *, created: dt.datetime | None = None) -> dict[str, Any]:
    """The CycloneDX 1.6 ML-BOM (a dict ready for ``json.dumps``) of ``facts``."""
    created = (created or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    components: list[dict[str, Any]] = []
    data_components: dict[str, dict[str, Any]] = {}
    dependencies: list[dict[str, Any]] = []
    for rel in facts.releases.values():
        comp: dict[str, Any] = {"type": "machine-learning-model", "bom-ref": rel.iri, "name": rel.label}
        if rel.version:
            comp["version"] = rel.version
        if rel.developers:
            comp["supplier"] = {"name": rel.developers[0][1]}
            comp["authors"] = [{"name": label} for _, label in rel.developers]
        if rel.licenses:
            comp["licenses"] = [_license(license_of(facts, lic)) for lic in rel.licenses]
        comp["externalReferences"] = _refs(rel)
        datasets = []
        for data in rel.datasets(TRAINING_DATA):
            if data.iri not in data_components:
                dc: dict[str, Any] = {
                    "type": "data",
                    "bom-ref": data.iri,
                    "name": data.label,
                    "data": [{"type": "dataset", "name": data.label}],
                }
                if data.licenses:
                    dc["licenses"] = [_license(license_of(facts, lic)) for lic in data.licenses]
                if data.access:
                    dc["externalReferences"] = [{"type": "distribution", "url": data.access}]
                data_components[data.iri] = dc
            datasets.append({"ref": data.iri})
        card: dict[str, Any] = {
            "properties": _props(
                [
                    *((f"openness:{k}", v) for k, v in sorted(rel.verdicts.items())),
                    ("openness:parameterCount", rel.parameters),
                    ("openness:modality", rel.modality),
                    ("openness:releaseDate", rel.date),
                ]
            )
        }
        if datasets:
            card["modelParameters"] = {"datasets": datasets}
        comp["modelCard"] = card
        parents = [(relation, p) for relation, p in rel.parents]
        if parents:
            ancestors = []
            for relation, parent in parents:
                base = facts.releases.get(parent)
                anc: dict[str, Any] = {
                    "type": "machine-learning-model",
                    "name": base.label if base else parent.rsplit("/", 1)[-1],
                    "externalReferences": [
                        {"type": "other", "url": parent, "comment": "openness-graph release"}
                    ],
                    "properties": [{"name": "openness:derivation", "value": f"og:{relation}"}],
                }
                if base is not None and base.version:
                    anc["version"] = base.version
                ancestors.append(anc)
            comp["pedigree"] = {"ancestors": ancestors}
            known = sorted({p for _, p in parents if p in facts.releases})
            if known:
                dependencies.append({"ref": rel.iri, "dependsOn": known})
        components.append(comp)
    bom: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "version": 1,
        "metadata": {
            "timestamp": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tools": {
                "components": [{"type": "application", "name": "openness-graph", "version": __version__}]
            },
        },
        "components": components + list(data_components.values()),
    }
    if dependencies:
        bom["dependencies"] = dependencies
    digest = hashlib.sha256(json.dumps(bom["components"], sort_keys=True).encode()).hexdigest()
    bom["serialNumber"] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'openness-graph:' + digest)}"
    return bom


__all__ = ["SPEC_VERSION", "cyclonedx_bom"]
