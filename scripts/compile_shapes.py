"""Write the SHACL shapes compiled to SPARQL into queries/shapes-compiled/ (a generated artifact).

Run ``python scripts/compile_shapes.py`` after changing anything under shapes/; the output is
committed so a reviewer sees what a shape change does to the queries the validator runs, and so
the queries can be run on any SPARQL 1.1 store. ``--check`` only compares (exit status 1 when the
folder differs from a fresh compilation); tests/test_validation_compiled.py does the same.

The validator itself compiles the shapes when it starts (openness.validation.compiled_shapes), with
the same code, so what runs is always what the shapes say.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "queries" / "shapes-compiled"


def expected_files() -> dict[str, str]:
    """File name → content of the artifact, compiled from the shipped shapes."""
    from openness.validation import _shipped_shapes, compiled_shapes
    from openness.validation.compiler import query_files

    return query_files(compiled_shapes(), _shipped_shapes())


def differences(out: Path = DEFAULT_OUT) -> list[str]:
    """What differs between ``out`` and a fresh compilation (file names), empty when current."""
    want = expected_files()
    have = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*")} if out.is_dir() else {}
    return sorted(name for name in set(want) | set(have) if want.get(name) != have.get(name))


def write(out: Path = DEFAULT_OUT) -> int:
    """Write the artifact (removing files a compilation no longer gives); returns the file count."""
    want = expected_files()
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*"):
        if stale.name not in want:
            stale.unlink()
    for name, text in want.items():
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return len(want)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder to write (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when out of date")
    args = parser.parse_args(argv)
    if args.check:
        stale = differences(args.out)
        if stale:
            print(f"{args.out} is out of date ({', '.join(stale)}): run python scripts/compile_shapes.py",
                  file=sys.stderr)
            return 1
        return 0
    print(f"wrote {write(args.out)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
