"""The documentation script runs and documents every term of the vocabulary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openness.vocab import load_ontology
from rdflib.namespace import OWL, RDF, SKOS

REPO = Path(__file__).resolve().parents[1]


def test_gen_docs_writes_html_with_every_term(tmp_path: Path) -> None:
    out = tmp_path / "index.html"
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_docs.py"), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    html = out.read_text(encoding="utf-8")
    g = load_ontology()
    og = "https://w3id.org/openness/ns#"
    terms = [
        t
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in g.subjects(RDF.type, kind)
        if str(t).startswith(og)
    ]
    assert len(terms) > 50
    missing = [str(t) for t in terms if str(t) not in html]
    assert not missing, f"not documented: {missing}"
    concepts = {
        g.namespace_manager.normalizeUri(c)
        for c in g.subjects(RDF.type, SKOS.Concept)
        if str(c).startswith("https://w3id.org/openness/")
    }
    missing_concepts = [c for c in concepts if f"<code>{c}</code>" not in html]
    assert not missing_concepts, f"concepts missing from the schemes appendix: {missing_concepts[:10]}"


def test_committed_documentation_exists() -> None:
    assert (REPO / "docs" / "ontology" / "index.html").stat().st_size > 10_000
