"""Clinical cases: the model, loading and saving, validation, the built-in library, importers."""

from .catalog import builtin_case_files, library_dir, resolve_case
from .checks import FileReport, validate_paths
from .errors import CaseError, Problem
from .loading import dumps_case, load_case, load_cases, loads_case, save_case
from .model import Case, Category, Diagnosis, Finding, Patient, Provenance, Reveal, Sex, Speaker, Style

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
