"""Every generated artifact that is committed is what its script writes today.

The JSON-LD context, the ontology's HTML documentation and the compiled shape queries are
generated from the ontology, the namespaces and the shapes, and committed so they can be read
without running anything. CI fails when one of them differs from a fresh run, and says which
script to run; the shapes' SPARQL prefixes (shapes/prefixes.ttl, written by hand because the
shapes name only a few) must agree with the one table of prefixes.
"""

from __future__ import annotations

import difflib
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from openness.namespaces import PREFIXES
from openness.resources import ontology_dir, resource_dir
from rdflib import Graph
from rdflib.namespace import SH

REPO = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _first_difference(have: str, want: str) -> str:
    diff = difflib.unified_diff(have.splitlines(), want.splitlines(), "committed", "generated",
                                n=1, lineterm="")
    return "\n".join(list(diff)[:12])


def test_context_is_generated_from_the_namespaces_and_the_ontology() -> None:
    want = _script("gen_context").render()
    have = (ontology_dir() / "context.jsonld").read_text(encoding="utf-8")
    assert have == want, ("ontology/context.jsonld differs from what the namespaces and the ontology give: "
                          "run python scripts/gen_context.py\n" + _first_difference(have, want))


def test_ontology_documentation_is_current(tmp_path: Path) -> None:
    out = tmp_path / "index.html"
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_docs.py"), str(out)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    want = out.read_text(encoding="utf-8")
    have = (REPO / "docs" / "ontology" / "index.html").read_text(encoding="utf-8")
    assert have == want, ("docs/ontology/index.html differs from the ontology's documentation: "
                          "run python scripts/gen_docs.py\n" + _first_difference(have, want))


def test_compiled_shapes_are_current() -> None:
    stale = _script("compile_shapes").differences()
    assert not stale, (f"queries/shapes-compiled/ is out of date for {stale}: "
                       "run python scripts/compile_shapes.py")


def test_shape_prefixes_agree_with_the_namespaces() -> None:
    g = Graph().parse(resource_dir("shapes") / "prefixes.ttl")
    declared = {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace))
                for d in g.objects(None, SH.declare)}
    assert "og" in declared
    wrong = {p: iri for p, iri in declared.items() if PREFIXES.get(p) != iri}
    assert not wrong, f"shapes/prefixes.ttl declares {wrong}; openness.namespaces.PREFIXES says otherwise"
