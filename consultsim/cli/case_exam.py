"""`consultsim case exam`."""

from __future__ import annotations

import typer

from consultsim.cli._common import not_yet

_EXTRA = {"ignore_unknown_options": True, "allow_extra_args": True}


def register(app: typer.Typer) -> None:
    @app.command("exam", context_settings=_EXTRA)
    def exam() -> None:
        """[not built yet]"""
        not_yet("consultsim case exam", 4)
