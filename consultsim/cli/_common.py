"""Shared pieces of the command line: consoles, exit codes, JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def problem(line: str) -> None:
    """One problem, one line on stderr, never wrapped or marked up."""
    err_console.print(line, markup=False, highlight=False)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    problem(f"consultsim: {message}")
    raise typer.Exit(code)


def not_yet(command: str) -> NoReturn:
    problem(f"consultsim: `{command}` is not available yet")
    raise typer.Exit(EXIT_FAILURE)
