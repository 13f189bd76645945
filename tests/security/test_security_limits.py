"""The limits themselves (docs/security.md, "Limits"): where each one starts, that what is under
it still reads, and that the size limit is checked before a file is read.

Nesting is measured the way the readers count it: containers in JSON and YAML, brackets in
Turtle, elements in RDF/XML. A document exactly :data:`MAX_DEPTH` deep must read (so real files
never meet the limit, and rdflib's recursive parsers are safe up to it); one level more is
refused with the nesting-depth limit named.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openness.ingest import ReadError, read_file
from openness.ingest.limits import MAX_CLAIM_FILE_BYTES, MAX_DEPTH
from rdflib import Literal, URIRef
from security_helpers import HUGE, MAX_MB, MAX_SECONDS, sparse_file

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _json(depth: int) -> str:
    return '{"id": "urn:x:a", "urn:x:p": ' + '{"urn:x:p": ' * (depth - 1) + '"v"' + "}" * depth


def _yaml(depth: int) -> str:
    lines = ["id: urn:x:a"] + [f"{'  ' * i}urn:x:p:" for i in range(depth - 1)]
    return "\n".join(lines) + f"\n{'  ' * (depth - 1)}urn:x:q: v\n"


def _turtle(depth: int) -> str:
    return "<urn:x:a> <urn:x:p> " + "[ <urn:x:p> " * depth + '"v"' + " ]" * depth + " .\n"


def _rdfxml(depth: int) -> str:
    """rdf:RDF, then node and property elements in turn: ``depth`` elements deep."""
    tags = ["rdf:Description" if i % 2 == 0 else "x:p" for i in range(depth - 1)]
    inner = "v" if tags[-1] == "x:p" else ""
    return (
        f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:x="urn:x:">'
        + "".join(f"<{t}>" for t in tags)
        + inner
        + "".join(f"</{t}>" for t in reversed(tags))
        + "</rdf:RDF>"
    )


BUILDERS: dict[str, tuple[str, Callable[[int], str]]] = {
    "json": (".json", _json),
    "jsonld": (".jsonld", _json),
    "yaml": (".yaml", _yaml),
    "turtle": (".ttl", _turtle),
    "rdfxml": (".rdf", _rdfxml),
}


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_nesting_up_to_the_limit_reads_and_one_more_is_refused(tmp_path: Path, fmt: str) -> None:
    suffix, build = BUILDERS[fmt]
    at_limit = tmp_path / f"at-limit{suffix}"
    at_limit.write_text(build(MAX_DEPTH), encoding="utf-8")
    assert len(read_file(at_limit).graph) > 0
    over = tmp_path / f"over{suffix}"
    over.write_text(build(MAX_DEPTH + 1), encoding="utf-8")
    with pytest.raises(ReadError, match="nesting-depth limit") as refused:
        read_file(over)
    assert refused.value.limit == "nesting-depth limit" and over.name in str(refused.value)


def test_brackets_in_strings_iris_and_comments_are_not_nesting(tmp_path: Path) -> None:
    ttl = tmp_path / "brackets.ttl"
    ttl.write_text(
        f'# {"[" * 1000}\n<urn:x:a{"(" * 50}> <urn:x:p> "{"[" * 1000}" ,\n'
        f' """{"(" * 1000}\n{"{" * 1000}""" .\n',
        encoding="utf-8",
    )
    assert len(read_file(ttl).graph) == 2
    js = tmp_path / "brackets.json"
    js.write_text(json.dumps({"id": "urn:x:a", "urn:x:p": "[" * 1000 + '\\"{' * 1000}), encoding="utf-8")
    assert len(read_file(js).graph) == 1


def test_yaml_anchors_without_aliases_read(tmp_path: Path) -> None:
    doc = tmp_path / "anchor.yaml"
    doc.write_text("id: urn:x:a\nurn:x:p: &value v\n", encoding="utf-8")
    assert (URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("v")) in read_file(doc).graph


def test_the_shipped_context_is_resolved_locally_by_iri_and_by_import(tmp_path: Path) -> None:
    by_iri = tmp_path / "by-iri.yaml"
    by_iri.write_text(
        "'@context': https://w3id.org/openness/context.jsonld\nid: urn:x:a\nlabel: x\n", encoding="utf-8"
    )
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert (URIRef("urn:x:a"), label, Literal("x")) in read_file(by_iri).graph
    # JSON-LD 1.1 @import: the importing context's own definitions win over the imported ones.
    imported = tmp_path / "import.jsonld"
    imported.write_text(
        json.dumps(
            {
                "@context": {"@import": "https://w3id.org/openness/context", "label": "urn:x:mine"},
                "@id": "urn:x:a",
                "label": "x",
                "comment": "y",
            }
        ),
        encoding="utf-8",
    )
    graph = read_file(imported).graph
    assert (URIRef("urn:x:a"), URIRef("urn:x:mine"), Literal("x")) in graph
    assert (URIRef("urn:x:a"), URIRef("http://www.w3.org/2000/01/rdf-schema#comment"), Literal("y")) in graph


@pytest.mark.parametrize("suffix", [".ttl", ".yaml", ".rdf"])
def test_a_claim_file_over_the_size_limit_is_refused_before_it_is_read(
    cli,
    cli_startup: float,
    tmp_path: Path,
    suffix: str,
) -> None:
    """4 GB (sparse, so free to make): reading it at all would cost far more than 200 MB."""
    big = sparse_file(tmp_path / f"big{suffix}", HUGE)
    result = cli("load", str(big), timeout=30)
    assert result.returncode == 1 and "size limit" in result.stderr and big.name in result.stderr, (
        result.stderr
    )
    assert f"{MAX_CLAIM_FILE_BYTES:,}" in result.stderr
    assert result.cpu_seconds - cli_startup < MAX_SECONDS and result.peak_mb < MAX_MB
