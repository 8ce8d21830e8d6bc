"""Where cases live: the built-in library shipped with the package, and the user's own folders."""

from __future__ import annotations

import os
from importlib.resources import as_file, files
from pathlib import Path

from consultsim.scenarios.errors import CaseError, Problem
from consultsim.scenarios.loading import CASE_SUFFIXES

CASES_ENV = "CONSULTSIM_CASES"


def library_dir() -> Path:
    """The folder of built-in cases (package data)."""
    resource = files("consultsim.scenarios.library")
    # The package is installed as plain files, so this path stays valid after the context exits.
    with as_file(resource) as path:
        return Path(path)


def search_dirs() -> list[Path]:
    """Folders searched for a case given by id: $CONSULTSIM_CASES (os.pathsep-separated), then the library."""
    extra = [Path(p) for p in os.environ.get(CASES_ENV, "").split(os.pathsep) if p.strip()]
    return [*extra, library_dir()]


def builtin_case_files() -> list[Path]:
    return sorted(p for p in library_dir().iterdir() if p.suffix in CASE_SUFFIXES)


def resolve_case(ref: str) -> Path:
    """A case file from a path, or from a case id found in the search folders."""
    path = Path(ref)
    if path.is_file() or path.suffix in CASE_SUFFIXES or os.sep in ref:
        return path
    for folder in search_dirs():
        for suffix in CASE_SUFFIXES:
            candidate = folder / f"{ref}{suffix}"
            if candidate.is_file():
                return candidate
    known = [p.stem for folder in search_dirs() if folder.is_dir() for p in folder.iterdir() if p.suffix in CASE_SUFFIXES]
    from rapidfuzz import process

    close = [m[0] for m in process.extract(ref, known, limit=3, score_cutoff=60)]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `consultsim case list` shows the built-in cases"
    raise CaseError([Problem(ref, f"no such case file or case id{hint}")])
