"""`consultsim run` (one scored consultation) and `consultsim tui`."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import typer
from rich.table import Table

from consultsim.cli._common import EXIT_FAILURE, console, not_yet, print_json, problem
from consultsim.errors import UserError

ROLE_STYLE = {"patient": "green", "doctor": "cyan", "examiner": "magenta", "specialist": "yellow", "kg": "blue", "system": "red"}


def default_db() -> Path:
    from consultsim.kg.compiled import cache_dir

    return Path(os.environ.get("CONSULTSIM_DB") or cache_dir() / "consultations.sqlite")


def checkpointer_for(db: str | None):  # noqa: ANN201
    """SQLite by default, so an interrupted consultation can be resumed; ':memory:' for none."""
    from langgraph.checkpoint.memory import InMemorySaver

    if db == ":memory:":
        return InMemorySaver()
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = Path(db) if db else default_db()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        saver = SqliteSaver(sqlite3.connect(path, check_same_thread=False))
        saver.setup()
    except (OSError, sqlite3.Error) as err:
        raise UserError(f"cannot use {path} for checkpoints: {err}") from None
    return saver


def register(app: typer.Typer) -> None:
    @app.command()
    def run(
        case: str = typer.Argument(..., help="A case file or a built-in case id (see `consultsim case list`)."),
        doctor: str = typer.Option("kg", "--doctor", envvar="CONSULTSIM_DOCTOR", help="kg (offline), random, oracle, or llm:PROVIDER:MODEL."),
        patient: str = typer.Option("offline", "--patient", envvar="CONSULTSIM_PATIENT", help="offline, or llm:PROVIDER:MODEL to word the grounded replies."),
        specialists: str = typer.Option("auto", "--specialists", envvar="CONSULTSIM_SPECIALISTS", help="auto, none, panel, or a comma-separated list (cardiology,neurology)."),
        max_turns: int = typer.Option(20, "--max-turns", min=1, max=500, envvar="CONSULTSIM_MAX_TURNS", help="Doctor actions before the budget ends the consultation."),
        seed: int = typer.Option(0, "--seed", envvar="CONSULTSIM_SEED", help="Seed for every random choice."),
        style: str = typer.Option(None, "--style", help="Override the patient's style: neutral, terse, talkative, anxious, low_health_literacy."),
        bias: str = typer.Option(None, "--bias", help="A patient bias, e.g. recency, self_diagnosis."),
        specialist_model: str = typer.Option(None, "--specialist-model", envvar="CONSULTSIM_SPECIALIST_MODEL", help="llm:PROVIDER:MODEL to role-play the specialists (default: the offline knowledge-graph specialists)."),
        judge: str = typer.Option(None, "--judge", envvar="CONSULTSIM_JUDGE", help="llm:PROVIDER:MODEL to judge answers the rules cannot match."),
        db: str = typer.Option(None, "--db", envvar="CONSULTSIM_DB", help="SQLite checkpoint file (default in the cache folder); ':memory:' for none."),
        resume: str = typer.Option(None, "--resume", help="Resume the consultation with this thread id."),
        as_json: bool = typer.Option(False, "--json", help='JSON: {"diagnosis", "differential", "score", "transcript"}.'),
    ) -> None:
        """Run one consultation on a case and print the transcript and the scorecard."""
        from consultsim.consultation.runtime import Config, Consultation
        from consultsim.scenarios import load_case, resolve_case

        if doctor == "human":
            raise UserError("a human doctor plays in the terminal UI (`consultsim tui`)")
        loaded = load_case(resolve_case(case))
        config = Config(doctor=doctor, patient=patient, specialists=specialists, max_turns=max_turns, seed=seed, style=style, bias=bias, judge=judge, specialist_model=specialist_model)
        consultation = Consultation(loaded, config, checkpointer_for(db), thread_id=resume)
        result = consultation.run()
        if as_json:
            print_json(result.as_dict())
        else:
            show(result)
        if result.failure:
            problem(f"consultsim: the consultation failed: {result.failure} (resume with --resume {result.thread_id})")
            raise typer.Exit(EXIT_FAILURE)

    @app.command()
    def tui() -> None:
        """Open the terminal UI: practise a consultation as the doctor. [not built yet]"""
        not_yet("consultsim tui")


def show(result) -> None:  # noqa: ANN001
    for turn in result.transcript:
        style = ROLE_STYLE.get(turn.role, "white")
        label = turn.role if not turn.specialty else f"{turn.role} ({turn.specialty})"
        text = turn.text or ""
        if turn.action == "commit":
            text = f"[bold]diagnosis:[/] {turn.text or 'none'}" + (f"  [dim]differential: {'; '.join(turn.differential[:5])}[/]" if turn.differential else "")
        console.print(f"[{style}]{label:>10}[/] {text}", highlight=False)
    card = result.scorecard
    d, q = card.diagnostic, card.questioning
    table = Table(title=f"scorecard: {card.case_id}", show_header=False)
    table.add_row("diagnosis", f"{d.diagnosis or '-'} ({'correct' if d.correct else 'incorrect'}, matched by {d.how})")
    table.add_row("true diagnosis", result.case.diagnosis.name)
    table.add_row("rank in differential", str(d.rank) if d.rank else "not in it")
    table.add_row("top-1 / top-3 / top-10", " / ".join("yes" if x else "no" for x in (d.top1, d.top3, d.top10)))
    table.add_row("key findings elicited", f"{q.key_elicited} of {q.key_findings} ({q.proactive_share:.0%}); known by the end {q.key_known_share:.0%}")
    table.add_row("questions", f"{q.questions}, yield {q.question_yield:.0%}, repeats {q.repeated_questions}, {q.bits_per_question:.2f} bits each")
    table.add_row("exams / tests", f"{q.exams_ordered} / {q.tests_ordered} (key exam and test findings found {q.key_exam_tests_found} of {q.key_exam_tests})")
    table.add_row("premature closure", "yes" if q.premature_closure else "no")
    table.add_row("committed", "yes" if d.committed else "no, the budget ended it")
    table.add_row("turns / model calls / time", f"{card.usage.turns} / {card.usage.model_calls} / {card.usage.wall_seconds:.2f} s")
    if card.missed_key_findings:
        table.add_row("missed key findings", "; ".join(card.missed_key_findings))
    if card.kg_differential:
        table.add_row("knowledge graph differential", "; ".join(f"{x['name']} ({x['probability']:.2f})" for x in card.kg_differential[:3]))
    console.print(table)
