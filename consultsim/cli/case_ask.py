"""`consultsim case ask`: preview how the simulated patient answers a question about a case."""

from __future__ import annotations

import sys

import typer

from consultsim.cli._common import fail, print_json


def register(app: typer.Typer) -> None:
    @app.command("ask")
    def ask(
        case_ref: str = typer.Argument(..., metavar="CASE", help="A case file, or a built-in case id."),
        question: str = typer.Argument(
            None, help="The question. Without it, questions are read line by line from stdin."
        ),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per reply on stdout."),
        style: str = typer.Option(
            None, "--style", help="neutral, terse, talkative, anxious or low_health_literacy (default: the case's)."
        ),
        bias: str = typer.Option(
            None,
            "--bias",
            help="A patient bias: recency, frequency, false_consensus, self_diagnosis, gender, race, "
            "sexual_orientation, cultural, education, religion, socioeconomic.",
        ),
        seed: int = typer.Option(0, "--seed", help="Picks among phrasing variants; never the facts."),
        patient: str = typer.Option("offline", "--patient", help="offline, or llm:PROVIDER:MODEL."),
    ) -> None:
        """Ask the simulated patient of CASE a question (or many, one per line on stdin)."""
        from consultsim.agents.patient import patient_view
        from consultsim.agents.patient.llm import make_patient
        from consultsim.agents.patient.voice import parse_bias, parse_style
        from consultsim.scenarios import resolve_case
        from consultsim.scenarios.loading import load_case

        try:
            parsed_style = parse_style(style)
            parsed_bias = parse_bias(bias)
        except ValueError as err:
            fail(str(err))
        case = load_case(resolve_case(case_ref))  # CaseError: the app prints it, exit 2
        view = patient_view(case)
        try:
            engine = make_patient(view, patient, seed=seed, style=parsed_style, bias=parsed_bias)
        except ImportError:
            fail("the LLM patient needs langchain: install consultsim[llm]")
        except ValueError as err:
            fail(str(err).strip().splitlines()[0] if str(err).strip() else "bad patient model")
        except Exception as err:  # noqa: BLE001 - a model string the provider rejects
            fail(f"cannot start patient model {patient!r}: {str(err).splitlines()[0] if str(err) else type(err).__name__}")

        def answer(q: str) -> None:
            reply = engine.ask(q)
            if as_json:
                print_json(reply.as_json())
            else:
                typer.echo(reply.text)

        if question is not None:
            answer(question)
            return
        if not as_json:
            typer.echo(engine.opening().text)
        else:
            engine.opening()
        for line in sys.stdin:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if not as_json and not sys.stdin.isatty():
                typer.echo(f"> {line}")
            answer(line)
