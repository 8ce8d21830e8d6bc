"""`consultsim kg`: the HPO knowledge graph."""

from __future__ import annotations

import typer

from ._common import not_yet

app = typer.Typer(help="Query the HPO knowledge graph: search terms, look up diseases, rank a differential.", no_args_is_help=True)

_EXTRA = {"ignore_unknown_options": True, "allow_extra_args": True}


@app.command(context_settings=_EXTRA)
def search(text: str) -> None:
    """Find HPO terms by label or synonym, typo-tolerant. [not built yet]"""
    not_yet("consultsim kg search", 3)


@app.command(context_settings=_EXTRA)
def disease(disease_id: str) -> None:
    """Show a disease and its annotated phenotypes. [not built yet]"""
    not_yet("consultsim kg disease", 3)


@app.command(context_settings=_EXTRA)
def rank() -> None:
    """Rank diseases against present and excluded findings. [not built yet]"""
    not_yet("consultsim kg rank", 3)


@app.command(context_settings=_EXTRA)
def stats() -> None:
    """Counts of terms, diseases and annotations. [not built yet]"""
    not_yet("consultsim kg stats", 3)
