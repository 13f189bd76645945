"""Generate the published JSON-LD context (ontology/context.jsonld) from the namespaces and the ontology.

Run ``python scripts/gen_context.py`` after changing a prefix (openness.namespaces), a property's
type or range (ontology/), or the names below; tests/test_generated_artifacts.py fails when the
committed file differs from a fresh run. ``--check`` only compares (exit status 1 when out of date).

What comes from where:

* ``@vocab`` is ``og:``, ``@base`` the default data base (``id:``), the prefixes are
  :data:`openness.namespaces.PREFIXES` — the one table of prefixes;
* each short name's property is in :data:`TERMS` (the names people write in a claim file, the
  only list kept here), and its value type comes from the ontology: an ``owl:ObjectProperty``
  whose range is a SKOS concept class takes a concept's name (``@vocab``: ``status: Open``),
  another object property takes an IRI (``@id``), an ``owl:DatatypeProperty`` with an XSD range
  other than ``xsd:string`` takes that datatype; :data:`TYPES` gives the type where the ontology
  does not (properties of other vocabularies, and date properties whose range is a choice of
  date, year-month or year: a plain date written in a claim file is an ``xsd:date``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

OUT = Path(__file__).resolve().parents[1] / "ontology" / "context.jsonld"

#: The short names of the context, by group (a blank line between groups): name -> property.
TERMS: tuple[dict[str, str], ...] = (
    {"label": "rdfs:label", "comment": "rdfs:comment", "altLabel": "skos:altLabel"},
    {  # claims
        "about": "og:about", "criterion": "og:criterion", "status": "og:status",
        "standing": "og:standing", "claimant": "og:claimant", "attributedTo": "prov:wasAttributedTo",
        "wasAttributedTo": "prov:wasAttributedTo", "assertedOn": "og:assertedOn",
        "evidence": "og:evidence", "dataset": "dcterms:source", "rawValue": "og:rawValue",
        "claimedLicense": "og:claimedLicense", "claimedTier": "og:claimedTier",
        "supersededBy": "og:supersededBy",
    },
    {  # evidence
        "source": "og:sourceIRI", "sourceIRI": "og:sourceIRI", "retrievedOn": "og:retrievedOn",
        "lastVerifiedOn": "og:lastVerifiedOn", "kind": "og:evidenceKind",
        "evidenceKind": "og:evidenceKind", "quote": "og:quote", "locator": "og:locator",
        "archivedCopy": "og:archivedCopy", "contentHash": "og:contentHash",
    },
    {  # models and releases
        "developer": "og:developer", "hasRelease": "og:hasRelease", "releaseOf": "og:releaseOf",
        "versionLabel": "og:versionLabel", "releaseDate": "og:releaseDate",
        "releaseDateUnknown": "og:releaseDateUnknown", "parameterCount": "og:parameterCount",
        "homepage": "foaf:homepage", "repository": "og:repository",
        "huggingFaceRepo": "og:huggingFaceRepo", "fineTunedFrom": "og:fineTunedFrom",
        "adapterOf": "og:adapterOf", "mergedFrom": "og:mergedFrom", "quantizedFrom": "og:quantizedFrom",
        "distilledFrom": "og:distilledFrom", "continuedPretrainingOf": "og:continuedPretrainingOf",
    },
    {  # components
        "hasComponent": "og:hasComponent", "componentOf": "og:componentOf",
        "componentType": "og:componentType", "availability": "og:availability",
        "license": "og:license", "accessURL": "dcat:accessURL",
    },
    {  # licenses
        "spdxId": "og:spdxId", "rawText": "og:rawText", "licenseURL": "og:licenseURL",
        "hasUseRestriction": "og:hasUseRestriction", "licenseContentType": "og:licenseContentType",
    },
)

#: Value types the ontology does not give (see the module docstring).
TYPES: dict[str, str] = {
    "prov:wasAttributedTo": "@id",
    "dcterms:source": "@id",
    "foaf:homepage": "@id",
    "dcat:accessURL": "@id",
    "og:assertedOn": "xsd:date",
    "og:releaseDate": "xsd:date",
}


def _is_concept_class(g: Graph, cls: URIRef, seen: frozenset[URIRef] = frozenset()) -> bool:
    if cls == SKOS.Concept:
        return True
    return any(isinstance(sup, URIRef) and sup not in seen and _is_concept_class(g, sup, seen | {cls})
               for sup in g.objects(cls, RDFS.subClassOf))


def value_type(g: Graph, curie: str, prefixes: dict[str, str]) -> str | None:
    """The JSON-LD ``@type`` of property ``curie`` (None: a plain literal), from :data:`TYPES` or
    the ontology (module docstring); a ValueError when the ontology does not define the property."""
    if curie in TYPES:
        return TYPES[curie]
    prefix, local = curie.split(":", 1)
    prop = URIRef(prefixes[prefix] + local)
    kinds = set(g.objects(prop, RDF.type))
    ranges = [r for r in g.objects(prop, RDFS.range) if isinstance(r, URIRef)]
    if OWL.ObjectProperty in kinds:
        return "@vocab" if any(_is_concept_class(g, r) for r in ranges) else "@id"
    if OWL.DatatypeProperty in kinds:
        typed = [r for r in ranges if str(r).startswith(str(XSD)) and r != XSD.string]
        return "xsd:" + str(typed[0])[len(str(XSD)):] if typed else None
    if prefix == "og":
        raise ValueError(f"{curie} (ontology/context.jsonld's TERMS) is not a property of the ontology")
    return None


def render() -> str:
    """The text of ontology/context.jsonld."""
    from openness.namespaces import DEFAULT_DATA_BASE, OG, PREFIXES
    from openness.vocab import load_ontology

    g = load_ontology()

    def entry(key: str, value: object) -> str:
        return f"    {json.dumps(key)}: {json.dumps(value)}"

    groups = [
        [entry("@version", 1.1), entry("@vocab", str(OG)), entry("@base", DEFAULT_DATA_BASE)],
        [entry(p, iri) for p, iri in PREFIXES.items()],
        [entry("id", "@id"), entry("type", "@type")],
    ]
    for terms in TERMS:
        lines = []
        for name, curie in terms.items():
            kind = value_type(g, curie, PREFIXES)
            lines.append(entry(name, curie if kind is None else {"@id": curie, "@type": kind}))
        groups.append(lines)
    body = ",\n\n".join(",\n".join(lines) for lines in groups)
    return '{\n  "@context": {\n' + body + "\n  }\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="file to write (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        have = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if have != text:
            print(f"{args.out} is out of date: run python scripts/gen_context.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
