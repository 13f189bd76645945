"""The ``openness`` command line: one Typer app, one module per group of commands.

* :mod:`.core`: load, validate, stats, query, export (the store and its claims)
* :mod:`.sources`: import, build (the real catalogues)
* :mod:`.rules`: classify, assess, diff, trace, disagreements, openwashing (the frameworks)
* :mod:`.serve`: serve (the web service)
* :mod:`.analyze`: analyze lineage|licenses|agreement|timeline|organizations|lenses
"""

from __future__ import annotations

import typer

from . import analyze, core, rules, serve, sources

app = typer.Typer(
    name="openness",
    help="openness-graph: how open is this AI model, by which definition, and on what evidence?",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for module in (core, sources, rules, serve, analyze):
    module.register(app)


def main() -> None:
    app()
