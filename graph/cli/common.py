"""Helpers every CLI module shares: the ``--store`` option, opening the store, errors, progress.

Why one place: every command must accept ``--store`` (globally, before the command, or on the
command itself), report failures as one clear line instead of a traceback, exit with the same
codes (1 = bad input / violations, 2 = usage: a bad option is refused before any work), and show
progress the same way (a spinner on a terminal, nothing in a pipe).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..store import Store, StoreError, default_store_path, open_store

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


def _is_embedded_store(path: Path) -> bool:
    """Whether ``path`` holds an embedded (Oxigraph / RocksDB) store: RocksDB's ``CURRENT`` file."""
    return (path / "CURRENT").is_file()


def check_store_path(location: str | None, *, create: bool) -> None:
    """Refuse a ``--store`` that is not a store, before anything is read or written.

    Only commands that create a store (``build``, ``load``, ``import``; ``create=True``) may name
    a path that does not exist yet, or an empty folder; a file, or a folder holding other files,
    is never turned into a store. Remote endpoints and ``:memory:`` are not checked here.
    """
    text = str(location) if location is not None else str(default_store_path())
    if text == ":memory:" or text.startswith(("http://", "https://")):
        return
    path = Path(text).expanduser()
    where = "--store" if location is not None else "the default store"
    if path.exists() and not path.is_dir():
        fail(f"{where} {path} is a file, not a store: pass --store with a folder")
    if path.is_dir() and _is_embedded_store(path):
        return
    if path.is_dir() and any(path.iterdir()):
        fail(f"{where} {path} is a folder that holds other files, not a store: pass --store with the "
             "store's folder (or a new one)")
    if not create:
        what = "is an empty folder, not a store" if path.is_dir() else "does not exist"
        fail(f"{where} {path} {what}: create the store with `openness build` (every bundled catalogue) "
             "or `openness load FILE...`, or pass --store with an existing store")


def open_cli_store(
    store: str | None = None, *, read_only: bool = False, update_url: str | None = None,
    create: bool | None = None,
) -> Store:
    """Open the store for a command, turning failures into a clear message and exit code 1.

    ``create``: whether this command may create the store (default: not when ``read_only``);
    see :func:`check_store_path`.
    """
    location = store_location(store)
    check_store_path(location, create=not read_only if create is None else create)
    try:
        return open_store(location, read_only=read_only, update_url=update_url or _global["update_url"])
    except StoreError as err:
        fail(str(err))


def writable_folder(folder: Path, option: str) -> Path:
    """Create ``folder`` if needed and check a file can be written there, before any work.

    Why: ``import`` and ``build`` write their report after the store; an unwritable report folder
    must be refused before the store is touched. Exits with code 2 (a bad option) otherwise.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        reason = err.strerror or str(err)
        fail(f"{option} {folder}: cannot write there ({reason}); pass {option} with a folder you can "
             "write to", EXIT_USAGE)
    return folder


def parse_date(value: str | None, option: str = "--as-of") -> str | None:
    """A ``YYYY-MM-DD`` option value, checked while the options are parsed (exit code 2)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2024-11-19",
                                 param_hint=option) from None


def quiet_library_logs() -> None:
    """Keep library log records (rdflib's traceback for every literal it cannot convert, e.g. a
    date "2024-13-45") off the terminal: the validation report names such values itself."""
    for name in ("rdflib", "rdflib.term", "pyshacl"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


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


Note = Callable[[str], None]


@contextmanager
def activity(description: str) -> Iterator[Note]:
    """A spinner with the step being done and the time spent, on stderr when it is a terminal;
    nothing at all in a pipe or a log. Yields ``note(text)``, which names the current step.

    Why: every command that can take more than two seconds (validate, build, import, assess,
    disagreements, …) shows that it is working, without polluting piped output.
    """
    if not err_console.is_terminal:
        yield lambda _text: None
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err_console, transient=True) as bar:
        task = bar.add_task(escape(description), total=None)
        yield lambda text: bar.update(task, description=escape(f"{description}: {text}"))


def stage_note(note: Note) -> Callable[[str, str], None]:
    """An ingest progress hook (``stage, detail``) feeding :func:`activity`'s ``note``."""
    return lambda stage, detail: note(f"{stage} {detail}".strip())



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
