"""`case validate`: the schema, plus what needs the ontology (HPO ids that exist and are current)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from consultsim.scenarios.errors import CaseError, Problem
from consultsim.scenarios.loading import (
    format_loc,
    iter_case_files,
    load_case_with_nodes,
    node_line,
    structural_problems,
)
from consultsim.scenarios.model import Case


@dataclass
class FileReport:
    path: Path
    case: Case | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def hpo_problems(case: Case, label: str, root, ontology) -> list[Problem]:  # noqa: ANN001
    from consultsim.kg.ontology import PHENOTYPIC_ABNORMALITY

    problems = []
    for index, finding in enumerate(case.findings):
        if finding.hpo is None:
            continue
        loc = ("findings", index, "hpo")
        where = dict(file=label, line=node_line(root, loc), path=format_loc(loc))
        res = ontology.resolve(finding.hpo)
        if res.how == "unknown":
            problems.append(
                Problem(message=f"{finding.hpo!r} is not a term of HPO release {ontology.version}", **where)
            )
        elif res.how in ("alt_id", "replaced_by"):
            reason = "an old alternative id" if res.how == "alt_id" else "obsolete"
            problems.append(
                Problem(
                    message=f"{finding.hpo!r} is {reason}; use {res.id} ({ontology.label(res.id)})",
                    **where,
                )
            )
        elif res.how == "obsolete":
            consider = ", ".join(f"{t} ({ontology.label(t)})" for t in res.suggestions)
            hint = f"; consider {consider}" if consider else ""
            problems.append(Problem(message=f"{finding.hpo!r} is obsolete{hint}", **where))
        elif PHENOTYPIC_ABNORMALITY not in ontology.ancestors(res.id):
            problems.append(
                Problem(
                    message=f"{finding.hpo} ({ontology.label(res.id)}) is not a phenotypic abnormality",
                    severity="warning",
                    **where,
                )
            )
    return problems


def diagnosis_problems(case: Case, label: str, root) -> list[Problem]:  # noqa: ANN001
    problems = []
    if case.rare and not any(i.startswith(("OMIM:", "ORPHA:")) for i in case.diagnosis.ids):
        loc = ("diagnosis", "ids")
        problems.append(
            Problem(
                label,
                "a rare-disease case should name its OMIM or ORPHA id",
                node_line(root, loc) or node_line(root, ("diagnosis",)),
                format_loc(loc),
                severity="warning",
            )
        )
    for index, finding in enumerate(case.findings):
        if not finding.category.patient_facing and not finding.procedure:
            loc = ("findings", index)
            problems.append(
                Problem(
                    label,
                    f"{finding.category.value} finding has no `procedure` (which {finding.category.value} gives it)",
                    node_line(root, loc),
                    format_loc(loc),
                    severity="warning",
                )
            )
    return problems


def validate_file(path: Path, ontology=None) -> FileReport:  # noqa: ANN001
    report = FileReport(path)
    label = str(path)
    try:
        case, root = load_case_with_nodes(path)
    except CaseError as err:
        report.problems = err.problems
        return report
    report.case = case
    report.problems += [p for p in structural_problems(case, label, root) if p.severity == "warning"]
    if ontology is not None:
        report.problems += hpo_problems(case, label, root, ontology)
    report.problems += diagnosis_problems(case, label, root)
    return report


def validate_paths(paths: Iterable[str | Path], ontology=None) -> list[FileReport]:  # noqa: ANN001
    reports = []
    for path in iter_case_files(paths):
        if not path.exists():
            reports.append(FileReport(path, problems=[Problem(str(path), "no such file or folder")]))
            continue
        reports.append(validate_file(path, ontology))
    return reports
