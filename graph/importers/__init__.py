"""Importers for the real openness catalogues, entity resolution, and ``openness build``.

``IMPORTERS`` maps a source name (as used by ``openness import SOURCE PATH``) to its importer,
a callable ``(path, resolver, **kwargs) -> ImportResult``. Importers are imported lazily so one
broken or missing importer never stops the others; other modules add entries with a small edit.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

#: source name -> "module:function" (relative to this package)
IMPORTERS: dict[str, str] = {
    "mot": "mot:import_mot",
    "osai": "osai:import_osai",
    "osai-legacy": "osai_legacy:import_osai_legacy",
    "fmti": "fmti:import_fmti",
    "epoch": "epoch:import_epoch",
    "os-ai-map": "osmap:import_osmap",
    "hf-card": "hfcard:import_hf_card",
    "osi-validation": "osi:import_osi_validation",
}


def get_importer(source: str) -> Callable[..., Any]:
    """The importer function for a source name; a clear error when it is unknown or not built yet."""
    try:
        target = IMPORTERS[source]
    except KeyError:
        raise KeyError(f"unknown source {source!r}; use one of {', '.join(IMPORTERS)}") from None
    module_name, _, func = target.partition(":")
    try:
        module = import_module(f"{__name__}.{module_name}")
    except ModuleNotFoundError as err:
        raise KeyError(f"the importer for {source!r} ({module_name}.py) is not available: {err}") from err
    return getattr(module, func)


def available_importers() -> dict[str, Callable[..., Any]]:
    """Every importer whose module exists (a missing one is skipped, not an error)."""
    out: dict[str, Callable[..., Any]] = {}
    for source in IMPORTERS:
        try:
            out[source] = get_importer(source)
        except (KeyError, AttributeError):
            continue
    return out
