"""Generate the ontology's HTML documentation (docs/ontology/index.html) with pyLODE.

Run ``python scripts/gen_docs.py [OUT.html]`` after changing anything under ontology/; the output
is committed so the documentation can be read without running anything, and
tests/test_generated_artifacts.py fails when it differs from a fresh run. The output is the same on
every run: blank nodes are named by content, the script runs with a fixed ``PYTHONHASHSEED`` (rdflib's
JSON-LD block follows hash order) and the members of an ``owl:unionOf`` are sorted (pyLODE keeps them
in a set). The input is the merged
vocabulary (core ontology, SKOS schemes, alignments) from ``openness.vocab.load_ontology``.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import types
from html import escape
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph
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
    graph += to_canonical_graph(load_ontology())  # blank nodes named by content: the same HTML each run
    ontpub = _import_ontpub()(graph, sort_subjects=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    html = ontpub.make_html(include_css=True)
    # pyLODE's OntPub documents OWL terms only; the SKOS schemes (statuses, tiers, MOF components,
    # criteria, ...) follow as a plain appendix.
    html = html.replace("</body>", _schemes_html(graph) + "\n</body>", 1)
    html = _SET_CLASS.sub(_sorted_set_class, html)
    out.write_text(html, encoding="utf-8")
    return out


_SET_ITEM = r"<span>\s*<a [^>]*>[^<]*</a>\s*<sup [^>]*>[^<]*</sup>\s*</span>"
_JOIN = r'\s*<span class="cardinality">(?:or|and)</span>\s*'
#: A union or intersection as pyLODE writes it: class links joined by "or" / "and".
_SET_CLASS = re.compile(f"{_SET_ITEM}(?:{_JOIN}{_SET_ITEM})+")


def _sorted_set_class(match: re.Match[str]) -> str:
    """The same union / intersection with its members in text order (pyLODE's order is a set's)."""
    text = match.group(0)
    items = re.findall(_SET_ITEM, text)
    joins = re.findall(_JOIN, text)
    out = [sorted(items)[0]]
    for join, item in zip(joins, sorted(items)[1:], strict=True):
        out += [join, item]
    return "".join(out)


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
    if os.environ.get("PYTHONHASHSEED") != "0":  # the same output every run (module docstring)
        return subprocess.call([sys.executable, __file__, *args], env={**os.environ, "PYTHONHASHSEED": "0"})
    out = generate(Path(args[0]) if args else DEFAULT_OUT)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
