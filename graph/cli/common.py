"""Helpers every CLI module shares: the ``--store`` option, opening the store, errors, progress.

Why one place: every command must accept ``--store`` (globally, before the command, or on the
command itself), report failures as one clear line instead of a traceback, and exit with the
same codes (1 = bad input / violations, 2 = usage).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..store import Store, StoreError, open_store

#: Messages, warnings and progress go to stderr so that stdout stays clean for data (query, export).
err_console = Console(stderr=True)
#: Data and tables for the user.
out_console = Console()

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2

_STORE_HELP = (
    "Store location: a directory for the embedded store, ':memory:', or an http(s) SPARQL endpoint "
    "URL. Default: $OPENNESS_STORE, else a directory in your user data folder."
)
_UPDATE_HELP = "SPARQL Update endpoint URL when --store is a remote query endpoint (or $OPENNESS_UPDATE_URL)."

#: Use as a parameter type on any command: ``store: StoreOption = None``.
StoreOption = Annotated[str | None, typer.Option("--store", help=_STORE_HELP, show_default=False)]
UpdateUrlOption = Annotated[str | None, typer.Option("--update-url", help=_UPDATE_HELP, show_default=False)]

_global: dict[str, str | None] = {"store": None, "update_url": None}


def set_global_store(store: str | None, update_url: str | None = None) -> None:
    """Remember the app-level ``--store`` / ``--update-url`` (given before the command name)."""
    _global["store"] = store
    _global["update_url"] = update_url


def store_location(store: str | None = None) -> str | None:
    """The store the user asked for: the command's option, else the global one, else None (default)."""
    return store if store is not None else _global["store"]


def open_cli_store(
    store: str | None = None, *, read_only: bool = False, update_url: str | None = None
) -> Store:
    """Open the store for a command, turning failures into a clear message and exit code 1."""
    try:
        return open_store(
            store_location(store), read_only=read_only, update_url=update_url or _global["update_url"]
        )
    except StoreError as err:
        fail(str(err))


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``message`` as an error (no traceback) and exit with ``code``."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


F = TypeVar("F", bound=Callable[..., Any])


def cli_errors(func: F) -> F:
    """Decorator: known errors (bad input, store problems) become one message and exit code 1.

    Errors that carry a structured report (ingest violations) print it before exiting.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except (StoreError, ValueError, FileNotFoundError, OSError) as err:
            fail(str(err))

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress(transient: bool = True) -> Iterator[Progress]:
    """A rich progress display on stderr (invisible in pipes, visible on a terminal)."""
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=transient,
    ) as bar:
        yield bar


# --------------------------------------------------------------------------- compact tables

_SCHEME = ("https://", "http://")


def short_url(url: str, width: int = 32) -> str:
    """A URL shortened for an 80-column table: no scheme or ``www.``, the middle elided (…).

    Tables only; JSON and CSV keep the full URL.
    """
    text = url.strip()
    for prefix in _SCHEME:
        text = text.removeprefix(prefix)
    text = text.removeprefix("www.").rstrip("/")
    if len(text) <= width:
        return text
    head = (width - 1) * 2 // 3
    return text[:head] + "…" + text[-(width - 1 - head):]


def display_names(store: Store, iris: set[str]) -> dict[str, str]:
    """IRI -> its rdfs:label (else skos:prefLabel / foaf:name), else the IRI's last segment.

    Why: CLI tables name releases and agents the way people do ("Llama 2", not the IRI).
    """
    names = {iri: iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] for iri in iris}
    todo = sorted(i for i in iris if i.startswith(_SCHEME) and ">" not in i and " " not in i)
    for start in range(0, len(todo), 500):
        values = " ".join(f"<{i}>" for i in todo[start:start + 500])
        for row in store.select(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
            f"SELECT ?x (MIN(STR(?l)) AS ?label) WHERE {{ VALUES ?x {{ {values} }} "
            "?x rdfs:label|skos:prefLabel|foaf:name ?l } GROUP BY ?x"
        ):
            names[str(row["x"])] = str(row["label"])
    return names
