"""openness-graph: a knowledge graph of AI openness claims.

The import package is ``openness``; its code lives in ``graph/`` and the web service in
``api/`` (installed as ``openness.api`` by the wheel's package mapping).
"""

from pathlib import Path

__version__ = "0.1.0"

_here = Path(__file__).resolve().parent
if not (_here / "api").is_dir() and (_here.parent / "api" / "__init__.py").is_file():
    # Running from a source checkout (a development symlink): find ``openness.api`` in ../api.
    __path__.append(str(_here.parent))
