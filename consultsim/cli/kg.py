"""`consultsim kg`: search the HPO, look up diseases, rank a differential, choose the next question."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path

import typer
from rich.table import Table

from consultsim.cli._common import EXIT_BAD_INPUT, console, err_console, print_json, problem
from consultsim.errors import UserError

app = typer.Typer(
    help="Query the HPO knowledge graph: search terms, look up diseases, rank a differential, "
    "choose the most informative next finding.",
    no_args_is_help=True,
)

SOURCE_HELP = "Only diseases from this source: OMIM, ORPHA or DECIPHER (repeatable)."


def _kg():
    from consultsim.kg import KGError, get_kg

    try:
        return get_kg()
    except KGError as err:
        raise UserError(str(err)) from None


def _ids(values: list[str] | None) -> list[str]:
    """Accept repeated flags and comma- or space-separated lists alike."""
    out: list[str] = []
    for value in values or []:
        out.extend(v for v in value.replace(",", " ").split() if v)
    return out


def _call(fn, *args, **kwargs):
    from consultsim.kg import KGError

    try:
        return fn(*args, **kwargs)
    except KGError as err:
        raise UserError(str(err)) from None


@app.command()
def search(
    text: str = typer.Argument(..., help="Words to look for, e.g. 'nose bleeds' or 'arachnodactily'."),
    diseases: bool = typer.Option(False, "--diseases", "-d", help="Search disease names instead of phenotypes."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=200, help="How many results."),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout."),
) -> None:
    """Find HPO phenotype terms (or diseases) by label or synonym, lay words and typos included."""
    kg = _kg()
    hits = _call(kg.search_diseases if diseases else kg.search, text, limit)
    if as_json:
        print_json({"query": text, "results": [h.as_dict() for h in hits]})
        return
    if not hits:
        err_console.print(f"no match for {text!r}")
        raise typer.Exit(1)
    table = Table(title=f"{'diseases' if diseases else 'HPO terms'} for {text!r}")
    if diseases:
        for column in ("id", "name", "score"):
            table.add_column(column, no_wrap=column == "id")
        for h in hits:
            table.add_row(h.id, h.name, f"{h.score:.0f}")
    else:
        for column in ("id", "label", "matched", "score"):
            table.add_column(column, no_wrap=column == "id")
        for h in hits:
            table.add_row(h.id, h.label, h.matched if h.kind == "label" else f"{h.matched} ({h.kind})", f"{h.score:.0f}")
    console.print(table)


@app.command()
def disease(
    disease_id: str = typer.Argument(..., metavar="ID", help="OMIM:NNNNNN, ORPHA:N or DECIPHER:N."),
    limit: int = typer.Option(None, "--limit", "-n", min=1, help="Show at most this many phenotypes."),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout."),
) -> None:
    """Show a disease: its specialties and its annotated phenotypes, most frequent first."""
    kg = _kg()
    info = _call(kg.disease, disease_id, limit)
    if as_json:
        print_json(info)
        return
    console.print(f"[bold]{info['id']}[/] {info['name']}  [dim]({', '.join(info['specialties']) or 'no specialty'})[/]")
    table = Table()
    for column in ("id", "phenotype", "frequency"):
        table.add_column(column, no_wrap=column == "id")
    for p in info["phenotypes"]:
        freq = f"{p['frequency']:.0%}" + ("" if p["frequency_known"] else " (estimated)")
        table.add_row(p["id"], p["label"], freq)
    console.print(table)
    if info["not_phenotypes"]:
        console.print("not a feature: " + ", ".join(f"{p['label']} ({p['id']})" for p in info["not_phenotypes"]))


@app.command()
def stats(as_json: bool = typer.Option(False, "--json", help="JSON on stdout.")) -> None:
    """Counts of phenotype terms, diseases (by source) and annotations in the graph."""
    data = _kg().stats()
    if as_json:
        print_json(data)
        return
    table = Table(title=f"knowledge graph ({data['hpo_version']})", show_header=False)
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v:,}" for k, v in value.items())
        elif isinstance(value, int):
            value = f"{value:,}"
        table.add_row(key.replace("_", " "), str(value))
    console.print(table)


@app.command()
def rank(
    present: list[str] = typer.Option(None, "--present", "-p", help="HPO ids of findings present (repeatable, or comma-separated)."),
    absent: list[str] = typer.Option(None, "--absent", "-a", help="HPO ids of findings excluded."),
    source: list[str] = typer.Option(None, "--source", "-s", help=SOURCE_HELP, envvar="CONSULTSIM_KG_SOURCE"),
    top: int = typer.Option(10, "--top", "-n", min=1, help="How many diseases to show."),
    batch: Path = typer.Option(
        None, "--batch", help="JSON Lines file (or - for stdin), each line {\"id\", \"present\", \"absent\"}: one JSON line out per line in."
    ),
    explain: bool = typer.Option(True, "--explain/--no-explain", help="Say which findings matched which annotations."),
    negatives: str = typer.Option(
        "reported", "--negatives",
        help="Where the excluded findings come from: 'reported' (a record: case report, phenopacket, "
        "case file; people write down the negatives they looked for) or 'asked' (answers to "
        "questions chosen during a consultation).",
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout: {\"diseases\": [{\"id\", \"name\", \"score\", ...}]}."),
) -> None:
    """Rank diseases against present and excluded findings (likelihood ratios), best first."""
    from consultsim.kg.ranking import NEGATIVES

    if negatives not in NEGATIVES:
        raise UserError(f"--negatives {negatives!r}: choose one of {', '.join(NEGATIVES)}")
    kg = _kg()
    sources = [s.upper() for s in _ids(source)] or None
    if batch is not None:
        if present or absent:
            raise UserError("give findings either with --present/--absent or in --batch, not both")
        raise typer.Exit(_rank_batch(kg, batch, sources, top, explain, negatives))
    result = _call(kg.rank, _ids(present), _ids(absent), sources=sources, top=top, explain=explain, negatives=negatives)
    for warning in result.warnings:
        problem(f"warning: {warning}")
    if as_json:
        print_json(result.as_dict(explain))
        return
    table = Table(title=f"differential over {result.considered:,} diseases")
    for column in ("rank", "id", "disease", "log LR", "p", "explained by"):
        table.add_column(column, no_wrap=column in ("rank", "id"), justify="right" if column in ("rank", "log LR", "p") else "left")
    for d in result.diseases:
        why = "; ".join(
            f"{m.finding_label}" + (f" ~ {m.annotation_label}" if m.annotation and m.annotation_label != m.finding_label else "")
            for m in d.matches
            if m.present and m.how != "unexplained"
        )
        rank_text = f"{d.rank:g}"
        table.add_row(rank_text, d.id, d.name, f"{d.score:.1f}", f"{d.probability:.2f}", why)
    console.print(table)


def _rank_batch(kg, path: Path, sources, top: int, explain: bool, negatives: str) -> int:  # noqa: ANN001
    from consultsim.kg import KGError

    if str(path) == "-":
        lines = sys.stdin
    else:
        if not path.is_file():
            raise UserError(f"--batch {path}: no such file")
        lines = path.open(encoding="utf-8", errors="replace")
    failures = 0
    with lines if lines is not sys.stdin else nullcontext():
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            record_id = None
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("each line must be a JSON object")
                record_id = record.get("id", number)
                present, absent = record.get("present", []), record.get("absent", [])
                if not isinstance(present, list) or not isinstance(absent, list):
                    raise ValueError("present and absent must be lists of HPO ids")
                result = kg.rank(present, absent, sources=sources, top=top, explain=explain, negatives=negatives)
                print_json({"id": record_id, **result.as_dict(explain)})
            except (ValueError, KGError) as err:
                failures += 1
                message = f"line {number}: {err}"
                problem(f"consultsim: {path}: {message}")
                print_json({"id": record_id if record_id is not None else number, "error": str(err)})
    return EXIT_BAD_INPUT if failures else 0


@app.command("next")
def next_findings(
    present: list[str] = typer.Option(None, "--present", "-p", help="HPO ids of findings present."),
    absent: list[str] = typer.Option(None, "--absent", "-a", help="HPO ids of findings excluded."),
    source: list[str] = typer.Option(None, "--source", "-s", help=SOURCE_HELP, envvar="CONSULTSIM_KG_SOURCE"),
    specialty: str = typer.Option(None, "--specialty", help="Only findings of this specialty (e.g. cardiology)."),
    among: list[str] = typer.Option(None, "--among", help="Separate only these diseases (ids; repeatable)."),
    limit: int = typer.Option(5, "--limit", "-n", min=1, max=100, help="How many findings to suggest."),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout."),
) -> None:
    """The findings to ask about next: those whose answer best separates the leading diseases."""
    kg = _kg()
    questions = _call(
        kg.next_findings,
        _ids(present),
        _ids(absent),
        sources=[s.upper() for s in _ids(source)] or None,
        specialty=specialty,
        limit=limit,
        among=_ids(among) or None,
    )
    if as_json:
        print_json({"findings": [q.as_dict() for q in questions]})
        return
    table = Table(title="most informative next findings")
    for column in ("id", "finding", "gain (bits)", "P(yes)", "yes favours", "no favours"):
        table.add_column(column, no_wrap=column == "id")
    for q in questions:
        table.add_row(q.id, q.label, f"{q.gain_bits:.2f}", f"{q.p_yes:.2f}", ", ".join(q.favours_yes), ", ".join(q.favours_no))
    console.print(table)
