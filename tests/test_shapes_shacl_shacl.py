"""The shapes themselves are valid SHACL: they conform to SHACL's own shapes (SHACL-SHACL)."""

from __future__ import annotations

from pathlib import Path

import pyshacl
from openness.vocab import load_meta_shapes, load_shapes
from pyshacl import validate
from rdflib import Graph

SHACL_SHACL = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"


def _shacl_shacl() -> Graph:
    return Graph().parse(SHACL_SHACL, format="turtle")


def test_data_shapes_conform_to_shacl_shacl() -> None:
    conforms, _report, text = validate(load_shapes(), shacl_graph=_shacl_shacl(), inference="none")
    assert conforms, text


def test_meta_shapes_conform_to_shacl_shacl() -> None:
    conforms, _report, text = validate(load_meta_shapes(), shacl_graph=_shacl_shacl(), inference="none")
    assert conforms, text


def test_shacl_shacl_catches_a_broken_shape() -> None:
    """The check above can fail: a shape with a non-integer sh:minCount and two paths is refused."""
    broken = Graph()
    broken += load_shapes()
    broken.parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix og: <https://w3id.org/openness/ns#> .
        <urn:test:Broken> a sh:NodeShape ; sh:targetClass og:Claim ;
            sh:property [ sh:path og:about , og:criterion ; sh:minCount "one" ] .
        """,
        format="turtle",
    )
    conforms, _report, _text = validate(broken, shacl_graph=_shacl_shacl(), inference="none")
    assert not conforms


def test_shapes_load_without_meta_folder() -> None:
    """load_shapes() is what data is validated against: the vocabulary checks are not in it."""
    from openness.vocab import shapes_files

    names = {p.parent.name for p in shapes_files()}
    assert "meta" not in names
    assert len(load_shapes()) > 0
