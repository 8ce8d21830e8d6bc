"""Clinical cases: the model, loading and saving, validation, the built-in library, importers."""

from consultsim.scenarios.catalog import builtin_case_files, library_dir, resolve_case
from consultsim.scenarios.checks import FileReport, validate_paths
from consultsim.scenarios.errors import CaseError, Problem
from consultsim.scenarios.loading import dumps_case, load_case, load_cases, loads_case, save_case
from consultsim.scenarios.model import (
    Case,
    Category,
    Diagnosis,
    Finding,
    Patient,
    Provenance,
    Reveal,
    Sex,
    Speaker,
    Style,
)

__all__ = [
    "Case",
    "CaseError",
    "Category",
    "Diagnosis",
    "FileReport",
    "Finding",
    "Patient",
    "Problem",
    "Provenance",
    "Reveal",
    "Sex",
    "Speaker",
    "Style",
    "builtin_case_files",
    "dumps_case",
    "library_dir",
    "load_case",
    "load_cases",
    "loads_case",
    "resolve_case",
    "save_case",
    "validate_paths",
]
