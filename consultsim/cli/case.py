"""`consultsim case`: list, validate, import and describe case files."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from consultsim.cli import case_ask, case_exam
from consultsim.cli._common import (
    EXIT_BAD_INPUT,
    console,
    err_console,
    fail,
    not_yet,
    print_json,
    problem,
)
from consultsim.scenarios.catalog import builtin_case_files, library_dir
from consultsim.scenarios.checks import validate_paths
from consultsim.scenarios.importers import FORMATS, RecordResult, import_sources
from consultsim.scenarios.loading import iter_case_files, load_cases
from consultsim.scenarios.model import Case

app = typer.Typer(
    help="Author, import, validate and list clinical cases.",
    no_args_is_help=True,
)

_EXTRA = {"ignore_unknown_options": True, "allow_extra_args": True}
ImportFormat = StrEnum("ImportFormat", {f: f for f in FORMATS})


@app.command()
def schema() -> None:
    """Print the JSON Schema of a case file (point your editor's YAML support at it)."""
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **Case.model_json_schema(),
    }
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


@app.command("list")
def list_cases(
    paths: list[Path] = typer.Argument(
        None, help="Case files or folders (searched recursively). Default: the built-in library."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per case on stdout."),
) -> None:
    """List cases: id, title, specialty, rare, findings and source."""
    sources = paths or builtin_case_files()
    _require_case_files(sources)
    cases, problems = load_cases(sources)
    if as_json:
        for path, case in cases:
            print_json(
                {
                    "id": case.id,
                    "title": case.title,
                    "specialties": case.specialties,
                    "rare": case.rare,
                    "findings": len(case.findings),
                    "source": case.source,
                    "path": str(path),
                }
            )
    else:
        where = "built-in library" if not paths else ", ".join(str(p) for p in paths)
        table = Table(title=f"{len(cases)} case{'s' * (len(cases) != 1)} ({where})")
        table.add_column("id", no_wrap=True)
        for column in ("title", "specialty", "rare", "findings", "source"):
            table.add_column(column, justify="right" if column == "findings" else "left")
        for _, case in cases:
            table.add_row(
                case.id,
                case.title,
                ", ".join(case.specialties),
                "yes" if case.rare else "",
                str(len(case.findings)),
                case.source,
            )
        console.print(table)
    for item in problems:
        problem(str(item))
    if problems:
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def validate(
    paths: list[Path] = typer.Argument(
        None, help="Case files or folders (searched recursively). Default: the built-in library."
    ),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
    no_hpo: bool = typer.Option(
        False, "--no-hpo", help="Skip checking HPO ids against the ontology (faster)."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file on stdout."),
) -> None:
    """Check case files: schema, HPO ids (unknown or obsolete, with the replacement), duplicate finding ids, key findings, diagnosis.

    Exit status 2 if any file has an error."""
    paths = paths or builtin_case_files()
    _require_case_files(paths)
    ontology = None
    if not no_hpo:
        from consultsim.kg.ontology import get_ontology

        ontology = get_ontology()
    reports = validate_paths(paths, ontology)
    failed = 0
    for report in reports:
        bad = report.errors + (report.warnings if strict else [])
        failed += bool(bad)
        if as_json:
            print_json(
                {
                    "path": str(report.path),
                    "id": report.case.id if report.case else None,
                    "ok": not bad,
                    "errors": [str(p) for p in report.errors],
                    "warnings": [str(p) for p in report.warnings],
                }
            )
        for item in report.problems:
            problem(str(item))
    if not as_json:
        table = Table(title="case validation")
        for column in ("file", "id", "result", "errors", "warnings"):
            table.add_column(column, justify="right" if column in ("errors", "warnings") else "left")
        for report in reports:
            bad = report.errors or (strict and report.warnings)
            table.add_row(
                _short(report.path),
                report.case.id if report.case else "-",
                "[red]invalid[/]" if bad else "[green]ok[/]",
                str(len(report.errors)),
                str(len(report.warnings)),
            )
        console.print(table)
        verdict = f"{len(reports) - failed} of {len(reports)} file{'s' * (len(reports) != 1)} valid"
        console.print(verdict if not failed else f"[red]{verdict}[/]")
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command("import")
def import_cases(
    fmt: ImportFormat = typer.Argument(..., metavar="FORMAT", help="agentclinic, mediq or phenopacket."),
    sources: list[Path] = typer.Argument(..., help="Source files (JSON Lines or JSON) or folders."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write the cases to.", envvar="CONSULTSIM_IMPORT_OUT"),
    prefix: str = typer.Option(
        None, "--prefix", help="Name JSON Lines cases <prefix>-NNNN.yaml (default: the source file's name)."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per record on stdout."),
) -> None:
    """Import AgentClinic (OSCE and NEJM), MediQ (JSON Lines) or GA4GH phenopacket (JSON) records as case files.

    JSON Lines records become OUT/<prefix>-NNNN.yaml (NNNN the 0-based record index); a phenopacket file becomes OUT/<its file name>.yaml. A bad record is reported with its index and skipped; the rest are written. Exit status 2 if any record failed."""
    if out.exists() and not out.is_dir():
        fail(f"--out {out} is a file; give a folder")
    progress = Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[last]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=as_json,
    )

    def on_result(result: RecordResult) -> None:
        progress.update(task, advance=1, last=Path(result.source).name)
        if as_json:
            print_json(
                {
                    "source": result.source,
                    "index": result.index,
                    "out": str(result.out) if result.out else None,
                    "id": result.case_id,
                    "error": result.error,
                    "warnings": result.warnings,
                }
            )

    with progress:
        task = progress.add_task("import", total=None, last="")
        report = import_sources(fmt.value, sources, out, prefix=prefix, on_result=on_result)
    for result in report.failed:
        problem(f"{result.where}: {result.error}")
    if not as_json:
        warnings = sum(len(r.warnings) for r in report.written)
        table = Table(title=f"{fmt.value} import into {out}")
        for column in ("written", "failed", "warnings"):
            table.add_column(column, justify="right")
        table.add_row(str(len(report.written)), str(len(report.failed)), str(warnings))
        console.print(table)
        if warnings:
            console.print("[dim]rerun with --json to see each warning[/]")
    if report.failed or not report.results:
        if not report.results:
            problem("consultsim: no records found in the sources")
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command(context_settings=_EXTRA)
def new() -> None:
    """Start a case from a disease in the knowledge graph. [not built yet]"""
    not_yet("consultsim case new")


@app.command()
def where() -> None:
    """Print the folder of the built-in case library."""
    typer.echo(str(library_dir()))


# `case ask` and `case exam` live in their own modules.
case_ask.register(app)
case_exam.register(app)


def _require_case_files(paths: list[Path]) -> None:
    missing = [p for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(str(p) for p in missing)}")
    if not any(True for _ in iter_case_files(paths)):
        fail(f"no case files (*.yaml, *.yml) in {', '.join(str(p) for p in paths)}")


def _short(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
