"""`consultsim case exam`: ask the examiner of a case for an examination or a test."""

from __future__ import annotations

import sys

import typer

from consultsim.cli._common import print_json


def register(app: typer.Typer) -> None:
    @app.command("exam")
    def exam(
        case_ref: str = typer.Argument(..., metavar="CASE", help="A case file, or the id of a built-in case."),
        request: str = typer.Argument(
            None, help="What to examine or order, e.g. 'listen to the heart' or 'ECG and troponin'. "
            "Without it, requests are read from stdin, one per line."
        ),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per request on stdout."),
        seed: int = typer.Option(0, "--seed", help="Random seed (the offline examiner is deterministic)."),
    ) -> None:
        """Examine the patient or order a test in a case, as the consultation's examiner would.

        Prints the findings of the case that the request discloses; an unlisted routine exam or
        test comes back normal when the case allows it."""
        from consultsim.agents.examiner import Examiner
        from consultsim.scenarios import load_case, resolve_case

        case = load_case(resolve_case(case_ref))
        examiner = Examiner(case, seed=seed)

        def answer(text: str) -> None:
            reply = examiner.request(text)
            if as_json:
                print_json(reply.as_json())
            else:
                typer.echo(reply.text)

        if request is not None:
            answer(request)
            return
        for line in sys.stdin:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if not as_json:
                typer.echo(f"> {line}")
            answer(line)
