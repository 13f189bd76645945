"""Generate the ontology's HTML documentation (docs/ontology/index.html) with pyLODE.

Run ``python scripts/gen_docs.py [OUT.html]`` after changing anything under ontology/; the output
is committed so the documentation can be read without running anything. The input is the merged
vocabulary (core ontology, SKOS schemes, alignments) from ``openness.vocab.load_ontology``.
"""

from __future__ import annotations

import importlib.metadata
import sys
import types
from html import escape
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "ontology" / "index.html"


def _import_ontpub() -> type:
    """Import pyLODE's OntPub.

    pyLODE 3.x reads its version from a pyproject.toml that its wheel does not ship, so importing it
    from an installed wheel fails; give it the version from the installed metadata instead.
    """
    if "pylode.version" not in sys.modules:
        shim = types.ModuleType("pylode.version")
        shim.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
        sys.modules["pylode.version"] = shim
    from pylode import OntPub

    return OntPub


def generate(out: Path = DEFAULT_OUT) -> Path:
    """Write the HTML documentation of the whole vocabulary to ``out`` and return its path."""
    from openness.namespaces import bind_all
    from openness.vocab import load_ontology

    graph = Graph()
    bind_all(graph.namespace_manager)
    graph += load_ontology()
    ontpub = _import_ontpub()(graph, sort_subjects=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    html = ontpub.make_html(include_css=True)
    # pyLODE's OntPub documents OWL terms only; the SKOS schemes (statuses, tiers, MOF components,
    # criteria, ...) follow as a plain appendix.
    html = html.replace("</body>", _schemes_html(graph) + "\n</body>", 1)
    out.write_text(html, encoding="utf-8")
    return out


def _schemes_html(graph: Graph) -> str:
    """An HTML section per concept scheme: each concept's label, IRI, definition and mappings."""
    from openness.namespaces import OG

    extra = [
        (OG.rollsUpTo, "rolls up to"),
        (OG.informs, "informs"),
        (OG.mofClass, "MOF class"),
        (OG.contentType, "content type"),
        (OG.statusValue, "status value"),
        (OG.tierNumber, "tier number"),
    ]

    def name(node: object) -> str:
        return escape(graph.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node))

    parts = ['<div class="section" id="schemes"><h2>Concept schemes</h2>']
    for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme)):
        title = graph.value(scheme, RDFS.label) or graph.value(scheme, SKOS.prefLabel) or scheme
        parts.append(f'<h3 id="{escape(name(scheme))}">{escape(str(title))} <code>{name(scheme)}</code></h3>')
        parts.append(f"<p>{escape(str(graph.value(scheme, SKOS.definition) or ''))}</p>")
        parts.append("<table><tr><th>concept</th><th>label</th><th>definition</th><th>mappings</th></tr>")
        for concept in sorted(graph.subjects(SKOS.inScheme, scheme)):
            maps = "; ".join(
                f"{label}: {', '.join(name(v) for v in sorted(graph.objects(concept, prop)))}"
                for prop, label in extra
                if graph.value(concept, prop) is not None
            )
            parts.append(
                f"<tr><td><code>{name(concept)}</code></td>"
                f"<td>{escape(str(graph.value(concept, SKOS.prefLabel) or ''))}</td>"
                f"<td>{escape(str(graph.value(concept, SKOS.definition) or ''))}</td><td>{maps}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</div>")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = generate(Path(args[0]) if args else DEFAULT_OUT)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
