"""The framework list lives in the ontology only (issue 8, "no Python module outside the engine
branches on a framework's name").

Each og:Framework with a derive step (``ontology/rules.ttl``) has a short key (skos:notation), a
display order and a result kind (``ontology/schemes/core.ttl``); :func:`openness.derive.frameworks`
reads them. These tests check that

* no module of ``graph/`` or ``api/`` outside the engine (``graph/derive.py``) and the prefix table
  (``graph/namespaces.py``: ``mof:`` and ``spectrum:`` are namespace prefixes there) names a
  framework: its key or local name as a string literal, its IRI in a string, ``OG.<local name>``;
* every reader — the build summary, the home charts, the served chart routes, the JSON API's
  framework parameter — lists exactly ``derive.frameworks()``, in its order.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openness import derive
from openness.namespaces import OG
from openness.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("graph", "api")
#: The engine reads the framework table; the prefix table names namespaces, not frameworks.
EXEMPT = {"graph/derive.py", "graph/namespaces.py"}
#: A literal that spells like a framework key but names something else, with why.
NOT_A_FRAMEWORK = {
    ("graph/importers/osai.py", "osai-index"): "the Index's claimant agent (id:agent/osai-index), a data IRI",
}


def _names() -> tuple[set[str], set[str], set[str]]:
    """Framework keys, local names (``MOF-1.0``) and IRIs, from the ontology."""
    fws = derive.frameworks().values()
    return ({f.key for f in fws}, {str(f.iri)[len(str(OG)):] for f in fws if str(f.iri).startswith(str(OG))},
            {str(f.iri) for f in fws})


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the Constant nodes that are docstrings (prose may mention a framework)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                out.add(id(first.value))
    # attribute docstrings (#: comments are not nodes; a bare string after an assignment is)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for prev, cur in zip(body, body[1:], strict=False):
                if isinstance(prev, ast.Assign | ast.AnnAssign) and isinstance(cur, ast.Expr) \
                        and isinstance(cur.value, ast.Constant) and isinstance(cur.value.value, str):
                    out.add(id(cur.value))
    return out


def framework_mentions(path: Path, rel: str) -> list[str]:
    """Every place in ``path`` that names a framework, as ``file:line: what``."""
    keys, locals_, iris = _names()
    prefixed = re.compile(r"og:(" + "|".join(map(re.escape, sorted(locals_))) + r")(?![\w.-])")
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            text = node.value
            why = None
            if text in keys and (rel, text) not in NOT_A_FRAMEWORK:
                why = f"framework key {text!r} as a string literal"
            elif text in locals_:
                why = f"framework local name {text!r} (OG[{text!r}])"
            elif any(iri in text for iri in iris):
                why = "a framework IRI in a string"
            elif m := prefixed.search(text):
                why = f"og:{m.group(1)} in a string"
            if why:
                found.append(f"{rel}:{node.lineno}: {why}")
        elif isinstance(node, ast.Attribute) and node.attr in locals_:
            found.append(f"{rel}:{node.lineno}: .{node.attr} (a framework by name)")
    return found


def test_no_module_outside_the_engine_names_a_framework() -> None:
    found = []
    scanned = 0
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in EXEMPT:
                continue
            scanned += 1
            found += framework_mentions(path, rel)
    assert scanned > 50  # the scan saw the package
    assert not found, ("name frameworks in the ontology (ontology/schemes/core.ttl) and read them "
                       "through openness.derive.frameworks():\n" + "\n".join(found))


def test_the_scan_would_catch_a_framework_branch(tmp_path: Path) -> None:
    """The check is not vacuous: each way of naming a framework is caught, with its line."""
    key, fw = next(iter(derive.frameworks().items()))
    local = str(fw.iri)[len(str(OG)):]
    probe = tmp_path / "probe.py"
    probe.write_text(f'"""Prose may say og:{local}."""\nfrom x import OG\n\nA = "{key}"\n'
                     f'B = OG["{local}"]\nC = "<{fw.iri}>"\nD = "VALUES ?f {{ og:{local} }}"\n'
                     + ("E = OG." + local + "\n" if local.isidentifier() else ""), encoding="utf-8")
    found = framework_mentions(probe, "probe.py")
    lines = {int(f.split(":")[1]) for f in found}
    assert {4, 5, 6, 7} <= lines and 1 not in lines, found


def test_every_framework_has_a_kind_and_an_order() -> None:
    """The ontology says what each framework's result is (the readers choose a chart by it)."""
    fws = list(derive.frameworks().values())
    assert len(fws) >= 4
    kinds = {str(k) for k in (OG.TierResult, OG.ClassResult, OG.PassFailResult, OG.ScoreResult)}
    for fw in fws:
        assert str(fw.kind) in kinds, (fw.key, fw.kind)
        assert fw.kind_label and fw.label
    assert [f.order for f in fws] == sorted(f.order for f in fws)
    assert len({f.order for f in fws}) == len(fws)


# --------------------------------------------------------------------------- readers list them all


def test_summary_charts_and_api_list_exactly_the_frameworks(memory_store: OxigraphStore) -> None:
    """On an empty store every reader still lists every framework of the ontology, in order."""
    from openness.analysis import charts
    from openness.api import pages, rest
    from openness.cli.sources import summary_data

    keys = list(derive.frameworks())
    data = summary_data(memory_store, disagreements=False)
    assert list(data["verdicts"]) == keys
    assert list(data["releases_judged"]) == keys
    assert [c["name"] for c in pages.home_charts({})] == keys
    assert [n for n in charts.CHARTS if n in derive.frameworks()] == keys
    assert set(rest.FrameworkName.__args__) == set(keys)  # type: ignore[attr-defined]
    assert [iri for iri, _ in pages.views.FRAMEWORKS] == [str(f.iri) for f in derive.frameworks().values()]


@pytest.fixture(scope="module")
def web(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        yield client


@pytest.mark.server
def test_api_framework_parameter_names_the_known_keys(web: httpx.Client) -> None:
    """The real server: the JSON API takes every key and names them all when it refuses one; each
    framework has its chart, and the home page shows one per framework."""
    keys = list(derive.frameworks())
    for key in keys:
        res = web.get("/api/releases", params={"framework": key})
        assert res.status_code == 200, (key, res.text)
    res = web.get("/api/releases", params={"framework": "no-such-framework"})
    assert res.status_code == 422
    text = json.dumps(res.json())
    assert all(k in text for k in keys), text
    res = web.get("/charts/no-such-framework.svg")
    assert res.status_code == 404 and all(k in res.text for k in keys), res.text
    for key in keys:
        res = web.get(f"/charts/{key}.svg")
        assert res.status_code == 200 and b"<svg" in res.content, key
    home = web.get("/").text
    shown = Counter(re.findall(r'src="/charts/([^"/]+)\.svg"', home))
    assert list(shown) == keys and set(shown.values()) == {1}


# --------------------------------------------------------------------------- a fifth framework


FIFTH = """
og:FifthTestFramework a og:Framework , skos:Concept ;
    skos:notation "fifth-test" ; skos:prefLabel "fifth test framework"@en ;
    og:displayOrder 5 ; og:resultKind og:PassFailResult ;
    skos:inScheme og:FrameworkScheme .
og:FifthTestStep a og:DeriveStep ;
    rdfs:label "fifth test framework"@en ; og:ruleFile "rules/fifth-test.ru" ; og:stepOrder 54 ;
    og:focus og:ReleaseFocus ; og:framework og:FifthTestFramework .
"""


def _package_with_a_fifth_framework(root: Path) -> Path:
    """A copy of the package whose ontology declares a fifth framework (the spectrum's rule under
    another concept, shown as pass/fail verdicts): the ontology and a rule file change, no Python
    file does."""
    pkg = root / "pkg" / "openness"
    ignore = shutil.ignore_patterns("__pycache__", "static")
    shutil.copytree(ROOT / "graph", pkg, ignore=ignore)
    shutil.copytree(ROOT / "api", pkg / "api", ignore=ignore)
    (pkg / "api" / "static").symlink_to(ROOT / "api" / "static")
    res = pkg / "_resources"
    shutil.copytree(ROOT / "ontology", res / "ontology")
    shutil.copytree(ROOT / "queries", res / "queries")
    for name in ("shapes", "data"):
        (res / name).symlink_to(ROOT / name)
    with (res / "ontology" / "rules.ttl").open("a", encoding="utf-8") as f:
        f.write(FIFTH)
    rule = (ROOT / "queries" / "rules" / "spectrum.ru").read_text(encoding="utf-8")
    assert "og:SpectrumOTI2024" in rule
    (res / "queries" / "rules" / "fifth-test.ru").write_text(
        rule.replace("og:SpectrumOTI2024", "og:FifthTestFramework"), encoding="utf-8")
    return pkg.parent


@pytest.mark.server
def test_a_fifth_framework_appears_everywhere_with_no_python_edit(
        tmp_path: Path, examples_dir: Path, server_factory: Callable[..., Any]) -> None:
    """Declare a fifth framework in the ontology of a copy of the package: the build summary, the
    home charts, the JSON API and the release pages show it, with the verdicts its rule gives."""
    pythonpath = str(_package_with_a_fifth_framework(tmp_path))
    env = {**os.environ, "PYTHONPATH": pythonpath}
    cli = [sys.executable, "-c", "from openness.cli import main; main()"]
    check = subprocess.run([*cli[:2], "import openness; print(openness.__file__)"], env=env,
                           capture_output=True, text=True, check=True)
    assert check.stdout.startswith(pythonpath)  # the copy, not the working tree
    store = tmp_path / "store"
    files = [str(p) for p in sorted(examples_dir.glob("*.ttl"))]
    done = subprocess.run([*cli, "--store", str(store), "load", *files], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    summary = subprocess.run([*cli, "--store", str(store), "summary", "--no-disagreements"],
                             env={**env, "COLUMNS": "80"}, capture_output=True, text=True, timeout=300)
    assert summary.returncode == 0, summary.stderr
    judged = dict(re.findall(r"^(.+) — ([\d,]+) releases judged$", summary.stdout, re.MULTILINE))
    assert list(judged) == [*(derive.framework(k).label for k in derive.frameworks()), "fifth test framework"]
    spectrum = derive.framework("spectrum").label
    assert judged["fifth test framework"] == judged[spectrum] != "0"  # the same rule

    server = server_factory(store, env={"PYTHONPATH": pythonpath})
    with httpx.Client(base_url=server.url, timeout=60) as web:
        fifth = web.get("/api/releases", params={"framework": "fifth-test", "limit": 500})
        same = web.get("/api/releases", params={"framework": "spectrum", "limit": 500})
        assert fifth.status_code == 200 and same.status_code == 200, fifth.text
        assert fifth.json()["total"] == same.json()["total"] > 0
        refused = web.get("/api/releases", params={"framework": "sixth"})
        assert refused.status_code == 422 and "fifth-test" in refused.text
        chart = web.get("/charts/fifth-test.svg")
        assert chart.status_code == 200 and b"<svg" in chart.content
        home = web.get("/").text
        assert re.findall(r'src="/charts/([^"/]+)\.svg"', home) == [*derive.frameworks(), "fifth-test"]
        release = fifth.json()["items"][0]
        page = web.get(release["page"]).text
        table = page[page.index('<table class="verdicts">'):]
        table = table[:table.index("</table>")]
        assert re.search(r'<th scope="row">fifth test framework</th>', table, re.IGNORECASE), table
