"""`consultsim case ask`."""

from __future__ import annotations

import typer

from consultsim.cli._common import not_yet

_EXTRA = {"ignore_unknown_options": True, "allow_extra_args": True}


def register(app: typer.Typer) -> None:
    @app.command("ask", context_settings=_EXTRA)
    def ask() -> None:
        """[not built yet]"""
        not_yet("consultsim case ask", 4)
