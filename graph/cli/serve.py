"""CLI command: ``openness serve`` — the SPARQL endpoint, linked data, pages and JSON API.

On a fresh install the store is empty; rather than serve nothing, ``serve`` loads the bundled
example claims (``data/examples/*.ttl``, validated through the same ingest as ``openness load``)
and says how to get the full graph (``openness build``). ``--no-examples`` serves the store as it is.
"""

from __future__ import annotations

import gc
import os
from typing import Annotated

import typer

from .common import StoreOption, cli_errors, err_console, fail, open_cli_store, store_location


def _bootstrap(location: str | None) -> None:
    """Load the bundled examples into an empty store, then release it (the server reopens it)."""
    from ..resources import data_dir

    store = open_cli_store(location)
    try:
        if store.count() > 0:
            return
        examples = sorted((data_dir() / "examples").glob("*.ttl"))
        if not examples:
            err_console.print(
                "[yellow]The store is empty and no bundled examples were found.[/] "
                "Run `openness build` (all catalogues) or `openness load FILE...` first."
            )
            return
        from ..gate import ingest_files

        report = ingest_files(store, examples)
        err_console.print(
            f"The store was empty: loaded {len(examples)} bundled example file(s) "
            f"({report.triples_after} triples). Run `openness build` for the full graph of all catalogues."
        )
    finally:
        store.close()
        del store
        gc.collect()  # pyoxigraph releases the store's lock when the object is gone


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the main app."""

    @app.command()
    @cli_errors
    def serve(
        store: StoreOption = None,
        host: Annotated[
            str, typer.Option(help="Interface to listen on (0.0.0.0 to expose it).")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
        timeout: Annotated[float, typer.Option(help="Seconds before a SPARQL query is stopped.")] = 30.0,
        max_rows: Annotated[
            int, typer.Option(help="Result rows before a result is cut (and says so).")
        ] = 10_000,
        max_concurrent: Annotated[
            int, typer.Option(help="Query worker processes (queries running at once); more wait in a queue.")
        ] = 5,
        queue_wait: Annotated[
            float, typer.Option(help="Seconds a request may wait in the queue before 429 (Retry-After).")
        ] = 10.0,
        max_result_bytes: Annotated[
            int, typer.Option(help="Result bytes before a result is cut (and says so).")
        ] = 16_000_000,
        update_token: Annotated[
            str | None,
            typer.Option(
                envvar="OPENNESS_UPDATE_TOKEN",
                help="Enable SPARQL Update, Graph Store writes and POST /api/claims for "
                "'Authorization: Bearer TOKEN'.",
                show_default=False,
            ),
        ] = None,
        examples: Annotated[
            bool, typer.Option(help="Load the bundled example claims when the store is empty.")
        ] = True,
        log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    ) -> None:
        """Serve the graph: SPARQL endpoint (/sparql), linked data, HTML pages, JSON API (/api), dumps."""
        import uvicorn
        from openness.api.app import create_app
        from openness.api.settings import Settings

        location = store_location(store)
        if location == ":memory:":
            fail(
                "serve needs an on-disk store (queries run in processes that open its snapshots); "
                "pass --store DIR"
            )
        if location is not None and str(location).startswith(("http://", "https://")):
            fail(f"serve needs the embedded store; {location} already is a SPARQL endpoint")
        if timeout <= 0 or max_rows <= 0 or max_concurrent <= 0 or max_result_bytes <= 0 or queue_wait < 0:
            fail("--timeout, --max-rows, --max-concurrent and --max-result-bytes must be positive, "
                 "--queue-wait zero or more")
        if examples:
            _bootstrap(location)
        settings = Settings.from_env()
        settings.store = str(location) if location is not None else None
        settings.query_timeout = timeout
        settings.max_rows = max_rows
        settings.max_concurrent_queries = max_concurrent
        settings.queue_wait = queue_wait
        settings.max_result_bytes = max_result_bytes
        settings.update_token = update_token or None
        if update_token:
            os.environ.setdefault("OPENNESS_UPDATE_TOKEN", update_token)
        err_console.print(
            f"openness-graph: http://{host}:{port}/ (SPARQL endpoint: http://{host}:{port}/sparql)"
        )
        uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level)
