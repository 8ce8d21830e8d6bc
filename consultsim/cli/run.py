"""`consultsim run` and `consultsim tui`."""

from __future__ import annotations

import typer

from consultsim.cli._common import not_yet


def register(app: typer.Typer) -> None:
    @app.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def run(case: str = typer.Argument(..., help="A case file or a built-in case id.")) -> None:
        """Run one consultation on a case and print the transcript and the scorecard. [not built yet]"""
        not_yet("consultsim run", 5)

    @app.command()
    def tui() -> None:
        """Open the terminal UI: practise a consultation as the doctor. [not built yet]"""
        not_yet("consultsim tui", 7)
