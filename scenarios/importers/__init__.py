"""Import public benchmark formats into cases.

Each format module has `convert(record, *, case_id, source) -> Conversion` and raises
`ImportProblem` for a record it cannot use. This module reads the sources (JSON Lines, one JSON
document per file, or folders of them), names the output files and writes them, so that one bad
record is reported and skipped while every good one is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from consultsim.scenarios.errors import CaseError
from consultsim.scenarios.loading import MAX_BYTES, read_text, save_case
from consultsim.scenarios.model import Case

FORMATS = ("agentclinic", "mediq", "phenopacket")


class ImportProblem(Exception):
    """A source record that cannot become a case; the message says why."""


@dataclass
class Conversion:
    case: Case
    warnings: list[str] = field(default_factory=list)


@dataclass
class RecordResult:
    source: str
    index: int | None  # 0-based record index in a JSON Lines file; None for a one-record file
    out: Path | None = None
    case_id: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.source if self.index is None else f"{self.source} record {self.index}"


@dataclass
class ImportReport:
    results: list[RecordResult] = field(default_factory=list)

    @property
    def written(self) -> list[RecordResult]:
        return [r for r in self.results if r.error is None]

    @property
    def failed(self) -> list[RecordResult]:
        return [r for r in self.results if r.error is not None]


def converter(fmt: str) -> Callable[..., Conversion]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return import_module(f"{__name__}.{fmt}").convert


def safe_name(text: str) -> str:
    """A file name as close to the source's as the file system allows."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or "case"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "-", text.lower()).strip("-._") or "case"


def _source_files(src: Path, fmt: str) -> list[Path]:
    if src.is_dir():
        patterns = ("*.json",) if fmt == "phenopacket" else ("*.jsonl", "*.json")
        return sorted({p for pattern in patterns for p in src.rglob(pattern) if p.is_file()})
    return [src]


def _records(path: Path, fmt: str) -> Iterator[tuple[int | None, Any, str | None]]:
    """(index, record, error) for each record of a source file."""
    try:
        text = read_text(path, max_bytes=MAX_BYTES * 100)
    except CaseError as err:
        yield None, None, "; ".join(p.message for p in err.problems)
        return
    one_document = path.suffix == ".json" or fmt == "phenopacket" and path.suffix != ".jsonl"
    if one_document:
        try:
            yield None, json.loads(text), None
        except json.JSONDecodeError as err:
            yield None, None, f"invalid JSON at line {err.lineno} column {err.colno}: {err.msg}"
        return
    index = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            yield index, json.loads(line), None
        except json.JSONDecodeError as err:
            yield index, None, f"invalid JSON at column {err.colno}: {err.msg}"
        index += 1


def import_sources(
    fmt: str,
    sources: list[Path],
    out_dir: Path,
    prefix: str | None = None,
    on_result: Callable[[RecordResult], None] | None = None,
) -> ImportReport:
    """Convert every record of every source, writing `out_dir/<prefix>-NNNN.yaml` for JSON Lines
    records (NNNN the 0-based record index) and `out_dir/<file name>.yaml` for one-record files."""
    convert = converter(fmt)
    report = ImportReport()
    out_dir.mkdir(parents=True, exist_ok=True)
    for src in sources:
        if not src.exists():
            result = RecordResult(str(src), None, error="no such file or folder")
            report.results.append(result)
            if on_result:
                on_result(result)
            continue
        for path in _source_files(src, fmt):
            stem = safe_name(prefix or path.stem)
            for index, record, error in _records(path, fmt):
                name = stem if index is None else f"{stem}-{index:04d}"
                result = RecordResult(str(path), index, error=error)
                if error is None:
                    try:
                        conversion = convert(record, case_id=slug(name), source=path.name)
                    except ImportProblem as err:
                        result.error = str(err)
                    except CaseError as err:
                        result.error = "; ".join(
                            f"{p.path}: {p.message}" if p.path else p.message for p in err.problems
                        )
                    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as err:
                        # A record of an unexpected shape is that record's problem, not the run's.
                        result.error = f"unexpected record shape ({type(err).__name__}: {err})"
                    else:
                        result.case_id = conversion.case.id
                        result.warnings = conversion.warnings
                        result.out = save_case(conversion.case, out_dir / f"{name}.yaml")
                report.results.append(result)
                if on_result:
                    on_result(result)
    return report
