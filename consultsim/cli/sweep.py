"""`consultsim sweep` and `consultsim report`."""

from __future__ import annotations

import typer

from consultsim.cli._common import not_yet


def register(app: typer.Typer) -> None:
    @app.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def sweep(spec: str = typer.Argument(..., help="A sweep specification (YAML).")) -> None:
        """Run a batch sweep of cases x configurations x seeds. [not built yet]"""
        not_yet("consultsim sweep")

    @app.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def report() -> None:
        """Tables and plots of sweep results. [not built yet]"""
        not_yet("consultsim report")
